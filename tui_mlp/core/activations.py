"""Activation functions, each with its derivative expressed through its output.

Every function works in place on float64 arrays so the training loop allocates
nothing per epoch. Callers that may overflow ``exp`` wrap calls in
``np.errstate(over="ignore")``: the results stay exact (``1/(1+inf) == 0``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

LEAKY_SLOPE = 0.01


@dataclass(frozen=True)
class Activation:
    """An activation ``f``: ``apply(z)`` turns z into f(z) in place;
    ``backprop(a, delta, tmp)`` multiplies ``delta`` in place by the Jacobian
    of f at the point whose output is ``a`` (``tmp`` is scratch space)."""

    name: str
    apply: Callable[[np.ndarray], None]
    backprop: Callable[[np.ndarray, np.ndarray, np.ndarray], None]

    def __call__(self, z: np.ndarray) -> np.ndarray:
        """f(z) as a new array."""
        out = np.array(z, dtype=np.float64, copy=True)
        with np.errstate(over="ignore"):
            self.apply(out)
        return out


def _sigmoid(z: np.ndarray) -> None:
    np.negative(z, out=z)
    np.exp(z, out=z)
    np.add(z, 1.0, out=z)
    np.reciprocal(z, out=z)


def _sigmoid_backprop(a: np.ndarray, delta: np.ndarray, tmp: np.ndarray) -> None:
    np.subtract(1.0, a, out=tmp)
    np.multiply(tmp, a, out=tmp)
    np.multiply(delta, tmp, out=delta)


def _tanh(z: np.ndarray) -> None:
    np.tanh(z, out=z)


def _tanh_backprop(a: np.ndarray, delta: np.ndarray, tmp: np.ndarray) -> None:
    np.multiply(a, a, out=tmp)
    np.subtract(1.0, tmp, out=tmp)
    np.multiply(delta, tmp, out=delta)


def _relu(z: np.ndarray) -> None:
    np.maximum(z, 0.0, out=z)


def _relu_backprop(a: np.ndarray, delta: np.ndarray, tmp: np.ndarray) -> None:
    np.greater(a, 0.0, out=tmp)
    np.multiply(delta, tmp, out=delta)


def _leaky_relu(z: np.ndarray) -> None:
    np.maximum(z, LEAKY_SLOPE * z, out=z)


def _leaky_relu_backprop(a: np.ndarray, delta: np.ndarray, tmp: np.ndarray) -> None:
    np.greater(a, 0.0, out=tmp)
    np.multiply(tmp, 1.0 - LEAKY_SLOPE, out=tmp)
    np.add(tmp, LEAKY_SLOPE, out=tmp)
    np.multiply(delta, tmp, out=delta)


def _linear(z: np.ndarray) -> None:
    pass


def _linear_backprop(a: np.ndarray, delta: np.ndarray, tmp: np.ndarray) -> None:
    pass


def _softmax(z: np.ndarray) -> None:
    np.subtract(z, z.max(axis=1, keepdims=True), out=z)
    np.exp(z, out=z)
    np.divide(z, z.sum(axis=1, keepdims=True), out=z)


def _softmax_backprop(a: np.ndarray, delta: np.ndarray, tmp: np.ndarray) -> None:
    # Jacobian-vector product of softmax: a * (delta - <delta, a>) per row.
    np.multiply(delta, a, out=tmp)
    np.subtract(delta, tmp.sum(axis=1, keepdims=True), out=delta)
    np.multiply(delta, a, out=delta)


ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in (
        Activation("sigmoid", _sigmoid, _sigmoid_backprop),
        Activation("tanh", _tanh, _tanh_backprop),
        Activation("relu", _relu, _relu_backprop),
        Activation("leaky_relu", _leaky_relu, _leaky_relu_backprop),
        Activation("linear", _linear, _linear_backprop),
        Activation("softmax", _softmax, _softmax_backprop),
    )
}
HIDDEN_ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu", "linear")
OUTPUT_ACTIVATIONS = (*HIDDEN_ACTIVATIONS, "softmax")


def get_activation(name: str, *, output: bool = False) -> Activation:
    """Look an activation up by name; ValueError naming the choices otherwise."""
    allowed = OUTPUT_ACTIVATIONS if output else HIDDEN_ACTIVATIONS
    if name not in allowed:
        kind = "output" if output else "hidden"
        raise ValueError(f"unknown {kind} activation {name!r} (choose from {', '.join(allowed)})")
    return ACTIVATIONS[name]
