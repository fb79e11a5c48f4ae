"""The multi-layer perceptron: parameters, forward pass, loss and backpropagation.

Layers are numbered from 0. Layer l takes a[l] (a[0] = x, the input) to

    z[l] = a[l]·W[l] + b[l]                 the pre-activation
    a[l+1] = f(z[l])                        the activation (the output one at the last layer)

and, for a loss L of the outputs a[L] = ŷ, backpropagation gives δ[l] = ∂L/∂z[l]:

    δ[L−1] = ∂L/∂a[L] · f′(z[L−1])          (∂L/∂z[L−1] directly for cross-entropy)
    ∂L/∂W[l] = a[l]ᵀ·δ[l],   ∂L/∂b[l] = Σ over samples of δ[l]
    δ[l−1] = (δ[l]·W[l]ᵀ) · f′(z[l−1])

All weights and biases live in one flat buffer; ``weights[i]`` and
``biases[i]`` are views into it, so one vector operation updates every
parameter and the arrays a caller holds are the ones the model uses. The
buffer, the passes' buffers and the optimizer's state share one dtype:
float64 (the default, the seed script's numbers bit for bit) or float32
(half the memory and about twice the matmul speed, with ~7 significant digits).

The passes hand each activation and derivative to ``in_blocks`` (``core.parallel``):
for a big batch it runs the function block by block on every core, for a small one it
simply calls it; the numbers are the same either way, to the bit.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Sequence
from typing import Any, NoReturn

import numpy as np

from .activations import Activation, get_activation
from .choices import DEFAULT_ACTIVATION, DEFAULT_DTYPE, DTYPES, MAX_LAYER_SIZE, MAX_LAYERS, MAX_PARAMETERS
from .losses import Loss, get_loss
from .optimizers import Optimizer
from .parallel import in_blocks
from .trace import LayerTrace, Trace
from .trainer import train


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


def check_dtype(dtype: Any) -> np.dtype:
    """``dtype`` (``np.float32``, ``"float32"``, …) as a NumPy dtype, or ValueError naming the choices."""
    try:
        checked = np.dtype(dtype)
    except TypeError:
        checked = None
    if checked is None or checked.name not in DTYPES:
        raise ValueError(f"dtype {dtype!r} is not one of {', '.join(DTYPES)}")
    return checked


def parameter_count(sizes: Sequence[int]) -> int:
    """Number of weights and biases in a network of these layer sizes."""
    return sum((a + 1) * b for a, b in itertools.pairwise(sizes))


class MLP:
    """A fully connected feed-forward network trained by backpropagation.

    ``MLP([4, 5, 2])`` is the seed network: 4 inputs, 5 sigmoid hidden
    neurons, 2 sigmoid outputs, trained on E = ½·Σ(ŷ − y)². With
    ``dtype=np.float32`` every array of the network and its training is float32;
    the same seed gives the float64 network's initial weights, rounded.
    """

    def __init__(
        self,
        layer_sizes: Sequence[int],
        activation: str = DEFAULT_ACTIVATION,
        seed: int | None = None,
        *,
        output_activation: str = DEFAULT_ACTIVATION,
        loss: str = "sse",
        dtype: Any = DEFAULT_DTYPE,
        parameters: np.ndarray | None = None,
    ) -> None:
        """``parameters``: a flat vector to start from (see ``parameters()``) instead of the seed's."""
        self.layer_sizes = check_layer_sizes(layer_sizes)
        self.dtype = check_dtype(dtype)
        self._hidden: Activation = get_activation(activation)
        self._output: Activation = get_activation(output_activation, output=True)
        self._loss: Loss = get_loss(loss, output_activation)
        self.activation = activation
        self.output_activation = output_activation
        self.loss_name = loss
        self.seed = seed
        self._params = np.empty(parameter_count(self.layer_sizes), self.dtype)
        self._stacked, self._weights, self._biases = layer_views(self._params, self.layer_sizes)
        self.weights, self.biases = LayerArrays(self._weights), LayerArrays(self._biases)
        self._functions = (self._hidden,) * (self.n_layers - 1) + (self._output,)
        if parameters is None:
            self._initialise(np.random.default_rng(seed))
        elif np.shape(parameters) != self._params.shape:
            raise ValueError(f"{self._params.size:,} parameters expected, not {np.size(parameters):,}")
        else:
            self._params[...] = parameters

    def _initialise(self, rng: np.random.Generator) -> None:
        """Glorot-uniform weights (He-uniform before ReLUs), zero biases."""
        for i, w in enumerate(self._weights):
            fan_in, fan_out = w.shape
            relu_like = self.activation in ("relu", "leaky_relu") and i < self.n_layers - 1
            limit = np.sqrt(6.0 / fan_in) if relu_like else np.sqrt(6.0 / (fan_in + fan_out))
            w[...] = rng.uniform(-limit, limit, size=w.shape)
            self._biases[i][...] = 0.0

    @property
    def n_layers(self) -> int:
        """Number of weight layers (hidden layers + 1)."""
        return len(self.layer_sizes) - 1

    @property
    def loss_function(self) -> Loss:
        return self._loss

    @property
    def activation_functions(self) -> tuple[Activation, ...]:
        """The activation of every weight layer: hidden ones, then the output's."""
        return self._functions

    def parameters(self) -> np.ndarray:
        """All weights and biases as one flat vector (the live buffer)."""
        return self._params

    def set_parameters(self, weights: Sequence[np.ndarray], biases: Sequence[np.ndarray]) -> None:
        """Copy ``weights[l]`` and ``biases[l]`` into the model (ValueError if a shape differs)."""
        if len(weights) != self.n_layers or len(biases) != self.n_layers:
            raise ValueError(f"expected {self.n_layers} weight matrices and {self.n_layers} bias vectors")
        arrays = [np.asarray(array, dtype=self.dtype) for array in [*weights, *biases]]
        targets = [*self._weights, *self._biases]
        for array, target in zip(arrays, targets):
            if array.shape != target.shape:
                raise ValueError(f"a parameter has shape {array.shape}, expected {target.shape}")
        for array, target in zip(arrays, targets):
            target[...] = array

    def weight_mask(self) -> np.ndarray:
        """A parameter-shaped vector: 1.0 at every weight, 0.0 at every bias."""
        mask = np.ones_like(self._params)
        for bias in layer_views(mask, self.layer_sizes)[2]:
            bias[...] = 0.0
        return mask

    def copy(self, dtype: Any = None, *, parameters: np.ndarray | None = None) -> MLP:
        """An independent network with the same settings and parameters (or ``parameters``), in
        ``dtype`` if it is given (float64 → float32 rounds each parameter to the nearest float32)."""
        return MLP(
            self.layer_sizes,
            self.activation,
            self.seed,
            output_activation=self.output_activation,
            loss=self.loss_name,
            dtype=self.dtype if dtype is None else dtype,
            parameters=self._params if parameters is None else parameters,
        )

    # --- the passes, over preallocated buffers ------------------------------------------

    def buffers(self, rows: int, grad: np.ndarray | None = None, *, keep_z: bool = False) -> Buffers:
        """Arrays for passes over ``rows`` samples (see ``Buffers``)."""
        return Buffers(self, rows, grad, keep_z=keep_z)

    def forward_pass(self, buffers: Buffers) -> None:
        """z[l] = a[l]·W[l] + b[l] and a[l+1] = f(z[l]), layer by layer, from the inputs a[0].

        Each input a[l] carries a column of ones, a1[l] = [a[l] 1], and each W[l] its
        biases as a last row, Wb[l] = [W[l]; b[l]], so one matmul gives a[l]·W[l] + b[l].
        """
        a1, a, z, tmp = buffers.a1, buffers.a, buffers.z, buffers.tmp
        for l, (Wb, f) in enumerate(zip(self._stacked, self._functions)):
            np.matmul(a1[l], Wb, out=z[l])  # z[l] = [a[l] 1]·[W[l]; b[l]] = a[l]·W[l] + b[l]
            in_blocks(f.forward, z[l], a[l + 1], tmp[l], split=f.elementwise)  # a[l+1] = f(z[l])

    def batch_loss(self, buffers: Buffers) -> float:
        """L(a[L], y) after ``forward_pass``; its gradient ∂L/∂a[L] (∂L/∂z[L−1] for
        cross-entropy) is left in δ[L−1] for ``backward_pass``."""
        return float(self._loss.function(buffers.z[-1], buffers.a[-1], buffers.y, buffers.delta[-1]))

    def backward_pass(self, buffers: Buffers) -> None:
        """δ[l] = ∂L/∂z[l], ∂L/∂W[l] = a[l]ᵀ·δ[l] and ∂L/∂b[l] = Σ δ[l], from the last layer back,
        after ``batch_loss``: the gradient lands in ``buffers.grad``."""
        a1, a, delta, tmp, last = buffers.a1, buffers.a, buffers.delta, buffers.tmp, self.n_layers - 1
        output, hidden = self._output, self._hidden
        if not self._loss.from_logits:  # δ[L−1] = ∂L/∂a[L] · f′(z[L−1])
            in_blocks(output.derivative, a[-1], delta[last], tmp[last], split=output.elementwise)
        for l in range(last, -1, -1):
            np.matmul(a1[l].T, delta[l], out=buffers.grad_stacked[l])  # [∂L/∂W[l]; ∂L/∂b[l]] = [a[l] 1]ᵀ·δ[l]
            if l > 0:  # δ[l−1] = (δ[l]·W[l]ᵀ) · f′(z[l−1])
                np.matmul(delta[l], self._weights[l].T, out=delta[l - 1])
                in_blocks(hidden.derivative, a[l], delta[l - 1], tmp[l - 1], split=hidden.elementwise)

    def _run(self, X: np.ndarray, y: np.ndarray | None = None, *, keep_z: bool = False) -> Buffers:
        """Buffers holding X (and y) after a forward pass."""
        buffers = self.buffers(len(X), keep_z=keep_z)
        buffers.a[0][...] = X
        if y is not None:
            buffers.y[...] = y
        with np.errstate(over="ignore", under="ignore"):
            self.forward_pass(buffers)
        return buffers

    # --- the public face ----------------------------------------------------------------

    def forward(self, X: np.ndarray) -> np.ndarray:
        """Network outputs for inputs X of shape (n, layer_sizes[0])."""
        return self.activations(X)[-1]

    def activations(self, X: np.ndarray) -> list[np.ndarray]:
        """Every layer's output for inputs X, input layer first."""
        return self._run(as_inputs(X, self.layer_sizes[0], self.dtype)).a

    def loss(self, X: np.ndarray, y: np.ndarray) -> float:
        """The training objective on (X, y)."""
        buffers = self._run(*self.as_data(X, y))
        with np.errstate(over="ignore", under="ignore"):
            return self.batch_loss(buffers)

    def gradients(self, X: np.ndarray, y: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Exact gradient of ``loss(X, y)``: (dW list, db list), shaped like the parameters."""
        buffers = self._run(*self.as_data(X, y))
        with np.errstate(over="ignore", under="ignore"):
            self.batch_loss(buffers)
            self.backward_pass(buffers)
        return [g.copy() for g in buffers.grad_weights], [g.copy() for g in buffers.grad_biases]

    def trace(self, X: np.ndarray, y: np.ndarray, optimizer: Optimizer) -> Trace:
        """One training step on samples (X, y), every number of it: per layer the inputs,
        z, a, δ, ∂L/∂W, ∂L/∂b and the change Δθ ``optimizer`` would make now (with its
        learning rate, state and weight decay; the optimizer itself is left as it was).
        The model is not changed."""
        X, y = self.as_data(X, y)
        buffers = self._run(X, y, keep_z=True)
        with np.errstate(over="ignore", under="ignore"):
            loss = self.batch_loss(buffers)
            self.backward_pass(buffers)
            step = copy.deepcopy(optimizer).change(buffers.grad.copy(), self._params).astype(self.dtype)
        _, step_weights, step_biases = layer_views(step, self.layer_sizes)
        layers = tuple(
            LayerTrace(
                inputs=buffers.a[l],
                weights=self._weights[l].copy(),
                biases=self._biases[l].copy(),
                z=buffers.z[l],
                a=buffers.a[l + 1],
                delta=buffers.delta[l],
                grad_weights=buffers.grad_weights[l],
                grad_biases=buffers.grad_biases[l],
                step_weights=step_weights[l],
                step_biases=step_biases[l],
            )
            for l in range(self.n_layers)
        )
        return Trace(X, y, loss, layers)

    def fit(self, X: np.ndarray, y: np.ndarray, epochs: int, learning_rate: float) -> np.ndarray:
        """Full-batch gradient descent; returns the loss before each epoch's update.

        Training stops early if the loss stops being finite (see ``core.trainer``).
        """
        return train(self, X, y, epochs=epochs, learning_rate=learning_rate).losses

    def as_data(self, X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(X, y) as C-contiguous arrays of this network's widths and dtype, or ValueError."""
        X = as_inputs(X, self.layer_sizes[0], self.dtype)
        y = np.ascontiguousarray(y, dtype=self.dtype)
        if y.ndim == 1:  # one target a sample, or one sample's targets
            y = y.reshape(1, -1) if len(X) == 1 else y.reshape(-1, 1)
        if y.shape != (X.shape[0], self.layer_sizes[-1]):
            raise ValueError(f"targets have shape {y.shape}, expected {(X.shape[0], self.layer_sizes[-1])}")
        return X, y

    def __repr__(self) -> str:
        sizes = "-".join(map(str, self.layer_sizes))
        dtype = "" if self.dtype.name == DEFAULT_DTYPE else f", dtype={self.dtype.name}"
        return f"MLP({sizes}, {self.activation} → {self.output_activation}, loss={self.loss_name}{dtype})"


class LayerArrays(list):
    """``weights`` or ``biases``: W[l] of shape (layer_sizes[l], layer_sizes[l+1]), b[l] of
    shape (layer_sizes[l+1],), views of the parameters the model really uses. They change
    in place (``weights[0] -= g``, ``weights[0][...] = w``); replacing or removing one is
    refused: ``MLP.set_parameters`` copies new values in."""

    def __setitem__(self, index: Any, value: Any) -> None:
        if isinstance(index, slice) or value is not self[index]:  # ``weights[0] -= g`` stores the same array back
            self._refuse()

    def _refuse(self, *args: Any) -> NoReturn:
        raise TypeError("a layer's parameters cannot be replaced: change them in place or use set_parameters")

    __delitem__ = append = extend = insert = pop = remove = clear = sort = reverse = __iadd__ = __imul__ = _refuse


class Buffers:
    """Preallocated arrays for passes over ``rows`` samples, one a layer: ``a1[l]`` = [a[l] 1]
    (each layer's input with its column of ones) and ``a[l]`` its view without them, a[0]
    the inputs … a[L] the outputs; ``z``, ``delta`` and ``tmp`` (scratch for the
    activations); the targets ``y``; the flat gradient ``grad`` and its per-layer views.
    All in the model's dtype.

    ``z[l]`` is ``a[l+1]`` itself (the activation is applied in place) unless ``keep_z``
    or the loss needs the output's logits. The arrays are in Fortran order (a neuron's
    values over the samples contiguous), so that a[l] = a1[l][:, :-1] is contiguous; so are
    a softmax's outputs and targets, whose max and sums over each sample's outputs then
    run down whole columns (10 to 40 times faster than along rows of 10). Other outputs
    stay in C order, where ``np.vdot`` sums the squared errors without a copy and in the
    order it always has (the seed script's numbers, bit for bit).
    """

    def __init__(self, model: MLP, rows: int, grad: np.ndarray | None = None, *, keep_z: bool = False) -> None:
        sizes, dtype = model.layer_sizes, model.dtype
        outputs = "F" if model.output_activation == "softmax" else "C"
        self.a1 = [np.ones((rows, size + 1), dtype, order="F") for size in sizes[:-1]]
        self.a = [a1[:, :-1] for a1 in self.a1] + [np.empty((rows, sizes[-1]), dtype, order=outputs)]
        self.z = [np.empty_like(a) if keep_z else a for a in self.a[1:]]
        if model.loss_function.from_logits and not keep_z:
            self.z[-1] = np.empty_like(self.a[-1])
        self.delta = [np.empty_like(a) for a in self.a[1:]]
        self.tmp = [np.empty_like(a) for a in self.a[1:]]
        self.y = np.empty((rows, sizes[-1]), dtype, order=outputs)
        self.grad = np.empty(parameter_count(sizes), dtype) if grad is None else grad
        self.grad_stacked, self.grad_weights, self.grad_biases = layer_views(self.grad, sizes)


def as_inputs(X: np.ndarray, width: int, dtype: Any = np.float64) -> np.ndarray:
    """X as a C-contiguous (n, width) array of ``dtype``, or ValueError."""
    X = np.ascontiguousarray(X, dtype=dtype)
    if X.ndim == 1:
        X = X.reshape(1, -1)
    if X.ndim != 2 or X.shape[1] != width:
        raise ValueError(f"inputs have shape {X.shape}, expected (n, {width})")
    if X.shape[0] == 0:
        raise ValueError("there are no samples")
    return X


def layer_views(
    flat: np.ndarray, sizes: Sequence[int]
) -> tuple[tuple[np.ndarray, ...], tuple[np.ndarray, ...], tuple[np.ndarray, ...]]:
    """Views of a flat parameter-shaped buffer, per layer: [W; b], the (fan_in + 1, fan_out)
    matrix of the layer's weights with its biases as a last row; W; and b."""
    stacked, offset = [], 0
    for fan_in, fan_out in itertools.pairwise(sizes):
        stacked.append(flat[offset : offset + (fan_in + 1) * fan_out].reshape(fan_in + 1, fan_out))
        offset += (fan_in + 1) * fan_out
    return tuple(stacked), tuple(m[:-1] for m in stacked), tuple(m[-1] for m in stacked)
