"""What to learn: the data a run trains and tests on, built the same way by
the command line and the app so the same settings give the same numbers."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from .csvdata import DataError, load_csv, standardise
from .datasets import Dataset, auto_objective, load_dataset, split
from .metrics import format_score, scores
from .mlp import MLP
from .optimizers import DEFAULT_MOMENTUM
from .trainer import TrainResult, train

FIXED_DATASETS = ("seed", "xor")  # too small to hold samples back for testing
DEFAULT_TEST_SPLIT = 0.2


@dataclass(frozen=True)
class DataSpec:
    """A built-in dataset by name, or a CSV file with its target columns."""

    dataset: str = "seed"
    csv_file: str | None = None
    targets: tuple[str, ...] = ()
    samples: int | None = None
    noise: float | None = None
    test_split: float | None = None  # None: 0.2, or 0 for the fixed datasets

    @property
    def label(self) -> str:
        return f"{self.csv_file} → {','.join(self.targets)}" if self.csv_file else self.dataset

    def record(self) -> dict[str, Any]:
        """The settings as saved in a parameter file's ``training`` section."""
        if self.csv_file:
            return {"data": self.csv_file, "targets": list(self.targets)}
        return {"dataset": self.dataset} | {
            k: v for k, v in (("samples", self.samples), ("noise", self.noise)) if v is not None
        }


def prepare_data(
    spec: DataSpec, seed: int | None, scaling: tuple[np.ndarray, np.ndarray] | None = None
) -> tuple[Dataset, Dataset | None]:
    """The (train, test) datasets for ``spec``; test is None without a split.
    CSV features are standardised with the training rows' statistics, or with
    ``scaling`` (from a parameter file) when given. Raises ValueError or
    ``DataError``."""
    if spec.csv_file:
        data = _read_csv(spec.csv_file, spec.targets)
    else:
        options = {k: v for k, v in (("samples", spec.samples), ("noise", spec.noise)) if v is not None}
        if options and spec.dataset in FIXED_DATASETS:
            raise ValueError(f"dataset {spec.dataset!r} is fixed; --samples and --noise do not apply")
        data = load_dataset(spec.dataset, seed, **options)
    fraction = spec.test_split
    if fraction is None:
        fraction = 0.0 if not spec.csv_file and spec.dataset in FIXED_DATASETS else DEFAULT_TEST_SPLIT
    if spec.csv_file and scaling is not None and len(scaling[0]) != data.n_inputs:
        raise DataError(f"{spec.csv_file}: {data.n_inputs} feature columns, but the network expects {len(scaling[0])}")
    train, test = split(data, fraction, seed)
    if spec.csv_file:
        train, test = standardise(train, test, scaling=scaling)
    return train, test


def _read_csv(path: str, targets: tuple[str, ...]) -> Dataset:
    """``load_csv``, parsed once per version of the file: the app reads the same
    table to check the fields, to preview it and to train (100,000 rows take 0.6 s)."""
    try:
        stat = os.stat(path)
    except (OSError, ValueError):
        return load_csv(path, targets)  # which says why it cannot be read
    return _parsed_csv(path, tuple(targets), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=2)
def _parsed_csv(path: str, targets: tuple[str, ...], mtime_ns: int, size: int) -> Dataset:
    """The parsed table; ``mtime_ns`` and ``size`` tell versions of the file apart."""
    data = load_csv(path, targets)
    for array in (data.X, data.y):
        array.flags.writeable = False  # shared by every later read of the file
    return data


