"""Loss values against their textbook formulas, and numerical stability of
sigmoid, softmax and cross-entropy for logits up to |z| = 1e4."""

import warnings

import numpy as np
import pytest

from tui_mlp.core.activations import get_activation
from tui_mlp.core.datasets import load_dataset
from tui_mlp.core.losses import get_loss
from tui_mlp.core.mlp import MLP

BIG = 1e4


def output_logits(model: MLP, X: np.ndarray) -> np.ndarray:
    """The output layer's pre-activation, computed from the model's public arrays."""
    below = model.activations(X)[-2]
    return below @ model.weights[-1] + model.biases[-1]


def random_problem(seed: int, sizes, output: str, loss: str):
    rng = np.random.default_rng(seed)
    model = MLP(sizes, "tanh", seed, output_activation=output, loss=loss)
    X = rng.normal(size=(6, sizes[0]))
    y = rng.uniform(size=(6, sizes[-1]))
    if output == "softmax":
        y /= y.sum(axis=1, keepdims=True)
    return model, X, y


def test_sse_is_half_the_sum_of_squares_exactly_on_the_seed_network():
    data = load_dataset("seed")
    model = MLP([4, 5, 2], seed=0)
    error = model.forward(data.X) - data.y
    assert model.loss(data.X, data.y) == 0.5 * np.sum(error**2)


@pytest.mark.parametrize("seed", range(5))
def test_mse_is_the_mean_over_samples_and_outputs(seed):
    model, X, y = random_problem(seed, [3, 4, 2], "sigmoid", "mse")
    expected = np.mean((model.forward(X) - y) ** 2)
    assert model.loss(X, y) == pytest.approx(expected, rel=1e-14)
    sse = MLP([3, 4, 2], "tanh", seed, output_activation="sigmoid", loss="sse")
    assert model.loss(X, y) == pytest.approx(sse.loss(X, y) * 2 / y.size, rel=1e-14)


@pytest.mark.parametrize("seed", range(5))
def test_softmax_cross_entropy_is_mean_negative_log_likelihood(seed):
    model, X, y = random_problem(seed, [3, 4, 3], "softmax", "cross_entropy")
    z = output_logits(model, X)
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(model.forward(X), p, rtol=1e-14)
    expected = -np.mean(np.sum(y * np.log(p), axis=1))
    assert model.loss(X, y) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("seed", range(5))
def test_sigmoid_cross_entropy_is_mean_binary_cross_entropy(seed):
    model, X, y = random_problem(seed, [3, 4, 2], "sigmoid", "cross_entropy")
    p = 1 / (1 + np.exp(-output_logits(model, X)))
    np.testing.assert_allclose(model.forward(X), p, rtol=1e-14)
    expected = -np.mean(np.sum(y * np.log(p) + (1 - y) * np.log(1 - p), axis=1))
    assert model.loss(X, y) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("output", ["linear", "tanh", "relu", "leaky_relu"])
def test_cross_entropy_needs_a_sigmoid_or_softmax_output(output):
    with pytest.raises(ValueError, match="cross_entropy"):
        MLP([2, 3, 1], output_activation=output, loss="cross_entropy")


@pytest.mark.parametrize(
    ("lookup", "message"),
    [
        (lambda: get_loss("hinge", "sigmoid"), "sse, mse, cross_entropy"),
        (lambda: get_activation("swish"), "sigmoid, tanh, relu, leaky_relu, linear"),
        (lambda: get_activation("softmax"), "hidden activation 'softmax'"),
        (lambda: get_activation("gelu", output=True), "softmax"),
    ],
)
def test_unknown_names_are_refused_with_the_choices(lookup, message):
    with pytest.raises(ValueError, match=message):
        lookup()


def stable_sigmoid(z: np.ndarray) -> np.ndarray:
    """Reference sigmoid that never evaluates exp of a positive number."""
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


@pytest.fixture
def strict():
    """Overflow, invalid and divide-by-zero raise, and so does every warning.
    Underflow stays at NumPy's default (ignored): exp(-1e4) == 0.0 is exact."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            yield


def test_sigmoid_is_exact_and_quiet_for_huge_inputs(strict):
    z = np.array([-BIG, -1000.0, -700.0, -50.0, -1.0, 0.0, 1.0, 50.0, 700.0, 1000.0, BIG])
    got = get_activation("sigmoid")(z)
    np.testing.assert_allclose(got, stable_sigmoid(z), rtol=1e-14, atol=0)
    assert got[0] == 0.0 and got[-1] == 1.0 and got[5] == 0.5


@pytest.mark.parametrize(
    ("z", "expected"),
    [
        ([BIG, 0.0, -BIG], [1.0, 0.0, 0.0]),
        ([-BIG, -BIG], [0.5, 0.5]),
        ([BIG, BIG - 1.0], [1 / (1 + np.exp(-1.0)), np.exp(-1.0) / (1 + np.exp(-1.0))]),
        ([0.0, 0.0, 0.0, 0.0], [0.25] * 4),
    ],
)
def test_softmax_is_exact_and_quiet_for_huge_inputs(strict, z, expected):
    got = get_activation("softmax", output=True)(np.array([z]))
    np.testing.assert_allclose(got[0], expected, rtol=1e-14, atol=0)
    assert got.sum() == pytest.approx(1.0, abs=1e-15)


@pytest.mark.parametrize(
    ("output", "loss", "target", "expected_loss", "expected_forward"),
    [
        ("softmax", "cross_entropy", [0.0, 1.0], 2 * BIG, [1.0, 0.0]),
        ("softmax", "cross_entropy", [1.0, 0.0], 0.0, [1.0, 0.0]),
        ("sigmoid", "cross_entropy", [0.0, 1.0], 2 * BIG, [1.0, 0.0]),
        ("sigmoid", "cross_entropy", [1.0, 0.0], 0.0, [1.0, 0.0]),
        ("sigmoid", "sse", [0.0, 1.0], 1.0, [1.0, 0.0]),
        ("softmax", "mse", [0.0, 1.0], 1.0, [1.0, 0.0]),
    ],
)
def test_network_with_logits_of_1e4_is_finite_and_quiet(strict, output, loss, target, expected_loss, expected_forward):
    model = MLP([1, 2], output_activation=output, loss=loss)
    model.weights[0][...] = [[BIG, -BIG]]
    model.biases[0][...] = 0.0
    X, y = np.array([[1.0]]), np.array([target])
    np.testing.assert_array_equal(model.forward(X), [expected_forward])
    assert model.loss(X, y) == pytest.approx(expected_loss, abs=1e-12)
    dW, db = model.gradients(X, y)
    assert all(np.isfinite(g).all() for g in dW + db)
    if loss == "cross_entropy":  # dL/dz = p - y, however large z is
        np.testing.assert_allclose(db[0], np.array(expected_forward) - y[0], atol=1e-15)
