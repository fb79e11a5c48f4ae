"""Replay: a cursor through a run's checkpoints (``core.history``).

The cursor is a checkpoint's index, or None: live, the network as far as it has
trained (for a finished run, its last checkpoint). ``epochs`` are the checkpoints'
epochs, ``live`` the epochs trained so far. The functions here only move it.
"""

from __future__ import annotations

import bisect

SPEEDS = (1, 2, 4, 8, 16, 32, 64)  # checkpoints a second while playing
DEFAULT_SPEED = 16  # the seed network's 256 checkpoints in 16 s
JUMP = 0.1  # a jump moves the cursor by this share of the run's epochs


def step(epochs: list[int], at: int | None, by: int, live: int) -> int | None:
    """The cursor ``by`` checkpoints from ``at`` (clamped to the first; past the last
    before ``live``, live again)."""
    if not epochs:
        return None
    index = _index(epochs, at, live) + by
    return _clamped(epochs, index, live)


def jump(epochs: list[int], at: int | None, by: float, live: int) -> int | None:
    """The cursor at the checkpoint nearest ``by`` epochs from ``at``'s, at least one
    checkpoint on (past the last before ``live``, live again)."""
    from tui_mlp.core.history import nearest  # with the engine, loaded once a run exists

    if not epochs:
        return None
    index = _index(epochs, at, live)
    target = nearest(epochs, (epochs[index] if index < len(epochs) else live) + by)
    target = max(target, index + 1) if by > 0 else min(target, index - 1)
    return _clamped(epochs, target, live)


def _index(epochs: list[int], at: int | None, live: int) -> int:
    """``at`` as an index, live counting as one past the last checkpoint before ``live``."""
    return bisect.bisect_left(epochs, live) if at is None else at


def _clamped(epochs: list[int], index: int, live: int) -> int | None:
    """``index`` within the checkpoints; None (live) from the first at or after ``live`` on."""
    index = max(index, 0)
    return None if index >= len(epochs) or epochs[index] >= live else index


def faster(speed: int, by: int) -> int:
    """The next speed of ``SPEEDS`` ``by`` steps from ``speed`` (at the ends, the end)."""
    index = SPEEDS.index(speed) + by
    return SPEEDS[min(max(index, 0), len(SPEEDS) - 1)]
