"""Loading a user's CSV table as a dataset.

The first row names the columns. The target columns are chosen by name; a
text target is a class label (one-hot, classification), numeric targets are
regression. Every other column is a numeric feature, standardised with the
training rows' mean and standard deviation. Anything else is refused with one
``DataError`` line naming the file and, where it applies, the row and column.
"""

from __future__ import annotations

import csv
import io
import math
import os
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

from .datasets import Dataset
from .files import FileTooLarge, describe_os_error, read_limited

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_ROWS = 100_000
MAX_COLUMNS = 1_000
MAX_CLASSES = 100


class DataError(Exception):
    """A data file that cannot be used; the message is one line."""


def load_csv(path: str | os.PathLike[str], targets: Sequence[str]) -> Dataset:
    """The table at ``path`` with ``targets`` as outputs (unscaled features)."""
    name = os.fspath(path)
    header, rows = _read_rows(path)
    missing = [t for t in targets if t not in header]
    if missing:
        raise DataError(f"{name}: no column {missing[0]!r} (columns: {', '.join(map(repr, header))})")
    if len(set(targets)) != len(targets):
        raise DataError(f"{name}: a target column is named twice")
    features = [c for c in header if c not in targets]
    if not features:
        raise DataError(f"{name}: every column is a target; at least one feature column is needed")
    numbers = [number for number, _ in rows]
    columns = {c: [row[i].strip() for _, row in rows] for i, c in enumerate(header)}
    X = np.column_stack([_numbers(name, c, columns[c], numbers) for c in features])
    text_targets = [t for t in targets if not all(_is_number(v) for v in columns[t])]
    if text_targets:
        if len(targets) > 1:
            raise DataError(f"{name}: a class column ({text_targets[0]!r}) must be the only target")
        classes = sorted(set(columns[targets[0]]))
        _check_classes(name, targets[0], classes, columns[targets[0]])
        index = {c: k for k, c in enumerate(classes)}
        y = np.eye(len(classes))[[index[v] for v in columns[targets[0]]]]
        task = "multiclass"
    else:
        y = np.column_stack([_numbers(name, t, columns[t], numbers) for t in targets])
        classes, task = [], "regression"
    description = f"{Path(name).name}: {len(rows)} rows, {len(features)} features → {', '.join(targets)}"
    return Dataset(Path(name).stem, X, y, description, task, tuple(classes))


def standardise(
    train: Dataset, *others: Dataset | None, scaling: tuple[np.ndarray, np.ndarray] | None = None
) -> list[Dataset | None]:
    """Scale features to zero mean and unit variance with ``train``'s
    statistics (or the given ``scaling``); returns train, then ``others``."""
    mean, std = scaling if scaling is not None else (train.X.mean(axis=0), train.X.std(axis=0))
    std = np.where(std > 0, std, 1.0)
    return [None if d is None else replace(d, X=(d.X - mean) / std, scaling=(mean, std)) for d in (train, *others)]


def _read_rows(path: str | os.PathLike[str]) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the non-blank data rows, each with its line number in the file."""
    name = os.fspath(path)
    try:
        text = read_limited(path, MAX_FILE_BYTES).decode("utf-8-sig")
    except FileTooLarge as error:
        raise DataError(str(error)) from None
    except UnicodeDecodeError:
        raise DataError(f"{name}: not a text file (invalid UTF-8)") from None
    except (OSError, ValueError) as error:  # ValueError: a NUL in the path
        raise DataError(f"cannot read {describe_os_error(name, error)}") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        lines = [(reader.line_num, row) for row in reader if any(cell.strip() for cell in row)]
    except csv.Error as error:
        raise DataError(f"{name}: line {reader.line_num}: not valid CSV ({error})") from None
    if not lines:
        raise DataError(f"{name}: the file is empty; it needs a header row and data rows")
    header = [c.strip() for c in lines[0][1]]
    if len(header) > MAX_COLUMNS:
        raise DataError(f"{name}: {len(header):,} columns, more than the limit of {MAX_COLUMNS:,}")
    if any(not c for c in header) or len(set(header)) != len(header):
        raise DataError(f"{name}: row 1: the header needs a distinct, non-empty name for every column")
    rows = lines[1:]
    if not rows:
        raise DataError(f"{name}: no data rows after the header")
    if len(rows) > MAX_ROWS:
        raise DataError(f"{name}: {len(rows):,} rows, more than the limit of {MAX_ROWS:,}")
    for number, row in rows:
        if len(row) != len(header):
            raise DataError(f"{name}: row {number} has {len(row)} fields, the header has {len(header)}")
        for cell, column in zip(row, header):
            if not cell.strip():
                raise DataError(f"{name}: row {number}, column {column!r}: missing value")
    return header, rows


def _is_number(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


def _numbers(name: str, column: str, values: list[str], rows: list[int]) -> np.ndarray:
    for row, value in zip(rows, values):
        if not _is_number(value):
            raise DataError(f"{name}: row {row}, column {column!r}: {value!r} is not a finite number")
    return np.array(values, dtype=np.float64)


def _check_classes(name: str, column: str, classes: list[str], values: list[str]) -> None:
    if len(classes) < 2:
        raise DataError(f"{name}: column {column!r} has a single class ({classes[0]!r}); it needs two or more")
    if len(classes) > MAX_CLASSES:
        raise DataError(f"{name}: column {column!r} has {len(classes)} classes, more than {MAX_CLASSES}")
