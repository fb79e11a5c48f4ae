"""Losses and their gradients: small named functions in one table.

For outputs a = ŷ (n samples × k outputs), targets y and output logits z, a loss
``f(z, a, y, grad)`` returns L and writes its gradient into ``grad``: ∂L/∂a, or
∂L/∂z for the ``from_logits`` losses, whose gradient through the output
activation is simpler and stable (cross-entropy, computed from the logits with
log-sum-exp or softplus). ``sse`` is the classic backprop "total error" and the
default: its gradient is the seed script's update rule.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .activations import formula
from .choices import LOSSES


def sse(z: np.ndarray, a: np.ndarray, y: np.ndarray, grad: np.ndarray) -> float:
    """L = ½·Σ(a − y)²;  ∂L/∂a = a − y"""
    np.subtract(a, y, out=grad)
    return np.vdot(grad, grad) * 0.5


def mse(z: np.ndarray, a: np.ndarray, y: np.ndarray, grad: np.ndarray) -> float:
    """L = Σ(a − y)² / (n·k);  ∂L/∂a = 2·(a − y) / (n·k)"""
    np.subtract(a, y, out=grad)
    value = np.vdot(grad, grad) * (1.0 / grad.size)
    grad *= 2.0 / grad.size
    return value


def softmax_cross_entropy(z: np.ndarray, a: np.ndarray, y: np.ndarray, grad: np.ndarray) -> float:
    """L = −Σ y·log a / n, log a = z − log Σₖ e^zₖ;  ∂L/∂z = (a·Σₖ yₖ − y) / n"""
    top = z.max(axis=1, keepdims=True)
    log_sum_exp = np.log(np.exp(z - top).sum(axis=1)) + top[:, 0]
    np.multiply(a, y.sum(axis=1, keepdims=True), out=grad)  # (a − y)/n for one-hot targets
    grad -= y
    grad /= len(z)
    return (log_sum_exp * y.sum(axis=1) - (y * z).sum(axis=1)).sum() / len(z)


def sigmoid_cross_entropy(z: np.ndarray, a: np.ndarray, y: np.ndarray, grad: np.ndarray) -> float:
    """L = −Σ [y·log a + (1 − y)·log(1 − a)] / n = Σ [log(1 + e^z) − y·z] / n;  ∂L/∂z = (a − y) / n"""
    np.subtract(a, y, out=grad)
    grad /= len(z)
    return (np.logaddexp(0.0, z) - y * z).sum() / len(z)


@dataclass(frozen=True)
class Loss:
    """A loss function (see the module's docstring) and how to use it."""

    name: str
    function: Callable[[np.ndarray, np.ndarray, np.ndarray, np.ndarray], float]
    from_logits: bool = False  # the gradient is ∂L/∂z, not ∂L/∂a
    mean: bool = True  # the value is an average, so batch values combine by weight

    @property
    def formulas(self) -> tuple[str, str]:
        """The loss and its gradient as formulas (from the function's docstring)."""
        value, gradient = formula(self.function).split(";  ")
        return value, gradient


# keyed by (loss, output activation); None: any output activation
LOSS_TABLE: dict[tuple[str, str | None], Loss] = {
    ("sse", None): Loss("sse", sse, mean=False),
    ("mse", None): Loss("mse", mse),
    ("cross_entropy", "softmax"): Loss("cross_entropy", softmax_cross_entropy, from_logits=True),
    ("cross_entropy", "sigmoid"): Loss("cross_entropy", sigmoid_cross_entropy, from_logits=True),
}


def get_loss(name: str, output_activation: str) -> Loss:
    """Look a loss up by name and check it suits the output activation."""
    if name not in LOSSES:
        raise ValueError(f"unknown loss {name!r} (choose from {', '.join(LOSSES)})")
    loss = LOSS_TABLE.get((name, None)) or LOSS_TABLE.get((name, output_activation))
    if loss is None:
        raise ValueError(f"{name} needs a sigmoid or softmax output, not {output_activation!r}")
    return loss
