"""Activation functions and their derivatives: small named in-place functions in one table.

``f(z, out, tmp)`` writes a = f(z) into ``out`` (which may be ``z`` itself);
``f_derivative(a, delta, tmp)`` multiplies ``delta`` in place by f′(z), written
through the output a = f(z). ``tmp`` is scratch shaped like ``z``. Nothing is
allocated for the element-wise layers, so a training step allocates nothing.
``exp`` may overflow to inf inside them: callers run them under
``np.errstate(over="ignore")``, and the results stay exact (``1/(1+inf) == 0``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .choices import HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS

LEAKY_SLOPE = 0.01


def sigmoid(z: np.ndarray, out: np.ndarray, tmp: np.ndarray) -> None:
    """a = 1 / (1 + e^(−z))"""
    np.negative(z, out=out)
    np.exp(out, out=out)
    out += 1.0
    np.reciprocal(out, out=out)


def sigmoid_derivative(a: np.ndarray, delta: np.ndarray, tmp: np.ndarray) -> None:
    """δ ·= (1 − a)·a"""
    np.subtract(1.0, a, out=tmp)
    tmp *= a
    delta *= tmp


def tanh(z: np.ndarray, out: np.ndarray, tmp: np.ndarray) -> None:
    """a = tanh(z)"""
    np.tanh(z, out=out)


def tanh_derivative(a: np.ndarray, delta: np.ndarray, tmp: np.ndarray) -> None:
    """δ ·= 1 − a²"""
    np.multiply(a, a, out=tmp)
    np.subtract(1.0, tmp, out=tmp)
    delta *= tmp


def relu(z: np.ndarray, out: np.ndarray, tmp: np.ndarray) -> None:
    """a = max(z, 0)"""
    np.maximum(z, 0.0, out=out)


def relu_derivative(a: np.ndarray, delta: np.ndarray, tmp: np.ndarray) -> None:
    """δ ·= [a > 0]"""
    np.greater(a, 0.0, out=tmp)
    delta *= tmp


def leaky_relu(z: np.ndarray, out: np.ndarray, tmp: np.ndarray) -> None:
    """a = max(z, 0.01·z)"""
    np.multiply(z, LEAKY_SLOPE, out=tmp)
    np.maximum(z, tmp, out=out)


def leaky_relu_derivative(a: np.ndarray, delta: np.ndarray, tmp: np.ndarray) -> None:
    """δ ·= 1 if a > 0 else 0.01"""
    np.greater(a, 0.0, out=tmp)
    tmp *= 1.0 - LEAKY_SLOPE
    tmp += LEAKY_SLOPE
    delta *= tmp


def linear(z: np.ndarray, out: np.ndarray, tmp: np.ndarray) -> None:
    """a = z"""
    if out is not z:
        np.copyto(out, z)


def linear_derivative(a: np.ndarray, delta: np.ndarray, tmp: np.ndarray) -> None:
    """δ ·= 1"""


def softmax(z: np.ndarray, out: np.ndarray, tmp: np.ndarray) -> None:
    """a_k = e^(z_k − max z) / Σ_j e^(z_j − max z), per sample"""
    np.subtract(z, z.max(axis=1, keepdims=True), out=out)
    np.exp(out, out=out)
    out /= out.sum(axis=1, keepdims=True)


def softmax_derivative(a: np.ndarray, delta: np.ndarray, tmp: np.ndarray) -> None:
    """δ ← a·(δ − Σ_k δ_k·a_k), per sample (the softmax Jacobian times δ)"""
    np.multiply(delta, a, out=tmp)
    delta -= tmp.sum(axis=1, keepdims=True)
    delta *= a


Function = Callable[[np.ndarray, np.ndarray, np.ndarray], None]


def formula(function: Callable[..., object]) -> str:
    """A function's formula: its one-line docstring."""
    return (function.__doc__ or "").strip()


@dataclass(frozen=True)
class Activation:
    """An activation ``f`` (``forward(z, out, tmp)``) and its ``derivative(a, delta, tmp)``.
    ``elementwise``: each number is computed from its own z alone (softmax's are not)."""

    name: str
    forward: Function
    derivative: Function
    elementwise: bool = True

    @property
    def formulas(self) -> tuple[str, str]:
        """f and f′ as formulas (their docstrings)."""
        return formula(self.forward), formula(self.derivative)

    def __call__(self, z: np.ndarray) -> np.ndarray:
        """f(z) as a new array."""
        rows = np.array(z, dtype=np.float64, ndmin=2)
        out = np.empty_like(rows)
        with np.errstate(over="ignore", under="ignore"):
            self.forward(rows, out, np.empty_like(rows))
        return out.reshape(np.shape(z))


ACTIVATIONS: dict[str, Activation] = {
    name: Activation(name, forward, derivative, elementwise=name != "softmax")
    for name, forward, derivative in (
        ("sigmoid", sigmoid, sigmoid_derivative),
        ("tanh", tanh, tanh_derivative),
        ("relu", relu, relu_derivative),
        ("leaky_relu", leaky_relu, leaky_relu_derivative),
        ("linear", linear, linear_derivative),
        ("softmax", softmax, softmax_derivative),
    )
}


def get_activation(name: str, *, output: bool = False) -> Activation:
    """Look an activation up by name; ValueError naming the choices otherwise."""
    allowed = OUTPUT_ACTIVATIONS if output else HIDDEN_ACTIVATIONS
    if name not in allowed:
        kind = "output" if output else "hidden"
        raise ValueError(f"unknown {kind} activation {name!r} (choose from {', '.join(allowed)})")
    return ACTIVATIONS[name]
