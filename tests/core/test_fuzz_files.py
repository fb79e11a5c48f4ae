"""Fuzzing parameter files and CSV tables: any mutation of a valid file is
either loaded correctly or refused with one clear line naming the file; never
another exception, never a hang."""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, currently_in_test_context, event, given, settings
from hypothesis import strategies as st

from tui_mlp.core import MLP
from tui_mlp.core.csvdata import DataError, load_csv, standardise
from tui_mlp.core.datasets import Dataset
from tui_mlp.core.params import ParamsError, load_params, to_json

IRIS_BYTES = (Path(__file__).parents[1] / "data" / "iris.csv").read_bytes()
IRIS_COLUMNS = ("sepal_length", "sepal_width", "petal_length", "petal_width", "species")

MUTATION_EXAMPLES = 300
STRUCTURE_EXAMPLES = 150
FUZZ = settings(
    max_examples=MUTATION_EXAMPLES,
    deadline=2000,  # ms: a mutated file never makes a load hang
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # a folder and file name with a space and non-ASCII, to check the message names them exactly
    return tmp_path_factory.mktemp("fuzz files ü")


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def note_outcome(outcome: str) -> None:
    """Count outcomes in hypothesis's statistics (--hypothesis-show-statistics)."""
    if currently_in_test_context():
        event(outcome)


def assert_one_line_naming(error: Exception, path: Path) -> None:
    message = str(error)
    assert message and len(message.splitlines()) == 1, repr(message)
    assert "Traceback" not in message
    assert str(path) in message, message


# --- byte-level mutations shared by both formats ------------------------------


@st.composite
def mutated(draw: st.DrawFn, original: bytes) -> bytes:
    """``original`` after a few truncations, flips, insertions, deletions and splices."""
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["truncate", "flip", "insert", "delete", "splice", "repeat"]))
        at = draw(st.integers(0, len(data)))
        if kind == "truncate":
            del data[at:]
        elif kind == "flip" and at < len(data):
            data[at] ^= draw(st.integers(1, 255))
        elif kind == "insert":
            data[at:at] = draw(
                st.binary(min_size=1, max_size=8)
                | st.sampled_from([b"\x00", b"\xff", b"\xc3", b"\xef\xbb\xbf", b'"', b",", b"\n", b"\r", b"[", b"{"])
            )
        elif kind == "delete":
            del data[at : at + draw(st.integers(1, 16))]
        elif kind == "splice":
            data[at:at] = draw(st.sampled_from(SPLICES))
        elif kind == "repeat":
            data[at:at] = data[at : at + draw(st.integers(1, 64))] * draw(st.integers(2, 50))
    return bytes(data)


SPLICES = [
    b"1e308",
    b"1e400",
    b"-1e400",
    b"1e-400",
    b"1" + b"0" * 400,
    b"9" * 5000,
    b"NaN",
    b"Infinity",
    b"-Infinity",
    b"null",
    b"true",
    b"[]",
    b"{}",
    b'"x"',
    b"[" * 10_000 + b"]" * 10_000,
    b"{" * 5_000,
    b"\\u0000",
    b"\\ud800",
    b"\x00" * 10,
    b"x" * 200_000,  # a very long line
    b"," * 2000,  # many columns
]


# --- parameter files ----------------------------------------------------------

MODELS = [
    MLP([4, 5, 2], "sigmoid", seed=0),
    MLP([3, 4, 4, 3], "relu", seed=1, output_activation="softmax", loss="cross_entropy"),
    MLP([1, 2, 1], "tanh", seed=2, output_activation="linear", loss="mse"),
]
TRAINING = {"dataset": "seed", "epochs": 10, "seed": 3, "scaling": {"mean": [0.0, 1.0, 2.0], "std": [1.0, 2.0, 3.0]}}


def valid_text(index: int) -> str:
    model = MODELS[index]
    training = TRAINING if model.layer_sizes[0] == 3 else {"epochs": 10}
    return to_json(model, training)


def check_params(path: Path) -> str:
    """Load ``path``: a correct network, or one ParamsError line naming the file."""
    try:
        model, training = load_params(path)
    except ParamsError as error:
        assert_one_line_naming(error, path)
        note_outcome("refused")
        return "refused"
    sizes = model.layer_sizes
    assert len(model.weights) == len(model.biases) == len(sizes) - 1
    for i, (w, b) in enumerate(zip(model.weights, model.biases)):
        assert w.shape == (sizes[i], sizes[i + 1]) and w.dtype == np.float64
        assert b.shape == (sizes[i + 1],) and b.dtype == np.float64
    assert np.isfinite(model.parameters()).all()
    assert isinstance(training, dict)
    note_outcome("loaded")
    return "loaded"


