"""Parameter files: exact round trips and clear refusals of anything malformed."""

from __future__ import annotations

import codecs
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tui_mlp.core import MLP, params
from tui_mlp.core.csvdata import MAX_COLUMNS, MAX_ROWS
from tui_mlp.core.mlp import MAX_LAYER_SIZE, MAX_LAYERS, MAX_PARAMETERS, check_layer_sizes, parameter_count
from tui_mlp.core.params import ParamsError, load_params, save_params, to_json
from tui_mlp.core.parse import MAX_EPOCHS


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
    "unknown dtype": (document(dtype="float16"), "\"dtype\" is 'float16', expected one of float64, float32"),
    "dtype not a name": (document(dtype=32), '"dtype" is 32, expected one of float64, float32'),
    "too large for float32": (
        document(dtype="float32", biases=[[0.0] * 3, [1e39]]),
        "biases[1] holds a number too large",
    ),
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


@pytest.mark.parametrize(
    ("activation", "output", "loss"), [("sigmoid", "sigmoid", "sse"), ("relu", "softmax", "cross_entropy")]
)
def test_a_float32_network_round_trips_exactly_as_float32(
    tmp_path: Path, activation: str, output: str, loss: str
) -> None:
    model = MLP([3, 4, 2], activation, seed=5, output_activation=output, loss=loss, dtype=np.float32)
    model.weights[0][0, 0] = np.float32(1 / 3)
    path = save_params(tmp_path / "p.json", model)
    assert '"dtype": "float32"' in path.read_text()
    for wanted in (None, "float32", "float64"):  # a float32 file stays float32
        loaded, _ = load_params(path, wanted)
        assert loaded.dtype == np.float32
        assert np.array_equal(loaded.parameters(), model.parameters())


def test_a_float64_file_loads_into_either_dtype(tmp_path: Path) -> None:
    model = MLP([3, 4, 2], seed=5)
    path = save_params(tmp_path / "p.json", model)
    assert load_params(path)[0].dtype == np.float64
    assert np.array_equal(load_params(path, "float64")[0].parameters(), model.parameters())
    narrowed, _ = load_params(path, "float32")
    assert narrowed.dtype == np.float32
    assert np.array_equal(narrowed.parameters(), model.parameters().astype(np.float32))


def test_a_file_from_before_dtypes_loads_as_float64(tmp_path: Path) -> None:
    old = document()
    del old["dtype"]
    path = tmp_path / "old.json"
    path.write_text(json.dumps(old))
    loaded, _ = load_params(path)
    assert loaded.dtype == np.float64
    assert np.array_equal(loaded.parameters(), MLP([2, 3, 1], seed=0).parameters())


# --- the layout: one matrix row a line, streamed -------------------------------


def test_one_matrix_row_and_one_bias_vector_a_line(tmp_path: Path) -> None:
    model = MLP([2, 2, 1], seed=0)
    model.weights[0][...] = [[0.5, -1.25], [1 / 3, 2.0]]
    model.weights[1][...] = [[1e-05], [-3e20]]
    model.biases[0][...] = [0.0, 0.1]
    model.biases[1][...] = [-0.0]
    path = save_params(tmp_path / "p.json", model, {"epochs": 3, "scaling": {"mean": [1.5, 0.0], "std": [2.0, 1.0]}})
    assert path.read_text() == (
        "{\n"
        ' "format": "tui-mlp-params",\n'
        ' "version": 1,\n'
        ' "layer_sizes": [2, 2, 1],\n'
        ' "activation": "sigmoid",\n'
        ' "output_activation": "sigmoid",\n'
        ' "loss": "sse",\n'
        ' "dtype": "float64",\n'
        ' "weights": [\n'
        "  [\n"
        "   [0.5, -1.25],\n"
        "   [0.3333333333333333, 2.0]\n"
        "  ],\n"
        "  [\n"
        "   [1e-05],\n"
        "   [-3e+20]\n"
        "  ]\n"
        " ],\n"
        ' "biases": [\n'
        "  [0.0, 0.1],\n"
        "  [-0.0]\n"
        " ],\n"
        ' "training": {\n'
        '  "epochs": 3,\n'
        '  "scaling": {\n'
        '   "mean": [\n'
        "    1.5,\n"
        "    0.0\n"
        "   ],\n"
        '   "std": [\n'
        "    2.0,\n"
        "    1.0\n"
        "   ]\n"
        "  }\n"
        " }\n"
        "}\n"
    )
    assert np.array_equal(load_params(path)[0].parameters(), model.parameters())


