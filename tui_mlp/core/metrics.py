"""How well a network does on a dataset."""

from __future__ import annotations

import numpy as np

from .datasets import Dataset, label_indices
from .mlp import MLP


def accuracy(model: MLP, data: Dataset) -> float:
    """Fraction of samples whose predicted class (all outputs, for
    multi-output binary targets) is right; classification datasets only."""
    if not data.is_classification:
        raise ValueError(f"accuracy needs a classification dataset; {data.name!r} is regression")
    predicted = label_indices(model.forward(data.X), data.task)
    return float(np.mean(predicted == data.labels()))
