"""File names and writers for the app's exports."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import numpy as np

from tui_mlp.core import MLP

from .run import Run


def timestamped(stem: str, suffix: str) -> str:
    """A file name like ``tui-mlp-20250131-142501.txt``: sorts by time, never clashes within a second."""
    return f"{stem}-{datetime.now():%Y%m%d-%H%M%S}{suffix}"


def export_snapshot(path: Path, run: Run, after: MLP, losses: np.ndarray, *, ascii: bool) -> Path:
    """Write the run's before/after/loss picture to ``path`` (SnapshotError if it cannot);
    for 2-D data it includes the decision boundary."""
    from tui_mlp.render.snapshot import write_snapshot  # here: it imports every renderer

    settings = run.describe(after)
    return write_snapshot(path, run.before, after, losses, settings, ascii=ascii, data=(run.train, run.test))
