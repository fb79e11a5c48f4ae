"""Training in the app: the worker thread and the pacing of what it reports.

The rules, each measured (see ``benchmarks/bench_app.py``):

- The worker starts training only once the new run is painted, so drawing the
  panels does not compete with it for the CPU.
- It reports at most ~15 times a second, only when the last report has been
  painted, and so that drawing takes at most ``UI_SHARE`` of the time (a run
  shorter than ``FIRST_REPORT`` just shows its end).
- While the UI answers a key or paints a report, the worker steps aside
  instead of taking turns with it for Python's lock every few milliseconds,
  which would double the time the person waits.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np

from tui_mlp.core import MLP, Progress, TrainControl
from tui_mlp.core.metrics import format_scores
from tui_mlp.core.run import Run

from .messages import TrainingFinished, TrainingProgress, TrainingReport
from .widgets.status import RunStatus

if TYPE_CHECKING:
    from textual.app import App

MIN_INTERVAL = 1 / 15  # at most ~15 live redraws a second
UI_SHARE = 0.15  # drawing may take at most this share of the time
FIRST_REPORT = 0.25  # seconds of training before the first live redraw
CHECK_SECONDS = 0.005  # how often the worker looks whether the UI is busy
MAX_YIELD = 0.1  # the longest the worker waits for a busy UI at a time
PAINT_TRIES = 8  # refreshes to wait for the panels to be painted before the worker goes on anyway


class ProgressFeed:
    """Between a training worker and the UI thread.

    The worker ``offer``s each progress; a report goes out only when it is due
    (see the module's rules). Each report carries only the losses the UI has
    not seen, and ``losses`` collects them on the UI side. ``ready`` holds the
    worker back until the UI has painted the new run (the first ``drawn``).
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

    def offer(self, progress: Progress, *, paused: bool = False) -> np.ndarray | None:
        """Worker side: the unseen losses if a report is due now (always while training is
        ``paused``: the person waits to see where it stopped), else None."""
        due = max(FIRST_REPORT, self._last + self.interval)
        if not paused and (self._in_flight or progress.elapsed < due):
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


@dataclass(eq=False)
class LiveRun(Run):
    """A run trained in the app: ``model`` belongs to the worker thread until it
    finishes; ``control`` pauses and cancels it; ``feed`` carries its progress."""

    control: TrainControl = field(default_factory=TrainControl)
    feed: ProgressFeed = field(init=False)
    number: int = 0  # its place in the session (``Session.runs``), from 1
    replayed: dict[int, RunStatus] = field(default_factory=dict, repr=False)  # status line by checkpoint

    def __post_init__(self) -> None:
        self.feed = ProgressFeed(self.training.epochs)

    @property
    def in_progress(self) -> bool:
        """Whether it is still training (possibly paused)."""
        return self.result is None

    @property
    def full_batch(self) -> bool:
        """Whether each epoch is one step on every training sample (its loss: the network's)."""
        size = self.training.batch_size
        return size is None or size >= len(self.train.X)

    def cancel(self) -> None:
        """Stop the worker soon (also if it has not started training yet)."""
        self.control.cancel()
        self.feed.idle()
        self.feed.ready.set()


@dataclass(frozen=True)
class Shown:
    """What a report of a run puts on screen: the trained network, the losses, the status."""

    model: MLP
    losses: np.ndarray
    status: RunStatus


def shown(run: LiveRun, parameters: np.ndarray, losses: np.ndarray, status: RunStatus) -> Shown:
    """The network with ``parameters``, and ``status`` with its scores."""
    model = run.with_parameters(parameters)
    return Shown(model, losses, replace(status, scores=scored(run, model)))


def scored(run: Run, model: MLP) -> str:
    """``model``'s scores on ``run``'s data as the status line writes them."""
    return " · ".join(format_scores(run.scores(model), short=True))


REPLAY_STATE = "replay (} returns to live)"


def at_checkpoint(run: LiveRun, index: int, losses: np.ndarray | tuple[()]) -> Shown:
    """What a replay of ``run`` at its checkpoint ``index`` shows: that network, its loss on the
    training data and its scores (worked out once a checkpoint), with the ``losses`` so far."""
    assert run.history is not None
    model = run.checkpoint(index)
    if (status := run.replayed.get(index)) is None:
        epoch = run.history.epochs[index]
        if run.full_batch and epoch < len(losses):
            loss = float(losses[epoch])  # the loss training computed on these very parameters
        else:
            with np.errstate(all="ignore"):
                loss = model.loss(run.train.X, run.train.y)
        scores = scored(run, model)
        status = RunStatus(run.origin, run.training.epochs, REPLAY_STATE, epoch, loss, scores=scores, timed=False)
        run.replayed[index] = status
    return Shown(model, np.asarray(losses), status)


def ended(run: Run, parameters: np.ndarray) -> Shown:
    """What a run that has ended shows: its network with ``parameters``, its losses, how it ended."""
    result = run.result
    assert result is not None
    status = RunStatus(run.origin, result.epochs, result.describe(), result.epochs_run, run.final_loss, result.elapsed)
    found = shown(run, parameters, result.losses, status)
    if (stuck := run.stuck(found.model)) is None:
        return found
    return replace(found, status=replace(found.status, stuck=stuck.brief))


class LiveTraining:
    """Starts, pauses and cancels the app's training worker, and paces it with the UI.
    ``painted`` tells whether the panels show their latest update (the worker waits for it)."""

    def __init__(self, app: App[object], painted: Callable[[], bool]) -> None:
        self.app = app
        self.painted = painted

    def start(self, run: LiveRun, cpu: float) -> None:
        """Train ``run`` once it is on screen (``cpu``: the thread time when drawing it began);
        the worker of a run before it is replaced (cancel that run first)."""
        self.app.run_worker(lambda: self._train(run), thread=True, exclusive=True, group="training")
        self.drawn_since(run, cpu)

    def cancel(self, run: LiveRun | None, status: RunStatus | str) -> RunStatus | str:
        """Cancel ``run`` if it is training; the status line's new ``status``."""
        if run is None or not run.in_progress or isinstance(status, str):
            return status
        run.cancel()
        return replace(status, state="cancelling…")

    def toggle_pause(self, run: LiveRun | None, status: RunStatus | str) -> RunStatus | str:
        """Pause ``run`` if it is training, resume it if paused; the status line's new ``status``."""
        if run is None or not run.in_progress or isinstance(status, str):
            return status
        return replace(status, state="paused (space resumes)" if run.control.toggle_pause() else "training")

    def step(self, run: LiveRun, status: RunStatus | str) -> RunStatus | str:
        """Let the training ``run`` take one more epoch, then pause; the status line's new ``status``."""
        run.control.step()
        return replace(status, state="stepping") if isinstance(status, RunStatus) else status

    @staticmethod
    def paused(run: LiveRun | None) -> bool:
        """Whether ``run`` is in progress and paused."""
        return run is not None and run.in_progress and run.control.paused

    def key_pressed(self, run: LiveRun) -> None:
        """A key is being answered: the worker steps aside until its effect is painted."""
        run.feed.busy()
        self.app.call_after_refresh(lambda: self.app.call_after_refresh(run.feed.idle))

    def report(self, message: TrainingReport, current: LiveRun | None) -> Shown | None:
        """What a worker's report (progress or finished) shows, if it is of the ``current`` run."""
        if isinstance(message, TrainingFinished):
            return self.finished(message, current)
        assert isinstance(message, TrainingProgress)
        return self.progress(message, current)

    def progress(self, message: TrainingProgress, current: LiveRun | None) -> Shown | None:
        """What a report shows, if it is of the ``current`` run and that is still training."""
        run = message.run
        if run is not current or not run.in_progress:
            return None
        cpu = time.thread_time()
        run.feed.busy()
        losses = run.feed.receive(message.new_losses)
        state = "paused" if run.control.paused else "training"
        status = RunStatus(run.origin, run.training.epochs, state, message.epoch, message.loss, message.elapsed)
        self.drawn_since(run, cpu)
        return shown(run, message.parameters, losses, status)

    def finished(self, message: TrainingFinished, current: LiveRun | None) -> Shown | None:
        """Record how the run ended; what it shows, if it is the ``current`` run."""
        run = message.run
        run.result = message.result
        return ended(run, message.parameters) if run is current else None

    def drawn_since(self, run: LiveRun, cpu: float) -> None:
        """Tell ``run``'s feed, once the panels are repainted, how much CPU drawing took since ``cpu``."""

        def check(tries: int) -> None:
            # A refresh can come before the widgets have asked to be repainted: wait for the panels
            # themselves, so that painting them does not compete with the worker for the CPU.
            if tries and not self.painted():
                self.app.call_after_refresh(check, tries - 1)
            else:
                run.feed.drawn(time.thread_time() - cpu)

        self.app.call_after_refresh(check, PAINT_TRIES)

    def _train(self, run: LiveRun) -> None:
        """Train ``run.model`` in the worker thread, posting paced copies to the UI."""

        def report(progress: Progress) -> None:
            run.feed.yield_to_ui()
            new_losses = run.feed.offer(progress, paused=run.control.paused)
            if new_losses is not None:
                parameters = run.model.parameters().copy()
                self.app.post_message(
                    TrainingProgress(run, progress.epoch, progress.loss, progress.elapsed, new_losses, parameters)
                )

        run.feed.ready.wait()
        result = run.fit(
            keep_optimizer=True,  # the backprop view traces the next step with its state
            control=run.control,
            on_progress=report,
            progress_every=run.training.epochs,
            progress_seconds=CHECK_SECONDS,  # reports are paced by the feed
        )
        self.app.post_message(TrainingFinished(run, result, run.model.parameters().copy()))
