"""Optimizers: each step against hand-written formulas, weight decay on the
weights only, refused settings, and training with each on xor."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tui_mlp.core import MLP, train
from tui_mlp.core.datasets import load_dataset
from tui_mlp.core.optimizers import ADAM_BETAS, ADAM_EPSILON, OPTIMIZERS, make_optimizer

W0 = np.array([0.5, -1.25, 2.0, 0.0, -0.3])
G1 = np.array([0.1, -0.2, 0.3, -0.4, 0.05])
G2 = np.array([-0.3, 0.25, 0.0, 1.5, -0.07])
LR = 0.05


def run(name: str, gradients: list[np.ndarray], **options: float | np.ndarray) -> list[np.ndarray]:
    """The parameters after each update, feeding ``gradients`` one per step."""
    params, grad = W0.copy(), np.empty_like(W0)
    optimizer = make_optimizer(name, params.size, LR, **options)
    after = []
    for g in gradients:
        grad[...] = g
        params += optimizer.change(grad, params)
        after.append(params.copy())
    return after


def test_the_constants_are_the_usual_ones() -> None:
    assert ADAM_BETAS == (0.9, 0.999) and ADAM_EPSILON == 1e-8
    assert OPTIMIZERS == ("gd", "momentum", "adam")


def test_gradient_descent_steps() -> None:
    one, two = run("gd", [G1, G2])
    np.testing.assert_allclose(one, W0 - LR * G1, rtol=0, atol=1e-12)
    np.testing.assert_allclose(two, W0 - LR * G1 - LR * G2, rtol=0, atol=1e-12)


@pytest.mark.parametrize("mu", [0.0, 0.5, 0.9])
def test_momentum_steps(mu: float) -> None:
    one, two = run("momentum", [G1, G2], momentum=mu)
    v1 = -LR * G1
    v2 = mu * v1 - LR * G2
    np.testing.assert_allclose(one, W0 + v1, rtol=0, atol=1e-12)
    np.testing.assert_allclose(two, W0 + v1 + v2, rtol=0, atol=1e-12)
    if mu == 0.0:
        np.testing.assert_allclose(two, run("gd", [G1, G2])[1], rtol=0, atol=1e-12)


def test_momentum_default_is_0_9() -> None:
    np.testing.assert_allclose(run("momentum", [G1, G2])[1], run("momentum", [G1, G2], momentum=0.9)[1], atol=0)


def adam_reference(gradients: list[np.ndarray], lr: float = LR) -> list[np.ndarray]:
    b1, b2, eps = 0.9, 0.999, 1e-8
    w, m, v, out = W0.copy(), np.zeros_like(W0), np.zeros_like(W0), []
    for t, g in enumerate(gradients, start=1):
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        m_hat, v_hat = m / (1 - b1**t), v / (1 - b2**t)
        w = w - lr * m_hat / (np.sqrt(v_hat) + eps)
        out.append(w.copy())
    return out


def test_adam_steps_with_bias_correction() -> None:
    got = run("adam", [G1, G2])
    expected = adam_reference([G1, G2])
    for a, b in zip(got, expected):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-12)
    # the first bias-corrected step moves each nonzero coordinate by about lr, whatever the gradient's size
    moved = np.abs(got[0] - W0)
    np.testing.assert_allclose(moved[G1 != 0], LR, rtol=1e-6)


def test_adam_many_steps_match_the_reference() -> None:
    rng = np.random.default_rng(0)
    gradients = [rng.normal(size=W0.shape) for _ in range(50)]
    np.testing.assert_allclose(run("adam", gradients)[-1], adam_reference(gradients)[-1], rtol=0, atol=1e-12)


def test_weight_decay_adds_lambda_w_only_at_the_weights() -> None:
    model = MLP([2, 3, 1], seed=1)
    mask = model.weight_mask()
    assert mask.sum() == 2 * 3 + 3 * 1 and len(mask) == model.parameters().size
    model.biases[0][...] = [0.5, -0.5, 1.0]
    model.biases[1][...] = [2.0]
    params = model.parameters()
    before = params.copy()
    grad = np.zeros_like(params)
    lam = 0.1
    params += make_optimizer("gd", params.size, LR, weight_decay=lam, decay_mask=mask).change(grad, params)
    np.testing.assert_allclose(params, before - LR * lam * before * mask, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(model.biases[0], [0.5, -0.5, 1.0])  # biases untouched
    np.testing.assert_array_equal(model.biases[1], [2.0])
    assert not np.array_equal(model.weights[0], before[:6].reshape(2, 3))


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_weight_decay_equals_the_optimizer_on_the_penalised_gradient(name: str) -> None:
    lam, mask = 0.3, np.array([1.0, 1.0, 0.0, 1.0, 0.0])
    params, grad = W0.copy(), np.empty_like(W0)
    decayed = make_optimizer(name, W0.size, LR, weight_decay=lam, decay_mask=mask, momentum=0.5)
    expected_params, expected_grad = W0.copy(), np.empty_like(W0)
    plain = make_optimizer(name, W0.size, LR, momentum=0.5)
    for g in (G1, G2):
        grad[...] = g
        expected_grad[...] = g + lam * expected_params * mask  # the gradient of loss + ½λΣw² at the weights
        params += decayed.change(grad, params)
        expected_params += plain.change(expected_grad, expected_params)
        np.testing.assert_allclose(params, expected_params, rtol=0, atol=1e-12)


def test_weight_decay_without_a_mask_decays_everything() -> None:
    (after,) = run("gd", [np.zeros_like(W0)], weight_decay=0.5)
    np.testing.assert_allclose(after, W0 * (1 - LR * 0.5), rtol=0, atol=1e-12)


@pytest.mark.parametrize("name", ["sgd", "Adam", "", "rmsprop"])
def test_unknown_optimizer_is_refused(name: str) -> None:
    with pytest.raises(ValueError, match=r"unknown optimizer .* \(choose from gd, momentum, adam\)"):
        make_optimizer(name, W0.size, LR)


@pytest.mark.parametrize("momentum", [1.0, 1.5, -0.1, math.nan])
def test_bad_momentum_is_refused(momentum: float) -> None:
    with pytest.raises(ValueError, match="momentum must be at least 0 and below 1"):
        make_optimizer("momentum", W0.size, LR, momentum=momentum)


@pytest.mark.parametrize("name", OPTIMIZERS)
@pytest.mark.parametrize("decay", [-0.1, math.nan, math.inf])
def test_bad_weight_decay_is_refused(name: str, decay: float) -> None:
    with pytest.raises(ValueError, match="weight decay must be 0 or more"):
        make_optimizer(name, W0.size, LR, weight_decay=decay)


# --- training with each optimizer ------------------------------------------------------

XOR_SETTINGS = {"gd": (2.0, 2000), "momentum": (0.5, 1000), "adam": (0.05, 1000)}


@pytest.mark.parametrize("name", OPTIMIZERS)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_each_optimizer_learns_xor_and_repeats(name: str, seed: int) -> None:
    data = load_dataset("xor")
    lr, epochs = XOR_SETTINGS[name]
    runs = []
    for _ in range(2):
        model = MLP([2, 4, 1], "tanh", seed)
        result = train(model, data.X, data.y, epochs, lr, optimizer=name, momentum=0.9)
        runs.append((model, result))
    (model, result), (twin, twin_result) = runs
    assert result.final_loss < 0.01
    assert result.losses[0] > 0.1  # it really learned
    np.testing.assert_array_equal(np.round(model.forward(data.X)), data.y)
    np.testing.assert_array_equal(model.parameters(), twin.parameters())
    np.testing.assert_array_equal(result.losses, twin_result.losses)


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_mini_batches_with_each_optimizer_are_reproducible(name: str) -> None:
    data = load_dataset("moons", seed=0, samples=60)
    models = [MLP([2, 6, 1], "tanh", 3) for _ in range(3)]
    results = [
        train(m, data.X, data.y, 50, 0.05, optimizer=name, batch_size=16, shuffle_seed=s)
        for m, s in zip(models, (5, 5, 6))
    ]
    np.testing.assert_array_equal(models[0].parameters(), models[1].parameters())
    np.testing.assert_array_equal(results[0].losses, results[1].losses)
    assert not np.array_equal(models[0].parameters(), models[2].parameters())  # shuffle seed matters
    assert results[0].losses[-1] < results[0].losses[0]


def test_weight_decay_shrinks_the_trained_weights() -> None:
    data = load_dataset("xor")
    plain, decayed = MLP([2, 4, 1], "tanh", 0), MLP([2, 4, 1], "tanh", 0)
    train(plain, data.X, data.y, 500, 0.05, optimizer="adam")
    train(decayed, data.X, data.y, 500, 0.05, optimizer="adam", weight_decay=0.05)
    norm = [np.sum(np.concatenate([w.ravel() for w in m.weights]) ** 2) for m in (plain, decayed)]
    assert norm[1] < 0.8 * norm[0]
