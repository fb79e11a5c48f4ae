"""``MLP.trace``: one backprop step, every number of it. The forward values are the
model's, δ and the gradients equal central differences, and the traced change Δθ is
exactly the one the trainer makes next, whatever the optimizer, its state and the batch."""

from __future__ import annotations

import numpy as np
import pytest
from test_mlp_gradients import EPS, assert_gradients_close, finite_difference_gradients

from tui_mlp.core.datasets import load_dataset
from tui_mlp.core.mlp import MLP
from tui_mlp.core.optimizers import OPTIMIZERS, make_optimizer
from tui_mlp.core.trainer import Trainer

SEED = load_dataset("seed")

# (hidden activation, output activation, loss)
NETWORKS = [
    ("sigmoid", "sigmoid", "sse"),
    ("tanh", "linear", "mse"),
    ("leaky_relu", "softmax", "cross_entropy"),
    ("tanh", "sigmoid", "cross_entropy"),
    ("sigmoid", "softmax", "mse"),
]


def problem(hidden: str, output: str, loss: str, seed: int = 0) -> tuple[MLP, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    model = MLP([3, 4, 5, 3], hidden, seed, output_activation=output, loss=loss)
    for b in model.biases:
        b[...] = rng.normal(0.0, 0.5, b.shape)
    X = rng.normal(size=(5, 3))
    y = np.eye(3)[rng.integers(0, 3, 5)] if output == "softmax" else rng.uniform(size=(5, 3))
    return model, X, y


def loss_from_z(model: MLP, layer: int, z: np.ndarray, y: np.ndarray) -> float:
    """The loss with layer ``layer``'s pre-activations set to ``z``, the rest computed
    from the model's public arrays and activation functions."""
    functions = model.activation_functions
    logits = z
    a = functions[layer](z)
    for i in range(layer + 1, model.n_layers):
        logits = a @ model.weights[i] + model.biases[i]
        a = functions[i](logits)
    return float(model.loss_function.function(logits, a, y, np.empty_like(a)))


@pytest.mark.parametrize(("hidden", "output", "loss"), NETWORKS)
def test_the_forward_values_are_the_models(hidden: str, output: str, loss: str) -> None:
    model, X, y = problem(hidden, output, loss)
    trace = model.trace(X, y, make_optimizer("gd", model.parameters().size, 0.1))

    assert trace.loss == model.loss(X, y)
    np.testing.assert_array_equal(trace.outputs, model.forward(X))
    outputs = model.activations(X)
    for layer, inputs, a, f, W, b in zip(
        trace.layers, outputs, outputs[1:], model.activation_functions, model.weights, model.biases
    ):
        np.testing.assert_array_equal(layer.inputs, inputs)
        np.testing.assert_array_equal(layer.a, a)
        np.testing.assert_allclose(layer.z, inputs @ W + b, rtol=1e-12, atol=1e-14)
        np.testing.assert_array_equal(f(layer.z), a)
        np.testing.assert_array_equal(layer.weights, W)
        np.testing.assert_array_equal(layer.biases, b)


@pytest.mark.parametrize(("hidden", "output", "loss"), NETWORKS)
def test_deltas_and_gradients_equal_central_differences(hidden: str, output: str, loss: str) -> None:
    model, X, y = problem(hidden, output, loss)
    trace = model.trace(X, y, make_optimizer("gd", model.parameters().size, 0.1))

    for index, layer in enumerate(trace.layers):
        numeric = np.empty_like(layer.z)
        for at in np.ndindex(layer.z.shape):
            z = layer.z.copy()
            z[at] += EPS
            plus = loss_from_z(model, index, z, y)
            z[at] -= 2 * EPS
            numeric[at] = (plus - loss_from_z(model, index, z, y)) / (2 * EPS)
        assert_gradients_close(layer.delta.ravel(), numeric.ravel(), trace.loss)
    analytic = np.concatenate(
        [layer.grad_weights.ravel() for layer in trace.layers] + [layer.grad_biases.ravel() for layer in trace.layers]
    )
    numeric = np.concatenate([g.ravel() for g in finite_difference_gradients(model, X, y)])
    assert_gradients_close(analytic, numeric, trace.loss)
    dW, db = model.gradients(X, y)
    for layer, w, b in zip(trace.layers, dW, db):
        np.testing.assert_array_equal(layer.grad_weights, w)
        np.testing.assert_array_equal(layer.grad_biases, b)
        np.testing.assert_allclose(layer.grad_weights, layer.inputs.T @ layer.delta, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(layer.grad_biases, layer.delta.sum(axis=0), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("optimizer", OPTIMIZERS)
@pytest.mark.parametrize("weight_decay", [0.0, 0.05])
@pytest.mark.parametrize(("batch_size", "rows"), [(None, None), (2, [3, 0]), (3, [1])])
def test_the_traced_change_is_the_trainers_next_step_to_the_bit(
    dtype: str, optimizer: str, weight_decay: float, batch_size: int | None, rows: list[int] | None
) -> None:
    model = MLP([4, 5, 2], seed=0, dtype=dtype)
    options = {"optimizer": optimizer, "weight_decay": weight_decay, "batch_size": batch_size, "shuffle_seed": 1}
    trainer = Trainer(model, SEED.X, SEED.y, 0.3, **options)
    with np.errstate(all="ignore"):
        for _ in range(3):  # the optimizer's state (velocity, moments, step count) builds up
            trainer.epoch()
    X, y = (SEED.X, SEED.y) if rows is None else (SEED.X[rows], SEED.y[rows])
    before = model.parameters().copy()

    trace = model.trace(X, y, trainer.optimizer)
    np.testing.assert_array_equal(model.parameters(), before)  # tracing changes nothing
    with np.errstate(all="ignore"):
        loss = trainer.step(rows)

    assert trace.loss == loss
    for layer, W, b in zip(trace.layers, model.weights, model.biases):
        np.testing.assert_array_equal(layer.weights + layer.step_weights, W)
        np.testing.assert_array_equal(layer.new_biases, b)
        assert not np.array_equal(layer.new_weights, layer.weights)


def test_the_change_uses_the_optimizers_state_and_leaves_it_alone() -> None:
    model = MLP([4, 5, 2], seed=0)
    trainer = Trainer(model, SEED.X, SEED.y, 0.1, optimizer="momentum", momentum=0.9)
    with np.errstate(all="ignore"):
        trainer.epoch()
    first = model.trace(SEED.X, SEED.y, trainer.optimizer)
    second = model.trace(SEED.X, SEED.y, trainer.optimizer)
    for a, b in zip(first.layers, second.layers):
        np.testing.assert_array_equal(a.step_weights, b.step_weights)
        # v ← μ·v − η·g: the velocity of the first epoch carries on
        assert not np.allclose(a.step_weights, -0.1 * a.grad_weights)
    np.testing.assert_allclose(
        first.layers[0].step_biases,
        0.9 * trainer.optimizer.velocity[20:25] - 0.1 * first.layers[0].grad_biases,
        rtol=1e-12,
    )


def test_one_sample_is_a_batch_of_one() -> None:
    model = MLP([4, 5, 2], seed=0)
    trace = model.trace(SEED.X[1], SEED.y[1], make_optimizer("gd", model.parameters().size, 0.1))
    assert trace.X.shape == (1, 4) and trace.y.shape == (1, 2)
    assert [layer.z.shape for layer in trace.layers] == [(1, 5), (1, 2)]
    assert [layer.grad_weights.shape for layer in trace.layers] == [(4, 5), (5, 2)]
    for layer in trace.layers:
        np.testing.assert_array_equal(layer.grad_biases, layer.delta[0])  # ∂L/∂b = δ for one sample
        np.testing.assert_array_equal(layer.step_weights, -0.1 * layer.grad_weights)


def test_bad_samples_are_refused() -> None:
    model = MLP([4, 5, 2], seed=0)
    with pytest.raises(ValueError, match="targets"):
        model.trace(SEED.X, SEED.y[:2], make_optimizer("gd", model.parameters().size, 0.1))
