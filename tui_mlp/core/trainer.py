"""The training loop: gradient descent with progress, cancel, pause and a divergence stop.

``train`` runs in whatever thread calls it (the app runs it in a worker);
``TrainControl`` lets another thread pause, resume or cancel it. ``Trainer``
takes one step at a time. Both use only the public passes of a ``Model``
(``mlp.MLP`` is one), so this module does not import the network.
"""

from __future__ import annotations

import enum
import math
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from .choices import DEFAULT_MOMENTUM, DEFAULT_OPTIMIZER
from .echo import counted
from .history import History
from .optimizers import make_optimizer


class StopReason(enum.Enum):
    DONE = "done"
    CANCELLED = "cancelled"
    DIVERGED = "diverged"


class TrainControl:
    """Pause, resume, step and cancel a running ``train`` from another thread. A pause takes
    effect between epochs (also before the first), and the loop reports the epoch it paused at."""

    def __init__(self) -> None:
        self.cancelled = False
        self.paused = False  # a plain attribute: the loop reads it every epoch
        self.steps = 0  # epochs to run before pausing again (``step``); 0: no such pause
        self._running = threading.Event()
        self._running.set()

    def cancel(self) -> None:
        self.cancelled = True
        self.resume()

    def pause(self) -> None:
        if not self.cancelled:
            self.paused = True
            self._running.clear()

    def resume(self) -> None:
        self.paused = False
        self._running.set()

    def step(self) -> None:
        """Run one more epoch (and one more for each further call meanwhile), then pause."""
        if not self.cancelled:
            self.steps += 1
            self.resume()

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


class Model(Protocol):
    """What training needs of a network (``mlp.MLP`` has it): its parameters and its
    passes over preallocated buffers (see ``MLP.buffers``)."""

    @property
    def loss_function(self) -> Any: ...  # .mean: whether batch losses combine by weight

    def as_data(self, X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]: ...

    def parameters(self) -> np.ndarray: ...

    def weight_mask(self) -> np.ndarray: ...

    def buffers(self, rows: int, grad: np.ndarray) -> Any: ...

    def forward_pass(self, buffers: Any) -> None: ...

    def batch_loss(self, buffers: Any) -> float: ...

    def backward_pass(self, buffers: Any) -> None: ...


