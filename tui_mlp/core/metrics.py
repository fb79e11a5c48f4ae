"""How well a network does on a dataset, and the formats its numbers are shown in
(these without NumPy: the status line shows them)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

    from .datasets import Dataset
    from .mlp import MLP


def accuracy(model: MLP, data: Dataset) -> float:
    """Fraction of samples whose predicted class (all outputs, for
    multi-output binary targets) is right; classification datasets only."""
    from .datasets import label_indices

    if not data.is_classification:
        raise ValueError(f"accuracy needs a classification dataset; {data.name!r} is regression")
    predicted = label_indices(model.forward(data.X), data.task)
    return float((predicted == data.labels()).mean())


def class_count(data: Dataset) -> int:
    """How many classes the labels of classification ``data`` can take: one per output for
    one-hot rows, every pattern of bits for binary outputs (2 for one output)."""
    return data.n_outputs if data.task == "multiclass" else 2**data.n_outputs


def class_names(data: Dataset) -> tuple[str, ...]:
    """The classes of ``data`` in label order: the names it gives them, else their numbers."""
    count = class_count(data)
    return data.classes if len(data.classes) == count else tuple(map(str, range(count)))


def confusion(model: MLP, data: Dataset) -> np.ndarray:
    """How many samples of each true class (row) ``model`` puts in each class (column),
    classes in label order (``class_names``): its diagonal holds the right answers, so
    ``trace / sum`` is the accuracy. Classification datasets of at most MAX_CLASSES classes."""
    import numpy as np

    from .csvdata import MAX_CLASSES
    from .datasets import label_indices

    if not data.is_classification:
        raise ValueError(f"a confusion matrix needs a classification dataset; {data.name!r} is regression")
    count = class_count(data)
    if count > MAX_CLASSES:
        raise ValueError(f"a confusion matrix of {count:,} classes is too big (at most {MAX_CLASSES})")
    predicted = label_indices(model.forward(data.X), data.task)
    return np.bincount(data.labels() * count + predicted, minlength=count * count).reshape(count, count)


def test_confusion(model: MLP, test: Dataset | None) -> np.ndarray | None:
    """``confusion`` of ``model`` on the ``test`` split; None without one, for regression or
    beyond MAX_CLASSES classes."""
    import numpy as np

    from .csvdata import MAX_CLASSES

    if test is None or not test.is_classification or class_count(test) > MAX_CLASSES:
        return None
    with np.errstate(all="ignore"):
        return confusion(model, test)


def scores(model: MLP, train: Dataset, test: Dataset | None) -> list[tuple[str, float]]:
    """Train and test accuracy for classification; test loss for regression."""
    if train.is_classification:
        found = [("train accuracy", accuracy(model, train))]
        return found + ([("test accuracy", accuracy(model, test))] if test is not None else [])
    return [("test loss", model.loss(test.X, test.y))] if test is not None else []


NO_LOSS = "–"  # what stands for a loss before there is one


def format_loss(value: float) -> str:
    """A loss as every view shows it: four significant digits (``0.003145``,
    ``9.817e-06``, ``1.235e+04``); ``–`` until there is one (NaN)."""
    return NO_LOSS if math.isnan(value) else f"{value:.4g}"


def format_seed_loss(value: float) -> str:
    """A loss as the seed script's end line printed it: six decimals (in scientific
    notation when huge): the contract of ``tui-mlp train``'s last line."""
    return f"{value:.6f}" if abs(value) < 1e12 else f"{value:.6e}"


def format_score(name: str, value: float) -> str:
    """Accuracies to three decimals; losses as ``format_loss`` shows them."""
    return f"{value:.3f}" if name.endswith("accuracy") else format_loss(value)


SHORT_NAMES = {"train accuracy": "train acc", "test accuracy": "test acc", "test loss": "test loss"}


def format_scores(found: list[tuple[str, float]], *, short: bool = False) -> list[str]:
    """Each score with its name, ``Train accuracy: 1.000``; with ``short``, as the
    status line shows it, ``train acc 1.000``."""
    if short:
        return [f"{SHORT_NAMES[name]} {format_score(name, value)}" for name, value in found]
    return [f"{name.capitalize()}: {format_score(name, value)}" for name, value in found]
