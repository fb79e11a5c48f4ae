"""One backpropagation step, every number of it: what ``MLP.trace`` returns.

Layers are numbered from 0 as in the code: layer l maps a[l] to
z[l] = a[l]·W[l] + b[l] and a[l+1] = f(z[l]); a[0] is the input.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class LayerTrace:
    """Layer l of one step: rows are samples."""

    inputs: np.ndarray  # a[l], (n, fan_in)
    weights: np.ndarray  # W[l] before the step, (fan_in, fan_out)
    biases: np.ndarray  # b[l] before the step, (fan_out,)
    z: np.ndarray  # z[l] = a[l]·W[l] + b[l], (n, fan_out)
    a: np.ndarray  # a[l+1] = f(z[l]), (n, fan_out)
    delta: np.ndarray  # δ[l] = ∂L/∂z[l], (n, fan_out)
    grad_weights: np.ndarray  # ∂L/∂W[l] = a[l]ᵀ·δ[l]
    grad_biases: np.ndarray  # ∂L/∂b[l] = Σ over samples of δ[l]
    step_weights: np.ndarray  # ΔW[l], the optimizer's change (with its state and weight decay)
    step_biases: np.ndarray  # Δb[l]

    @property
    def new_weights(self) -> np.ndarray:
        """W[l] + ΔW[l]: the weights after the step."""
        return self.weights + self.step_weights

    @property
    def new_biases(self) -> np.ndarray:
        """b[l] + Δb[l]: the biases after the step."""
        return self.biases + self.step_biases


@dataclass(frozen=True)
class Trace:
    """A forward pass, the loss, the backward pass and the update, for samples (X, y)."""

    X: np.ndarray
    y: np.ndarray
    loss: float
    layers: tuple[LayerTrace, ...]

    @property
    def outputs(self) -> np.ndarray:
        """ŷ = a[L], the network's outputs."""
        return self.layers[-1].a
