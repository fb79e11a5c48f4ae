"""Parameter files: exact round trips and clear refusals of anything malformed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui_mlp.core import MLP
from tui_mlp.core.params import ParamsError, load_params, save_params, to_json


@pytest.mark.parametrize(
    ("sizes", "activation", "output", "loss"),
    [
        ([4, 5, 2], "sigmoid", "sigmoid", "sse"),
        ([4, 8, 8, 2], "relu", "linear", "mse"),
        ([2, 3, 3], "tanh", "softmax", "cross_entropy"),
    ],
)
def test_round_trip_is_exact(tmp_path: Path, sizes: list[int], activation: str, output: str, loss: str) -> None:
    model = MLP(sizes, activation, seed=3, output_activation=output, loss=loss)
    model.weights[0][0, 0] = 1 / 3  # a value with a long repr
    path = save_params(tmp_path / "p.json", model, {"epochs": 12, "learning_rate": 0.1})
    loaded, training = load_params(path)
    assert loaded.layer_sizes == model.layer_sizes
    assert (loaded.activation, loaded.output_activation, loaded.loss_name) == (activation, output, loss)
    assert np.array_equal(loaded.parameters(), model.parameters())
    assert training == {"epochs": 12, "learning_rate": 0.1}
    assert [p.name for p in tmp_path.iterdir()] == ["p.json"]


def document(**changes: Any) -> dict[str, Any]:
    base = json.loads(to_json(MLP([2, 3, 1], seed=0)))
    base.update(changes)
    return base


BAD_DOCUMENTS = {
    "wrong format": (document(format="other"), "not a tui-mlp parameter file"),
    "wrong version": (document(version=2), "unsupported format version 2"),
    "sizes not a list": (document(layer_sizes="2,3,1"), "layer_sizes"),
    "huge size": (document(layer_sizes=[2, 10**9, 1]), "more than the maximum"),
    "zero size": (document(layer_sizes=[2, 0, 1]), "at least 1"),
    "bool size": (document(layer_sizes=[2, True, 1]), "layer_sizes"),
    "unknown activation": (document(activation="swish"), '"activation"'),
    "unknown loss": (document(loss="hinge"), '"loss"'),
    "missing weights": (document(weights=None), '"weights"'),
    "wrong shape": (document(weights=[[[0.0] * 3] * 3, [[0.0]] * 3]), "weights[0] does not have shape (2, 3)"),
    "swapped shape": (document(weights=[[[0.0] * 2] * 3, [[0.0] * 3]]), "weights[0] does not have shape (2, 3)"),
    "bias too short": (document(biases=[[0.0, 0.0], [0.0]]), "biases[0] does not have shape (3,)"),
    "string number": (document(biases=[[0.0, "1", 0.0], [0.0]]), "biases[0]"),
    "training not object": (document(training=[1]), '"training"'),
    "not an object": ([1, 2, 3], "not a tui-mlp parameter file"),
}


@pytest.mark.parametrize(("doc", "message"), BAD_DOCUMENTS.values(), ids=BAD_DOCUMENTS.keys())
def test_bad_documents_are_refused_in_one_line(tmp_path: Path, doc: Any, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(ParamsError) as refused:
        load_params(path)
    text = str(refused.value)
    assert message in text and str(path) in text and "\n" not in text


def with_bias(token: str) -> bytes:
    """A valid file whose output bias is the JSON token ``token``."""
    return json.dumps(document(biases=[[0.0, 0.0, 0.0], [12345.5]])).replace("12345.5", token).encode()


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "not valid JSON"),
        (with_bias("NaN"), "NaN is not allowed"),
        (with_bias("1e999"), "biases\\[1\\] holds a number that is not finite"),
        (with_bias("1" * 400), "biases\\[1\\] holds a number that is not finite"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "invalid UTF-8"),
        (b"[" * 100_000, "nested too deeply"),
    ],
    ids=["empty", "nan", "overflow", "huge-int", "binary", "deep"],
)
def test_raw_garbage_is_refused(tmp_path: Path, raw: bytes, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(raw)
    with pytest.raises(ParamsError, match=message):
        load_params(path)


def test_every_truncation_is_refused(tmp_path: Path) -> None:
    text = to_json(MLP([2, 2, 1], seed=0))
    path = tmp_path / "cut.json"
    for end in range(0, len(text) - 2, 7):
        path.write_text(text[:end])
        with pytest.raises(ParamsError):
            load_params(path)


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(position=st.integers(min_value=0), byte=st.integers(0, 255))
def test_byte_flips_load_or_refuse(tmp_path: Path, position: int, byte: int) -> None:
    raw = bytearray(to_json(MLP([2, 2, 1], seed=0)).encode())
    raw[position % len(raw)] = byte
    path = tmp_path / "flip.json"
    path.write_bytes(bytes(raw))
    try:
        model, _ = load_params(path)
    except ParamsError as refused:
        assert "\n" not in str(refused)
    else:
        assert np.isfinite(model.parameters()).all()


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(ParamsError, match="No such file"):
        load_params(tmp_path / "none.json")
    with pytest.raises(ParamsError, match="cannot read"):
        load_params(tmp_path)


def test_save_to_a_missing_folder_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(ParamsError, match="cannot write"):
        save_params(tmp_path / "missing" / "p.json", MLP([2, 1], seed=0))
    assert list(tmp_path.iterdir()) == []


def test_save_refuses_non_finite_parameters(tmp_path: Path) -> None:
    model = MLP([2, 1], seed=0)
    model.biases[0][0] = np.inf
    with pytest.raises(ParamsError, match="cannot save"):
        save_params(tmp_path / "p.json", model)
    assert list(tmp_path.iterdir()) == []


def test_full_disk_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "p.json"
    target.write_text("old")

    def full(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("tui_mlp.core.files.os.fsync", full)
    with pytest.raises(ParamsError, match=f"^cannot write {target}: No space left on device$"):
        save_params(target, MLP([2, 1], seed=0))
    assert target.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["p.json"]
