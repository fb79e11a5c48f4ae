"""Telling a run that got stuck from one that learned, and saying what to change.

A run is stuck when, after training, it does no better than chance (the most
common class's share, or for regression predicting the mean) and its loss has
stopped moving. The likely cause is named: outputs saturated at 0 or 1 (a
summed loss or a large learning rate pushed them there, where the gradient
vanishes), or a gradient that is otherwise almost zero.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .datasets import Dataset
from .metrics import accuracy
from .mlp import MLP

MIN_EPOCHS = 100  # fewer epochs than this are too early to judge
CHANCE_MARGIN = 0.02  # accuracy within this of chance is chance
MIN_R2 = 0.05  # regression explaining less of the variance than this is no better than the mean
FLAT = 1e-3  # the loss fell by less than this fraction over the second half of training
SATURATED = 1e-4  # an output this close to 0 or 1 is saturated
SATURATED_SHARE = 0.9  # ... and this share of all outputs is saturated
TINY_GRADIENT = 1e-7  # root mean square of the gradient
ADVICE = "try a smaller learning rate, a mean loss (cross_entropy or mse), the adam optimizer or tanh"
SHORT_ADVICE = "try a smaller learning rate, a mean loss, adam or tanh"


@dataclass(frozen=True)
class Stuck:
    """Why a run is judged stuck: what was seen and its likely cause."""

    seen: str
    cause: str

    short: str  # the cause in a few words, for a status line

    def __str__(self) -> str:
        return f"stuck: {self.seen}; {self.cause}: {ADVICE}"

    @property
    def brief(self) -> str:
        """One status-line phrase: ``stuck at chance (outputs saturated): try …``."""
        return f"stuck at chance ({self.short}): {SHORT_ADVICE}"


def diagnose(model: MLP, data: Dataset, losses: np.ndarray) -> Stuck | None:
    """A ``Stuck`` if ``model``, trained with per-epoch ``losses`` on ``data``, is no better
    than chance and its loss is flat; None when it learned (or it is too early to say)."""
    if len(losses) < MIN_EPOCHS or not np.all(np.isfinite(losses)):
        return None
    middle, last = float(losses[len(losses) // 2]), float(losses[-1])
    if middle - last > FLAT * abs(middle):
        return None
    with np.errstate(all="ignore"):
        chance = _at_chance(model, data)
        if chance is None:
            return None
        seen = f"{chance} and the loss flat since epoch {len(losses) // 2 + 1:,}"
        return Stuck(seen, *_cause(model, data))


def _at_chance(model: MLP, data: Dataset) -> str | None:
    """What says the model is no better than chance, or None if it is better."""
    if data.is_classification:
        share = float(np.bincount(data.labels()).max() / len(data.X))
        found = accuracy(model, data)
        return f"train accuracy {found:.3f} is chance ({share:.3f})" if found <= share + CHANCE_MARGIN else None
    spread = float(np.var(data.y))
    explained = 1 - float(np.mean((model.forward(data.X) - data.y) ** 2)) / spread if spread > 0 else 0.0
    return f"the fit explains {max(explained, 0):.1%} of the variance" if explained < MIN_R2 else None


def _cause(model: MLP, data: Dataset) -> tuple[str, str]:
    """The likely reason the gradient no longer moves the network, in full and in brief."""
    if model.output_activation in ("sigmoid", "softmax"):
        outputs = model.forward(data.X)
        saturated = np.mean((outputs < SATURATED) | (outputs > 1 - SATURATED))
        if saturated >= SATURATED_SHARE:
            full = f"{saturated:.0%} of the outputs are saturated at 0 or 1, where the gradient vanishes"
            return full, "outputs saturated"
    grad_w, grad_b = model.gradients(data.X, data.y)
    flat = np.concatenate([g.ravel() for g in (*grad_w, *grad_b)])
    rms = float(np.sqrt(np.mean(flat**2)))
    if rms < TINY_GRADIENT:
        return f"the gradient is almost zero (root mean square {rms:.1e})", "gradient near zero"
    return "the loss stopped falling", "loss flat"
