"""The generated datasets (circle, moons, spiral, gaussians, sine), the
train/test split, label indices and the ``auto`` objective."""

from __future__ import annotations

import numpy as np
import pytest

from tui_mlp.core.datasets import (
    DEFAULT_SAMPLES,
    MAX_SAMPLES,
    Dataset,
    auto_objective,
    label_indices,
    load_dataset,
    split,
)

TWO_D = ("circle", "moons", "spiral", "gaussians")
GENERATED = (*TWO_D, "sine")
CLASSES = {"circle": 2, "moons": 2, "spiral": 2, "gaussians": 3}


def class_counts(data: Dataset, classes: int | None = None) -> np.ndarray:
    return np.bincount(data.labels(), minlength=classes or CLASSES[data.name])


# --- shapes, dtypes, targets ---------------------------------------------------------


@pytest.mark.parametrize("name", ["circle", "moons", "spiral"])
def test_binary_two_d_generators_give_n_by_2_inputs_and_0_1_labels(name: str) -> None:
    data = load_dataset(name, seed=0)
    assert data.name == name
    assert data.X.shape == (DEFAULT_SAMPLES, 2) and data.y.shape == (DEFAULT_SAMPLES, 1)
    assert data.X.dtype == data.y.dtype == np.float64
    assert data.task == "binary" and data.is_classification
    assert set(np.unique(data.y)) == {0.0, 1.0}
    assert np.isfinite(data.X).all()
    assert (data.n_inputs, data.n_outputs) == (2, 1)


def test_gaussians_give_one_hot_targets_for_three_classes() -> None:
    data = load_dataset("gaussians", seed=0)
    assert data.X.shape == (DEFAULT_SAMPLES, 2) and data.y.shape == (DEFAULT_SAMPLES, 3)
    assert data.X.dtype == data.y.dtype == np.float64
    assert data.task == "multiclass" and len(data.classes) == 3
    assert set(np.unique(data.y)) == {0.0, 1.0}
    np.testing.assert_array_equal(data.y.sum(axis=1), np.ones(DEFAULT_SAMPLES))
    np.testing.assert_array_equal(data.labels(), data.y.argmax(axis=1))


def test_sine_is_a_one_input_regression() -> None:
    data = load_dataset("sine", seed=0)
    assert data.X.shape == (DEFAULT_SAMPLES, 1) and data.y.shape == (DEFAULT_SAMPLES, 1)
    assert data.X.dtype == data.y.dtype == np.float64
    assert data.task == "regression" and not data.is_classification
    assert data.X.min() >= -1 and data.X.max() <= 1


@pytest.mark.parametrize("samples", [2, 3, 7, 200, 201, 1001])
@pytest.mark.parametrize("name", ["circle", "moons", "spiral"])
def test_binary_classes_are_balanced_within_one(name: str, samples: int) -> None:
    data = load_dataset(name, seed=3, samples=samples)
    counts = class_counts(data)
    assert len(data.X) == len(data.y) == samples == counts.sum()
    assert counts.max() - counts.min() <= 1


@pytest.mark.parametrize("samples", [3, 4, 5, 200, 301])
def test_gaussian_classes_are_balanced_within_one(samples: int) -> None:
    counts = class_counts(load_dataset("gaussians", seed=3, samples=samples))
    assert counts.sum() == samples and counts.min() >= 1
    assert counts.max() - counts.min() <= 1


# --- determinism -------------------------------------------------------------------


@pytest.mark.parametrize("name", GENERATED)
def test_same_seed_same_data_different_seed_different_data(name: str) -> None:
    a, b, c = load_dataset(name, seed=5), load_dataset(name, seed=5), load_dataset(name, seed=6)
    np.testing.assert_array_equal(a.X, b.X)
    np.testing.assert_array_equal(a.y, b.y)
    assert not np.array_equal(a.X, c.X)
    assert a.X.shape == c.X.shape


