"""The training loop: gradient descent with progress, cancel, pause and a divergence stop.

``train`` runs in whatever thread calls it (the app runs it in a worker);
``TrainControl`` lets another thread pause, resume or cancel it.
"""

from __future__ import annotations

import enum
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .echo import counted
from .mlp import MLP, _Pass
from .optimizers import DEFAULT_MOMENTUM, DEFAULT_OPTIMIZER, Update, make_update


class StopReason(enum.Enum):
    DONE = "done"
    CANCELLED = "cancelled"
    DIVERGED = "diverged"


class TrainControl:
    """Pause, resume and cancel a running ``train`` from another thread."""

    def __init__(self) -> None:
        self.cancelled = False
        self._running = threading.Event()
        self._running.set()

    @property
    def paused(self) -> bool:
        return not self._running.is_set()

    def cancel(self) -> None:
        self.cancelled = True
        self._running.set()

    def pause(self) -> None:
        if not self.cancelled:
            self._running.clear()

    def resume(self) -> None:
        self._running.set()

    def toggle_pause(self) -> bool:
        """Pause if running, resume if paused; returns whether now paused."""
        if self.paused:
            self.resume()
        else:
            self.pause()
        return self.paused

    def wait_while_paused(self) -> None:
        self._running.wait()


@dataclass(frozen=True)
class Progress:
    """A report from a running ``train``: epochs done so far and the latest loss."""

    epoch: int
    epochs: int
    loss: float
    elapsed: float
    losses: np.ndarray  # the losses so far (a read-only view)


@dataclass(frozen=True)
class TrainResult:
    """How a run ended. ``losses[i]`` is the loss before epoch i+1's update."""

    losses: np.ndarray
    reason: StopReason
    epochs: int  # the epochs asked for
    elapsed: float
    diverged_at: int | None = None  # 1-based epoch whose loss was not finite

    @property
    def epochs_run(self) -> int:
        return len(self.losses)

    @property
    def final_loss(self) -> float:
        return float(self.losses[-1]) if len(self.losses) else math.nan

    def describe(self) -> str:
        """One line saying why training stopped."""
        if self.reason is StopReason.DIVERGED:
            return (
                f"diverged at epoch {self.diverged_at:,} (loss not finite); "
                f"kept the parameters of epoch {self.epochs_run:,}"
            )
        if self.reason is StopReason.CANCELLED:
            return f"cancelled after {self.epochs_run:,} of {counted(self.epochs, 'epoch')}"
        if self.epochs == 0:
            return "evaluated, not trained (0 epochs)"
        return f"done: {counted(self.epochs_run, 'epoch')}"


ProgressCallback = Callable[[Progress], None]


def train(
    model: MLP,
    X: np.ndarray,
    y: np.ndarray,
    epochs: int,
    learning_rate: float,
    *,
    batch_size: int | None = None,
    shuffle_seed: int | None = None,
    optimizer: str = DEFAULT_OPTIMIZER,
    momentum: float = DEFAULT_MOMENTUM,
    weight_decay: float = 0.0,
    control: TrainControl | None = None,
    on_progress: ProgressCallback | None = None,
    progress_every: int = 1000,
    progress_seconds: float = 0.1,
) -> TrainResult:
    """Train ``model`` in place with ``optimizer`` (see ``core.optimizers``).

    Full batch by default; with ``batch_size`` the samples are shuffled each
    epoch (from ``shuffle_seed``) and the epoch's loss is the sum (or, for
    mean losses, the weighted mean) of its batch losses. ``on_progress`` is
    called when ``progress_every`` epochs or ``progress_seconds`` have passed
    since the last call, whichever comes first, and once at the end. The first
    non-finite loss, or an update that makes a parameter non-finite, stops
    training and restores the last parameters whose loss was finite.
    """
    if epochs < 0:
        raise ValueError(f"epochs must be 0 or more, not {epochs}")
    if not (math.isfinite(learning_rate) and learning_rate > 0):
        raise ValueError(f"learning rate must be a positive number, not {learning_rate}")
    X, y = model._data(X, y)
    if batch_size is not None and batch_size < 1:
        raise ValueError(f"batch size must be at least 1, not {batch_size}")
    backup = model.parameters().copy()
    grad, ones = np.empty_like(backup), np.ones_like(backup)
    update = make_update(
        optimizer,
        model._params,
        grad,
        learning_rate,
        momentum=momentum,
        weight_decay=weight_decay,
        decay_mask=model.weight_mask() if weight_decay else None,
    )
    if batch_size is None or batch_size >= X.shape[0]:
        epoch_loss = _Pass(model, X, y, grad).step
    else:
        epoch_loss = _MiniBatches(model, X, y, grad, ones, batch_size, shuffle_seed).step
    losses = np.empty(epochs)
    reporter = _Reporter(on_progress, epochs, progress_every, progress_seconds)
    with np.errstate(all="ignore"):
        done, reason, diverged_at = _epochs(epoch_loss, update, model._params, backup, ones, losses, control, reporter)
    elapsed = time.perf_counter() - reporter.start
    losses = losses[:done].copy()
    reporter.last(losses, elapsed)
    return TrainResult(losses, reason, epochs, elapsed, diverged_at)


