"""The public contract of ``MLP`` that scripts outside the project rely on:
names, shapes, dtypes, live parameter arrays, seeding and ``fit``."""

import itertools

import numpy as np
import pytest

from tui_mlp.core.activations import HIDDEN_ACTIVATIONS
from tui_mlp.core.datasets import load_dataset
from tui_mlp.core.mlp import MAX_LAYER_SIZE, MAX_LAYERS, MLP

SEED = load_dataset("seed")


@pytest.mark.parametrize("sizes", [[4, 5, 2], [4, 8, 8, 2], [1, 1], [3, 1, 2, 6, 1]])
@pytest.mark.parametrize("activation", HIDDEN_ACTIVATIONS)
def test_parameter_shapes_and_dtypes(sizes, activation):
    model = MLP(sizes, activation, seed=0)
    assert model.layer_sizes == tuple(sizes)
    assert len(model.weights) == len(model.biases) == len(sizes) - 1 == model.n_layers
    for i, (w, b) in enumerate(zip(model.weights, model.biases)):
        assert w.shape == (sizes[i], sizes[i + 1])
        assert b.shape == (sizes[i + 1],)
        assert w.dtype == b.dtype == np.float64
    assert model.forward(np.zeros((3, sizes[0]))).shape == (3, sizes[-1])
    assert model.parameters().size == sum((a + 1) * b for a, b in itertools.pairwise(sizes))


def test_initial_weights_are_glorot_uniform_and_biases_zero():
    model = MLP([4, 8, 8, 2], "tanh", seed=0)
    for w, b in zip(model.weights, model.biases):
        limit = np.sqrt(6 / sum(w.shape))
        assert np.abs(w).max() <= limit
        assert np.abs(w).max() > limit / 2  # uniform over the whole range, not a tiny scale
        np.testing.assert_array_equal(b, 0.0)


def test_same_seed_same_weights_different_seed_different_weights():
    a, b, c = MLP([4, 8, 8, 2], seed=7), MLP([4, 8, 8, 2], seed=7), MLP([4, 8, 8, 2], seed=8)
    for wa, wb, wc in zip(a.weights, b.weights, c.weights):
        np.testing.assert_array_equal(wa, wb)
        assert not np.array_equal(wa, wc)
    np.testing.assert_array_equal(a.fit(SEED.X, SEED.y, 50, 0.1), b.fit(SEED.X, SEED.y, 50, 0.1))
    np.testing.assert_array_equal(a.parameters(), b.parameters())


def test_no_seed_gives_fresh_weights():
    assert not np.array_equal(MLP([4, 5, 2]).weights[0], MLP([4, 5, 2]).weights[0])


def test_changing_weights_in_place_changes_the_output():
    model = MLP([4, 5, 2], seed=0)
    before = model.forward(SEED.X)
    model.weights[1][0, 0] += 1.0
    changed = model.forward(SEED.X)
    assert not np.allclose(before, changed)
    model.biases[1][...] = 100.0  # saturates both sigmoid outputs
    np.testing.assert_allclose(model.forward(SEED.X), 1.0, atol=1e-12)


def test_set_parameters_copies_new_values_in():
    model = MLP([4, 5, 2], seed=0)
    held = model.weights[1]
    model.set_parameters([model.weights[0], np.zeros((5, 2))], [model.biases[0], [0.0, np.log(3.0)]])
    assert model.weights[1] is held  # the same live view, new values
    np.testing.assert_allclose(model.forward(SEED.X), [[0.5, 0.75]] * 4, rtol=1e-15)


def test_fit_trains_parameters_that_were_set():
    model, reference = MLP([4, 5, 2], seed=0), MLP([4, 5, 2], seed=1)
    new_w0 = np.random.default_rng(5).normal(size=(4, 5))
    model.set_parameters([new_w0, reference.weights[1]], reference.biases)
    reference.weights[0][...] = new_w0  # the same start, set in place
    untouched = new_w0.copy()

    losses = model.fit(SEED.X, SEED.y, 20, 0.5)

    np.testing.assert_array_equal(losses, reference.fit(SEED.X, SEED.y, 20, 0.5))
    np.testing.assert_array_equal(model.parameters(), reference.parameters())
    assert not np.array_equal(model.weights[0], untouched)
    np.testing.assert_array_equal(new_w0, untouched)  # the given array was copied, not adopted
    assert losses[-1] < losses[0]