@pytest.mark.parametrize("name", GENERATED)
def test_samples_option_is_honoured(name: str) -> None:
    data = load_dataset(name, seed=0, samples=57)
    assert data.X.shape == (57, 1 if name == "sine" else 2)
    assert len(data.y) == 57


# --- noise ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", GENERATED)
def test_noise_option_moves_points_in_proportion(name: str) -> None:
    """Same seed, different noise: the clean geometry stays and the offsets
    scale with the noise level (the added noise is a scaled draw)."""
    clean = load_dataset(name, seed=2, samples=400, noise=0.0)
    small = load_dataset(name, seed=2, samples=400, noise=0.2)
    large = load_dataset(name, seed=2, samples=400, noise=0.4)
    np.testing.assert_array_equal(clean.y if name != "sine" else clean.X, small.y if name != "sine" else small.X)
    if name == "gaussians":  # the spread is 0.15 + noise around fixed centres
        for data, spread in ((clean, 0.15), (small, 0.35), (large, 0.55)):
            for k in range(3):
                np.testing.assert_allclose(data.X[data.labels() == k].std(axis=0), spread, rtol=0.2)
        return
    values = (lambda d: d.y) if name == "sine" else (lambda d: d.X)
    offset_small, offset_large = values(small) - values(clean), values(large) - values(clean)
    assert offset_small.std() > 0.01
    np.testing.assert_allclose(offset_large, 2 * offset_small, rtol=1e-9, atol=1e-12)


def test_sine_noise_is_the_standard_deviation_of_the_residuals() -> None:
    data = load_dataset("sine", seed=1, samples=20_000, noise=0.3)
    residual = data.y[:, 0] - np.sin(np.pi * data.X[:, 0])
    assert residual.std() == pytest.approx(0.3, rel=0.03)
    assert abs(residual.mean()) < 0.01


def test_circle_without_noise_is_a_disc_inside_a_ring() -> None:
    data = load_dataset("circle", seed=4, samples=1000, noise=0.0)
    radius = np.hypot(data.X[:, 0], data.X[:, 1])
    inner, outer = radius[data.y[:, 0] == 1], radius[data.y[:, 0] == 0]
    assert len(inner) == len(outer) == 500
    assert inner.max() <= 0.5
    assert outer.min() >= 0.7 and outer.max() <= 1.0


def test_circle_with_noise_blurs_the_gap() -> None:
    data = load_dataset("circle", seed=4, samples=1000, noise=0.5)
    radius = np.hypot(data.X[:, 0], data.X[:, 1])
    assert radius[data.y[:, 0] == 1].max() > 0.5
    assert radius[data.y[:, 0] == 0].min() < 0.7


def test_moons_without_noise_lie_on_two_unit_half_circles() -> None:
    data = load_dataset("moons", seed=4, samples=600, noise=0.0)
    raw = data.X * 1.5 + [0.5, 0.25]  # undo the centring and scaling
    upper, lower = raw[data.y[:, 0] == 0], raw[data.y[:, 0] == 1]
    np.testing.assert_allclose(np.hypot(*upper.T), 1.0, atol=1e-12)
    assert (upper[:, 1] >= -1e-12).all()
    centred = lower - [1.0, 0.5]
    np.testing.assert_allclose(np.hypot(*centred.T), 1.0, atol=1e-12)
    assert (centred[:, 1] <= 1e-12).all()


def test_spiral_without_noise_winds_with_the_radius() -> None:
    data = load_dataset("spiral", seed=4, samples=600, noise=0.0)
    radius = np.hypot(data.X[:, 0], data.X[:, 1])
    assert radius.min() >= 0.05 - 1e-12 and radius.max() <= 1.0 + 1e-12
    for arm in (0, 1):
        points, r = data.X[data.y[:, 0] == arm], radius[data.y[:, 0] == arm]
        angle = 1.75 * 2 * np.pi * r + arm * np.pi
        np.testing.assert_allclose(points, np.column_stack([r * np.cos(angle), r * np.sin(angle)]), atol=1e-12)


