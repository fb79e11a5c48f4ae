"""The built-in datasets and the registry the data issue extends."""

import numpy as np
import pytest

from tui_mlp.core import datasets
from tui_mlp.core.choices import DATASET_NAMES
from tui_mlp.core.datasets import Dataset, load_dataset, register


def test_the_flags_and_fields_offer_the_registered_datasets_in_order():
    assert tuple(datasets.DATASETS) == DATASET_NAMES  # choices.py names them for the light modules


def test_unknown_dataset_is_refused_naming_the_choices():
    with pytest.raises(ValueError, match=r"unknown dataset 'nope' \(choose from .*seed.*xor"):
        load_dataset("nope")


def test_xor_is_exclusive_or():
    data = load_dataset("xor")
    assert data.X.dtype == data.y.dtype == np.float64
    assert (data.n_inputs, data.n_outputs) == (2, 1)
    np.testing.assert_array_equal(data.y[:, 0], np.logical_xor(data.X[:, 0], data.X[:, 1]))
    assert sorted(map(tuple, data.X)) == [(0, 0), (0, 1), (1, 0), (1, 1)]


@pytest.mark.parametrize("name", ["seed", "xor", "digits"])
def test_fixed_datasets_ignore_the_seed_and_are_fresh_copies(name):
    first = load_dataset(name, seed=1)
    first.X[...] = 99.0  # a caller scribbling on its copy
    again = load_dataset(name, seed=2)
    assert not (again.X == 99.0).any()
    np.testing.assert_array_equal(again.X, load_dataset(name).X)
    assert again.X.shape[0] == again.y.shape[0]


def test_register_adds_a_dataset(monkeypatch):
    monkeypatch.setattr(datasets, "DATASETS", dict(datasets.DATASETS))

    @register("ones")
    def ones(seed=None):
        n = 3 if seed is None else seed
        return Dataset("ones", np.ones((n, 2)), np.ones((n, 1)), "all ones")

    assert load_dataset("ones").X.shape == (3, 2)
    assert load_dataset("ones", seed=5).n_inputs == 2 and load_dataset("ones", seed=5).X.shape[0] == 5
    with pytest.raises(ValueError, match="ones"):
        load_dataset("nope")
