"""The multi-layer perceptron: parameters, forward pass, loss and backprop.

All weights and biases live in one flat float64 buffer; ``weights[i]`` and
``biases[i]`` are views into it, so one vector operation updates every
parameter and the arrays a caller holds are the ones the model uses.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence

import numpy as np

from .activations import Activation, Op, get_activation, run_ops
from .losses import Loss, get_loss

DEFAULT_ACTIVATION = "sigmoid"  # the seed script's, hidden and output
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
        activation: str = DEFAULT_ACTIVATION,
        seed: int | None = None,
        *,
        output_activation: str = DEFAULT_ACTIVATION,
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
        augmented = _augmented(self._params, self.layer_sizes)
        self._weight_views = [m[:-1] for m in augmented]
        self._bias_views = [m[-1] for m in augmented]
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

    def weight_mask(self) -> np.ndarray:
        """A parameter-shaped vector: 1.0 at every weight, 0.0 at every bias."""
        mask = np.ones_like(self._params)
        for matrix in _augmented(mask, self.layer_sizes):
            matrix[-1] = 0.0
        return mask

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
    if X.shape[0] == 0:
        raise ValueError("there are no samples")
    return X


class _Pass:
    """Preallocated buffers and the fixed list of NumPy calls for forward and
    backward passes over one batch shape.

    Each layer's input carries a trailing column of ones and each weight
    matrix its bias as a last row, so one matmul computes x·W + b and one
    matmul its gradient. Buffers are in Fortran order so that the activation
    part of an input, ``[:, :-1]``, is contiguous.
    """

    def __init__(self, model: MLP, X: np.ndarray, y: np.ndarray | None = None, grad: np.ndarray | None = None) -> None:
        model._sync()
        n, sizes, last = X.shape[0], model.layer_sizes, model.n_layers - 1
        self.params = model._params
        self.grad = np.empty_like(self.params) if grad is None else grad
        inputs = [np.ones((n, size + 1), order="F") for size in sizes[:-1]]
        self.X = inputs[0][:, :-1]
        self.X[...] = X
        self.y = np.zeros((n, sizes[-1]))
        if y is not None:
            self.y[...] = y
        self.outs = [x[:, :-1] for x in inputs[1:]] + [np.empty((n, sizes[-1]))]
        logits = np.empty((n, sizes[-1])) if model._loss.from_logits else self.outs[-1]
        deltas = [np.empty((n, size), order="F") for size in sizes[1:-1]] + [np.empty((n, sizes[-1]))]
        tmps = [np.empty_like(delta) for delta in deltas]
        column = np.empty((n, 1))
        weights = _augmented(self.params, sizes)
        grads = _augmented(self.grad, sizes)
        self.grad_w = [g[:-1] for g in grads]
        self.grad_b = [g[-1] for g in grads]

        self.forward_ops: list[Op] = []
        for i, (x, w) in enumerate(zip(inputs, weights)):
            z = logits if i == last else self.outs[i]
            self.forward_ops.append((np.matmul, (x, w, z)))
            if i < last:
                self.forward_ops += model._hidden.forward(z, tmps[i], column)
        if logits is not self.outs[-1]:
            self.forward_ops.append((np.copyto, (self.outs[-1], logits)))
        self.forward_ops += model._output.forward(self.outs[-1], tmps[-1], column)

        self.value, self.backward_ops = model._loss.bind(logits, self.outs[-1], self.y, deltas[-1], column)
        if not model._loss.from_logits:
            self.backward_ops += model._output.backprop(self.outs[-1], deltas[-1], tmps[-1], column)
        for i in range(last, -1, -1):
            self.backward_ops.append((np.matmul, (inputs[i].T, deltas[i], grads[i])))
            if i:
                self.backward_ops.append((np.matmul, (deltas[i], weights[i][:-1].T, deltas[i - 1])))
                self.backward_ops += model._hidden.backprop(self.outs[i - 1], deltas[i - 1], tmps[i - 1], column)

    def forward(self) -> list[np.ndarray]:
        """Every layer's output, inputs first."""
        with np.errstate(over="ignore", under="ignore"):
            run_ops(self.forward_ops)
        return [self.X, *self.outs]

    def loss(self) -> float:
        """The loss of the last ``forward``."""
        with np.errstate(over="ignore", under="ignore"):
            return float(self.value())

    def backward(self) -> None:
        """Fill ``grad`` with the gradient of the last ``loss()``."""
        with np.errstate(over="ignore", under="ignore"):
            run_ops(self.backward_ops)

    def step(self, update: Callable[[], None], backup: np.ndarray) -> float:
        """Forward, backward and ``update()``; returns the loss before the update.

        The parameters before the update are copied to ``backup``. A
        non-finite loss returns at once without updating, so the caller can
        restore ``backup``: the last parameters whose loss was finite. Call
        inside ``np.errstate(all="ignore")``.
        """
        for function, args in self.forward_ops:
            function(*args)
        value = self.value()
        if not math.isfinite(value):
            return value
        for function, args in self.backward_ops:
            function(*args)
        np.copyto(backup, self.params)
        update()
        return value


def _augmented(flat: np.ndarray, sizes: tuple[int, ...]) -> list[np.ndarray]:
    """Views of a flat parameter-shaped buffer as (fan_in + 1, fan_out)
    matrices: each layer's weights with its biases as the last row."""
    views, offset = [], 0
    for fan_in, fan_out in itertools.pairwise(sizes):
        views.append(flat[offset : offset + (fan_in + 1) * fan_out].reshape(fan_in + 1, fan_out))
        offset += (fan_in + 1) * fan_out
    return views