def test_gaussian_blobs_sit_at_three_fixed_centres() -> None:
    data = load_dataset("gaussians", seed=4, samples=3000, noise=0.1)
    for k in range(3):
        angle = np.pi / 2 + k * 2 * np.pi / 3
        centre = 0.55 * np.array([np.cos(angle), np.sin(angle)])
        np.testing.assert_allclose(data.X[data.labels() == k].mean(axis=0), centre, atol=0.04)


def test_sine_without_noise_is_exactly_the_sine_on_sorted_inputs() -> None:
    data = load_dataset("sine", seed=4, samples=300, noise=0.0)
    x = data.X[:, 0]
    assert (np.diff(x) >= 0).all()
    np.testing.assert_array_equal(data.y[:, 0], np.sin(np.pi * x))


# --- bad options -----------------------------------------------------------------------


@pytest.mark.parametrize("name", GENERATED)
@pytest.mark.parametrize("noise", [-0.1, -1.0, 10.5, float("nan"), float("inf")])
def test_bad_noise_is_refused(name: str, noise: float) -> None:
    with pytest.raises(ValueError, match="noise"):
        load_dataset(name, seed=0, noise=noise)


@pytest.mark.parametrize("name", GENERATED)
@pytest.mark.parametrize("samples", [0, -5, MAX_SAMPLES + 1])
def test_bad_samples_are_refused(name: str, samples: int) -> None:
    with pytest.raises(ValueError, match="samples"):
        load_dataset(name, seed=0, samples=samples)


@pytest.mark.parametrize(("name", "too_few"), [("circle", 1), ("moons", 1), ("spiral", 1), ("gaussians", 2)])
def test_fewer_samples_than_classes_are_refused(name: str, too_few: int) -> None:
    with pytest.raises(ValueError, match=f"samples {too_few} is outside"):
        load_dataset(name, seed=0, samples=too_few)


@pytest.mark.parametrize("name", GENERATED)
def test_boundary_options_are_accepted(name: str) -> None:
    assert len(load_dataset(name, seed=0, samples=CLASSES.get(name, 1), noise=10.0).X) == CLASSES.get(name, 1)
    assert len(load_dataset(name, seed=0, noise=0.0).X) == DEFAULT_SAMPLES


# --- split -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", TWO_D)
@pytest.mark.parametrize("fraction", [0.1, 0.2, 0.25, 0.5, 0.9])
def test_split_is_stratified_disjoint_and_covering(name: str, fraction: float) -> None:
    data = load_dataset(name, seed=1, samples=301)
    train, test = split(data, fraction, seed=9)
    assert test is not None
    rows = {tuple(r) for r in data.X}
    train_rows, test_rows = {tuple(r) for r in train.X}, {tuple(r) for r in test.X}
    assert len(rows) == len(data.X)  # points are distinct, so sets identify rows
    assert train_rows.isdisjoint(test_rows) and train_rows | test_rows == rows
    assert len(train.X) + len(test.X) == len(data.X)
    total = class_counts(data)
    held = class_counts(test, len(total))
    assert (np.abs(held - total * fraction) <= 1).all()
    assert (class_counts(train, len(total)) >= 1).all()
    assert test.name == f"{name} (test)" and train.name == name
    # targets travel with their inputs
    lookup = {tuple(x): tuple(y) for x, y in zip(data.X, data.y)}
    assert all(lookup[tuple(x)] == tuple(y) for x, y in zip(test.X, test.y))


def test_split_is_seeded() -> None:
    data = load_dataset("moons", seed=0)
    a, b, c = split(data, 0.2, 1), split(data, 0.2, 1), split(data, 0.2, 2)
    np.testing.assert_array_equal(a[1].X, b[1].X)
    np.testing.assert_array_equal(a[0].X, b[0].X)
    assert not np.array_equal(a[1].X, c[1].X)


