"""What a run is asked to do: ``TrainingSpec`` (the network and its training) and
``DataSpec`` (the data). Every default is written once, here; the command line's
flags and the app's fields start from these values.

The specs load NumPy and the engine only when they build something (data, a network,
a trainer): reading flags and drawing the app's first screen do without them."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from .choices import DEFAULT_ACTIVATION, DEFAULT_DTYPE, DEFAULT_MOMENTUM
from .echo import counted
from .errors import DataError

if TYPE_CHECKING:
    import numpy as np

    from .datasets import Dataset
    from .mlp import MLP
    from .trainer import Trainer, TrainResult

FIXED_DATASETS = ("seed", "xor", "digits")  # not generated: --samples and --noise do not apply
UNSPLIT_DATASETS = ("seed", "xor")  # too small to hold samples back for testing
STANDARDISED_DATASETS = ("digits",)  # raw features, standardised as a CSV table's are
IMAGE_DATASETS = ("digits",)  # their inputs are an image's pixels: an image shape may be given for them
DEFAULT_TEST_SPLIT = 0.2
AUTO = "auto"
SUMMED_RATE, MEAN_RATE, ADAM_RATE = 0.1, 1.0, 0.01  # the auto learning rates (see ``auto_learning_rate``)
AUTO_RATE_RULE = "0.1 for gd with the summed loss, 1 with a mean loss, 0.01 for adam"  # for help texts
AUTO_OPTIMIZER_RULE = "gd with the summed loss, adam with a mean loss"
DEFAULT_EPOCHS = 10_000  # the seed script's
# Datasets that ``auto`` trains for fewer epochs: full batches of digits with adam at 0.01 reach their
# best test accuracy (0.97, scikit-learn's MLPClassifier's) by epoch 300 and keep it; 10,000 would take
# 33 times as long (15 s at --hidden 64, 50 s at 300) and learn nothing more.
DATASET_EPOCHS = {"digits": 300}
AUTO_EPOCHS_RULE = f"{DEFAULT_EPOCHS}, " + ", ".join(f"{n} for {name}" for name, n in DATASET_EPOCHS.items())


def auto_epochs(dataset: str) -> int:
    """The epochs ``auto`` (no number given) trains the dataset called ``dataset`` for."""
    return DATASET_EPOCHS.get(dataset, DEFAULT_EPOCHS)


def auto_learning_rate(optimizer: str, loss: str, momentum: float = DEFAULT_MOMENTUM) -> float:
    """The learning rate ``auto`` picks: 0.01 for adam (its steps do not scale with the
    gradient); for gradient descent the seed script's 0.1 with the summed loss, and 1 with
    a mean loss, whose gradient is the summed one's divided by the sample count; momentum
    takes that times (1 - momentum), as its steps add up to 1 / (1 - momentum) of one."""
    if optimizer == "adam":
        return ADAM_RATE
    rate = SUMMED_RATE if loss == "sse" else MEAN_RATE
    return rate * (1 - momentum) if optimizer == "momentum" else rate


@dataclass(frozen=True)
class TrainingSpec:
    """How to build and train a network: everything but the data and the seed.

    ``output``, ``loss``, ``optimizer``, ``learning_rate`` and ``epochs`` (None) may be
    ``auto``: chosen from the data (see ``resolved``). On the seed data the defaults are the
    seed script's: sigmoid, summed squared error, gradient descent at 0.1, 10,000 epochs,
    float64. ``dtype`` is the network's and its training's number type (``choices.DTYPES``).
    """

    hidden: tuple[int, ...] = (5,)
    activation: str = DEFAULT_ACTIVATION
    output: str = AUTO
    loss: str = AUTO
    epochs: int | None = None  # None: auto (``auto_epochs``)
    learning_rate: float | None = None  # None: auto
    optimizer: str = AUTO
    momentum: float = DEFAULT_MOMENTUM
    batch_size: int | None = None
    weight_decay: float = 0.0
    dtype: str = DEFAULT_DTYPE

    def objective(self, data: Dataset) -> tuple[str, str]:
        """(output activation, loss) for ``data``, resolving ``auto`` (an auto
        output suits a chosen cross-entropy loss)."""
        from .datasets import auto_objective

        output, loss = auto_objective(data.task, data.name)
        loss = loss if self.loss == AUTO else self.loss
        if self.output != AUTO:
            output = self.output
        elif loss == "cross_entropy" and output != "softmax":
            output = "sigmoid"
        return output, loss

    def resolved(self, data: Dataset) -> TrainingSpec:
        """This spec with every ``auto`` chosen for ``data``: the objective (``objective``),
        gradient descent with the summed loss and adam with a mean one, the learning
        rate (``auto_learning_rate``) and the epochs (``auto_epochs``)."""
        output, loss = self.objective(data)
        optimizer = self.optimizer if self.optimizer != AUTO else ("gd" if loss == "sse" else "adam")
        rate = self.learning_rate
        if rate is None:
            rate = auto_learning_rate(optimizer, loss, self.momentum)
        epochs = self.epochs if self.epochs is not None else auto_epochs(data.name)
        return replace(self, output=output, loss=loss, optimizer=optimizer, learning_rate=rate, epochs=epochs)

    def build(self, data: Dataset, seed: int | None) -> MLP:
        """A fresh network sized for ``data``, initialised from ``seed``."""
        from .mlp import MLP

        spec = self.resolved(data)
        sizes = (data.n_inputs, *spec.hidden, data.n_outputs)
        return MLP(sizes, spec.activation, seed, output_activation=spec.output, loss=spec.loss, dtype=spec.dtype)

    def train(self, model: MLP, data: Dataset, seed: int | None, **options: Any) -> TrainResult:
        """Train ``model`` on ``data`` as specified; ``options`` go to ``Trainer.run``
        (control, on_progress, progress_every, progress_seconds)."""
        return self.trainer(model, data, seed).run(self.resolved(data).epochs, **options)

    def trainer(self, model: MLP, data: Dataset, seed: int | None) -> Trainer:
        """A ``Trainer`` that takes the steps ``train`` would take, one at a time."""
        from .trainer import Trainer

        spec = self.resolved(data)
        return Trainer(
            model,
            data.X,
            data.y,
            spec.learning_rate,
            batch_size=spec.batch_size,
            shuffle_seed=seed,
            optimizer=spec.optimizer,
            momentum=spec.momentum,
            weight_decay=spec.weight_decay,
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


@dataclass(frozen=True)
class DataSpec:
    """A built-in dataset by name, or a CSV file with its target columns."""

    dataset: str = "seed"
    csv_file: str | None = None
    targets: tuple[str, ...] = ()
    samples: int | None = None
    noise: float | None = None
    test_split: float | None = None  # None: DEFAULT_TEST_SPLIT, or 0 for the unsplit datasets
    image_shape: tuple[int, int] | None = None  # the features are an image of (rows, columns) pixels

    @property
    def label(self) -> str:
        return f"{self.csv_file} → {','.join(self.targets)}" if self.csv_file else self.dataset

    @property
    def may_be_image(self) -> bool:
        """Whether an image shape may be given for this data: a CSV table or an image dataset."""
        return bool(self.csv_file) or self.dataset in IMAGE_DATASETS

    def image_refusal(self) -> str | None:
        """Why ``image_shape`` cannot apply to this data before it is read (a built-in dataset
        that is not an image), or None."""
        if self.image_shape is None or self.may_be_image:
            return None
        return f"applies to CSV tables and digits; dataset {self.dataset!r} is not an image"

    def drawn_as(self, shape: tuple[int, int] | None) -> DataSpec:
        """This data read as images of ``shape`` (a loaded network's, say) unless it has a shape
        of its own or cannot be an image."""
        if shape is None or self.image_shape is not None or not self.may_be_image:
            return self
        return replace(self, image_shape=shape)

    def record(self) -> dict[str, Any]:
        """The settings as saved in a parameter file's ``training`` section."""
        split = {"test_split": self.test_split} if self.test_split is not None else {}
        image = {} if self.image_shape is None else {"image_shape": list(self.image_shape)}
        if self.csv_file:
            return {"data": self.csv_file, "targets": list(self.targets)} | split | image
        return (
            {"dataset": self.dataset}
            | split
            | {k: v for k, v in (("samples", self.samples), ("noise", self.noise)) if v is not None}
            | image
        )

    def prepare(
        self, seed: int | None, scaling: tuple[np.ndarray, np.ndarray] | None = None
    ) -> tuple[Dataset, Dataset | None]:
        """The (train, test) datasets; test is None without a split. CSV features are
        standardised with the training rows' statistics, or with ``scaling`` (from a
        parameter file) when given; so are a built-in dataset's raw features (digits).
        Raises ValueError or ``DataError``."""
        from .csvdata import cached_csv, standardise
        from .datasets import load_dataset, split

        if self.csv_file:
            data = cached_csv(self.csv_file, self.targets)
        else:
            options = {k: v for k, v in (("samples", self.samples), ("noise", self.noise)) if v is not None}
            if options and self.dataset in FIXED_DATASETS:
                raise ValueError(f"dataset {self.dataset!r} is fixed; --samples and --noise do not apply")
            data = load_dataset(self.dataset, seed, **options)
        data = self._as_image(data)
        fraction = self.test_split
        if fraction is None:
            fraction = 0.0 if not self.csv_file and self.dataset in UNSPLIT_DATASETS else DEFAULT_TEST_SPLIT
        standardised = bool(self.csv_file) or self.dataset in STANDARDISED_DATASETS
        if standardised and scaling is not None and len(scaling[0]) != data.n_inputs:
            raise DataError(
                f"{self.csv_file or self.dataset}: {counted(data.n_inputs, 'feature column')}, "
                f"but the network expects {len(scaling[0])}"
            )
        train_data, test_data = split(data, fraction, seed)
        if standardised:
            train_data, test_data = standardise(train_data, test_data, scaling=scaling)
        return train_data, test_data

    def _as_image(self, data: Dataset) -> Dataset:
        """``data`` whose features are images of ``image_shape``, if one is given (ValueError
        if the data cannot be an image, or the shape's pixels are not its features)."""
        if self.image_shape is None:
            return data
        if refusal := self.image_refusal():
            raise ValueError(f"--image-shape {refusal}")
        rows, columns = self.image_shape
        if rows * columns != data.n_inputs:
            raise ValueError(
                f"--image-shape {rows},{columns} is {counted(rows * columns, 'pixel')}, but "
                f"{self.csv_file or self.dataset} has {counted(data.n_inputs, 'feature')}"
            )
        return replace(data, image=self.image_shape)


@dataclass(frozen=True)
class Settings:
    """Everything a person chooses for a run; ``seed=None`` picks a new random seed each run."""

    training: TrainingSpec = TrainingSpec()
    data: DataSpec = DataSpec()
    seed: int | None = None


def pick_seed(seed: int | None) -> int:
    """``seed``, or a fresh random one to show the person so the run can be repeated."""
    return seed if seed is not None else secrets.randbelow(2**32)