def test_save_streams_a_row_at_a_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    model = MLP([3, 200, 2], seed=0)
    pieces: list[str] = []
    write = params.atomic_write

    def recording(path: Path, data: Any) -> Path:
        assert not isinstance(data, str | bytes)
        return write(path, (pieces.append(piece) or piece for piece in data))

    monkeypatch.setattr(params, "atomic_write", recording)
    path = save_params(tmp_path / "p.json", model, {"epochs": 1})
    rows = [row for w in model.weights for row in w] + model.biases
    assert max(map(len, pieces)) == max(len(json.dumps(row.tolist())) for row in rows)
    assert "".join(pieces) == path.read_text()


# --- the size limit: whatever can be saved can be loaded ------------------------

LONGEST = -2.2250738585072014e-308  # sign, 17 significant digits, point, e-308


def test_the_longest_number_text_has_number_chars() -> None:
    assert len(json.dumps(LONGEST)) == params.NUMBER_CHARS
    for x in (-1.7976931348623157e308, -5e-324, -0.00012345678901234567, -1234567890123456.8, 2**53 + 0.0):
        assert len(json.dumps(x)) <= params.NUMBER_CHARS


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_no_number_text_is_longer(x: float) -> None:
    assert len(json.dumps(x)) <= params.NUMBER_CHARS


def worst_model(sizes: list[int]) -> MLP:
    model = MLP(sizes, seed=0)
    model.parameters()[...] = LONGEST
    return model


def arrays_text(text: str) -> str:
    """The weights and the biases lists of a parameter file's text."""
    start = text.index('"weights": ') + len('"weights": ')
    return text[start : text.index(',\n "training": ')].replace(',\n "biases": ', "")


@settings(max_examples=60, deadline=None)
@given(sizes=st.lists(st.integers(1, 30), min_size=2, max_size=6))
def test_the_bound_holds_and_is_close_for_the_longest_numbers(sizes: list[int]) -> None:
    written = len(arrays_text(to_json(worst_model(sizes))))
    rows = sum(sizes[:-1]) + len(sizes) - 1
    assert written <= params.arrays_bound(sizes) <= written + 3 * rows + 2


def test_the_other_chars_cover_the_longest_training_record() -> None:
    model = worst_model([MAX_LAYER_SIZE, 1, 1])
    record = {
        "hidden": [MAX_LAYER_SIZE] * (MAX_LAYERS - 2),
        "epochs": MAX_EPOCHS,
        "learning_rate": LONGEST,
        "optimizer": "momentum",
        "momentum": LONGEST,
        "batch_size": MAX_ROWS,
        "weight_decay": LONGEST,
        "data": "é" * 4096,  # a path of PATH_MAX bytes, escaped
        "targets": ["t" * 100] * MAX_COLUMNS,
        "seed": 2**32 - 1,
        "epochs_run": MAX_EPOCHS,
        "final_loss": LONGEST,
        "stopped": "cancelled",
        "scaling": {"mean": [LONGEST] * MAX_LAYER_SIZE, "std": [LONGEST] * MAX_LAYER_SIZE},
    }
    text = to_json(model, record)
    assert len(text) - len(arrays_text(text)) <= params.OTHER_CHARS


