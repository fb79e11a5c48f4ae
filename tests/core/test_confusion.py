"""The confusion matrix of a classifier: rows the true class, columns the predicted one."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui_mlp.core import MLP
from tui_mlp.core.datasets import Dataset, load_dataset
from tui_mlp.core.metrics import accuracy, class_names, confusion
from tui_mlp.core.run import Run
from tui_mlp.core.specs import DataSpec, TrainingSpec


def test_a_hand_made_case_counts_each_true_class_by_prediction() -> None:
    # inputs are the true class one-hot; a linear network maps it to the predicted class's one-hot
    truth = [0, 0, 1, 1, 1, 2]
    guess = [0, 1, 1, 1, 2, 0]
    X = np.eye(6)
    y = np.eye(3)[truth]
    model = MLP([6, 3, 3], activation="linear", output_activation="linear")
    model.set_parameters([np.eye(3)[guess], np.eye(3)], [np.zeros(3), np.zeros(3)])
    data = Dataset("t", X, y, "toy", "multiclass", ("a", "b", "c"))
    expected = [[1, 1, 0], [0, 2, 1], [1, 0, 0]]
    np.testing.assert_array_equal(confusion(model, data), expected)
    assert confusion(model, data).dtype.kind == "i"
    assert class_names(data) == ("a", "b", "c")


def test_binary_data_has_two_classes_and_regression_none() -> None:
    data = load_dataset("moons", seed=0)
    model = MLP([2, 3, 1], seed=0)
    matrix = confusion(model, data)
    assert matrix.shape == (2, 2) and matrix.sum() == len(data.X)
    assert class_names(load_dataset("seed")) == ("0", "1", "2", "3")  # two outputs read as bits
    with pytest.raises(ValueError, match="regression"):
        confusion(MLP([1, 2, 1]), load_dataset("sine", seed=0))


@settings(max_examples=40, deadline=None)
@given(
    name=st.sampled_from(["moons", "gaussians", "circle", "digits"]),
    seed=st.integers(0, 2**32 - 1),
    hidden=st.integers(1, 6),
    epochs=st.integers(0, 5),
)
def test_the_matrix_sums_to_the_test_size_and_its_diagonal_is_the_accuracy(
    name: str, seed: int, hidden: int, epochs: int
) -> None:
    run = Run.create(TrainingSpec(hidden=(hidden,), epochs=epochs), DataSpec(name), seed=seed)
    run.fit()
    matrix = run.confusion()
    assert matrix is not None and matrix.shape == (len(class_names(run.test)),) * 2
    assert matrix.sum() == len(run.test.X)
    np.testing.assert_array_equal(matrix.sum(axis=1), np.bincount(run.test.labels(), minlength=len(matrix)))
    assert np.trace(matrix) / matrix.sum() == pytest.approx(accuracy(run.model, run.test), abs=1e-12)


def test_no_matrix_without_a_test_split_or_for_regression() -> None:
    assert Run.create(TrainingSpec(epochs=0), DataSpec("seed"), seed=0).confusion() is None
    assert Run.create(TrainingSpec(epochs=0), DataSpec("sine"), seed=0).confusion() is None
