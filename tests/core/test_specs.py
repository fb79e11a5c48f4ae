"""DataSpec/TrainingSpec: what a run trains and tests on, the
accuracy it reaches, and the feature scaling kept in parameter files."""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pytest

from tui_mlp.core import MLP, csvdata
from tui_mlp.core.csvdata import DataError, load_csv
from tui_mlp.core.datasets import Dataset, load_dataset, split
from tui_mlp.core.metrics import accuracy
from tui_mlp.core.params import ParamsError, load_params, save_params, to_json
from tui_mlp.core.specs import DataSpec, TrainingSpec

IRIS = str(Path(__file__).resolve().parent.parent / "data" / "iris.csv")


# --- DataSpec.prepare -------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["seed", "xor"])
def test_fixed_datasets_are_not_split_by_default(name: str) -> None:
    train, test = DataSpec(name).prepare(0)
    assert test is None
    np.testing.assert_array_equal(train.X, load_dataset(name).X)


@pytest.mark.parametrize("name", ["seed", "xor", "digits"])
@pytest.mark.parametrize("option", [{"samples": 100}, {"noise": 0.2}])
def test_fixed_datasets_refuse_samples_and_noise(name: str, option: dict[str, float]) -> None:
    with pytest.raises(ValueError, match=f"dataset '{name}' is fixed"):
        DataSpec(name, **option).prepare(0)


def test_generated_datasets_hold_back_a_fifth_by_default() -> None:
    train, test = DataSpec("moons", samples=300, noise=0.3).prepare(4)
    assert test is not None and (len(train.X), len(test.X)) == (240, 60)
    full = load_dataset("moons", seed=4, samples=300, noise=0.3)
    expected_train, expected_test = split(full, 0.2, 4)
    np.testing.assert_array_equal(train.X, expected_train.X)
    np.testing.assert_array_equal(test.X, expected_test.X)
    assert train.scaling is None  # built-in data is not rescaled


def test_explicit_test_split_and_zero() -> None:
    train, test = DataSpec("circle", test_split=0.5).prepare(0)
    assert test is not None and len(train.X) == len(test.X) == 100
    train, test = DataSpec("circle", test_split=0.0).prepare(0)
    assert test is None and len(train.X) == 200


def test_csv_features_are_standardised_with_the_training_rows_statistics() -> None:
    train, test = DataSpec(csv_file=IRIS, targets=("species",)).prepare(1)
    assert test is not None and (len(train.X), len(test.X)) == (120, 30)
    assert np.bincount(test.labels()).tolist() == [10, 10, 10]  # stratified
    raw = load_csv(IRIS, ["species"])
    raw_train, raw_test = split(raw, 0.2, 1)
    mean, std = raw_train.X.mean(axis=0), raw_train.X.std(axis=0)
    np.testing.assert_allclose(train.scaling[0], mean, rtol=1e-15)
    np.testing.assert_allclose(train.scaling[1], std, rtol=1e-15)
    np.testing.assert_allclose(train.X, (raw_train.X - mean) / std, rtol=1e-14)
    np.testing.assert_allclose(test.X, (raw_test.X - mean) / std, rtol=1e-14)
    np.testing.assert_allclose(train.X.mean(axis=0), 0, atol=1e-14)
    assert not np.allclose(test.X.mean(axis=0), 0, atol=1e-3)  # test rows did not set the statistics


def test_given_scaling_replaces_the_training_statistics() -> None:
    scaling = (np.array([5.0, 3.0, 4.0, 1.0]), np.array([2.0, 0.5, 2.0, 1.0]))
    train, test = DataSpec(csv_file=IRIS, targets=("species",)).prepare(1, scaling)
    raw_train, raw_test = split(load_csv(IRIS, ["species"]), 0.2, 1)
    np.testing.assert_array_equal(train.X, (raw_train.X - scaling[0]) / scaling[1])
    np.testing.assert_array_equal(test.X, (raw_test.X - scaling[0]) / scaling[1])


def test_bad_csv_raises_data_error(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="no column 'kind'"):
        DataSpec(csv_file=IRIS, targets=("kind",)).prepare(0)


