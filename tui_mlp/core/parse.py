"""Parsing and validating the training settings a person types, shared by the
command line and the app. Each parser returns the value or raises ValueError
with a message that reads well after the field's name."""

from __future__ import annotations

import math
import re

from .choices import HIDDEN_ACTIVATIONS, MAX_LAYER_SIZE, MAX_LAYERS, MAX_SAMPLES
from .echo import quoted, shown

MAX_EPOCHS = 10_000_000
MAX_LEARNING_RATE = 1e6
MAX_SESSIONS = 64

_INT = re.compile(r"[+-]?[0-9]+")  # ASCII digits only: \d (and int, float) also take ８ and ५
FULL_BATCH = "full"  # a batch size that means every sample
RANDOM_SEED = "random"  # a seed that means a new random one each run
MAX_DIGITS = 20  # more than any setting allows; Python refuses to convert more than 4,300
SHOWN_CHARS = 20  # what a message repeats of the text a person typed, at most (and an ellipsis)


def _shown(text: str) -> str:
    return shown(text, SHOWN_CHARS)


def _quoted(text: str) -> str:
    return quoted(text, SHOWN_CHARS)


def _other_digits(text: str, what: str, kind: str) -> None:
    """ValueError if ``text`` writes a digit otherwise than 0-9 (``８``, ``५``)."""
    if any(char.isdigit() and not char.isascii() for char in text):
        raise ValueError(f"{what} {_quoted(text)} is not {kind}: write its digits as 0-9")


def _whole(text: str, what: str) -> int:
    text = text.strip().replace("_", "")
    if not text:
        raise ValueError(f"{what} is empty")
    if not _INT.fullmatch(text):
        _other_digits(text, what, "a whole number")
        raise ValueError(f"{what} {_quoted(text)} is not a whole number")
    digits = text.lstrip("+-")
    if len(digits.lstrip("0")) > MAX_DIGITS:
        raise ValueError(f"{what} {_shown(text)} is too {'small' if text.startswith('-') else 'large'}")
    if len(digits) > MAX_DIGITS:
        raise ValueError(f"{what} {_shown(text)} has too many digits")
    return int(text)


def _whole_in(text: str, what: str, low: int, high: int) -> int:
    """A whole number from ``low`` to ``high``."""
    value = _whole(text, what)
    if not low <= value <= high:
        raise ValueError(f"{what} {value} is outside {low:,} to {high:,}")
    return value


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
            raise ValueError(f"{_quoted(text.strip())} has an empty size between commas")
        size = _whole(part, "size")
        if not 1 <= size <= MAX_LAYER_SIZE:
            raise ValueError(f"size {size} is outside 1 to {MAX_LAYER_SIZE:,}")
        sizes.append(size)
    return tuple(sizes)


def parse_epochs(text: str) -> int:
    """A number of epochs from 0 (evaluate a network without training it) to ``MAX_EPOCHS``."""
    return _whole_in(text, "epochs", 0, MAX_EPOCHS)


def _float(text: str, what: str) -> float:
    """A number as Python writes one, with the digits 0-9 only."""
    text = text.strip()
    _other_digits(text, what, "a number")
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"{what} {_quoted(text)} is not a number") from None


def parse_learning_rate(text: str) -> float:
    """A positive, finite learning rate up to ``MAX_LEARNING_RATE``."""
    rate = _float(text, "learning rate")
    if not math.isfinite(rate) or not 0 < rate <= MAX_LEARNING_RATE:
        raise ValueError(f"learning rate {_shown(text.strip())} must be above 0 and at most {MAX_LEARNING_RATE:g}")
    return rate


def parse_seed(text: str) -> int | None:
    """A random seed: a whole number from 0 to 2**32 - 1, or ``random`` (None: a new one each run)."""
    if text.strip().lower() == RANDOM_SEED:
        return None
    seed = _whole(text, "seed")
    if seed < 0:
        raise ValueError(f"seed {seed} is negative")
    if seed >= 2**32:
        raise ValueError(f"seed {seed} is larger than {2**32 - 1}")
    return seed


