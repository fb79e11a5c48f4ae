"""Built-in datasets, their registry, and the train/test split.

A generator takes a seed (fixed datasets ignore it) and, for generated data,
``samples`` and ``noise``; it returns a ``Dataset``. ``register`` adds more.
``digits`` is read from a file shipped with the package (``data/digits.txt`` says
where it comes from and its licence).
"""

from __future__ import annotations

import gzip
import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache
from importlib.resources import files
from typing import Any

import numpy as np

from .choices import MAX_SAMPLES

DEFAULT_SAMPLES = 200
DEFAULT_NOISE = 0.1


MIN_IMAGE_SIDE = 4  # a table's features read as a square image from 4×4 pixels on


@dataclass(frozen=True)
class Dataset:
    """Inputs ``X`` (n, features) and targets ``y`` (n, outputs), float64.

    ``task`` is ``binary`` (each output a 0/1 label), ``multiclass`` (one-hot
    rows, ``classes`` names them) or ``regression``. ``scaling`` holds the
    (mean, std) the features were standardised with, if any; ``names``, for a CSV
    table, its feature columns' names and its outputs' (the classes, or the target columns).
    """

    name: str
    X: np.ndarray
    y: np.ndarray
    description: str
    task: str = "binary"
    classes: tuple[str, ...] = ()
    scaling: tuple[np.ndarray, np.ndarray] | None = None
    names: tuple[tuple[str, ...], tuple[str, ...]] | None = None  # a table's (input, output) names
    image: tuple[int, int] | None = None  # the inputs are an image of (rows, columns) pixels, row by row

    @property
    def image_shape(self) -> tuple[int, int] | None:
        """(rows, columns) if the inputs are an image's pixels: the data says so, or its
        feature count is a square of a side of ``MIN_IMAGE_SIDE`` or more (a table of 16, 64,
        784 pixels)."""
        if self.image is not None:
            return self.image
        side = math.isqrt(self.n_inputs)
        return (side, side) if side * side == self.n_inputs and side >= MIN_IMAGE_SIDE else None

    @property
    def n_inputs(self) -> int:
        return self.X.shape[1]

    @property
    def n_outputs(self) -> int:
        return self.y.shape[1]

    @property
    def is_classification(self) -> bool:
        return self.task != "regression"

    def labels(self) -> np.ndarray:
        """Class index per sample (multi-output binary targets: the row read as bits)."""
        return label_indices(self.y, self.task)

    def subset(self, index: np.ndarray, name: str) -> Dataset:
        return replace(self, name=name, X=self.X[index], y=self.y[index])


def label_indices(values: np.ndarray, task: str) -> np.ndarray:
    """Class index per row of targets or network outputs."""
    if task == "multiclass":
        return values.argmax(axis=1)
    bits = (values > 0.5).astype(np.int64)
    return bits @ (1 << np.arange(values.shape[1]))


def auto_objective(task: str, name: str = "") -> tuple[str, str]:
    """(output activation, loss) for ``auto``. The ``seed`` data keeps the seed script's
    sigmoid outputs and summed squared error. Other data gets a mean loss, which neither
    grows with the sample count nor drives the outputs into saturation: cross-entropy
    (softmax outputs for multi-class labels, sigmoid for binary ones), and for regression
    linear outputs with the mean squared error."""
    if name == "seed":
        return "sigmoid", "sse"
    objectives = {"multiclass": ("softmax", "cross_entropy"), "regression": ("linear", "mse")}
    return objectives.get(task, ("sigmoid", "cross_entropy"))


Generator = Callable[..., Dataset]
DATASETS: dict[str, Generator] = {}


def register(name: str) -> Callable[[Generator], Generator]:
    """Decorator adding a dataset generator to the registry under ``name``."""

    def add(generator: Generator) -> Generator:
        DATASETS[name] = generator
        return generator

    return add


