"""Parity with the seed teaching script: its dataset, its update rule, its convergence."""

import numpy as np
import pytest

from tui_mlp.core.datasets import load_dataset
from tui_mlp.core.mlp import MLP

SEED_X = [[1, 0, 0, 1], [0, 1, 1, 0], [1, 1, 0, 1], [0, 0, 1, 1]]
SEED_Y = [[0, 0], [0, 1], [1, 0], [1, 1]]


def test_seed_dataset_is_exactly_the_scripts():
    data = load_dataset("seed")
    np.testing.assert_array_equal(data.X, SEED_X)
    np.testing.assert_array_equal(data.y, SEED_Y)
    assert data.X.dtype == data.y.dtype == np.float64
    assert (data.n_inputs, data.n_outputs) == (4, 2)


@pytest.mark.parametrize("seed", range(10))
def test_seed_network_converges_with_the_scripts_settings(seed):
    data = load_dataset("seed")
    losses = MLP([4, 5, 2], seed=seed).fit(data.X, data.y, 10_000, 0.1)
    assert len(losses) == 10_000
    assert losses[-1] < 0.01


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def classic_backprop_epoch(W1, b1, W2, b2, X, y, lr):
    """The seed script's update, written out by hand; returns the loss before it."""
    a1 = sigmoid(X @ W1 + b1)
    out = sigmoid(a1 @ W2 + b2)
    total_error = 0.5 * np.sum((out - y) ** 2)
    delta_out = (out - y) * out * (1 - out)
    delta_hidden = (delta_out @ W2.T) * a1 * (1 - a1)
    W2 -= lr * a1.T @ delta_out
    b2 -= lr * delta_out.sum(axis=0)
    W1 -= lr * X.T @ delta_hidden
    b1 -= lr * delta_hidden.sum(axis=0)
    return total_error


@pytest.mark.parametrize("epochs", [1, 5])
@pytest.mark.parametrize("seed", [0, 1])
def test_fit_is_the_classic_backprop_update(seed, epochs):
    data = load_dataset("seed")
    model = MLP([4, 5, 2], seed=seed)
    for b in model.biases:  # non-zero biases so a bias bug shows
        b[...] = np.random.default_rng(seed).normal(size=b.shape)
    W1, W2 = (w.copy() for w in model.weights)
    b1, b2 = (b.copy() for b in model.biases)
    lr = 0.5

    losses = model.fit(data.X, data.y, epochs, lr)
    expected = [classic_backprop_epoch(W1, b1, W2, b2, data.X, data.y, lr) for _ in range(epochs)]

    np.testing.assert_allclose(losses, expected, rtol=1e-12, atol=0)
    for got, want in zip([*model.weights, *model.biases], [W1, W2, b1, b2]):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-15)