@dataclass(frozen=True)
class TrainingSpec:
    """How to build and train a network: everything but the data and the seed.

    ``output`` and ``loss`` may be ``auto``: chosen from the data's task (see
    ``datasets.auto_objective``).
    """

    hidden: tuple[int, ...] = (5,)
    activation: str = "sigmoid"
    output: str = "auto"
    loss: str = "auto"
    epochs: int = 10_000
    learning_rate: float = 0.1
    optimizer: str = "gd"
    momentum: float = DEFAULT_MOMENTUM
    batch_size: int | None = None
    weight_decay: float = 0.0

    def objective(self, data: Dataset) -> tuple[str, str]:
        """(output activation, loss) for ``data``, resolving ``auto`` (an auto
        output suits a chosen cross-entropy loss)."""
        output, loss = auto_objective(data.task)
        loss = loss if self.loss == "auto" else self.loss
        if self.output != "auto":
            output = self.output
        elif loss == "cross_entropy" and output != "softmax":
            output = "sigmoid"
        return output, loss

    def build(self, data: Dataset, seed: int | None) -> MLP:
        """A fresh network sized for ``data``, initialised from ``seed``."""
        output, loss = self.objective(data)
        sizes = (data.n_inputs, *self.hidden, data.n_outputs)
        return MLP(sizes, self.activation, seed, output_activation=output, loss=loss)

    def train(self, model: MLP, data: Dataset, seed: int | None, **options: Any) -> TrainResult:
        """Train ``model`` on ``data`` as specified; ``options`` go to ``trainer.train``
        (control, on_progress, progress_every, progress_seconds)."""
        return train(
            model,
            data.X,
            data.y,
            self.epochs,
            self.learning_rate,
            batch_size=self.batch_size,
            shuffle_seed=seed,
            optimizer=self.optimizer,
            momentum=self.momentum,
            weight_decay=self.weight_decay,
            **options,
        )

    def record(self) -> dict[str, Any]:
        """The settings as saved in a parameter file's ``training`` section."""
        return {
            "hidden": list(self.hidden),
            "epochs": self.epochs,
            "learning_rate": self.learning_rate,
            "optimizer": self.optimizer,
            "momentum": self.momentum,
            "batch_size": self.batch_size,
            "weight_decay": self.weight_decay,
        }


def summary(
    model: MLP,
    training: TrainingSpec,
    data: DataSpec,
    train_data: Dataset,
    test_data: Dataset | None,
    seed: int | None,
    result: TrainResult | None = None,
    trained: MLP | None = None,
) -> dict[str, str]:
    """A run's settings, how it ended (``result``) and the ``trained`` network's
    scores, as labelled text (the settings block of a snapshot)."""
    optimizer = training.optimizer + (f" ({training.momentum:g})" if training.optimizer == "momentum" else "")
    held_out = f", {len(test_data.X)} test" if test_data is not None else ""
    described = {
        "network": "-".join(map(str, model.layer_sizes)),
        "activation": f"{model.activation} hidden, {model.output_activation} output",
        "loss": model.loss_name,
        "data": data.label,
        "samples": f"{len(train_data.X)} training{held_out}",
        "optimizer": optimizer,
        "learning rate": f"{training.learning_rate:g}",
        "batch size": str(training.batch_size or "full batch"),
        "weight decay": f"{training.weight_decay:g}",
        "seed": str(seed),
    }
    if result is not None:
        described |= {
            "epochs": f"{result.epochs_run:,} of {result.epochs:,}",
            "stopped": result.describe(),
            "final loss": format_score("loss", result.final_loss),
        }
    if trained is not None:
        with np.errstate(all="ignore"):
            described |= {name: format_score(name, value) for name, value in scores(trained, train_data, test_data)}
    return described


def pick_seed(seed: int | None) -> int:
    """``seed``, or a fresh random one to show the person so the run can be repeated."""
    return seed if seed is not None else secrets.randbelow(2**32)


def training_record(
    training: TrainingSpec, data: DataSpec, seed: int | None, train_data: Dataset, result: TrainResult | None
) -> dict[str, Any]:
    """What trained a network, as a parameter file's ``training`` section keeps it."""
    record = training.record() | data.record() | {"seed": seed}
    if result is not None:
        record |= {"epochs": result.epochs_run, "final_loss": result.final_loss, "stopped": result.reason.value}
    if train_data.scaling is not None:
        mean, std = train_data.scaling
        record["scaling"] = {"mean": mean.tolist(), "std": std.tolist()}
    return record