@FUZZ
@given(index=st.sampled_from(range(len(MODELS))), data=st.data())
def test_mutated_parameter_file_loads_or_is_refused(folder: Path, index: int, data: st.DataObject) -> None:
    raw = data.draw(mutated(valid_text(index).encode()))
    check_params(write(folder, "params ü.json", raw))


@settings(max_examples=MUTATION_EXAMPLES, deadline=2000)
@given(cut=st.integers(0, len(valid_text(1).encode())))
def test_truncated_parameter_file(folder: Path, cut: int) -> None:
    raw = valid_text(1).encode()
    outcome = check_params(write(folder, "cut.json", raw[:cut]))
    assert outcome == ("loaded" if raw[:cut].strip() == raw.strip() else "refused")


def document(index: int) -> dict[str, Any]:
    return json.loads(valid_text(index))


def json_leaves(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Paths to every leaf of a parsed JSON document."""
    if isinstance(value, dict):
        return [p for key, item in value.items() for p in json_leaves(item, (*path, key))]
    if isinstance(value, list):
        return [p for i, item in enumerate(value) for p in json_leaves(item, (*path, i))]
    return [path]


def replace_at(document: Any, path: tuple[Any, ...], value: Any) -> None:
    for key in path[:-1]:
        document = document[key]
    document[path[-1]] = value


def deep(depth: int) -> Any:
    value: Any = 0.5
    for _ in range(depth):
        value = [value]
    return value


STRANGE_VALUES = st.one_of(
    st.sampled_from([None, True, False, "", "1", [], {}, 1e308, -1e308, 5e-324, 10**400, -(10**400), 2**63, 0, -1]),
    st.integers(-(10**30), 10**30),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=10),
    st.lists(st.floats(-10, 10), max_size=6),
    st.integers(1, 300).map(deep),  # deeper nesting: see test_pathological_parameter_files_are_refused
)


def dumps(document: Any) -> bytes:
    """JSON text; huge ints are written as they are, 1e400 as a literal too large for a float."""
    return json.dumps(document, allow_nan=True).replace("Infinity", "1e400").encode()


@settings(max_examples=STRUCTURE_EXAMPLES, deadline=2000)
@given(index=st.sampled_from(range(len(MODELS))), data=st.data())
def test_any_leaf_replaced_loads_or_is_refused(folder: Path, index: int, data: st.DataObject) -> None:
    doc = document(index)
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(json_leaves(doc)))
        replace_at(doc, path, data.draw(STRANGE_VALUES))
    check_params(write(folder, "leaf.json", dumps(doc)))


@pytest.mark.parametrize("index", range(len(MODELS)))
@pytest.mark.parametrize(
    "key", ["format", "version", "layer_sizes", "activation", "output_activation", "loss", "weights", "biases"]
)
def test_each_missing_key_is_refused(folder: Path, index: int, key: str) -> None:
    doc = document(index)
    del doc[key]
    assert check_params(write(folder, "missing.json", dumps(doc))) == "refused"


@pytest.mark.parametrize("index", range(len(MODELS)))
def test_missing_training_section_loads(folder: Path, index: int) -> None:
    doc = document(index)
    del doc["training"]
    assert check_params(write(folder, "no training.json", dumps(doc))) == "loaded"


@settings(max_examples=STRUCTURE_EXAMPLES, deadline=2000)
@given(
    index=st.sampled_from(range(len(MODELS))),
    extra=st.dictionaries(st.text(max_size=12), STRANGE_VALUES, min_size=1, max_size=4),
)
def test_extra_keys_are_ignored_or_refused(folder: Path, index: int, extra: dict[str, Any]) -> None:
    doc = document(index)
    untouched = not set(extra) & set(doc)
    doc |= extra
    outcome = check_params(write(folder, "extra.json", dumps(doc)))
    if untouched:
        assert outcome == "loaded"  # unknown keys are ignored


@pytest.mark.parametrize("index", range(len(MODELS)))
@pytest.mark.parametrize("key", ["weights", "biases"])
def test_swapped_shapes_are_refused(folder: Path, index: int, key: str) -> None:
    doc = document(index)
    for i, array in enumerate(doc[key]):
        changed = np.array(array).T.tolist() if key == "weights" else [[v] for v in array]
        if np.shape(changed) == np.shape(array):
            continue  # a square matrix keeps its shape
        copy = document(index)
        copy[key][i] = changed
        assert check_params(write(folder, "swapped.json", dumps(copy))) == "refused"


@pytest.mark.parametrize("index", range(len(MODELS)))
def test_layer_sizes_swapped_are_refused(folder: Path, index: int) -> None:
    doc = document(index)
    sizes = doc["layer_sizes"]
    doc["layer_sizes"] = [sizes[1], sizes[0], *sizes[2:]]
    assert check_params(write(folder, "reversed.json", dumps(doc))) == "refused"


@pytest.mark.parametrize(
    "raw",
    [
        b"[" * 10_000 + b"]" * 10_000,
        b"[" * 100_000,
        b'{"format": "tui-mlp-params", "training": ' + b"[" * 50_000 + b"]" * 50_000 + b"}",
        b'{"a":' * 10_000 + b"1" + b"}" * 10_000,
        b"1" * 10_000,
        b"",
        b"\xef\xbb\xbf{}",
        b"\xff\xfe{\x00}\x00",
        b"\x80abc",
        valid_text(0).encode("utf-16"),
        b"\x80" + valid_text(0).encode(),
        valid_text(0).encode().replace(b"0.", b"\xc30.", 1),
    ],
    ids=[
        "10k nested lists",
        "100k open brackets",
        "deep training",
        "10k nested objects",
        "10k-digit number",
        "empty",
        "BOM",
        "UTF-16 LE",
        "bad start byte",
        "UTF-16 file",
        "bad first byte",
        "bad byte in number",
    ],
)
def test_pathological_parameter_files_are_refused(folder: Path, raw: bytes) -> None:
    assert check_params(write(folder, "odd.json", raw)) == "refused"


@pytest.mark.parametrize("huge", ["1e308", "-1e308", "1e400", "-1e400", "1" + "0" * 400, "1" * 5000, "NaN", "Infinity"])
def test_huge_numbers_in_weights(folder: Path, huge: str) -> None:
    text = valid_text(0)
    first = json.dumps(document(0)["weights"][0][0][0])
    path = write(folder, "huge.json", text.replace(first, huge, 1).encode())
    outcome = check_params(path)
    assert outcome == ("loaded" if huge in ("1e308", "-1e308") else "refused")


def test_never_unpickles(folder: Path) -> None:
    import pickle

    path = write(folder, "pickled.json", pickle.dumps(MODELS[0]))
    assert check_params(path) == "refused"


def test_path_with_nul_is_refused_with_params_error(folder: Path) -> None:
    path = str(folder / "a\x00b.json")
    with pytest.raises(ParamsError, match="a"):
        load_params(path)


# --- CSV tables ---------------------------------------------------------------

TARGET_SETS = [("species",), ("petal_width",), ("petal_width", "petal_length")]


def check_csv(path: Path, targets: tuple[str, ...]) -> str:
    """Load ``path``: a sound dataset whose features standardise to finite
    numbers without a NumPy warning, or one DataError line naming the file."""
    try:
        data = load_csv(path, targets)
    except DataError as error:
        assert_one_line_naming(error, path)
        note_outcome("refused")
        return "refused"
    assert isinstance(data, Dataset)
    assert data.X.dtype == data.y.dtype == np.float64
    assert data.X.ndim == data.y.ndim == 2
    assert len(data.X) == len(data.y) >= 1
    assert np.isfinite(data.X).all() and np.isfinite(data.y).all()
    if data.task == "multiclass":
        assert data.n_outputs == len(data.classes) >= 2
        assert (data.y.sum(axis=1) == 1).all() and set(np.unique(data.y)) <= {0.0, 1.0}
    else:
        assert data.n_outputs == len(targets)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        (scaled,) = standardise(data)
    assert np.isfinite(scaled.X).all()
    note_outcome("loaded")
    return "loaded"


@FUZZ
@given(targets=st.sampled_from(TARGET_SETS), data=st.data())
def test_mutated_csv_loads_or_is_refused(folder: Path, targets: tuple[str, ...], data: st.DataObject) -> None:
    raw = data.draw(mutated(IRIS_BYTES))
    check_csv(write(folder, "table ü.csv", raw), targets)


@settings(max_examples=MUTATION_EXAMPLES, deadline=2000)
@given(cut=st.integers(0, len(IRIS_BYTES)))
def test_truncated_csv(folder: Path, cut: int) -> None:
    outcome = check_csv(write(folder, "cut.csv", IRIS_BYTES[:cut]), ("species",))
    if cut <= IRIS_BYTES.index(b"\n") + 1:
        assert outcome == "refused"  # no data rows
    if cut >= len(IRIS_BYTES) - 1:
        assert outcome == "loaded"


def table(raw: bytes) -> list[list[str]]:
    return [line.split(",") for line in raw.decode().splitlines()]  # iris.csv has CRLF line ends


def untable(rows: list[list[str]]) -> bytes:
    return ("\n".join(",".join(row) for row in rows) + "\n").encode("utf-8", "surrogatepass")


NUMBER_TEXT = ["nan", "inf", "-inf", "1e400", "1e308", "1e150", "-2e150", "1e-320", "1_0", "١٢", "0x10"]
CELL_TEXT = st.one_of(
    st.text(max_size=20),
    st.sampled_from(["", " ", *NUMBER_TEXT, '"', '"a,b"', '"a\nb"']),
    st.floats().map(repr),
    st.text(min_size=1000, max_size=5000),
)


@settings(max_examples=MUTATION_EXAMPLES, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
@given(targets=st.sampled_from(TARGET_SETS), data=st.data())
def test_cells_replaced_with_random_text(folder: Path, targets: tuple[str, ...], data: st.DataObject) -> None:
    rows = table(IRIS_BYTES)
    for _ in range(data.draw(st.integers(1, 5))):
        r = data.draw(st.integers(0, len(rows) - 1))
        c = data.draw(st.integers(0, len(rows[r]) - 1))
        rows[r][c] = data.draw(CELL_TEXT)
    check_csv(write(folder, "cells.csv", untable(rows)), targets)


@settings(max_examples=STRUCTURE_EXAMPLES, deadline=2000)
@given(
    targets=st.sampled_from(TARGET_SETS),
    column=st.integers(0, 5),
    action=st.sampled_from(["add", "remove", "add to header", "remove from header", "add to one row"]),
    value=st.sampled_from(["1", "x", "", "1,2"]),
    row=st.integers(1, 150),
)
def test_added_or_removed_columns(
    folder: Path, targets: tuple[str, ...], column: int, action: str, value: str, row: int
) -> None:
    rows = table(IRIS_BYTES)
    for i, cells in enumerate(rows):
        header = i == 0
        if action == "add" or (action == "add to header" and header) or (action == "add to one row" and i == row):
            cells.insert(column, f"extra{column}" if header else value)
        elif action == "remove" or (action == "remove from header" and header):
            del cells[min(column, len(cells) - 1)]
    outcome = check_csv(write(folder, "columns.csv", untable(rows)), targets)
    if action in ("add to header", "remove from header", "add to one row"):
        assert outcome == "refused"


@pytest.mark.parametrize("count", [2, 999, 1000, 1001, 50_000])
def test_many_columns(folder: Path, count: int) -> None:
    header = ",".join(f"c{i}" for i in range(count - 1)) + ",y"
    rows = [",".join(["1"] * (count - 1) + [label]) for label in ("a", "b")]
    outcome = check_csv(write(folder, "wide.csv", "\n".join([header, *rows]).encode()), ("y",))
    assert outcome == ("loaded" if count <= 1000 else "refused")


@pytest.mark.parametrize(
    "raw",
    [
        b"a,b\n" + b"1," + b"9" * 200_000 + b"\n",  # a field past the csv module's limit
        b"a,b\n1," + b"x" * 1_000_000 + b"\n2,y\n",
        b"\x00" * 1000,
        b"a,b\x00\n1,2\n3,4\n",
        b"a,b\n1,\x00\n3,4\n",
        b'a,b\n"1,2\n3,4\n',  # an unterminated quote
        b"a,b\n" + b"\n" * 10_000,
        b"\xef\xbb\xbf",
        b"\xff\xfe" + "a,b\n1,2\n".encode("utf-16-le"),
        b"a,b\n1,\xff\n",
    ],
    ids=["huge field", "long line", "only NUL", "NUL in header", "NUL in cell", "open quote", "blank rows", "BOM",
         "UTF-16", "bad byte"],
)  # fmt: skip
def test_pathological_csv_files(folder: Path, raw: bytes) -> None:
    check_csv(write(folder, "odd.csv", raw), ("b",))


def test_missing_target_message_is_one_line_with_odd_header(folder: Path) -> None:
    path = write(folder, "header.csv", b'a,"b\nc"\n1,2\n3,4\n')
    check_csv(path, ("species",))


def test_csv_path_with_nul_is_refused_with_data_error(folder: Path) -> None:
    with pytest.raises(DataError):
        load_csv(str(folder / "a\x00b.csv"), ("y",))
