"""Parameter updates: plain gradient descent (the seed's), momentum and Adam,
each optionally with L2 weight decay on the weights (not the biases).

An optimizer turns the gradient g = ∂L/∂θ into the change Δθ and keeps its own
state (velocity, moments); a step is θ ← θ + Δθ. Everything works in place on
flat parameter-shaped buffers of the parameters' dtype (float64 or float32), so a
step allocates nothing and a float32 step stays float32.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .choices import DEFAULT_MOMENTUM, OPTIMIZERS

ADAM_BETAS = (0.9, 0.999)
ADAM_EPSILON = 1e-8


class Optimizer:
    """Δθ from g. With weight decay λ the gradient first gains λ·w at every
    parameter where ``decay_mask`` is 1 (the weights), so the step minimises
    L + ½·λ·Σw²."""

    def __init__(
        self,
        size: int,
        learning_rate: float,
        weight_decay: float = 0.0,
        decay_mask: np.ndarray | None = None,
        dtype: Any = np.float64,
    ) -> None:
        if not (math.isfinite(weight_decay) and weight_decay >= 0):
            raise ValueError(f"weight decay must be 0 or more, not {weight_decay}")
        self.learning_rate = learning_rate
        self.weight_decay = weight_decay
        self.dtype = np.dtype(dtype)
        self.decay = None
        if weight_decay:
            mask = np.ones(size, self.dtype) if decay_mask is None else decay_mask
            self.decay = np.multiply(mask, weight_decay, dtype=self.dtype)
            self.penalty = np.empty(size, self.dtype)

    def change(self, grad: np.ndarray, params: np.ndarray) -> np.ndarray:
        """Δθ for the gradient ``grad`` (which it may overwrite) at ``params``, advancing
        the state; the array returned belongs to the optimizer or is ``grad``. A step
        is ``params += optimizer.change(grad, params)``."""
        if self.decay is not None:
            np.multiply(params, self.decay, out=self.penalty)
            grad += self.penalty  # g + λ·w
        return self._change(grad)

    def _change(self, grad: np.ndarray) -> np.ndarray:
        raise NotImplementedError


class GradientDescent(Optimizer):
    """Δθ = −η·g"""

    def _change(self, grad: np.ndarray) -> np.ndarray:
        grad *= -self.learning_rate
        return grad


class Momentum(Optimizer):
    """v ← μ·v − η·g;  Δθ = v"""

    def __init__(self, size: int, learning_rate: float, momentum: float = DEFAULT_MOMENTUM, **decay: Any) -> None:
        if not 0 <= momentum < 1:
            raise ValueError(f"momentum must be at least 0 and below 1, not {momentum}")
        super().__init__(size, learning_rate, **decay)
        self.momentum = momentum
        self.velocity = np.zeros(size, self.dtype)

    def _change(self, grad: np.ndarray) -> np.ndarray:
        velocity = self.velocity
        velocity *= self.momentum
        grad *= self.learning_rate
        velocity -= grad
        return velocity


class Adam(Optimizer):
    """m ← β₁·m + (1−β₁)·g;  v ← β₂·v + (1−β₂)·g²;  Δθ = −η·m̂ / (√v̂ + ε)"""

    def __init__(self, size: int, learning_rate: float, **decay: Any) -> None:
        super().__init__(size, learning_rate, **decay)
        self.first, self.second = np.zeros(size, self.dtype), np.zeros(size, self.dtype)
        self.tmp = np.empty(size, self.dtype)
        self.steps = 0

    def _change(self, grad: np.ndarray) -> np.ndarray:
        """Adam (Kingma & Ba) with bias-corrected moments m̂ = m / (1 − β₁ᵗ), v̂ = v / (1 − β₂ᵗ)."""
        beta1, beta2 = ADAM_BETAS
        first, second, tmp = self.first, self.second, self.tmp
        self.steps += 1
        first *= beta1
        np.multiply(grad, 1 - beta1, out=tmp)
        first += tmp  # m
        second *= beta2
        np.multiply(grad, grad, out=tmp)
        tmp *= 1 - beta2
        second += tmp  # v
        np.sqrt(second, out=tmp)
        tmp *= 1 / math.sqrt(1 - beta2**self.steps)  # √v̂
        tmp += ADAM_EPSILON
        np.divide(first, tmp, out=tmp)
        tmp *= -self.learning_rate / (1 - beta1**self.steps)  # −η·m̂ / (√v̂ + ε)
        return tmp


def make_optimizer(
    name: str,
    size: int,
    learning_rate: float,
    *,
    momentum: float = DEFAULT_MOMENTUM,
    weight_decay: float = 0.0,
    decay_mask: np.ndarray | None = None,
    dtype: Any = np.float64,
) -> Optimizer:
    """The optimizer called ``name`` for ``size`` parameters of ``dtype`` (ValueError naming the choices otherwise)."""
    decay = {"weight_decay": weight_decay, "decay_mask": decay_mask, "dtype": dtype}
    if name == "gd":
        return GradientDescent(size, learning_rate, **decay)
    if name == "momentum":
        return Momentum(size, learning_rate, momentum, **decay)
    if name == "adam":
        return Adam(size, learning_rate, **decay)
    raise ValueError(f"unknown optimizer {name!r} (choose from {', '.join(OPTIMIZERS)})")