def load_dataset(name: str, seed: int | None = None, **options: Any) -> Dataset:
    """The dataset called ``name``; ValueError naming the choices otherwise.
    ``options`` (``samples``, ``noise``) go to generators that take them."""
    try:
        generator = DATASETS[name]
    except KeyError:
        raise ValueError(f"unknown dataset {name!r} (choose from {', '.join(DATASETS)})") from None
    return generator(seed, **options)


def split(data: Dataset, test_fraction: float, seed: int | None) -> tuple[Dataset, Dataset | None]:
    """A seeded train/test split, stratified by class for classification.
    Every class keeps at least one training sample."""
    if not 0 <= test_fraction < 1:
        raise ValueError(f"test split {test_fraction} must be at least 0 and below 1")
    if test_fraction == 0:
        return data, None
    rng = np.random.default_rng(seed)
    groups = [np.flatnonzero(data.labels() == k) for k in np.unique(data.labels())] if data.is_classification else []
    groups = groups or [np.arange(len(data.X))]
    test = []
    for members in groups:
        count = min(round(len(members) * test_fraction), len(members) - 1)
        test.extend(rng.permutation(members)[:count])
    if not test:
        return data, None
    test_index = np.sort(np.array(test))
    train_index = np.setdiff1d(np.arange(len(data.X)), test_index)
    return data.subset(train_index, data.name), data.subset(test_index, f"{data.name} (test)")


@register("seed")
def seed_dataset(seed: int | None = None) -> Dataset:
    """The teaching script's four examples: 4 binary inputs, 2 binary outputs."""
    X = np.array([[1, 0, 0, 1], [0, 1, 1, 0], [1, 1, 0, 1], [0, 0, 1, 1]], dtype=np.float64)
    y = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)
    return Dataset("seed", X, y, "the seed script's 4 examples: 4 inputs, 2 outputs")


@register("xor")
def xor_dataset(seed: int | None = None) -> Dataset:
    """Exclusive or of two binary inputs."""
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)
    y = np.array([[0], [1], [1], [0]], dtype=np.float64)
    return Dataset("xor", X, y, "exclusive or: 2 inputs, 1 output")


def _class_sizes(samples: int, classes: int) -> list[int]:
    if not classes <= samples <= MAX_SAMPLES:
        raise ValueError(f"samples {samples} is outside {classes} to {MAX_SAMPLES:,}")
    return [samples // classes + (k < samples % classes) for k in range(classes)]


def _check_noise(noise: float) -> None:
    if not (np.isfinite(noise) and 0 <= noise <= 10):
        raise ValueError(f"noise {noise} is outside 0 to 10")


def _binary(name: str, parts: list[np.ndarray], description: str) -> Dataset:
    """Two classes of points: ``parts[k]`` holds class k's points."""
    X = np.concatenate(parts)
    y = np.concatenate([np.full((len(p), 1), float(k)) for k, p in enumerate(parts)])
    return Dataset(name, X, y, description, classes=("0", "1"))


@register("circle")
def circle_dataset(seed: int | None = None, samples: int = DEFAULT_SAMPLES, noise: float = DEFAULT_NOISE) -> Dataset:
    """Class 1 inside a disc of radius 0.5, class 0 on a ring from 0.7 to 1."""
    _check_noise(noise)
    rng = np.random.default_rng(seed)
    outer, inner = _class_sizes(samples, 2)

    def ring(count: int, low: float, high: float) -> np.ndarray:
        radius, angle = rng.uniform(low, high, count), rng.uniform(0, 2 * np.pi, count)
        points = np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])
        return points + rng.normal(0, noise / 2, points.shape)

    return _binary("circle", [ring(outer, 0.7, 1.0), ring(inner, 0.0, 0.5)], "2-D: a disc inside a ring")


