"""Loss functions with their exact gradients.

- ``sse``: E = ½·Σ over samples and outputs of (ŷ − y)², the classic backprop
  "total error" (the default; its gradient is the seed script's update rule).
- ``mse``: mean over samples and outputs of (ŷ − y)².
- ``cross_entropy``: mean over samples of −Σ y·log ŷ, computed from the logits
  with log-sum-exp (softmax outputs) or softplus (sigmoid outputs).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

LOSSES = ("sse", "mse", "cross_entropy")


@dataclass(frozen=True)
class Loss:
    """A loss over a batch. ``from_logits`` losses take the output layer's
    pre-activation ``z``; the others take its output ``a``."""

    name: str
    from_logits: bool
    mean: bool  # True when the value is an average, so batch values combine by weight

    def value(self, z: np.ndarray, a: np.ndarray, y: np.ndarray, err: np.ndarray, output: str) -> float:
        """The loss; fills ``err`` with (a − y) as a by-product."""
        np.subtract(a, y, out=err)
        if self.name == "sse":
            flat = err.reshape(-1)
            return 0.5 * float(np.dot(flat, flat))
        if self.name == "mse":
            flat = err.reshape(-1)
            return float(np.dot(flat, flat)) / flat.size
        n = z.shape[0]
        if output == "softmax":
            top = z.max(axis=1, keepdims=True)
            lse = np.log(np.exp(z - top).sum(axis=1)) + top[:, 0]
            return float((lse * y.sum(axis=1) - (y * z).sum(axis=1)).sum()) / n
        return float((np.logaddexp(0.0, z) - y * z).sum()) / n

    def gradient(self, a: np.ndarray, y: np.ndarray, err: np.ndarray, out: np.ndarray, output: str) -> None:
        """Write dL/da (or dL/dz for ``from_logits`` losses) into ``out``;
        ``err`` holds (a − y) from ``value``."""
        if self.name == "sse":
            np.copyto(out, err)
        elif self.name == "mse":
            np.multiply(err, 2.0 / err.size, out=out)
        elif output == "softmax":
            # dL/dz = (p·Σy − y) / n; equals (p − y)/n for one-hot rows.
            np.multiply(a, y.sum(axis=1, keepdims=True), out=out)
            np.subtract(out, y, out=out)
            np.divide(out, a.shape[0], out=out)
        else:
            np.divide(err, a.shape[0], out=out)


def get_loss(name: str, output_activation: str) -> Loss:
    """Look a loss up by name and check it suits the output activation."""
    if name not in LOSSES:
        raise ValueError(f"unknown loss {name!r} (choose from {', '.join(LOSSES)})")
    if name == "cross_entropy" and output_activation not in ("sigmoid", "softmax"):
        raise ValueError(f"cross_entropy needs a sigmoid or softmax output, not {output_activation!r}")
    return Loss(name, from_logits=name == "cross_entropy", mean=name != "sse")