def test_split_keeps_a_training_sample_of_every_class() -> None:
    X = np.arange(10, dtype=np.float64)[:, None]
    y = np.eye(3)[[0, 0, 0, 0, 0, 0, 0, 0, 1, 2]]
    data = Dataset("tiny", X, y, "tiny", "multiclass", ("a", "b", "c"))
    train, test = split(data, 0.9, seed=0)
    assert test is not None
    assert sorted(set(train.labels())) == [0, 1, 2]
    assert np.bincount(test.labels(), minlength=3).tolist() == [7, 0, 0]  # min(round(8·0.9), 7), then 0 and 0


def test_split_of_zero_returns_the_data_and_no_test_set() -> None:
    data = load_dataset("circle", seed=0)
    train, test = split(data, 0, seed=0)
    assert train is data and test is None


def test_split_too_small_to_hold_anything_back_gives_no_test_set() -> None:
    data = load_dataset("circle", seed=0, samples=4)
    train, test = split(data, 0.1, seed=0)  # round(2 · 0.1) = 0 per class
    assert test is None and len(train.X) == 4


@pytest.mark.parametrize("fraction", [-0.1, 1.0, 1.5, float("nan")])
def test_bad_split_fractions_are_refused(fraction: float) -> None:
    with pytest.raises(ValueError, match="test split"):
        split(load_dataset("circle", seed=0), fraction, seed=0)


def test_regression_split_is_random_disjoint_and_sized() -> None:
    data = load_dataset("sine", seed=0, samples=100)
    train, test = split(data, 0.3, seed=4)
    assert test is not None and len(test.X) == 30 and len(train.X) == 70
    assert set(train.X[:, 0]).isdisjoint(test.X[:, 0])
    assert set(train.X[:, 0]) | set(test.X[:, 0]) == set(data.X[:, 0])
    assert train.task == test.task == "regression"
    # not just the last 30 of the sorted inputs: held-out x spread over [-1, 1]
    assert test.X.min() < -0.5 and test.X.max() > 0.5
    again = split(data, 0.3, seed=4)[1]
    np.testing.assert_array_equal(again.X, test.X)


def test_multi_output_binary_split_is_stratified_by_bit_pattern() -> None:
    X = np.arange(40, dtype=np.float64)[:, None]
    y = np.array([[0, 0], [0, 1], [1, 0], [1, 1]] * 10, dtype=np.float64)
    data = Dataset("bits", X, y, "bits")
    np.testing.assert_array_equal(data.labels()[:4], [0, 2, 1, 3])
    train, test = split(data, 0.2, seed=0)
    assert np.bincount(test.labels()).tolist() == [2, 2, 2, 2]
    assert np.bincount(train.labels()).tolist() == [8, 8, 8, 8]


# --- label indices and auto objective ----------------------------------------------------


def test_label_indices() -> None:
    outputs = np.array([[0.1, 0.7, 0.2], [0.5, 0.2, 0.3], [0.0, 0.1, 0.9]])
    np.testing.assert_array_equal(label_indices(outputs, "multiclass"), [1, 0, 2])
    np.testing.assert_array_equal(label_indices(np.array([[0.2], [0.51], [0.5]]), "binary"), [0, 1, 0])
    np.testing.assert_array_equal(label_indices(np.array([[0.9, 0.1], [0.2, 0.8], [0.7, 0.6]]), "binary"), [1, 2, 3])


def test_auto_objective() -> None:
    assert auto_objective("multiclass") == ("softmax", "cross_entropy")
    assert auto_objective("regression") == ("linear", "mse")
    assert auto_objective("binary") == ("sigmoid", "cross_entropy")
    assert auto_objective("binary", "seed") == ("sigmoid", "sse")  # the seed script's
