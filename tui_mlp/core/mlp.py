"""The multi-layer perceptron: parameters, forward pass, loss and backprop.

All weights and biases live in one flat float64 buffer; ``weights[i]`` and
``biases[i]`` are views into it, so one vector operation updates every
parameter and the arrays a caller holds are the ones the model uses.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import numpy as np

from .activations import Activation, get_activation
from .losses import Loss, get_loss

MAX_LAYER_SIZE = 10_000
MAX_LAYERS = 32
MAX_PARAMETERS = 20_000_000  # 160 MB of float64 parameters


def check_layer_sizes(layer_sizes: Sequence[int]) -> tuple[int, ...]:
    """Validate layer sizes; return them as a tuple or raise ValueError."""
    sizes = tuple(layer_sizes)
    if len(sizes) < 2:
        raise ValueError("a network needs at least an input and an output layer")
    if len(sizes) > MAX_LAYERS:
        raise ValueError(f"{len(sizes)} layers is more than the maximum of {MAX_LAYERS}")
    for size in sizes:
        if isinstance(size, bool) or not isinstance(size, int | np.integer):
            raise ValueError(f"layer size {size!r} is not a whole number")
        if size < 1:
            raise ValueError(f"layer size {size} must be at least 1")
        if size > MAX_LAYER_SIZE:
            raise ValueError(f"layer size {size} is more than the maximum of {MAX_LAYER_SIZE:,}")
    count = parameter_count(sizes)
    if count > MAX_PARAMETERS:
        raise ValueError(f"{count:,} parameters is more than the maximum of {MAX_PARAMETERS:,}")
    return tuple(int(s) for s in sizes)


def parameter_count(sizes: Sequence[int]) -> int:
    """Number of weights and biases in a network of these layer sizes."""
    return sum((a + 1) * b for a, b in itertools.pairwise(sizes))


class MLP:
    """A fully connected feed-forward network trained by backpropagation.

    ``MLP([4, 5, 2])`` is the seed network: 4 inputs, 5 sigmoid hidden
    neurons, 2 sigmoid outputs, trained on E = ½·Σ(ŷ − y)².
    """

    def __init__(
        self,
        layer_sizes: Sequence[int],
        activation: str = "sigmoid",
        seed: int | None = None,
        *,
        output_activation: str = "sigmoid",
        loss: str = "sse",
    ) -> None:
        self.layer_sizes = check_layer_sizes(layer_sizes)
        self._hidden: Activation = get_activation(activation)
        self._output: Activation = get_activation(output_activation, output=True)
        self._loss: Loss = get_loss(loss, output_activation)
        self.activation = activation
        self.output_activation = output_activation
        self.loss_name = loss
        self.seed = seed
        self._params = np.empty(parameter_count(self.layer_sizes))
        self._weight_views: list[np.ndarray] = []
        self._bias_views: list[np.ndarray] = []
        offset = 0
        for fan_in, fan_out in itertools.pairwise(self.layer_sizes):
            w = self._params[offset : offset + fan_in * fan_out].reshape(fan_in, fan_out)
            offset += fan_in * fan_out
            self._weight_views.append(w)
            self._bias_views.append(self._params[offset : offset + fan_out])
            offset += fan_out
        self.weights = list(self._weight_views)
        self.biases = list(self._bias_views)
        self._initialise(np.random.default_rng(seed))

    def _initialise(self, rng: np.random.Generator) -> None:
        """Glorot-uniform weights (He-uniform before ReLUs), zero biases."""
        for i, w in enumerate(self._weight_views):
            fan_in, fan_out = w.shape
            relu_like = self.activation in ("relu", "leaky_relu") and i < len(self._weight_views) - 1
            limit = np.sqrt(6.0 / fan_in) if relu_like else np.sqrt(6.0 / (fan_in + fan_out))
            w[...] = rng.uniform(-limit, limit, size=w.shape)
            self._bias_views[i][...] = 0.0

    @property
    def n_layers(self) -> int:
        """Number of weight layers (hidden layers + 1)."""
        return len(self.layer_sizes) - 1

    @property
    def loss_function(self) -> Loss:
        return self._loss

    def parameters(self) -> np.ndarray:
        """All weights and biases as one flat vector (the live buffer)."""
        self._sync()
        return self._params

    def _sync(self) -> None:
        """Adopt arrays a caller put into ``weights``/``biases`` in place of the views."""
        for live, views in ((self.weights, self._weight_views), (self.biases, self._bias_views)):
            for i, view in enumerate(views):
                if live[i] is not view:
                    given = np.asarray(live[i], dtype=np.float64)
                    if given.shape != view.shape:
                        raise ValueError(f"parameter {i} has shape {given.shape}, expected {view.shape}")
                    view[...] = given
                    live[i] = view

    def copy(self) -> MLP:
        """An independent network with the same settings and parameters."""
        twin = MLP(
            self.layer_sizes,
            self.activation,
            self.seed,
            output_activation=self.output_activation,
            loss=self.loss_name,
        )
        twin._params[...] = self.parameters()
        return twin

    def forward(self, X: np.ndarray) -> np.ndarray:
        """Network outputs for inputs X of shape (n, layer_sizes[0])."""
        return self.activations(X)[-1]

    def activations(self, X: np.ndarray) -> list[np.ndarray]:
        """Every layer's output for inputs X, input layer first."""
        return _Pass(self, as_inputs(X, self.layer_sizes[0])).forward()

    def loss(self, X: np.ndarray, y: np.ndarray) -> float:
        """The training objective on (X, y)."""
        run = _Pass(self, *self._data(X, y))
        run.forward()
        return run.loss()

    def gradients(self, X: np.ndarray, y: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Exact gradient of ``loss(X, y)``: (dW list, db list), shaped like the parameters."""
        run = _Pass(self, *self._data(X, y))
        run.forward()
        run.loss()
        run.backward()
        return [g.copy() for g in run.grad_w], [g.copy() for g in run.grad_b]

    def fit(self, X: np.ndarray, y: np.ndarray, epochs: int, learning_rate: float) -> np.ndarray:
        """Full-batch gradient descent; returns the loss before each epoch's update.

        Training stops early if the loss stops being finite (see ``core.trainer``).
        """
        from .trainer import train

        return train(self, X, y, epochs=epochs, learning_rate=learning_rate).losses

    def _data(self, X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        X = as_inputs(X, self.layer_sizes[0])
        y = np.ascontiguousarray(y, dtype=np.float64)
        if y.ndim == 1:
            y = y.reshape(-1, 1)
        if y.shape != (X.shape[0], self.layer_sizes[-1]):
            raise ValueError(f"targets have shape {y.shape}, expected {(X.shape[0], self.layer_sizes[-1])}")
        return X, y

    def __repr__(self) -> str:
        sizes = "-".join(map(str, self.layer_sizes))
        return f"MLP({sizes}, {self.activation} → {self.output_activation}, loss={self.loss_name})"


def as_inputs(X: np.ndarray, width: int) -> np.ndarray:
    """X as a C-contiguous float64 (n, width) array, or ValueError."""
    X = np.ascontiguousarray(X, dtype=np.float64)
    if X.ndim == 1:
        X = X.reshape(1, -1)
    if X.ndim != 2 or X.shape[1] != width:
        raise ValueError(f"inputs have shape {X.shape}, expected (n, {width})")
    return X


class _Pass:
    """Preallocated buffers for forward and backward passes over one batch shape.

    ``step`` does one epoch of gradient descent with a fixed number of NumPy
    calls and no allocation.
    """

    def __init__(self, model: MLP, X: np.ndarray, y: np.ndarray | None = None) -> None:
        model._sync()
        n = X.shape[0]
        self.model = model
        self.X = X
        self.y = y
        self.weights = model._weight_views
        self.biases = model._bias_views
        self.params = model._params
        self.grad = np.empty_like(model._params)
        self.grad_w: list[np.ndarray] = []
        self.grad_b: list[np.ndarray] = []
        offset = 0
        for w in self.weights:
            self.grad_w.append(self.grad[offset : offset + w.size].reshape(w.shape))
            offset += w.size
            self.grad_b.append(self.grad[offset : offset + w.shape[1]])
            offset += w.shape[1]
        sizes = model.layer_sizes[1:]
        self.outs = [np.empty((n, s)) for s in sizes]
        self.deltas = [np.empty((n, s)) for s in sizes]
        self.tmps = [np.empty((n, s)) for s in sizes]
        self.logits = np.empty((n, sizes[-1])) if model._loss.from_logits else self.outs[-1]
        self.err = np.empty((n, sizes[-1]))
        self.ones = np.ones(n)
        self.hidden = model._hidden.apply
        self.hidden_backprop = model._hidden.backprop
        self.output = model._output
        self.lossf = model._loss

    def forward(self) -> list[np.ndarray]:
        """Fill every layer's output; returns them with the inputs first."""
        with np.errstate(over="ignore"):
            self._forward()
        return [self.X, *self.outs]

    def _forward(self) -> None:
        a = self.X
        last = len(self.weights) - 1
        for i, (w, b) in enumerate(zip(self.weights, self.biases)):
            z = self.logits if i == last else self.outs[i]
            np.matmul(a, w, out=z)
            np.add(z, b, out=z)
            if i < last:
                self.hidden(z)
            else:
                if z is not self.outs[i]:
                    np.copyto(self.outs[i], z)
                self.output.apply(self.outs[i])
            a = self.outs[i]

    def loss(self) -> float:
        return self.lossf.value(self.logits, self.outs[-1], self.y, self.err, self.output.name)

    def backward(self) -> None:
        """Fill ``grad`` with the gradient of the last ``loss()``."""
        with np.errstate(over="ignore", under="ignore"):
            self._backward()

    def _backward(self) -> None:
        last = len(self.weights) - 1
        delta = self.deltas[last]
        self.lossf.gradient(self.outs[last], self.y, self.err, delta, self.output.name)
        if not self.lossf.from_logits:
            self.output.backprop(self.outs[last], delta, self.tmps[last])
        for i in range(last, -1, -1):
            below = self.outs[i - 1] if i else self.X
            np.matmul(below.T, delta, out=self.grad_w[i])
            np.matmul(self.ones, delta, out=self.grad_b[i])
            if i:
                np.matmul(delta, self.weights[i].T, out=self.deltas[i - 1])
                delta = self.deltas[i - 1]
                self.hidden_backprop(below, delta, self.tmps[i - 1])

    def step(self, learning_rate: float, backup: np.ndarray) -> float:
        """One gradient-descent update; returns the loss before it.

        The parameters before the update are copied to ``backup``. A
        non-finite loss returns at once without updating, so the caller can
        restore ``backup``: the last parameters whose loss was finite. Call
        inside ``np.errstate(all="ignore")``.
        """
        self._forward()
        value = self.lossf.value(self.logits, self.outs[-1], self.y, self.err, self.output.name)
        if not math.isfinite(value):
            return value
        self._backward()
        np.copyto(backup, self.params)
        np.multiply(self.grad, learning_rate, out=self.grad)
        np.subtract(self.params, self.grad, out=self.params)
        return value
