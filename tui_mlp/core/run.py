"""One training run, built the same way by every face (the command line, the app, the
snapshot): specs + seed (+ a loaded network) → the data split, the network before and
during training, and how training ended. The same settings give the same numbers."""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from .datasets import Dataset
from .diagnosis import Stuck, diagnose
from .echo import shown
from .history import History
from .memory import estimate_bytes, require_memory
from .metrics import format_loss, format_score, scores, test_confusion
from .mlp import MLP
from .optimizers import Optimizer
from .params import check_fits, load_params, loaded_dtype, saved_image_shape, saved_scaling
from .specs import DataSpec, TrainingSpec, pick_seed
from .trace import Trace
from .trainer import StopReason, TrainResult

NAME_CHARS = 32  # a file's name in a message, at most (and an ellipsis)


class SizeError(ValueError):
    """The network asked for cannot be built: too many layers, neurons or parameters."""


@dataclass(frozen=True)
class Loaded:
    """A network read from a parameter file, and what the file says trained it."""

    model: MLP
    path: str
    training: dict[str, Any]

    @classmethod
    def read(cls, path: str | os.PathLike[str]) -> Loaded:
        """The network in the parameter file ``path`` (ParamsError if it cannot be used)."""
        model, training = load_params(path)
        return cls(model, os.fspath(path), training)

    @property
    def name(self) -> str:
        """The file's name as messages show it: its last part, on one line, not at length."""
        return shown(os.path.basename(self.path) or self.path, NAME_CHARS)

    @property
    def scaling(self) -> tuple[np.ndarray, np.ndarray] | None:
        """The feature standardisation it was trained with (CSV data), if any."""
        return saved_scaling(self.training)

    def data(self, spec: DataSpec) -> DataSpec:
        """The data ``spec`` names, its features read as the images the network was trained on
        (if the file says so and ``spec`` gives no shape of its own)."""
        return spec.drawn_as(saved_image_shape(self.training))