def test_a_csv_file_is_parsed_once_per_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The app reads the table to check the fields, to preview and to train: one parse,
    until the file changes; the shared parse cannot be written through."""
    parsed: list[str] = []

    def counting_load_csv(path: str, targets: tuple[str, ...]) -> Dataset:
        parsed.append(path)
        return load_csv(path, targets)

    monkeypatch.setattr(csvdata, "load_csv", counting_load_csv)
    path = tmp_path / "t.csv"
    path.write_text("a,b,kind\n1,2,x\n3,4,y\n5,6,x\n7,8,y\n9,1,x\n")
    spec = DataSpec(csv_file=str(path), targets=("kind",), test_split=0.0)
    first, _ = spec.prepare(0)
    second, _ = spec.prepare(1)
    assert len(parsed) == 1 and np.array_equal(first.X, second.X)
    with pytest.raises(ValueError, match="read-only"):
        second.y[0, 0] = 5.0
    path.write_text("a,b,kind\n1,2,x\n3,4,y\n5,6,x\n7,8,y\n9,1,x\n2,2,y\n")
    third, _ = spec.prepare(0)
    assert len(parsed) == 2 and len(third.X) == 6
    path.unlink()
    with pytest.raises(DataError, match="cannot read"):
        spec.prepare(0)


def test_records() -> None:
    assert DataSpec("moons", samples=300).record() == {"dataset": "moons", "samples": 300}
    assert DataSpec("circle", noise=0.0).record() == {"dataset": "circle", "noise": 0.0}
    assert DataSpec(csv_file="t.csv", targets=("a", "b")).record() == {"data": "t.csv", "targets": ["a", "b"]}
    assert DataSpec(csv_file="t.csv", targets=("a", "b")).label == "t.csv → a,b"
    spec = TrainingSpec(
        hidden=(8, 4), epochs=500, learning_rate=0.1, optimizer="adam", batch_size=16, weight_decay=0.01
    )
    assert spec.record() == {
        "hidden": [8, 4],
        "epochs": 500,
        "learning_rate": 0.1,
        "optimizer": "adam",
        "momentum": 0.9,
        "batch_size": 16,
        "weight_decay": 0.01,
    }


# --- auto objective -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "output", "loss"),
    [
        ("gaussians", "softmax", "cross_entropy"),
        ("sine", "linear", "mse"),
        ("circle", "sigmoid", "cross_entropy"),
        ("seed", "sigmoid", "sse"),
    ],
)
def test_auto_objective_follows_the_task(name: str, output: str, loss: str) -> None:
    train, _ = DataSpec(name).prepare(0)
    model = TrainingSpec(hidden=(3,)).build(train, seed=0)
    assert (model.output_activation, model.loss_name) == (output, loss)
    assert model.layer_sizes == (train.n_inputs, 3, train.n_outputs)


def test_sine_learns_with_the_default_settings() -> None:
    """The summed loss made the seed's learning rate diverge on 200 samples; the auto mean loss does not."""
    train, test = DataSpec("sine").prepare(0)
    spec = TrainingSpec()
    model = spec.build(train, seed=0)
    result = spec.train(model, train, seed=0)
    assert result.reason.value == "done"
    assert model.loss(test.X, test.y) < 0.03


def test_explicit_objective_overrides_auto() -> None:
    train, _ = DataSpec("gaussians").prepare(0)
    spec = TrainingSpec(output="sigmoid", loss="sse")
    assert spec.objective(train) == ("sigmoid", "sse")
    assert TrainingSpec(loss="sse").objective(train) == ("softmax", "sse")


# --- training reaches a stated accuracy -------------------------------------------------------

FAST = TrainingSpec(hidden=(8,), activation="tanh", epochs=400, learning_rate=0.05, optimizer="adam")


def fit(name: str, seed: int, spec: TrainingSpec = FAST, **data: float) -> tuple[MLP, Dataset, Dataset | None]:
    train, test = DataSpec(name, **data).prepare(seed)
    model = spec.build(train, seed)
    start = time.perf_counter()
    result = spec.train(model, train, seed)
    assert time.perf_counter() - start < 3.0
    assert result.reason.value == "done" and result.epochs_run == spec.epochs
    return model, train, test


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_xor_is_learned_perfectly(seed: int) -> None:
    model, train, test = fit("xor", seed)
    assert test is None
    assert accuracy(model, train) == 1.0


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_xor_is_learned_with_the_seed_defaults(seed: int) -> None:
    spec = TrainingSpec(hidden=(4,), epochs=5000, learning_rate=1.0, loss="sse", optimizer="gd")  # the seed's way
    model, train, _ = fit("xor", seed, spec)
    assert accuracy(model, train) == 1.0


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("name", ["circle", "moons"])
def test_circle_and_moons_reach_95_percent_test_accuracy(name: str, seed: int) -> None:
    model, train, test = fit(name, seed, TrainingSpec(**{**FAST.__dict__, "hidden": (16,), "epochs": 500}))
    assert test is not None and len(test.X) == 40
    assert accuracy(model, test) >= 0.95
    assert accuracy(model, train) >= 0.97


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_gaussians_with_auto_objective_are_separated(seed: int) -> None:
    model, train, test = fit("gaussians", seed, noise=0.0)
    assert (model.output_activation, model.loss_name) == ("softmax", "cross_entropy")
    np.testing.assert_allclose(model.forward(test.X).sum(axis=1), 1.0, rtol=1e-12)
    assert accuracy(model, train) >= 0.97
    assert accuracy(model, test) >= 0.9


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_sine_regression_gets_close_to_the_noise_floor(seed: int) -> None:
    spec = TrainingSpec(hidden=(16,), activation="tanh", epochs=1000, learning_rate=0.02, optimizer="adam")
    model, train, test = fit("sine", seed, spec)
    assert test is not None and len(test.X) == 40
    per_sample = model.loss(test.X, test.y) / len(test.X)  # ½·(ŷ−y)² per sample
    assert model.loss(train.X, train.y) / len(train.X) < 0.01
    assert per_sample < 0.01  # noise 0.1 alone gives 0.005; predicting the mean gives about 0.25
    with pytest.raises(ValueError, match="regression"):
        accuracy(model, test)