@register("moons")
def moons_dataset(seed: int | None = None, samples: int = DEFAULT_SAMPLES, noise: float = DEFAULT_NOISE) -> Dataset:
    """Two interleaving half circles."""
    _check_noise(noise)
    rng = np.random.default_rng(seed)
    upper, lower = _class_sizes(samples, 2)
    t_up, t_low = rng.uniform(0, np.pi, upper), rng.uniform(0, np.pi, lower)
    moon_up = np.column_stack([np.cos(t_up), np.sin(t_up)])
    moon_low = np.column_stack([1 - np.cos(t_low), 0.5 - np.sin(t_low)])
    parts = [(m - [0.5, 0.25]) / 1.5 + rng.normal(0, noise / 2, m.shape) for m in (moon_up, moon_low)]
    return _binary("moons", parts, "2-D: two interleaving half moons")


@register("spiral")
def spiral_dataset(seed: int | None = None, samples: int = DEFAULT_SAMPLES, noise: float = DEFAULT_NOISE) -> Dataset:
    """Two spiral arms winding around each other."""
    _check_noise(noise)
    rng = np.random.default_rng(seed)
    parts = []
    for arm, count in enumerate(_class_sizes(samples, 2)):
        t = rng.uniform(0.05, 1.0, count)
        angle = 1.75 * 2 * np.pi * t + arm * np.pi
        points = np.column_stack([t * np.cos(angle), t * np.sin(angle)])
        parts.append(points + rng.normal(0, noise / 4, points.shape))
    return _binary("spiral", parts, "2-D: two spiral arms")


@register("gaussians")
def gaussians_dataset(seed: int | None = None, samples: int = DEFAULT_SAMPLES, noise: float = DEFAULT_NOISE) -> Dataset:
    """Three Gaussian blobs, one class each (one-hot targets)."""
    _check_noise(noise)
    rng = np.random.default_rng(seed)
    blobs, labels = [], []
    for k, count in enumerate(_class_sizes(samples, 3)):
        angle = np.pi / 2 + k * 2 * np.pi / 3
        centre = 0.55 * np.array([np.cos(angle), np.sin(angle)])
        blobs.append(centre + rng.normal(0, 0.15 + noise, (count, 2)))
        labels += [k] * count
    y = np.eye(3)[labels]
    return Dataset("gaussians", np.concatenate(blobs), y, "2-D: three Gaussian blobs", "multiclass", ("a", "b", "c"))


@register("sine")
def sine_dataset(seed: int | None = None, samples: int = DEFAULT_SAMPLES, noise: float = DEFAULT_NOISE) -> Dataset:
    """Regression: y = sin(πx) + noise for x in [-1, 1]."""
    _check_noise(noise)
    _class_sizes(samples, 1)
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(-1, 1, samples))
    y = np.sin(np.pi * x) + rng.normal(0, noise, samples)
    return Dataset("sine", x[:, None], y[:, None], "1-D regression: a noisy sine", "regression")


DIGITS_SIDE = 8  # the images are 8×8 pixels, each 0..16


@cache
def _digits_table() -> np.ndarray:
    """The shipped table, read once (read-only): 64 pixels a row, then the digit."""
    with gzip.open(files(__package__).joinpath("data", "digits.csv.gz").open("rb"), "rt") as text:
        table = np.loadtxt(text, delimiter=",", ndmin=2)
    table.flags.writeable = False
    return table


@register("digits")
def digits_dataset(seed: int | None = None) -> Dataset:
    """The UCI optical handwritten digits: 1,797 images of 8×8 pixels (0..16), ten classes.
    The pixels are not scaled here: ``DataSpec.prepare`` standardises them as a CSV table's."""
    table = _digits_table()
    X, digit = table[:, :-1].copy(), table[:, -1].astype(np.int64)
    inputs = tuple(f"px{row}_{col}" for row in range(DIGITS_SIDE) for col in range(DIGITS_SIDE))
    classes = tuple(map(str, range(10)))
    description = "8×8 images of handwritten digits (UCI, CC BY 4.0)"
    return Dataset(
        "digits",
        X,
        np.eye(10)[digit],
        description,
        "multiclass",
        classes,
        names=(inputs, classes),
        image=(DIGITS_SIDE, DIGITS_SIDE),
    )
