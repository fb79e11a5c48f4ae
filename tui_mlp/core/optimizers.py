"""Parameter updates: plain gradient descent (the seed's), momentum and Adam,
each optionally with L2 weight decay on the weights (not the biases).

``make_update`` binds an optimizer to the flat parameter and gradient buffers
and returns a function that applies one update in place from whatever the
gradient buffer holds; the optimizer's state lives in that closure.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

OPTIMIZERS = ("gd", "momentum", "adam")
DEFAULT_OPTIMIZER = "gd"  # plain gradient descent, the seed script's
DEFAULT_MOMENTUM = 0.9
ADAM_BETAS = (0.9, 0.999)
ADAM_EPSILON = 1e-8

Update = Callable[[], None]


def make_update(
    name: str,
    params: np.ndarray,
    grad: np.ndarray,
    learning_rate: float,
    *,
    momentum: float = DEFAULT_MOMENTUM,
    weight_decay: float = 0.0,
    decay_mask: np.ndarray | None = None,
) -> Update:
    """An in-place update of ``params`` from ``grad`` (which it may overwrite).

    With ``weight_decay`` λ the gradient first gains λ·w for every parameter
    where ``decay_mask`` is 1 (the weights), so the step minimises
    loss + ½·λ·Σw².
    """
    if name == "gd":
        update = _gradient_descent(params, grad, learning_rate)
    elif name == "momentum":
        if not 0 <= momentum < 1:
            raise ValueError(f"momentum must be at least 0 and below 1, not {momentum}")
        update = _momentum(params, grad, learning_rate, momentum)
    elif name == "adam":
        update = _adam(params, grad, learning_rate)
    else:
        raise ValueError(f"unknown optimizer {name!r} (choose from {', '.join(OPTIMIZERS)})")
    if not (math.isfinite(weight_decay) and weight_decay >= 0):
        raise ValueError(f"weight decay must be 0 or more, not {weight_decay}")
    if weight_decay == 0:
        return update
    decay = weight_decay * (np.ones_like(params) if decay_mask is None else decay_mask)
    penalty = np.empty_like(params)

    def decayed() -> None:
        np.multiply(params, decay, penalty)
        np.add(grad, penalty, grad)
        update()

    return decayed


def _gradient_descent(params: np.ndarray, grad: np.ndarray, learning_rate: float) -> Update:
    def update() -> None:
        np.multiply(grad, learning_rate, grad)
        np.subtract(params, grad, params)

    return update


def _momentum(params: np.ndarray, grad: np.ndarray, learning_rate: float, momentum: float) -> Update:
    """v ← μ·v − η·g; w ← w + v."""
    velocity = np.zeros_like(params)

    def update() -> None:
        np.multiply(velocity, momentum, velocity)
        np.multiply(grad, learning_rate, grad)
        np.subtract(velocity, grad, velocity)
        np.add(params, velocity, params)

    return update


def _adam(params: np.ndarray, grad: np.ndarray, learning_rate: float) -> Update:
    """Adam (Kingma & Ba): w ← w − η·m̂ / (√v̂ + ε) with bias-corrected moments."""
    beta1, beta2 = ADAM_BETAS
    first, second, tmp = np.zeros_like(params), np.zeros_like(params), np.empty_like(params)
    steps = 0

    def update() -> None:
        nonlocal steps
        steps += 1
        np.multiply(first, beta1, first)
        np.multiply(grad, 1 - beta1, tmp)
        np.add(first, tmp, first)
        np.multiply(second, beta2, second)
        np.multiply(grad, grad, tmp)
        np.multiply(tmp, 1 - beta2, tmp)
        np.add(second, tmp, second)
        np.sqrt(second, tmp)
        np.multiply(tmp, 1 / math.sqrt(1 - beta2**steps), tmp)
        np.add(tmp, ADAM_EPSILON, tmp)
        np.divide(first, tmp, tmp)
        np.multiply(tmp, learning_rate / (1 - beta1**steps), tmp)
        np.subtract(params, tmp, params)

    return update