def parse_activation(text: str) -> str:
    """One of the hidden-layer activations."""
    name = text.strip().lower().replace("-", "_")
    if name not in HIDDEN_ACTIVATIONS:
        raise ValueError(f"activation {_quoted(text.strip())} is not one of {', '.join(HIDDEN_ACTIVATIONS)}")
    return name


def _number(text: str, what: str, low: float, high: float, *, include_low: bool = True) -> float:
    """A finite number in [low, high] (or (low, high] without ``include_low``)."""
    value = _float(text, what)
    above = value >= low if include_low else value > low
    if not (math.isfinite(value) and above and value <= high):
        bracket = "[" if include_low else "("
        raise ValueError(f"{what} {_shown(text.strip())} is outside {bracket}{low:g}, {high:g}]")
    return value + 0.0  # "-0" is 0: NumPy refuses a noise scale of -0.0


def parse_test_split(text: str) -> float:
    """The fraction of samples held out for testing: 0 to 0.9."""
    return _number(text, "test split", 0.0, 0.9)


def parse_auto_learning_rate(text: str) -> float | None:
    """``auto`` (None: chosen for the data and optimizer, see ``specs.auto_learning_rate``) or a learning rate."""
    return None if text.strip().lower() == "auto" else parse_learning_rate(text)


def parse_noise(text: str) -> float:
    """Noise level of a generated dataset: 0 to 10."""
    return _number(text, "noise", 0.0, 10.0)


def parse_momentum(text: str) -> float:
    """Momentum coefficient: 0 to 0.999."""
    return _number(text, "momentum", 0.0, 0.999)


def parse_weight_decay(text: str) -> float:
    """L2 weight decay: 0 to 10."""
    return _number(text, "weight decay", 0.0, 10.0)


def parse_batch_size(text: str) -> int | None:
    """Mini-batch size: 1 to ``MAX_SAMPLES``, or ``full`` (None: every sample at once)."""
    if text.strip().lower() == FULL_BATCH:
        return None
    return _whole_in(text, "batch size", 1, MAX_SAMPLES)


def parse_samples(text: str) -> int:
    """Number of samples of a generated dataset: 4 to ``MAX_SAMPLES``."""
    return _whole_in(text, "samples", 4, MAX_SAMPLES)


def parse_sample(text: str) -> int:
    """A sample's number, counting from 1: 1 to ``MAX_SAMPLES``."""
    return _whole_in(text, "sample", 1, MAX_SAMPLES)


def parse_step(text: str) -> int:
    """A training step's number, counting from 1: 1 to ``MAX_EPOCHS``."""
    return _whole_in(text, "step", 1, MAX_EPOCHS)


def parse_width(text: str) -> int:
    """A drawing width in columns: 40 to 1000."""
    return _whole_in(text, "width", 40, 1000)


def parse_port(text: str) -> int:
    """A TCP port: 1 to 65535."""
    return _whole_in(text, "port", 1, 65535)


def parse_sessions(text: str) -> int:
    """How many browsers ``serve`` takes at once: 1 to ``MAX_SESSIONS``."""
    return _whole_in(text, "sessions", 1, MAX_SESSIONS)


def parse_image_shape(text: str) -> tuple[int, int]:
    """An image's rows and columns of pixels, ``28,28`` or ``2,8``: whole numbers from 1, at
    most ``MAX_LAYER_SIZE`` pixels in all (a network's most inputs)."""
    parts = text.split(",")
    if len(parts) != 2 or not all(part.strip() for part in parts):
        raise ValueError(f"image shape {_quoted(text.strip())} is not rows,columns such as 28,28")
    rows, columns = (_whole_in(part, "image side", 1, MAX_LAYER_SIZE) for part in parts)
    if rows * columns > MAX_LAYER_SIZE:
        raise ValueError(f"image shape {rows},{columns} has {rows * columns:,} pixels, more than {MAX_LAYER_SIZE:,}")
    return rows, columns


def parse_columns(text: str) -> tuple[str, ...]:
    """Column names separated by commas."""
    names = tuple(name.strip() for name in text.split(","))
    if not all(names):
        raise ValueError(f"{_quoted(text.strip())} has an empty column name")
    return names