def test_replacing_a_layer_array_is_refused_but_changing_it_in_place_works():
    model = MLP([4, 5, 2], seed=0)
    with pytest.raises(TypeError, match="set_parameters"):
        model.weights[0] = np.zeros((4, 5))
    with pytest.raises(TypeError, match="set_parameters"):
        model.biases[1] = np.zeros(2)
    before = model.weights[0].copy()
    model.weights[0] -= 1.0  # in place: Python stores the same array back
    np.testing.assert_array_equal(model.weights[0], before - 1.0)
    np.testing.assert_array_equal(model.parameters()[:20], (before - 1.0).ravel())


def test_setting_a_wrong_shape_is_refused():
    model = MLP([4, 5, 2], seed=0)
    before = model.parameters().copy()
    with pytest.raises(ValueError, match=r"\(5, 4\).*\(4, 5\)"):
        model.set_parameters([np.zeros((5, 4)), model.weights[1]], model.biases)
    with pytest.raises(ValueError, match="2 weight matrices"):
        model.set_parameters(model.weights[:1], model.biases)
    np.testing.assert_array_equal(model.parameters(), before)


@pytest.mark.parametrize("epochs", [1, 7, 100])
def test_fit_returns_one_loss_per_epoch_and_improves(epochs):
    model = MLP([4, 8, 8, 2], seed=0)
    first = model.loss(SEED.X, SEED.y)
    losses = model.fit(SEED.X, SEED.y, epochs, 0.5)
    assert isinstance(losses, np.ndarray) and losses.shape == (epochs,)
    assert losses[0] == first  # each entry is the loss before that epoch's update
    assert model.loss(SEED.X, SEED.y) < first


def test_copy_is_equal_and_independent():
    model = MLP([4, 8, 8, 2], "relu", seed=3, output_activation="softmax", loss="cross_entropy")
    twin = model.copy()
    np.testing.assert_array_equal(twin.parameters(), model.parameters())
    assert (twin.activation, twin.output_activation, twin.loss_name) == ("relu", "softmax", "cross_entropy")
    twin.weights[0][...] = 0.0
    assert np.abs(model.weights[0]).max() > 0


@pytest.mark.parametrize(
    ("sizes", "message"),
    [
        ([4], "at least an input and an output"),
        ([4, 0, 2], "at least 1"),
        ([4, -3, 2], "at least 1"),
        ([4, 2.5, 2], "not a whole number"),
        ([4, True, 2], "not a whole number"),
        ([4, MAX_LAYER_SIZE + 1, 2], "maximum"),
        ([2] * (MAX_LAYERS + 1), "maximum"),
        ([MAX_LAYER_SIZE] * 3, "parameters"),
    ],
)
def test_bad_layer_sizes_are_refused(sizes, message):
    with pytest.raises(ValueError, match=message):
        MLP(sizes)


@pytest.mark.parametrize(
    ("X", "y", "message"),
    [
        (np.zeros((4, 3)), np.zeros((4, 2)), "inputs"),
        (np.zeros((4, 4)), np.zeros((3, 2)), "targets"),
        (np.zeros((4, 4)), np.zeros((4, 3)), "targets"),
    ],
)
def test_mismatched_data_is_refused(X, y, message):
    model = MLP([4, 5, 2], seed=0)
    with pytest.raises(ValueError, match=message):
        model.loss(X, y)
    with pytest.raises(ValueError, match=message):
        model.fit(X, y, 1, 0.1)


@pytest.mark.parametrize(("loss", "output"), [("sse", "sigmoid"), ("mse", "sigmoid"), ("cross_entropy", "softmax")])
def test_data_without_samples_is_refused(loss, output):
    model = MLP([4, 5, 2], seed=0, output_activation=output, loss=loss)
    X, y = np.zeros((0, 4)), np.zeros((0, 2))
    with pytest.raises(ValueError, match="sample"):
        model.loss(X, y)
    with pytest.raises(ValueError, match="sample"):
        model.fit(X, y, 3, 0.1)


def test_a_network_starts_from_given_parameters_or_says_how_many_it_needs() -> None:
    seeded = MLP([4, 5, 2], seed=3)
    given = MLP([4, 5, 2], parameters=seeded.parameters())
    assert given.parameters().tobytes() == seeded.parameters().tobytes()
    assert seeded.copy(parameters=np.ones(37)).parameters().tolist() == [1.0] * 37
    with pytest.raises(ValueError, match="37 parameters expected, not 36"):
        MLP([4, 5, 2], parameters=np.zeros(36))
