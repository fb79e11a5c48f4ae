"""Pacing the worker's progress reports so that drawing them never slows training much."""

from __future__ import annotations

import threading

import numpy as np

from tui_mlp.core import Progress

MIN_INTERVAL = 1 / 15  # at most ~15 live redraws a second
UI_SHARE = 0.15  # drawing may take at most this share of the time
FIRST_REPORT = 0.25  # seconds of training before the first live redraw
CHECK_SECONDS = 0.005  # how often the worker looks whether the UI is busy
MAX_YIELD = 0.1  # the longest the worker waits for a busy UI at a time


class ProgressFeed:
    """Between a training worker and the UI thread.

    The worker ``offer``s each progress; a report goes out only when the last
    one has been drawn and enough time has passed that drawing takes at most
    ``UI_SHARE`` of the time (and never in a run's first ``FIRST_REPORT``
    seconds: a short run just shows its end). Each report carries only the losses the UI has
    not seen, and ``losses`` collects them on the UI side. ``ready`` holds the
    worker back until the UI has painted the new run (the first ``drawn``).

    While the UI is busy answering a key or drawing a report (``busy`` until
    ``idle``), the worker steps aside (``yield_to_ui``) instead of taking turns
    with it for Python's lock every few milliseconds, which would double the
    time the person waits.
    """

    def __init__(self, epochs: int) -> None:
        self.ready = threading.Event()
        self.interval = MIN_INTERVAL
        self._buffer = np.empty(epochs)
        self._received = 0
        self._sent = 0
        self._last = 0.0
        self._in_flight = False
        self._ui_idle = threading.Event()
        self._ui_idle.set()

    def busy(self) -> None:
        """UI side: the UI has work the person waits for."""
        self._ui_idle.clear()

    def idle(self) -> None:
        """UI side: that work is on screen."""
        self._ui_idle.set()

    def yield_to_ui(self) -> None:
        """Worker side: wait (a bounded time) while the UI is busy."""
        if not self._ui_idle.is_set():
            self._ui_idle.wait(MAX_YIELD)

    @property
    def losses(self) -> np.ndarray:
        """The losses received so far (UI side)."""
        return self._buffer[: self._received]

    def offer(self, progress: Progress) -> np.ndarray | None:
        """Worker side: the unseen losses if a report is due now, else None."""
        due = max(FIRST_REPORT, self._last + self.interval)
        if self._in_flight or progress.elapsed < due:
            return None
        self._in_flight, self._last = True, progress.elapsed
        new = progress.losses[self._sent :].copy()
        self._sent = progress.epoch
        return new

    def receive(self, losses: np.ndarray) -> np.ndarray:
        """UI side: add a report's losses; returns all losses so far."""
        self._buffer[self._received : self._received + len(losses)] = losses
        self._received += len(losses)
        return self.losses

    def drawn(self, cpu_seconds: float) -> None:
        """UI side: the run's start or its last report took ``cpu_seconds`` to
        draw; let the worker go on and space the next report accordingly."""
        self.interval = max(MIN_INTERVAL, cpu_seconds / UI_SHARE)
        self._in_flight = False
        self.idle()
        self.ready.set()