LARGEST = [
    [4, 4400, 4400, 2],  # 19.4 million parameters: a 512 MB file before rows were lines
    [MAX_LAYER_SIZE, 1999, 1],
    [2, 4470, 4469, 1],  # 19,998,779: the most parameters with two hidden layers
    [MAX_LAYER_SIZE, 1] * (MAX_LAYERS // 2),  # the most rows
    [1] + [788] * (MAX_LAYERS - 1),
]


@pytest.mark.parametrize("sizes", LARGEST, ids=lambda sizes: f"{len(sizes)} layers, {parameter_count(sizes):,}")
def test_the_largest_networks_worst_file_is_within_the_load_limit(sizes: list[int]) -> None:
    check_layer_sizes(sizes)
    assert params.arrays_bound(sizes) + params.OTHER_CHARS <= params.MAX_FILE_BYTES


@given(st.lists(st.integers(1, MAX_LAYER_SIZE), min_size=2, max_size=MAX_LAYERS))
def test_every_allowed_networks_worst_file_is_within_the_load_limit(sizes: list[int]) -> None:
    assume(parameter_count(sizes) <= MAX_PARAMETERS)
    assert params.arrays_bound(sizes) + params.OTHER_CHARS <= params.MAX_FILE_BYTES


def test_a_file_that_could_outgrow_the_load_limit_is_not_saved(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    limit = params.arrays_bound([2, 3, 1]) + 1000
    monkeypatch.setattr(params, "MAX_FILE_BYTES", limit)
    model = MLP([2, 3, 1], seed=0)
    path = tmp_path / "p.json"
    size = len(to_json(model, {"note": "x" * 1000})) - len(arrays_text(to_json(model))) + params.arrays_bound([2, 3, 1])
    with pytest.raises(ParamsError) as refused:
        save_params(path, model, {"note": "x" * 1000})
    assert str(refused.value) == (
        f"{path}: cannot save: the file could take {size:,} bytes, more than the {limit:,} that loading allows"
    )
    assert list(tmp_path.iterdir()) == []


# --- reading: special files, a byte-order mark, numbers Python will not read -----


def test_a_utf8_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    model = MLP([2, 3, 1], seed=4)
    path = tmp_path / "bom.json"
    path.write_bytes(codecs.BOM_UTF8 + to_json(model, {"epochs": 2}).encode())
    loaded, training = load_params(path)
    assert np.array_equal(loaded.parameters(), model.parameters()) and training == {"epochs": 2}


@pytest.mark.parametrize(("number", "digits"), [("1" * 5000, "5,000"), ("-" + "9" * 4301, "4,301")])
def test_a_number_with_too_many_digits_is_one_clear_line(tmp_path: Path, number: str, digits: str) -> None:
    path = tmp_path / "digits.json"
    for raw in (with_bias(number), json.dumps(document()).replace('"version": 1', f'"version": {number}').encode()):
        path.write_bytes(raw)
        with pytest.raises(ParamsError) as refused:
            load_params(path)
        assert str(refused.value) == f"{path}: a number has {digits} digits, too many to read"


def test_a_folder_is_neither_read_nor_replaced(tmp_path: Path) -> None:
    folder = tmp_path / "p.json"
    folder.mkdir()
    with pytest.raises(ParamsError) as refused:
        load_params(folder)
    assert str(refused.value) == f"cannot read {folder}: not a regular file (a folder)"
    with pytest.raises(ParamsError) as refused:
        save_params(folder, MLP([2, 1], seed=0))
    assert str(refused.value) == f"cannot write {folder}: not a regular file (a folder)"
    assert folder.is_dir() and list(tmp_path.iterdir()) == [folder]


def test_save_refuses_non_finite_parameters_in_one_line(tmp_path: Path) -> None:
    model = MLP([2, 1], seed=0)
    model.weights[0][1, 0] = np.nan
    with pytest.raises(ParamsError) as refused:
        save_params(tmp_path / "p.json", model)
    assert str(refused.value) == f"{tmp_path / 'p.json'}: cannot save: a parameter is not finite"


@pytest.mark.parametrize(
    ("sizes", "shape", "counts"),
    [([4, 8, 2], (2, 1), "(2 inputs, 1 output)"), ([2, 8, 1], (1, 1), "(1 input, 1 output)")],
)
def test_a_network_that_does_not_fit_the_data_says_so_in_plain_words(
    sizes: list[int], shape: tuple[int, int], counts: str
) -> None:
    with pytest.raises(params.ParamsError) as refused:
        params.check_fits(MLP(sizes), "p.json", "moons", shape)
    net = "-".join(map(str, sizes))
    assert str(refused.value) == f"p.json: network {net} does not fit 'moons' {counts}"
