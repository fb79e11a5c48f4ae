"""File names and writers for the app's exports."""

from __future__ import annotations

import itertools
from datetime import datetime
from pathlib import Path

import numpy as np

from tui_mlp.core import MLP

from .run import Run


def timestamped(stem: str, suffix: str, folder: Path = Path()) -> str:
    """A new file's name in ``folder``, like ``tui-mlp-20250131-142501.txt`` (sorts by
    time); another one within the same second is ``…-142501-2.txt``, not a replacement
    of the first."""
    name = f"{stem}-{datetime.now():%Y%m%d-%H%M%S}"
    candidates = itertools.chain([name], (f"{name}-{number}" for number in itertools.count(2)))
    return next(candidate + suffix for candidate in candidates if not (folder / (candidate + suffix)).exists())


def export_snapshot(path: Path, run: Run, after: MLP, losses: np.ndarray, *, ascii: bool) -> Path:
    """Write the run's before/after/loss picture to ``path`` (SnapshotError if it cannot);
    for 2-D data it includes the decision boundary."""
    from tui_mlp.render.snapshot import write_snapshot  # here: it imports every renderer

    settings = run.describe(after)
    return write_snapshot(path, run.before, after, losses, settings, ascii=ascii, data=(run.train, run.test))
