"""Built-in datasets and their registry.

Each generator takes a seed (ignored by fixed datasets) and returns a
``Dataset``; ``register`` adds more.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Dataset:
    """Inputs ``X`` (n, features) and targets ``y`` (n, outputs), float64."""

    name: str
    X: np.ndarray
    y: np.ndarray
    description: str

    @property
    def n_inputs(self) -> int:
        return self.X.shape[1]

    @property
    def n_outputs(self) -> int:
        return self.y.shape[1]


Generator = Callable[[int | None], Dataset]
DATASETS: dict[str, Generator] = {}


def register(name: str) -> Callable[[Generator], Generator]:
    """Decorator adding a dataset generator to the registry under ``name``."""

    def add(generator: Generator) -> Generator:
        DATASETS[name] = generator
        return generator

    return add


def load_dataset(name: str, seed: int | None = None) -> Dataset:
    """The dataset called ``name``; ValueError naming the choices otherwise."""
    try:
        generator = DATASETS[name]
    except KeyError:
        raise ValueError(f"unknown dataset {name!r} (choose from {', '.join(DATASETS)})") from None
    return generator(seed)


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
