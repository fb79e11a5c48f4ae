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

from .mlp import MLP, _Pass
from .optimizers import DEFAULT_MOMENTUM, Update, make_update


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

    @property
    def epochs_per_second(self) -> float:
        return self.epoch / self.elapsed if self.elapsed > 0 else 0.0


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
            return f"cancelled after {self.epochs_run:,} of {self.epochs:,} epochs"
        return f"done: {self.epochs_run:,} epochs"


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
    optimizer: str = "gd",
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
    n = X.shape[0]
    if batch_size is not None and batch_size < 1:
        raise ValueError(f"batch size must be at least 1, not {batch_size}")
    control = control or TrainControl()
    losses = np.empty(epochs)
    backup = model.parameters().copy()
    start = time.perf_counter()
    last_report_epoch, last_report_time = 0, start
    reason, diverged_at = StopReason.DONE, None
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
    if batch_size is None or batch_size >= n:
        epoch_loss = _Pass(model, X, y, grad).step
    else:
        epoch_loss = _MiniBatches(model, X, y, grad, ones, batch_size, shuffle_seed).step
    done = 0
    with np.errstate(all="ignore"):
        for epoch in range(epochs):
            if control.cancelled:
                reason = StopReason.CANCELLED
                break
            value = epoch_loss(update, backup)
            if not math.isfinite(value):
                np.copyto(model._params, backup)
                reason, diverged_at = StopReason.DIVERGED, epoch + 1
                break
            losses[epoch] = value
            done = epoch + 1
            if not math.isfinite(np.dot(model._params, ones)):  # the update overflowed: a saturated
                np.copyto(model._params, backup)  # output can keep the loss finite meanwhile
                reason, diverged_at = StopReason.DIVERGED, epoch + 2
                break
            if on_progress is not None:
                now = time.perf_counter()
                if done - last_report_epoch >= progress_every or now - last_report_time >= progress_seconds:
                    on_progress(Progress(done, epochs, value, now - start, _read_only(losses[:done])))
                    last_report_epoch, last_report_time = done, now
            if not control._running.is_set():
                control.wait_while_paused()
    elapsed = time.perf_counter() - start
    losses = losses[:done].copy()
    if on_progress is not None and done and done != last_report_epoch:
        on_progress(Progress(done, epochs, float(losses[-1]), elapsed, _read_only(losses[:])))
    return TrainResult(losses, reason, epochs, elapsed, diverged_at)


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
