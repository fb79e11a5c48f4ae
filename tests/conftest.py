"""Hypothesis runs the same examples every run unless TUI_MLP_FUZZ_RANDOM is set: CI is
deterministic, and a person explores new inputs with ``TUI_MLP_FUZZ_RANDOM=1 pytest``
(the examples that once failed stay pinned with ``@example``)."""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("explore", database=None)
settings.register_profile("deterministic", derandomize=True, database=None)
settings.load_profile("explore" if os.environ.get("TUI_MLP_FUZZ_RANDOM") else "deterministic")
