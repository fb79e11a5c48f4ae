"""Loss functions with their exact gradients.

- ``sse``: E = ½·Σ over samples and outputs of (ŷ − y)², the classic backprop
  "total error" (the default; its gradient is the seed script's update rule).
- ``mse``: mean over samples and outputs of (ŷ − y)².
- ``cross_entropy``: mean over samples of −Σ y·log ŷ for softmax outputs, and of
  −Σ [y·log ŷ + (1 − y)·log(1 − ŷ)] for sigmoid outputs, computed from the
  logits with log-sum-exp or softplus.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .activations import Op

LOSSES = ("sse", "mse", "cross_entropy")


@dataclass(frozen=True)
class Loss:
    """A loss over a batch. ``from_logits`` losses give dL/dz for the output
    layer's pre-activation z; the others give dL/dŷ."""

    name: str
    from_logits: bool
    mean: bool  # the value is an average, so batch values combine by weight
    output: str  # the output activation

    def bind(
        self, z: np.ndarray, a: np.ndarray, y: np.ndarray, delta: np.ndarray, column: np.ndarray
    ) -> tuple[Callable[[], float], list[Op]]:
        """For logits ``z``, outputs ``a`` and targets ``y`` (buffers whose
        contents change between calls): a function returning the loss, and
        the ops that then write its gradient into ``delta``."""
        n = a.shape[0]
        if not self.from_logits:
            flat = delta.reshape(-1)  # (ŷ − y) is kept in delta, then scaled

            def squared_error() -> float:
                np.subtract(a, y, delta)
                return np.dot(flat, flat) * (1.0 / flat.size if self.mean else 0.5)

            return squared_error, [(np.multiply, (delta, 2.0 / flat.size, delta))] if self.mean else []
        if self.output == "softmax":

            def softmax_cross_entropy() -> float:
                top = z.max(axis=1, keepdims=True)
                log_sum_exp = np.log(np.exp(z - top).sum(axis=1)) + top[:, 0]
                return (log_sum_exp * y.sum(axis=1) - (y * z).sum(axis=1)).sum() / n

            # dL/dz = (p·Σy − y) / n, which is (p − y)/n for one-hot rows
            return softmax_cross_entropy, [
                (np.sum, (y, 1, None, column, True)),
                (np.multiply, (a, column, delta)),
                (np.subtract, (delta, y, delta)),
                (np.divide, (delta, n, delta)),
            ]

        def sigmoid_cross_entropy() -> float:
            return (np.logaddexp(0.0, z) - y * z).sum() / n

        return sigmoid_cross_entropy, [(np.subtract, (a, y, delta)), (np.divide, (delta, n, delta))]


def get_loss(name: str, output_activation: str) -> Loss:
    """Look a loss up by name and check it suits the output activation."""
    if name not in LOSSES:
        raise ValueError(f"unknown loss {name!r} (choose from {', '.join(LOSSES)})")
    if name == "cross_entropy" and output_activation not in ("sigmoid", "softmax"):
        raise ValueError(f"cross_entropy needs a sigmoid or softmax output, not {output_activation!r}")
    return Loss(name, from_logits=name == "cross_entropy", mean=name != "sse", output=output_activation)
