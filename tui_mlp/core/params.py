"""Parameter files: a trained network as human-readable JSON.

Format (version 1)::

    {
     "format": "tui-mlp-params",
     "version": 1,
     "layer_sizes": [4, 5, 2],
     "activation": "sigmoid",            # hidden layers
     "output_activation": "sigmoid",
     "loss": "sse",
     "dtype": "float64",                 # or "float32"; a file without it is float64
     "weights": [                        # weights[i][row][col], shape (sizes[i], sizes[i+1])
      [
       [0.53, -1.2, 0.08, 0.7, -0.31],   # one matrix row a line
       ...
      ],
      ...
     ],
     "biases": [                         # biases[i], length sizes[i+1]; one a line
      [0.0, 0.0, 0.0, 0.0, 0.0],
      [0.0, 0.0]
     ],
     "training": {
      "dataset": "seed",
      "epochs": 10000,
      ...
     }
    }

Each matrix row (and each bias vector) is one line, each number written
with Python's shortest round-trip repr, so a load gives back exactly the saved
floats (a float32 number is written as the float64 it equals). Files are written
atomically and streamed, a row at a time; loading checks everything and refuses
a bad file with one ``ParamsError`` line.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .activations import HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS
from .echo import counted, quoted, shown
from .errors import ParamsError
from .files import FileTooLarge, atomic_write, describe_os_error, read_limited
from .losses import LOSSES
from .mlp import (
    DEFAULT_DTYPE,
    DTYPES,
    MAX_LAYER_SIZE,
    MAX_LAYERS,
    MAX_PARAMETERS,
    MLP,
    check_layer_sizes,
    parameter_count,
)

FORMAT = "tui-mlp-params"
VERSION = 1

# The layout bounds the file: what can be saved can be loaded.
NUMBER_CHARS = 24  # the longest shortest-repr of a float64: sign, 17 digits, point, "e-308"
SEPARATOR_CHARS = len(", ")  # after every number but a row's last
ROW_CHARS = len(",\n   []")  # around a row of numbers: line break, indent, brackets
MATRIX_CHARS = len(",\n  [\n  ]")  # around a weight matrix's rows
LISTS_CHARS = 2 * len("[\n ]")  # around the weights and around the biases
OTHER_CHARS = 1 << 20  # names, sizes and the training section, with the feature scaling of up to 10,000 inputs


def arrays_bound(layer_sizes: Sequence[int]) -> int:
    """The most characters (bytes: the file is ASCII) the weights and biases of
    a network with ``layer_sizes`` can take in its parameter file."""
    matrices = len(layer_sizes) - 1
    rows = sum(layer_sizes[:-1]) + matrices  # weight rows and bias vectors
    return _bound(parameter_count(layer_sizes), rows, matrices)


def _bound(parameters: int, rows: int, matrices: int) -> int:
    return parameters * (NUMBER_CHARS + SEPARATOR_CHARS) + rows * ROW_CHARS + matrices * MATRIX_CHARS + LISTS_CHARS


# the largest file the largest allowed network (each count at its own maximum) can give
MAX_FILE_BYTES = _bound(MAX_PARAMETERS, (MAX_LAYERS - 1) * (MAX_LAYER_SIZE + 1), MAX_LAYERS - 1) + OTHER_CHARS


def to_json(model: MLP, training: dict[str, Any] | None = None) -> str:
    """The parameter-file text for ``model`` (``save_params`` streams it instead)."""
    return "".join(_pieces(model, _frame(model, training)))


def save_params(path: str | os.PathLike[str], model: MLP, training: dict[str, Any] | None = None) -> Path:
    """Write ``model`` (and the settings that trained it) to ``path`` atomically,
    a row at a time; refused if the file could be too large to load again."""
    try:
        frame = _frame(model, training)
    except ValueError as error:
        raise ParamsError(f"{shown(os.fspath(path))}: cannot save: {error}") from None
    size = sum(map(len, frame)) + arrays_bound(model.layer_sizes)
    if size > MAX_FILE_BYTES:
        raise ParamsError(
            f"{shown(os.fspath(path))}: cannot save: the file could take {size:,} bytes, "
            f"more than the {MAX_FILE_BYTES:,} that loading allows"
        )
    try:
        return atomic_write(path, _pieces(model, frame))
    except (OSError, ValueError) as error:
        raise ParamsError(f"cannot write {describe_os_error(path, error)}") from None


def _frame(model: MLP, training: dict[str, Any] | None) -> tuple[str, str, str]:
    """The text before the weights, between the weights and the biases, and
    after the biases; ValueError if a parameter or a training number is not finite."""
    if not all(np.isfinite(array).all() for array in (*model.weights, *model.biases)):
        raise ValueError("a parameter is not finite")
    fields = {
        "format": FORMAT,
        "version": VERSION,
        "layer_sizes": list(model.layer_sizes),
        "activation": model.activation,
        "output_activation": model.output_activation,
        "loss": model.loss_name,
        "dtype": model.dtype.name,
    }
    head = "{\n" + "".join(f" {json.dumps(key)}: {json.dumps(value)},\n" for key, value in fields.items())
    record = json.dumps(training or {}, indent=1, allow_nan=False).replace("\n", "\n ")
    return head + ' "weights": ', ',\n "biases": ', f',\n "training": {record}\n}}\n'


def _pieces(model: MLP, frame: tuple[str, str, str]) -> Iterator[str]:
    """The parameter file in pieces of at most a row: one matrix row, one bias vector a line."""
    head, middle, tail = frame
    yield head
    yield from _lines((_lines(([_numbers(row)] for row in w), "  ") for w in model.weights), " ")
    yield middle
    yield from _lines(([_numbers(b)] for b in model.biases), " ")
    yield tail


def _lines(items: Iterable[Iterable[str]], indent: str) -> Iterator[str]:
    """A JSON list with one item (given as text pieces) a line, its closing bracket at ``indent``."""
    yield "["
    for i, item in enumerate(items):
        yield f"{',' if i else ''}\n{indent} "
        yield from item
    yield f"\n{indent}]"


def _numbers(values: np.ndarray) -> str:
    return json.dumps(values.tolist())


def load_params(path: str | os.PathLike[str], dtype: str | None = None) -> tuple[MLP, dict[str, Any]]:
    """Read a parameter file; returns the network (in ``loaded_dtype``) and its training settings."""
    name = shown(os.fspath(path))
    try:
        document = json.loads(_read_text(path), parse_constant=refuse_constant, parse_int=_parse_int)
    except RecursionError:
        raise ParamsError(f"{name}: JSON is nested too deeply") from None
    except json.JSONDecodeError as error:
        raise ParamsError(f"{name}: not valid JSON (line {error.lineno}, column {error.colno})") from None
    except ValueError as error:
        raise ParamsError(f"{name}: {error}") from None
    try:
        return from_document(document, dtype)
    except ValueError as error:
        raise ParamsError(f"{name}: {error}") from None


def _read_text(path: str | os.PathLike[str]) -> str:
    """The file's text (a UTF-8 byte-order mark is dropped); its bytes are freed
    before the JSON is parsed. ParamsError if it cannot be read."""
    try:
        raw = read_limited(path, MAX_FILE_BYTES)
    except FileTooLarge as error:
        raise ParamsError(str(error)) from None
    except (OSError, ValueError) as error:  # ValueError: a NUL in the path
        raise ParamsError(f"cannot read {describe_os_error(path, error)}") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ParamsError(f"{shown(os.fspath(path))}: not a text file (invalid UTF-8)") from None


def _parse_int(token: str) -> int:
    try:
        return int(token)
    except ValueError:  # Python refuses to convert more than 4,300 digits
        raise ValueError(f"a number has {len(token.lstrip('-')):,} digits, too many to read") from None


def refuse_constant(token: str) -> float:
    raise ValueError(f"{token} is not allowed: every number must be finite")


def loaded_dtype(saved: str, wanted: str | None = None) -> str:
    """The dtype a network saved in ``saved`` loads as: a float64 one as ``wanted`` (default its own),
    a float32 one as float32 (widening it would claim digits it never had)."""
    return saved if wanted is None or saved == "float32" else wanted


def from_document(document: Any, dtype: str | None = None) -> tuple[MLP, dict[str, Any]]:
    """Validate a parsed parameter document and build its network, in ``loaded_dtype(the file's,
    dtype)`` (ValueError otherwise)."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ValueError(f'not a tui-mlp parameter file (no "format": "{FORMAT}")')
    version = document.get("version")
    if type(version) is not int or version != VERSION:
        raise ValueError(f"unsupported format version {quoted(version)} (this tui-mlp reads version {VERSION})")
    sizes = document.get("layer_sizes")
    if not isinstance(sizes, list) or not all(type(s) is int for s in sizes):
        raise ValueError('"layer_sizes" must be a list of whole numbers')
    sizes = check_layer_sizes(sizes)
    activation = _choice(document, "activation", HIDDEN_ACTIVATIONS)
    output = _choice(document, "output_activation", OUTPUT_ACTIVATIONS)
    loss = _choice(document, "loss", LOSSES)
    saved = _choice({"dtype": DEFAULT_DTYPE} | document, "dtype", DTYPES)  # files before float32 have none
    training = document.get("training", {})
    if not isinstance(training, dict):
        raise ValueError('"training" must be an object')
    seed = training.get("seed")
    if seed is not None and not (type(seed) is int and 0 <= seed < 2**32):
        raise ValueError(f'"training.seed" is {quoted(seed)}, expected a whole number from 0 to {2**32 - 1}')
    if "scaling" in training:
        _check_scaling(training["scaling"], sizes[0])
    if "image_shape" in training:
        _check_image_shape(training["image_shape"], sizes[0])
    model = MLP(sizes, activation, output_activation=output, loss=loss, dtype=loaded_dtype(saved, dtype))
    for key, arrays in (("weights", model.weights), ("biases", model.biases)):
        values = document.get(key)
        if not isinstance(values, list) or len(values) != len(arrays):
            raise ValueError(f'"{key}" must be a list of {len(arrays)} arrays')
        for i, (value, target) in enumerate(zip(values, arrays)):
            with np.errstate(over="ignore"):
                target[...] = _array(value, target.shape, f"{key}[{i}]")
            if not np.isfinite(target).all():
                raise ValueError(f"{key}[{i}] holds a number too large for {model.dtype.name}")
    return model, training


