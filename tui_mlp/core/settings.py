"""Parsing and validating the training settings a person types, shared by the
command line and the app. Each parser returns the value or raises ValueError
with a message that reads well after the field's name."""

from __future__ import annotations

import math
import re

from .activations import HIDDEN_ACTIVATIONS
from .mlp import MAX_LAYER_SIZE, MAX_LAYERS

MAX_EPOCHS = 10_000_000
MAX_LEARNING_RATE = 1e6
DEFAULT_HIDDEN = (5,)
DEFAULT_EPOCHS = 10_000
DEFAULT_LEARNING_RATE = 0.1
DEFAULT_ACTIVATION = "sigmoid"
DEFAULT_DATASET = "seed"

_INT = re.compile(r"[+-]?\d+")


def _whole(text: str, what: str) -> int:
    text = text.strip().replace("_", "")
    if not text:
        raise ValueError(f"{what} is empty")
    if not _INT.fullmatch(text):
        raise ValueError(f"{what} {text!r} is not a whole number")
    return int(text)


def parse_hidden(text: str) -> tuple[int, ...]:
    """Hidden layer sizes: ``5`` (one layer) or ``8,4`` (one size per layer)."""
    parts = text.split(",")
    if not text.strip():
        raise ValueError(f"enter a size such as 5, or sizes such as 8,4 (1 to {MAX_LAYER_SIZE:,} each)")
    if len(parts) > MAX_LAYERS - 2:
        raise ValueError(f"at most {MAX_LAYERS - 2} hidden layers")
    sizes = []
    for part in parts:
        if not part.strip():
            raise ValueError(f"{text.strip()!r} has an empty size between commas")
        size = _whole(part, "size")
        if not 1 <= size <= MAX_LAYER_SIZE:
            raise ValueError(f"size {size} is outside 1 to {MAX_LAYER_SIZE:,}")
        sizes.append(size)
    return tuple(sizes)


def parse_epochs(text: str) -> int:
    """A number of epochs from 1 to ``MAX_EPOCHS``."""
    epochs = _whole(text, "epochs")
    if not 1 <= epochs <= MAX_EPOCHS:
        raise ValueError(f"epochs {epochs} is outside 1 to {MAX_EPOCHS:,}")
    return epochs


def parse_learning_rate(text: str) -> float:
    """A positive, finite learning rate up to ``MAX_LEARNING_RATE``."""
    try:
        rate = float(text.strip())
    except ValueError:
        raise ValueError(f"learning rate {text.strip()!r} is not a number") from None
    if not math.isfinite(rate) or not 0 < rate <= MAX_LEARNING_RATE:
        raise ValueError(f"learning rate {text.strip()} must be above 0 and at most {MAX_LEARNING_RATE:g}")
    return rate


def parse_seed(text: str) -> int:
    """A random seed: a whole number from 0 to 2**32 - 1."""
    seed = _whole(text, "seed")
    if seed >= 2**32:
        raise ValueError(f"seed {seed} is larger than {2**32 - 1}")
    return seed


def parse_activation(text: str) -> str:
    """One of the hidden-layer activations."""
    name = text.strip().lower().replace("-", "_")
    if name not in HIDDEN_ACTIVATIONS:
        raise ValueError(f"activation {text.strip()!r} is not one of {', '.join(HIDDEN_ACTIVATIONS)}")
    return name
