"""``MLP.gradients`` against central finite differences of ``MLP.loss``.

Every hidden activation × every valid (output activation, loss) pair, on
random depths, widths, seeds and data drawn by hypothesis.
"""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tui_mlp.core.activations import HIDDEN_ACTIVATIONS
from tui_mlp.core.mlp import MLP

EPS = 1e-6
TOLERANCE = 1e-6
KINK_MARGIN = 1e-4  # relu-like pre-activations closer than this to 0 are skipped

# (output activation, loss, kind of targets)
OUTPUT_LOSS_TARGETS = [
    ("sigmoid", "sse", "unit"),
    ("sigmoid", "mse", "unit"),
    ("sigmoid", "cross_entropy", "unit"),
    ("linear", "sse", "real"),
    ("linear", "mse", "real"),
    ("tanh", "sse", "signed_unit"),
    ("tanh", "mse", "signed_unit"),
    ("softmax", "sse", "probabilities"),
    ("softmax", "mse", "probabilities"),
    ("softmax", "cross_entropy", "one_hot"),
    ("softmax", "cross_entropy", "probabilities"),
]


def make_targets(kind: str, rng: np.random.Generator, n: int, width: int) -> np.ndarray:
    if kind == "unit":
        return rng.uniform(0.0, 1.0, (n, width))
    if kind == "signed_unit":
        return rng.uniform(-1.0, 1.0, (n, width))
    if kind == "real":
        return rng.normal(0.0, 1.0, (n, width))
    if kind == "one_hot":
        return np.eye(width)[rng.integers(0, width, n)]
    if kind == "probabilities":
        raw = rng.uniform(0.0, 1.0, (n, width)) + 1e-3
        return raw / raw.sum(axis=1, keepdims=True)
    raise AssertionError(kind)


def hidden_pre_activations(model: MLP, X: np.ndarray) -> list[np.ndarray]:
    """z = a·W + b of every hidden layer, from the model's own layer outputs."""
    outputs = model.activations(X)
    return [outputs[i] @ model.weights[i] + model.biases[i] for i in range(model.n_layers - 1)]


def finite_difference_gradients(model: MLP, X: np.ndarray, y: np.ndarray) -> list[np.ndarray]:
    """Central differences of ``model.loss``, perturbing the model's own arrays in place."""
    grads = []
    for param in [*model.weights, *model.biases]:
        grad = np.empty_like(param)
        for index in np.ndindex(param.shape):
            saved = param[index]
            param[index] = saved + EPS
            plus = model.loss(X, y)
            param[index] = saved - EPS
            minus = model.loss(X, y)
            param[index] = saved
            grad[index] = (plus - minus) / (2 * EPS)
        grads.append(grad)
    return grads


def relative_error(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(a) + np.linalg.norm(b), 1e-12))


def assert_gradients_close(analytic: np.ndarray, numeric: np.ndarray, loss_value: float) -> None:
    """Relative error below TOLERANCE, or, for gradients so small that the
    finite differences are mostly rounding noise, within that noise: each
    central difference carries an error of about eps_machine·|loss|/EPS."""
    noise = 10 * np.finfo(float).eps * max(abs(loss_value), 1.0) / EPS * np.sqrt(analytic.size)
    gap = np.linalg.norm(analytic - numeric)
    scale = np.linalg.norm(analytic) + np.linalg.norm(numeric)
    assert gap <= TOLERANCE * scale or gap <= noise, (
        f"relative error {relative_error(analytic, numeric):.3g} (gap {gap:.3g}, rounding floor {noise:.3g})"
    )


@pytest.mark.parametrize("hidden", HIDDEN_ACTIVATIONS)
@pytest.mark.parametrize(("output", "loss", "targets"), OUTPUT_LOSS_TARGETS)
@settings(max_examples=30, deadline=None)
@given(
    sizes=st.lists(st.integers(1, 6), min_size=3, max_size=5),  # 1 to 3 hidden layers
    n_samples=st.integers(1, 5),
    seed=st.integers(0, 2**32 - 1),
)
def test_gradients_match_finite_differences(hidden, output, loss, targets, sizes, n_samples, seed):
    model = MLP(sizes, hidden, seed, output_activation=output, loss=loss)
    rng = np.random.default_rng(seed)
    for b in model.biases:
        b[...] = rng.normal(0.0, 0.5, b.shape)  # the initial zero biases would hide bias bugs
    X = rng.normal(0.0, 1.0, (n_samples, sizes[0]))
    y = make_targets(targets, rng, n_samples, sizes[-1])
    if hidden in ("relu", "leaky_relu"):
        assume(all(np.abs(z).min() > KINK_MARGIN for z in hidden_pre_activations(model, X)))

    dW, db = model.gradients(X, y)

    assert [g.shape for g in dW] == [w.shape for w in model.weights]
    assert [g.shape for g in db] == [b.shape for b in model.biases]
    analytic = np.concatenate([g.ravel() for g in [*dW, *db]])
    numeric = np.concatenate([g.ravel() for g in finite_difference_gradients(model, X, y)])
    assert_gradients_close(analytic, numeric, model.loss(X, y))


def test_finite_difference_check_can_fail():
    """The check above notices a gradient that is wrong by a small factor."""
    model = MLP([3, 4, 2], "tanh", 1)
    rng = np.random.default_rng(1)
    X, y = rng.normal(size=(4, 3)), rng.uniform(size=(4, 2))
    dW, db = model.gradients(X, y)
    analytic = np.concatenate([g.ravel() for g in [*dW, *db]])
    numeric = np.concatenate([g.ravel() for g in finite_difference_gradients(model, X, y)])
    loss_value = model.loss(X, y)
    assert_gradients_close(analytic, numeric, loss_value)
    assert relative_error(analytic, numeric) < TOLERANCE
    with pytest.raises(AssertionError):
        assert_gradients_close(analytic * (1 + 1e-4), numeric, loss_value)


def test_gradients_leave_parameters_and_model_untouched():
    model = MLP([4, 5, 2], seed=3)
    before = model.parameters().copy()
    X, y = np.eye(4), np.full((4, 2), 0.5)
    first = model.gradients(X, y)
    second = model.gradients(X, y)
    np.testing.assert_array_equal(model.parameters(), before)
    for a, b in zip(first[0] + first[1], second[0] + second[1]):
        np.testing.assert_array_equal(a, b)
        assert not np.shares_memory(a, b)
        assert not np.shares_memory(a, model.parameters())