class Trainer:
    """A model, its data and its optimizer (see ``core.optimizers``): ``step`` is one
    update, ``epoch`` one pass over the data, ``run`` the training loop.

    Full batch by default; with ``batch_size`` the samples are shuffled each epoch
    (from ``shuffle_seed``) and the epoch's loss is the sum (or, for mean losses,
    the weighted mean) of its batch losses.
    """

    def __init__(
        self,
        model: Model,
        X: np.ndarray,
        y: np.ndarray,
        learning_rate: float,
        *,
        batch_size: int | None = None,
        shuffle_seed: int | None = None,
        optimizer: str = DEFAULT_OPTIMIZER,
        momentum: float = DEFAULT_MOMENTUM,
        weight_decay: float = 0.0,
    ) -> None:
        if not (math.isfinite(learning_rate) and learning_rate > 0):
            raise ValueError(f"learning rate must be a positive number, not {learning_rate}")
        self.model = model
        self.X, self.y = model.as_data(X, y)
        if batch_size is not None and batch_size < 1:
            raise ValueError(f"batch size must be at least 1, not {batch_size}")
        self.params = model.parameters()
        self.backup = self.params.copy()  # the parameters before the last update
        self.grad, self._ones = np.empty_like(self.params), np.ones_like(self.params)
        self.optimizer = make_optimizer(
            optimizer,
            self.params.size,
            learning_rate,
            momentum=momentum,
            weight_decay=weight_decay,
            decay_mask=model.weight_mask() if weight_decay else None,
            dtype=self.params.dtype,
        )
        samples = len(self.X)
        self.batch_size = samples if batch_size is None else min(batch_size, samples)
        self.full_batch = self.batch_size == samples
        self._rng = np.random.default_rng(shuffle_seed)
        self._buffers: dict[int, Any] = {}  # by batch size
        self._all = self._every_sample() if self.full_batch else None

    def step(self, rows: Sequence[int] | np.ndarray | None = None) -> float:
        """One update from the samples ``rows`` (all of them if None): forward, loss,
        backward, θ ← θ + Δθ. Returns the loss before the update; a loss that is not
        finite returns at once, without updating. Call under ``np.errstate(all="ignore")``."""
        if rows is None:
            self._all = self._all or self._every_sample()
            buffers = self._all
        else:
            buffers = self._filled(rows)
        self.model.forward_pass(buffers)
        value = self.model.batch_loss(buffers)
        if not math.isfinite(value):
            return value
        self.model.backward_pass(buffers)
        np.copyto(self.backup, self.params)
        self.params += self.optimizer.change(self.grad, self.params)  # θ ← θ + Δθ
        return value

    def run(
        self,
        epochs: int,
        *,
        control: TrainControl | None = None,
        on_progress: ProgressCallback | None = None,
        progress_every: int = 1000,
        progress_seconds: float = 0.1,
        history: History | None = None,
    ) -> TrainResult:
        """Up to ``epochs`` epochs, under ``control``. ``on_progress`` is called when
        ``progress_every`` epochs or ``progress_seconds`` have passed since the last call,
        whichever comes first, and once at the end. The first non-finite loss, or an
        update that makes a parameter non-finite, stops training and restores the last
        parameters whose loss was finite. ``history`` is offered the parameters before
        the first epoch and after each, and keeps the last."""
        if epochs < 0:
            raise ValueError(f"epochs must be 0 or more, not {epochs}")
        losses = np.empty(epochs)
        reporter = _Reporter(on_progress, epochs, progress_every, progress_seconds)
        history = History([]) if history is None else history  # (one that keeps none)
        history.offer(0, self.params)
        with np.errstate(all="ignore"):
            done, reason, diverged_at = _epochs(self, losses, control or TrainControl(), reporter, history)
        # a run that diverged went back to the parameters of the epoch before
        history.finish(max(done - 1, 0) if reason is StopReason.DIVERGED else done, self.params)
        elapsed = time.perf_counter() - reporter.start
        losses = losses[:done].copy()
        reporter.last(losses, elapsed)
        return TrainResult(losses, reason, epochs, elapsed, diverged_at)

    def epoch(self) -> float:
        """One pass over the data; its loss (NaN if a mini-batch diverged)."""
        if self.full_batch:
            return self.step()
        samples = len(self.X)
        order, total = self._rng.permutation(samples), 0.0
        for start in range(0, samples, self.batch_size):
            rows = order[start : start + self.batch_size]
            value = self.step(rows)
            if not (math.isfinite(value) and self.finite()):
                return math.nan
            total += value * (len(rows) / samples if self.model.loss_function.mean else 1.0)
        return total

    def finite(self) -> bool:
        """Whether every parameter is finite (an update can overflow while the loss stays finite)."""
        return math.isfinite(np.dot(self.params, self._ones))

    def restore(self) -> None:
        """Back to the parameters before the last update."""
        np.copyto(self.params, self.backup)

    def _every_sample(self) -> Any:
        """Buffers holding all the samples (filled once)."""
        buffers = self.model.buffers(len(self.X), self.grad)
        buffers.a[0][...], buffers.y[...] = self.X, self.y
        return buffers

    def _filled(self, rows: Sequence[int] | np.ndarray) -> Any:
        """The buffers for ``len(rows)`` samples, holding those samples."""
        if len(rows) not in self._buffers:
            self._buffers[len(rows)] = self.model.buffers(len(rows), self.grad)
        buffers = self._buffers[len(rows)]
        buffers.a[0][...], buffers.y[...] = self.X[rows], self.y[rows]
        return buffers