@dataclass(eq=False)  # a run is itself, not its values
class Run:
    """A run: ``model`` starts as a copy of ``before`` and is what training changes;
    ``optimizer``, kept if asked, took its steps; ``result`` says how training ended, once it has."""

    training: TrainingSpec
    data: DataSpec
    seed: int
    train: Dataset
    test: Dataset | None
    before: MLP
    model: MLP
    origin: str  # where ``before`` came from: "seed 3" or "loaded from p.json"
    result: TrainResult | None = None
    optimizer: Optimizer | None = field(default=None, repr=False)  # its state: where training stands
    history: History | None = field(default=None, repr=False)  # its checkpoints, once training starts
    _test_epochs: list[int] = field(default_factory=list, repr=False)  # the checkpoints tested so far
    _test_losses: list[float] = field(default_factory=list, repr=False)  # and their test losses

    @classmethod
    def create(
        cls, training: TrainingSpec, data: DataSpec, seed: int | None = None, loaded: Loaded | None = None
    ) -> Run:
        """Build the data and the starting network (``training``'s ``auto`` settings chosen for
        the data: ``TrainingSpec.resolved``): ``loaded``'s (whose sizes and activations
        replace ``training``'s, and whose seed, scaling and image shape give back the split and
        features it was trained with; in ``training``'s dtype if it was float64, see ``params.loaded_dtype``), else
        a new one from ``seed`` (random if None). ValueError or DataError if
        the data cannot be built; ParamsError if ``loaded`` does not fit it."""
        if loaded is None:
            seed = pick_seed(seed)
            train, test = data.prepare(seed)
            try:
                before, origin = training.build(train, seed), f"seed {seed}"
            except ValueError as error:
                raise SizeError(str(error)) from None
        else:
            saved_seed = loaded.training.get("seed")
            seed = pick_seed(seed if seed is not None else saved_seed)
            data = loaded.data(data)
            train, test = data.prepare(seed, loaded.scaling)
            check_fits(loaded.model, loaded.path, data.label, (train.n_inputs, train.n_outputs))
            dtype = loaded_dtype(loaded.model.dtype.name, training.dtype)
            before, origin = loaded.model.copy(dtype), f"loaded from {loaded.name}"
            training = replace(training, output=before.output_activation, loss=before.loss_name, dtype=dtype)
        return cls(training.resolved(train), data, seed, train, test, before, before.copy(), origin)

    def require_memory(self, **options: Any) -> None:
        """ValueError naming both figures if training this run would need more memory than
        there is; ``options`` go to ``memory.estimate_bytes`` (what else the face keeps)."""
        require_memory(estimate_bytes(self.before.layer_sizes, self.training, self.train, self.test, **options))

    def fit(self, *, keep_optimizer: bool = False, **options: Any) -> TrainResult:
        """Train ``model`` as specified, keeping its ``history``; ``options`` go to ``Trainer.run``
        (control, on_progress, …). With ``keep_optimizer`` (the app: ``next_step`` while paused)
        ``optimizer`` keeps its state; else it goes when training ends (Adam's and weight decay's
        arrays, as big as the network)."""
        self.history = History.planned(self.training.epochs, self.model.parameters())
        trainer = self.training.trainer(self.model, self.train, self.seed)
        if keep_optimizer:
            self.optimizer = trainer.optimizer
        self.result = trainer.run(self.training.epochs, history=self.history, **options)
        return self.result

    def with_parameters(self, parameters: np.ndarray) -> MLP:
        """A copy of the run's network holding ``parameters`` (a checkpoint's, a report's)."""
        return self.before.copy(parameters=parameters)

    def checkpoint(self, index: int) -> MLP:
        """The network at the history's checkpoint ``index`` (IndexError if there is none)."""
        if self.history is None or not -len(self.history) <= index < len(self.history):
            raise IndexError(f"no checkpoint {index}")
        return self.with_parameters(self.history.parameters[index])

    def at_epoch(self, epoch: float) -> tuple[MLP, int]:
        """The network at the checkpoint nearest ``epoch``, and that checkpoint's epoch (without
        checkpoints: the trained network and the epochs it ran)."""
        if self.history is not None and len(self.history):
            index = self.history.nearest(epoch)
            return self.checkpoint(index), self.history.epochs[index]
        return self.model.copy(), self.result.epochs_run if self.result is not None else 0

    def forget_checkpoints(self) -> None:
        """Free the history's parameters (memory for newer runs); the test curve stays."""
        self.test_curve()
        self.history = None

    def test_curve(self) -> tuple[list[int], list[float]]:
        """(epochs, test losses) at the checkpoints kept so far, each computed once; for a loss
        that sums over samples (sse), scaled to the training split's size so the two curves
        compare. Empty without a test split or a history."""
        if self.test is not None and self.history is not None:
            scale = 1.0 if self.before.loss_function.mean else len(self.train.X) / len(self.test.X)
            with np.errstate(all="ignore"):
                for index in range(len(self._test_epochs), len(self.history)):
                    self._test_losses.append(scale * self.checkpoint(index).loss(self.test.X, self.test.y))
                    self._test_epochs.append(self.history.epochs[index])
        return list(self._test_epochs), list(self._test_losses)

    def next_step(self, model: MLP, sample: int | None = None) -> Trace:
        """The step training takes next from ``model`` (the run's network as far as it has
        trained: exact while paused), traced (``MLP.trace``) on the training sample ``sample``
        (from 0) alone, or on all of them (None): with the optimizer's state as training left it
        (when ``fit`` keeps it), or as it starts. ValueError if the sample does not exist."""
        X, y = self.train.X, self.train.y
        if sample is not None:
            if not 0 <= sample < len(X):
                raise ValueError(f"sample {sample + 1} is not one of the {len(X)} training samples")
            X, y = X[sample], y[sample]
        optimizer = self.optimizer or self.training.trainer(self.before.copy(), self.train, self.seed).optimizer
        return model.trace(X, y, optimizer)

    def stuck(self, trained: MLP | None = None) -> Stuck | None:
        """Whether the ``trained`` network (default: ``model``) is stuck at chance with a
        flat loss (see ``core.diagnosis``); None until training has ended."""
        if self.result is None or self.result.reason is StopReason.DIVERGED:
            return None
        return diagnose(trained or self.model, self.train, self.result.losses)

    @property
    def final_loss(self) -> float:
        """The loss training ended with: the last epoch's, or, if no epoch ran (``--epochs 0``
        evaluates a network), the network's loss on the training data; NaN before it ends."""
        if self.result is None:
            return math.nan
        if self.result.epochs_run:
            return self.result.final_loss
        with np.errstate(all="ignore"):
            return self.model.loss(self.train.X, self.train.y)

    def trace(self, sample: int, step: int = 1) -> tuple[Trace, Optimizer]:
        """A step on the training sample ``sample`` (from 0) alone, traced (see ``MLP.trace``),
        after ``step − 1`` epochs of training as ``fit`` runs them, on a copy of ``before``.
        Returns the trace and the optimizer as it was before that step (ValueError if the
        sample or step does not exist, or training diverged before it)."""
        if not 0 <= sample < len(self.train.X):
            raise ValueError(f"sample {sample + 1} is not one of the {len(self.train.X)} training samples")
        if step < 1:
            raise ValueError(f"step must be 1 or more, not {step}")
        model = self.before.copy()
        trainer = self.training.trainer(model, self.train, self.seed)
        with np.errstate(all="ignore"):
            for epoch in range(1, step):
                if not (math.isfinite(trainer.epoch()) and trainer.finite()):
                    raise ValueError(f"training diverged at epoch {epoch}, before step {step}")
        return model.trace(self.train.X[sample], self.train.y[sample], trainer.optimizer), trainer.optimizer

    def scores(self, model: MLP | None = None) -> list[tuple[str, float]]:
        """Train and test accuracy (classification) or test loss of ``model`` (default: the trained one)."""
        with np.errstate(all="ignore"):
            return scores(model or self.model, self.train, self.test)

    def confusion(self, model: MLP | None = None) -> np.ndarray | None:
        """The confusion matrix of ``model`` (default: the trained one) on the test split (see
        ``metrics.test_confusion``); None without one, for regression or beyond MAX_CLASSES classes."""
        return test_confusion(model or self.model, self.test)

    def summary(self, trained: MLP | None = None) -> dict[str, str]:
        """The run's settings, how it ended and the ``trained`` network's scores, as
        labelled text (the settings block of a snapshot)."""
        training, model = self.training, self.before
        optimizer = training.optimizer + (f" ({training.momentum:g})" if training.optimizer == "momentum" else "")
        held_out = f", {len(self.test.X)} test" if self.test is not None else ""
        described = {
            "network": "-".join(map(str, model.layer_sizes)),
            "activation": f"{model.activation} hidden, {model.output_activation} output",
            "loss": model.loss_name,
            "data": self.data.label,
            "samples": f"{len(self.train.X)} training{held_out}",
            "optimizer": optimizer,
            "learning rate": f"{training.learning_rate:g}",
            "batch size": str(training.batch_size or "full batch"),
            "weight decay": f"{training.weight_decay:g}",
            "dtype": model.dtype.name,
            "seed": str(self.seed),
        }
        if self.result is not None:
            described |= {
                "epochs": f"{self.result.epochs_run:,} of {self.result.epochs:,}",
                "stopped": self.result.describe(),
                "final loss": format_loss(self.final_loss),
            }
        if trained is not None:
            described |= {name: format_score(name, value) for name, value in self.scores(trained)}
            if stuck := self.stuck(trained):
                described["warning"] = str(stuck)
        return described

    def record(self) -> dict[str, Any]:
        """What trained the network, as a parameter file's ``training`` section keeps it."""
        record = self.training.record() | self.data.record() | {"seed": self.seed}
        if self.result is not None:
            result = self.result
            record |= {"epochs": result.epochs_run, "final_loss": self.final_loss, "stopped": result.reason.value}
        if self.train.scaling is not None:
            mean, std = self.train.scaling
            record["scaling"] = {"mean": mean.tolist(), "std": std.tolist()}
        return record


def picture(model: MLP | None, train: Dataset, test: Dataset | None = None) -> str | None:
    """How a network can be drawn over its input space: ``"plane"`` (2 inputs: the decision
    boundary), ``"curve"`` (one numeric target on one input: the fitted curve over the data),
    ``"image"`` (the inputs are an image's pixels and there is a hidden layer: each hidden
    unit's incoming weights as an image), or None. ``model`` None: as the data alone allow."""
    inputs = {train.n_inputs} | ({test.n_inputs} if test is not None else set())
    if model is not None:
        inputs.add(model.layer_sizes[0])
    if inputs == {2}:
        return "plane"
    one_target = train.task == "regression" and train.n_outputs == 1
    if inputs == {1} and one_target and (model is None or model.layer_sizes[-1] == 1):
        return "curve"
    if train.image_shape is not None and len(inputs) == 1 and (model is None or model.n_layers > 1):
        return "image"
    return None


def planar(model: MLP, train: Dataset, test: Dataset | None = None) -> bool:
    """Whether a decision boundary can be drawn: the network and its data have 2 inputs."""
    return picture(model, train, test) == "plane"
