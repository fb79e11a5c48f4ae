"""Activation functions, each with its derivative expressed through its output.

An activation is written as *ops*: a list of ``(ufunc, args)`` pairs that
work in place on preallocated float64 buffers, so the training loop runs a
fixed list of NumPy calls and allocates nothing per epoch. Callers that may
overflow ``exp`` run ops inside ``np.errstate(over="ignore")``; the results
stay exact (``1/(1+inf) == 0``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np

LEAKY_SLOPE = 0.01

Op = tuple[Callable[..., Any], tuple[Any, ...]]
ForwardOps = Callable[[np.ndarray, np.ndarray, np.ndarray], list[Op]]
BackpropOps = Callable[[np.ndarray, np.ndarray, np.ndarray, np.ndarray], list[Op]]


def run_ops(ops: list[Op]) -> None:
    """Run a list of in-place operations in order."""
    for function, args in ops:
        function(*args)


@dataclass(frozen=True)
class Activation:
    """An activation ``f``. ``forward(z, tmp, column)`` gives the ops turning
    ``z`` into f(z) in place; ``backprop(a, delta, tmp, column)`` the ops
    multiplying ``delta`` in place by the Jacobian of f at the point whose
    output is ``a``. ``tmp`` is scratch shaped like ``z``, ``column`` scratch
    of shape (n, 1)."""

    name: str
    forward: ForwardOps
    backprop: BackpropOps

    def __call__(self, z: np.ndarray) -> np.ndarray:
        """f(z) as a new array."""
        out = np.array(z, dtype=np.float64, copy=True, ndmin=2)
        with np.errstate(over="ignore", under="ignore"):
            run_ops(self.forward(out, np.empty_like(out), np.empty((out.shape[0], 1))))
        return out.reshape(np.shape(z))


def _sigmoid(z: np.ndarray, tmp: np.ndarray, column: np.ndarray) -> list[Op]:
    return [(np.negative, (z, z)), (np.exp, (z, z)), (np.add, (z, 1.0, z)), (np.reciprocal, (z, z))]


def _sigmoid_backprop(a: np.ndarray, delta: np.ndarray, tmp: np.ndarray, column: np.ndarray) -> list[Op]:
    return [(np.subtract, (1.0, a, tmp)), (np.multiply, (tmp, a, tmp)), (np.multiply, (delta, tmp, delta))]


def _tanh(z: np.ndarray, tmp: np.ndarray, column: np.ndarray) -> list[Op]:
    return [(np.tanh, (z, z))]


def _tanh_backprop(a: np.ndarray, delta: np.ndarray, tmp: np.ndarray, column: np.ndarray) -> list[Op]:
    return [(np.multiply, (a, a, tmp)), (np.subtract, (1.0, tmp, tmp)), (np.multiply, (delta, tmp, delta))]


def _relu(z: np.ndarray, tmp: np.ndarray, column: np.ndarray) -> list[Op]:
    return [(partial(np.maximum, out=z), (z, 0.0))]


def _relu_backprop(a: np.ndarray, delta: np.ndarray, tmp: np.ndarray, column: np.ndarray) -> list[Op]:
    return [(np.greater, (a, 0.0, tmp)), (np.multiply, (delta, tmp, delta))]


def _leaky_relu(z: np.ndarray, tmp: np.ndarray, column: np.ndarray) -> list[Op]:
    return [(np.multiply, (z, LEAKY_SLOPE, tmp)), (partial(np.maximum, out=z), (z, tmp))]


def _leaky_relu_backprop(a: np.ndarray, delta: np.ndarray, tmp: np.ndarray, column: np.ndarray) -> list[Op]:
    return [
        (np.greater, (a, 0.0, tmp)),
        (np.multiply, (tmp, 1.0 - LEAKY_SLOPE, tmp)),
        (np.add, (tmp, LEAKY_SLOPE, tmp)),
        (np.multiply, (delta, tmp, delta)),
    ]


def _linear(z: np.ndarray, tmp: np.ndarray, column: np.ndarray) -> list[Op]:
    return []


def _linear_backprop(a: np.ndarray, delta: np.ndarray, tmp: np.ndarray, column: np.ndarray) -> list[Op]:
    return []


def _softmax(z: np.ndarray, tmp: np.ndarray, column: np.ndarray) -> list[Op]:
    return [
        (np.max, (z, 1, column, True)),
        (np.subtract, (z, column, z)),
        (np.exp, (z, z)),
        (np.sum, (z, 1, None, column, True)),
        (np.divide, (z, column, z)),
    ]


def _softmax_backprop(a: np.ndarray, delta: np.ndarray, tmp: np.ndarray, column: np.ndarray) -> list[Op]:
    # Jacobian-vector product of softmax: a * (delta - <delta, a>) per row.
    return [
        (np.multiply, (delta, a, tmp)),
        (np.sum, (tmp, 1, None, column, True)),
        (np.subtract, (delta, column, delta)),
        (np.multiply, (delta, a, delta)),
    ]


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