def train(
    model: Model,
    X: np.ndarray,
    y: np.ndarray,
    epochs: int,
    learning_rate: float,
    *,
    control: TrainControl | None = None,
    on_progress: ProgressCallback | None = None,
    progress_every: int = 1000,
    progress_seconds: float = 0.1,
    **steps: Any,
) -> TrainResult:
    """Train ``model`` in place for up to ``epochs`` epochs: ``Trainer(model, X, y,
    learning_rate, **steps)`` (batch_size, shuffle_seed, optimizer, momentum,
    weight_decay: how each step is taken) and its ``run`` (the loop, progress,
    control and the divergence stop)."""
    progress = {"on_progress": on_progress, "progress_every": progress_every, "progress_seconds": progress_seconds}
    return Trainer(model, X, y, learning_rate, **steps).run(epochs, control=control, **progress)


def _epochs(
    trainer: Trainer, losses: np.ndarray, control: TrainControl, reporter: _Reporter, history: History
) -> tuple[int, StopReason, int | None]:
    """Run up to ``len(losses)`` epochs, filling ``losses`` and offering ``history`` the
    parameters; returns the epochs done, why training stopped and, if it diverged, the
    epoch whose loss was not finite."""
    run_epoch = trainer.step if trainer.full_batch else trainer.epoch  # a full-batch epoch is one step
    for epoch in range(len(losses)):
        if control.paused:
            reporter.paused(epoch, losses)
            control.wait_while_paused()
        if control.cancelled:
            return epoch, StopReason.CANCELLED, None
        value = run_epoch()
        if not math.isfinite(value):  # diverged: back to the last parameters whose loss was finite
            trainer.restore()
            return epoch, StopReason.DIVERGED, epoch + 1
        losses[epoch] = value
        if not trainer.finite():  # the update overflowed: a saturated output can keep the loss finite meanwhile
            trainer.restore()
            return epoch + 1, StopReason.DIVERGED, epoch + 2
        history.offer(epoch + 1, trainer.params)
        if control.steps:
            control.steps -= 1
            if not control.steps:
                control.pause()
        if reporter.due(epoch + 1) and not control.paused:  # (a pause reports at the next epoch's start)
            reporter.report(epoch + 1, value, losses)
    return len(losses), StopReason.DONE, None


class _Reporter:
    """Calls ``on_progress`` when ``every`` epochs or ``seconds`` have passed since it last did."""

    def __init__(self, on_progress: ProgressCallback | None, epochs: int, every: int, seconds: float) -> None:
        self.on_progress, self.epochs, self.every, self.seconds = on_progress, epochs, every, seconds
        self.start = self.last_time = time.perf_counter()
        self.last_epoch = 0
        self.now = self.start

    def due(self, done: int) -> bool:
        """Whether a report is due now that ``done`` epochs are done (reads the clock)."""
        if self.on_progress is None:
            return False
        self.now = time.perf_counter()
        return done - self.last_epoch >= self.every or self.now - self.last_time >= self.seconds

    def report(self, done: int, value: float, losses: np.ndarray) -> None:
        """Report ``done`` epochs, the last with loss ``value``, as of the last ``due``."""
        assert self.on_progress is not None
        self.on_progress(Progress(done, self.epochs, value, self.now - self.start, _read_only(losses[:done])))
        self.last_epoch, self.last_time = done, self.now

    def paused(self, done: int, losses: np.ndarray) -> None:
        """Training pauses after ``done`` epochs: report them (unless that was just reported),
        so that a pause shows exactly where training stands."""
        if self.on_progress is not None and done and done != self.last_epoch:
            self.now = time.perf_counter()
            self.report(done, float(losses[done - 1]), losses)

    def last(self, losses: np.ndarray, elapsed: float) -> None:
        """Training has ended after ``losses``: report it, unless that was just reported."""
        done = len(losses)
        if self.on_progress is not None and done and done != self.last_epoch:
            self.on_progress(Progress(done, self.epochs, float(losses[-1]), elapsed, _read_only(losses[:])))


def _read_only(view: np.ndarray) -> np.ndarray:
    view.flags.writeable = False
    return view