def _epochs(
    epoch_loss: Callable[[Update, np.ndarray], float],
    update: Update,
    params: np.ndarray,
    backup: np.ndarray,
    ones: np.ndarray,
    losses: np.ndarray,
    control: TrainControl | None,
    reporter: _Reporter,
) -> tuple[int, StopReason, int | None]:
    """Run up to ``len(losses)`` epochs, filling ``losses``; returns the epochs done, why
    training stopped and, if it diverged, the epoch whose loss was not finite."""
    control = control or TrainControl()
    for epoch in range(len(losses)):
        if control.cancelled:
            return epoch, StopReason.CANCELLED, None
        value = epoch_loss(update, backup)
        if not math.isfinite(value):  # diverged: back to the last parameters whose loss was finite
            np.copyto(params, backup)
            return epoch, StopReason.DIVERGED, epoch + 1
        losses[epoch] = value
        if not math.isfinite(np.dot(params, ones)):  # the update overflowed: a saturated
            np.copyto(params, backup)  # output can keep the loss finite meanwhile
            return epoch + 1, StopReason.DIVERGED, epoch + 2
        reporter.epoch_done(epoch + 1, value, losses)
        if control.paused:
            control.wait_while_paused()
    return len(losses), StopReason.DONE, None


class _Reporter:
    """Calls ``on_progress`` when ``every`` epochs or ``seconds`` have passed since it last did."""

    def __init__(self, on_progress: ProgressCallback | None, epochs: int, every: int, seconds: float) -> None:
        self.on_progress, self.epochs, self.every, self.seconds = on_progress, epochs, every, seconds
        self.start = self.last_time = time.perf_counter()
        self.last_epoch = 0

    def epoch_done(self, done: int, value: float, losses: np.ndarray) -> None:
        """``done`` epochs are done, the last with loss ``value``: report if a report is due."""
        if self.on_progress is None:
            return
        now = time.perf_counter()
        if done - self.last_epoch >= self.every or now - self.last_time >= self.seconds:
            self.on_progress(Progress(done, self.epochs, value, now - self.start, _read_only(losses[:done])))
            self.last_epoch, self.last_time = done, now

    def last(self, losses: np.ndarray, elapsed: float) -> None:
        """Training has ended after ``losses``: report it, unless that was just reported."""
        done = len(losses)
        if self.on_progress is not None and done and done != self.last_epoch:
            self.on_progress(Progress(done, self.epochs, float(losses[-1]), elapsed, _read_only(losses[:])))


def _read_only(view: np.ndarray) -> np.ndarray:
    view.flags.writeable = False
    return view


class _MiniBatches:
    """One epoch of shuffled mini-batch gradient descent."""

    def __init__(
        self,
        model: MLP,
        X: np.ndarray,
        y: np.ndarray,
        grad: np.ndarray,
        ones: np.ndarray,
        batch_size: int,
        seed: int | None,
    ) -> None:
        self.X, self.y = X, y
        self.rng = np.random.default_rng(seed)
        n = X.shape[0]
        self.bounds = [(lo, min(lo + batch_size, n)) for lo in range(0, n, batch_size)]
        sizes = {hi - lo for lo, hi in self.bounds}
        self.passes = {size: _Pass(model, np.empty((size, X.shape[1])), grad=grad) for size in sizes}
        self.ones = ones
        self.weight = {size: (size / n if model.loss_function.mean else 1.0) for size in sizes}

    def step(self, update: Update, backup: np.ndarray) -> float:
        order = self.rng.permutation(self.X.shape[0])
        total = 0.0
        for lo, hi in self.bounds:
            run = self.passes[hi - lo]
            index = order[lo:hi]
            run.X[...] = self.X[index]
            run.y[...] = self.y[index]
            value = run.step(update, backup)
            if not (math.isfinite(value) and math.isfinite(np.dot(run.params, self.ones))):
                return math.nan
            total += value * self.weight[hi - lo]
        return total
