"""The built-in ``digits`` dataset: the UCI optical handwritten digits shipped with the
package, standardised as a CSV table is, split stratified by class, and learnt quickly."""

from __future__ import annotations

import time

import numpy as np
import pytest

from tui_mlp.core.datasets import load_dataset, split
from tui_mlp.core.metrics import accuracy
from tui_mlp.core.run import Run
from tui_mlp.core.specs import DataSpec, TrainingSpec

CLASS_SIZES = [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]  # the UCI test set's


def test_digits_are_1797_images_of_8_by_8_pixels_in_ten_classes() -> None:
    data = load_dataset("digits")
    assert data.X.shape == (1797, 64) and data.y.shape == (1797, 10)
    assert data.X.dtype == data.y.dtype == np.float64
    assert data.task == "multiclass" and data.classes == tuple("0123456789")
    np.testing.assert_array_equal(data.y.sum(axis=1), 1.0)
    assert np.bincount(data.labels()).tolist() == CLASS_SIZES
    assert data.X.min() == 0 and data.X.max() == 16 and (data.X % 1 == 0).all()
    inputs, outputs = data.names
    assert inputs[:3] == ("px0_0", "px0_1", "px0_2") and inputs[8] == "px1_0" and inputs[-1] == "px7_7"
    assert outputs == data.classes
    assert data.X[0, :8].tolist() == [0, 0, 5, 13, 9, 1, 0, 0]  # the first image's top row: a zero


def test_digits_are_standardised_with_the_training_rows_statistics() -> None:
    train, test = DataSpec("digits").prepare(0)
    raw_train, raw_test = split(load_dataset("digits"), 0.2, 0)
    mean, std = train.scaling
    np.testing.assert_allclose(mean, raw_train.X.mean(axis=0), rtol=1e-15)
    constant = raw_train.X.std(axis=0) == 0  # pixels always blank (the corners): only centred
    assert constant.any() and (std[constant] == 1).all()
    np.testing.assert_allclose(std[~constant], raw_train.X.std(axis=0)[~constant], rtol=1e-15)
    np.testing.assert_allclose(train.X, (raw_train.X - mean) / std, rtol=1e-14)
    np.testing.assert_allclose(test.X, (raw_test.X - mean) / std, rtol=1e-14)
    assert test.scaling is train.scaling


@pytest.mark.parametrize("seed", [0, 1, 7])
@pytest.mark.parametrize("fraction", [0.2, 0.1, 0.5])
def test_the_test_split_keeps_each_class_share_within_one_sample(seed: int, fraction: float) -> None:
    train, test = DataSpec("digits", test_split=fraction).prepare(seed)
    assert len(train.X) + len(test.X) == 1797
    overall = np.array(CLASS_SIZES)
    held_out = np.bincount(test.labels(), minlength=10)
    assert np.abs(held_out - overall * len(test.X) / 1797).max() <= 1


def test_the_split_is_set_by_the_seed() -> None:
    first, first_test = DataSpec("digits").prepare(3)
    again, again_test = DataSpec("digits").prepare(3)
    other, _ = DataSpec("digits").prepare(4)
    np.testing.assert_array_equal(first.X, again.X)
    np.testing.assert_array_equal(first_test.y, again_test.y)
    assert first.X.shape == other.X.shape and not np.array_equal(first.X, other.X)


def test_digits_get_softmax_cross_entropy_adam_and_their_own_epochs() -> None:
    spec = Run.create(TrainingSpec(hidden=(64,)), DataSpec("digits"), seed=0).training
    assert (spec.output, spec.loss, spec.optimizer, spec.learning_rate, spec.epochs) == (
        "softmax",
        "cross_entropy",
        "adam",
        0.01,
        300,
    )
    assert Run.create(TrainingSpec(epochs=7), DataSpec("digits"), seed=0).training.epochs == 7  # a chosen number


def test_a_short_training_is_far_above_chance() -> None:
    start = time.perf_counter()
    run = Run.create(TrainingSpec(hidden=(16,), epochs=40), DataSpec("digits"), seed=0)
    run.fit()
    assert accuracy(run.model, run.test) > 0.8  # chance: 0.1
    assert time.perf_counter() - start < 3