def check_fits(model: MLP, path: str | os.PathLike[str], label: str, shape: tuple[int, int]) -> None:
    """ParamsError unless ``model``, loaded from ``path``, has the (inputs, outputs)
    ``shape`` of the data ``label`` names."""
    if (model.layer_sizes[0], model.layer_sizes[-1]) != shape:
        raise ParamsError(
            f"{shown(os.fspath(path))}: network {'-'.join(map(str, model.layer_sizes))} does not fit {quoted(label)} "
            f"({counted(shape[0], 'input')}, {counted(shape[1], 'output')})"
        )


def saved_scaling(training: dict[str, Any]) -> tuple[np.ndarray, np.ndarray] | None:
    """The (mean, std) feature standardisation a loaded file's ``training`` keeps, if any."""
    scaling = training.get("scaling")
    return None if scaling is None else (np.array(scaling["mean"]), np.array(scaling["std"]))


def saved_image_shape(training: dict[str, Any]) -> tuple[int, int] | None:
    """The (rows, columns) a loaded file's ``training`` says its inputs are, if it says so."""
    shape = training.get("image_shape")
    return None if shape is None else (shape[0], shape[1])


def _check_image_shape(shape: Any, n_inputs: int) -> None:
    """The image shape saved with a network of images: rows and columns whose pixels are its inputs."""
    if not (isinstance(shape, list) and len(shape) == 2 and all(type(side) is int and side > 0 for side in shape)):
        raise ValueError(f'"training.image_shape" is {quoted(shape)}, expected [rows, columns]')
    if shape[0] * shape[1] != n_inputs:
        raise ValueError(f'"training.image_shape" {shape} is not an image of the network\'s {n_inputs} inputs')