def test_same_seed_same_run() -> None:
    a, _, test_a = fit("moons", 7)
    b, _, test_b = fit("moons", 7)
    np.testing.assert_array_equal(a.parameters(), b.parameters())
    np.testing.assert_array_equal(test_a.X, test_b.X)


def test_mini_batch_momentum_and_decay_through_the_spec() -> None:
    spec = TrainingSpec(
        hidden=(8,),
        activation="tanh",
        epochs=150,
        learning_rate=0.05,
        optimizer="momentum",
        momentum=0.9,
        batch_size=16,
        weight_decay=1e-4,
    )
    model, _, test = fit("moons", 0, spec)
    assert accuracy(model, test) >= 0.9


def test_accuracy_counts_whole_multi_output_rows() -> None:
    model = MLP([1, 2], seed=0)
    model.weights[0][...] = [[0.0, 0.0]]
    model.biases[0][...] = [5.0, -5.0]  # always predicts bits (1, 0)
    y = np.array([[1, 0], [1, 1], [0, 0], [1, 0]], dtype=np.float64)
    data = Dataset("bits", np.zeros((4, 1)), y, "bits")
    assert accuracy(model, data) == 0.5


# --- scaling in the parameter file ------------------------------------------------------------


def iris_params(tmp_path: Path, scaling: object) -> Path:
    model = MLP([4, 3, 3], seed=0, output_activation="softmax", loss="cross_entropy")
    document = json.loads(to_json(model, {"data": IRIS}))
    document["training"]["scaling"] = scaling
    path = tmp_path / "p.json"
    path.write_text(json.dumps(document))
    return path


def test_good_scaling_is_loaded_back_exactly(tmp_path: Path) -> None:
    train, _ = DataSpec(csv_file=IRIS, targets=("species",)).prepare(3)
    model = MLP([4, 3, 3], seed=0, output_activation="softmax", loss="cross_entropy")
    mean, std = train.scaling
    save_params(tmp_path / "p.json", model, {"scaling": {"mean": mean.tolist(), "std": std.tolist()}})
    _, training = load_params(tmp_path / "p.json")
    assert np.array_equal(training["scaling"]["mean"], mean) and np.array_equal(training["scaling"]["std"], std)


@pytest.mark.parametrize(
    ("scaling", "complaint"),
    [
        ({"mean": [0.0, 0.0, 0.0], "std": [1.0, 1.0, 1.0, 1.0]}, "training.scaling.mean does not have shape (4,)"),
        ({"mean": [0.0] * 4, "std": [1.0] * 5}, "training.scaling.std does not have shape (4,)"),
        ({"mean": [0.0] * 4, "std": [1.0, 0.0, 1.0, 1.0]}, "training.scaling.std must be positive"),
        ({"mean": [0.0] * 4, "std": [1.0, -2.0, 1.0, 1.0]}, "training.scaling.std must be positive"),
        ({"mean": [0.0] * 4, "std": [1.0, "1", 1.0, 1.0]}, "training.scaling.std does not have shape (4,)"),
        ({"mean": [0.0] * 4, "std": [1.0, 1e999, 1.0, 1.0]}, "Infinity is not allowed"),
        ({"mean": [0.0, float("nan"), 0.0, 0.0], "std": [1.0] * 4}, "NaN is not allowed"),
        ({"mean": [0.0] * 4}, "training.scaling.std does not have shape (4,)"),
        ([[0.0] * 4, [1.0] * 4], '"training.scaling" must be an object'),
    ],
)
def test_bad_scaling_is_refused_in_one_line(tmp_path: Path, scaling: object, complaint: str) -> None:
    path = iris_params(tmp_path, scaling)
    with pytest.raises(ParamsError) as caught:
        load_params(path)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: ")
    assert complaint in message