def _check_scaling(scaling: Any, n_inputs: int) -> None:
    """The feature standardisation saved with a CSV-trained network."""
    if not isinstance(scaling, dict):
        raise ValueError('"training.scaling" must be an object with "mean" and "std"')
    _array(scaling.get("mean"), (n_inputs,), "training.scaling.mean")
    std = _array(scaling.get("std"), (n_inputs,), "training.scaling.std")
    if not (std > 0).all():
        raise ValueError("training.scaling.std must be positive")


def _choice(document: dict[str, Any], key: str, allowed: tuple[str, ...]) -> str:
    value = document.get(key)
    if value not in allowed:
        raise ValueError(f'"{key}" is {quoted(value)}, expected one of {", ".join(allowed)}')
    return value


def _array(value: Any, shape: tuple[int, ...], where: str) -> np.ndarray:
    """``value`` as a finite float64 array of ``shape``, or ValueError naming ``where``
    (a float32 network's numbers are float64s that float32 holds exactly)."""
    if not _has_shape(value, shape):
        raise ValueError(f"{where} does not have shape {shape}")
    try:
        array = np.array(value, dtype=np.float64)
    except OverflowError:
        array = np.array([math.inf])
    if not np.isfinite(array).all():
        raise ValueError(f"{where} holds a number that is not finite")
    return array


def _has_shape(value: Any, shape: tuple[int, ...]) -> bool:
    """Whether nested lists ``value`` have exactly ``shape`` (not empty) with numbers at the leaves."""
    if not isinstance(value, list) or len(value) != shape[0]:
        return False
    if len(shape) == 1:
        return set(map(type, value)) <= {int, float}  # one pass in C over a row: no bool, str or list
    return all(_has_shape(item, shape[1:]) for item in value)
