"""Loading a user's CSV table as a dataset.

The first row names the columns. The target columns are chosen by name; a
single target whose every value parses as a number (Python's ``float()``) is a
regression target, any other single target is a class label (one-hot,
classification); several targets must all be numeric (multi-output
regression). Every other column is a numeric feature, standardised with the
training rows' mean and standard deviation. Anything else is refused with one
``DataError`` line naming the file and, where it applies, the row and column;
when several rows are wrong, the first one in the file is named.

The table is read row by row into preallocated float64 arrays, a block of rows
at a time, so that loading takes little more memory than the file and the
arrays it becomes.
"""

from __future__ import annotations

import csv
import io
import math
import mmap
import os
from array import array
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import replace
from functools import lru_cache
from operator import itemgetter
from pathlib import Path

import numpy as np

from .datasets import Dataset
from .echo import counted, quoted, shortened, shown
from .errors import DataError
from .files import FileTooLarge, describe_os_error, read_limited

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_ROWS = 100_000
MAX_COLUMNS = 1_000
MAX_CLASSES = 100
# Numbers beyond ±1e150 are refused: within it, the sum of 100,000 values (≤ 1e155) and the sum of
# their squared deviations from the mean (≤ 100,000 · (2e150)² = 4e305) stay below the largest
# float (1.8e308), so a column's mean and standard deviation are finite, and so is a squared error.
MAX_MAGNITUDE = 1e150
# A standard deviation below this is taken as zero (the column is only centred): squares of smaller
# deviations lose their precision or underflow, and dividing by at least 1e-150 keeps every scaled
# value within ±2e300.
MIN_STD = 1 / MAX_MAGNITUDE
BLOCK_CELLS = 16_384  # cells converted to floats at a time
PART_BYTES = 1 << 20  # the file's text is let go of a part at a time as it is parsed
FEATURE, TARGET = "to standardise", "for a regression target"  # what a column's numbers are for


class _NotCsv(DataError):
    """The text stops being valid CSV (or UTF-8) at some point of the file."""


def load_csv(path: str | os.PathLike[str], targets: Sequence[str]) -> Dataset:
    """The table at ``path`` with ``targets`` as outputs (unscaled features)."""
    name = os.fspath(path)
    table = _read_table(shown(name), path, targets)
    y, classes = table.targets()
    task = "multiclass" if classes else "regression"
    features = table.X.shape[1]
    rows = counted(len(table.X), "row")
    description = f"{Path(name).name}: {rows}, {counted(features, 'feature')} → {', '.join(targets)}"
    inputs = tuple(column for column, use in zip(table.header, table.uses) if use == FEATURE)
    names = (inputs, classes or tuple(targets))
    return Dataset(Path(name).stem, table.X, y, description, task, classes, names=names)


def cached_csv(path: str, targets: Sequence[str]) -> Dataset:
    """``load_csv``, parsed once per version of the file: the app reads the same
    table to check the fields, to preview it and to train (100,000 rows take about a second)."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return load_csv(path, targets)  # which says why it cannot be read
    return _parsed_csv(path, tuple(targets), info.st_mtime_ns, info.st_size)


@lru_cache(maxsize=2)
def _parsed_csv(path: str, targets: tuple[str, ...], mtime_ns: int, size: int) -> Dataset:
    """The parsed table; ``mtime_ns`` and ``size`` tell versions of the file apart."""
    data = load_csv(path, targets)
    for values in (data.X, data.y):
        values.flags.writeable = False  # shared by every later read of the file
    return data


def standardise(
    train: Dataset, *others: Dataset | None, scaling: tuple[np.ndarray, np.ndarray] | None = None
) -> list[Dataset | None]:
    """Scale features to zero mean and unit variance with ``train``'s
    statistics (or the given ``scaling``); returns train, then ``others``.
    A standard deviation below ``MIN_STD`` counts as zero: the column is only
    centred. DataError if a mean, deviation or scaled value is not finite."""
    with np.errstate(all="ignore"):  # overflow is refused below, not warned about
        if scaling is None:
            std = train.X.std(axis=0)
            scaling = train.X.mean(axis=0), np.where(std >= MIN_STD, std, 1.0)
        mean, std = scaling
        scaled = [None if d is None else replace(d, X=(d.X - mean) / std, scaling=scaling) for d in (train, *others)]
    for d in scaled:
        if d is not None:
            _check_scaled(d, mean, std)
    return scaled


def _check_scaled(data: Dataset, mean: np.ndarray, std: np.ndarray) -> None:
    """DataError naming the first feature of standardised ``data`` that is not finite."""
    bad = ~(np.isfinite(data.X).all(axis=0) & np.isfinite(mean) & np.isfinite(std))
    if bad.any():
        j = int(np.argmax(bad))
        raise DataError(
            f"{data.name}: feature {j + 1} cannot be standardised: with mean {mean[j]:.6g} and "
            f"standard deviation {std[j]:.6g} its scaled values are not finite numbers"
        )


def _read_table(name: str, path: str | os.PathLike[str], targets: Sequence[str]) -> _Table:
    """The checked and converted data rows of the file at ``path``."""
    data = _read_file(name, path)
    size, line_ends = len(data), data.count(b"\n") + data.count(b"\r")
    records = _records(name, _Lines(data))
    del data  # the text is read from a copy that is let go of as it is parsed
    first = next(records, None)
    if first is None:
        raise DataError(f"{name}: the file is empty; it needs a header row and data rows")
    header = _header(name, *first)
    _check_targets(name, header, targets)
    table = _Table(name, header, targets, _row_capacity(size, line_ends, len(header)))
    try:
        for line, row in records:
            if table.rows == MAX_ROWS:
                rows = MAX_ROWS + 1 + sum(1 for _ in records)
                raise DataError(f"{name}: {rows:,} rows, more than the limit of {MAX_ROWS:,}")
            table.add(line, row)
    except _NotCsv:
        table.flush()  # a bad row before the place where the text stops being CSV is named first
        raise
    table.finish()
    return table


def _read_file(name: str, path: str | os.PathLike[str]) -> bytes:
    try:
        return read_limited(path, MAX_FILE_BYTES)
    except FileTooLarge as error:
        raise DataError(str(error)) from None
    except (OSError, ValueError) as error:  # ValueError: a NUL in the path
        raise DataError(f"cannot read {describe_os_error(name, error)}") from None


class _Parts(io.BufferedIOBase):
    """``data`` as a readable stream, copied into anonymous memory maps of
    ``PART_BYTES`` each that are unmapped once read: the text already parsed
    stops taking memory while the arrays it becomes fill up. (Memory freed
    with ``free()`` is not reliably given back to the system; unmapped memory is.)"""

    def __init__(self, data: bytes) -> None:
        super().__init__()
        self._parts: deque[mmap.mmap] = deque()
        view = memoryview(data)
        for start in range(0, len(view), PART_BYTES):
            piece = view[start : start + PART_BYTES]
            part = mmap.mmap(-1, len(piece))
            part.write(piece)
            self._parts.append(part)
        self._offset = 0  # in the first part

    def readable(self) -> bool:
        return True

    def read1(self, size: int = -1) -> bytes:
        while self._parts and self._offset == len(self._parts[0]):
            self._parts.popleft().close()
            self._offset = 0
        if not self._parts:
            return b""
        part, start = self._parts[0], self._offset
        self._offset = len(part) if size < 0 else min(len(part), start + size)
        return part[start : self._offset]


class _Lines:
    """The lines of the UTF-8 text ``data`` for ``csv.reader``, decoded as they
    are read; ``ended`` turns true when the reader asks for one past the last."""

    def __init__(self, data: bytes) -> None:
        self.ended = False
        self._text = io.TextIOWrapper(_Parts(data), encoding="utf-8-sig", newline="")

    def __iter__(self) -> Iterator[str]:
        yield from self._text
        self.ended = True


def _records(name: str, lines: _Lines) -> Iterator[tuple[int, list[str]]]:
    """The non-blank CSV records of ``lines``, each with the line it ends on."""
    reader = csv.reader(lines)
    try:
        for row in reader:
            if lines.ended:  # the reader reached the end of the file inside a quoted field
                opened = _quote_line(reader.line_num, row[-1])
                raise _NotCsv(f"{name}: row {opened}: a quoted field is never closed")
            if any(cell.strip() for cell in row):
                yield reader.line_num, row
    except csv.Error as error:
        raise _NotCsv(f"{name}: line {reader.line_num}: not valid CSV ({error})") from None
    except UnicodeDecodeError:
        raise _NotCsv(f"{name}: not a text file (invalid UTF-8)") from None


def _quote_line(last_line: int, field: str) -> int:
    """The line on which the unclosed quoted ``field`` opened, given the file's last line."""
    breaks = field.count("\n") + field.count("\r") - field.count("\r\n")
    return last_line - breaks + field.endswith(("\n", "\r"))


def _header(name: str, line: int, row: list[str]) -> list[str]:
    header = [cell.strip() for cell in row]
    if len(header) > MAX_COLUMNS:
        raise DataError(f"{name}: {len(header):,} columns, more than the limit of {MAX_COLUMNS:,}")
    if not all(header) or len(set(header)) != len(header):
        raise DataError(f"{name}: row {line}: the header needs a distinct, non-empty name for every column")
    return header


def _check_targets(name: str, header: list[str], targets: Sequence[str]) -> None:
    missing = [t for t in targets if t not in header]
    if missing:
        raise DataError(
            f"{name}: no column {quoted(missing[0])} (columns: {shortened(', '.join(map(quoted, header)), 200)})"
        )
    if len(set(targets)) != len(targets):
        raise DataError(f"{name}: a target column is named twice")
    if len(targets) == len(header):
        raise DataError(f"{name}: every column is a target; at least one feature column is needed")


def _row_capacity(size: int, line_ends: int, columns: int) -> int:
    """At most ``MAX_ROWS`` and at least the number of data rows a file of
    ``size`` bytes with ``line_ends`` CR and LF characters can hold: each row
    takes a line, and a non-blank value in each of the ``columns`` with a
    separator or a line end after it (as does the header)."""
    return min(MAX_ROWS, line_ends, (size + 1) // (2 * columns))


class _Table:
    """The data rows of a table as they are read: each checked, and converted to
    floats a block at a time (naming the first bad row of the block).

    Features go to ``X``; several targets to ``Y``, each converted like the
    features. A single target's values are kept as codes of their distinct
    texts, numbers if every one of them is one, class labels otherwise."""

    def __init__(self, name: str, header: list[str], targets: Sequence[str], capacity: int) -> None:
        self.name, self.header = name, header
        target_columns = [header.index(t) for t in targets]
        numeric_targets = target_columns if len(targets) > 1 else []
        self.label_column = None if numeric_targets else target_columns[0]
        self.uses: list[str | None] = [TARGET if j in numeric_targets else FEATURE for j in range(len(header))]
        if self.label_column is not None:
            self.uses[self.label_column] = None
        features = [j for j, use in enumerate(self.uses) if use == FEATURE]
        self.X = np.empty((capacity, len(features)))
        self.Y = np.empty((capacity, len(numeric_targets)))
        self.groups = [(self.X, itemgetter(*features))]  # the arrays the blocks go to, and the cells of a row for each
        if numeric_targets:
            self.groups.append((self.Y, itemgetter(*numeric_targets)))
        self.labels: dict[str, int] = {}  # a single target's distinct values → codes, in order of appearance
        self.first_lines: list[int] = []  # code → the line where it first appears
        self.codes = array("i")  # the code of each row
        self.block_rows = max(1, BLOCK_CELLS // len(header))
        self.block: list[list[str]] = []
        self.block_lines: list[int] = []
        self.converted = 0

    @property
    def rows(self) -> int:
        return self.converted + len(self.block)

    def add(self, line: int, row: list[str]) -> None:
        """Take the data row ``row`` that ends on line ``line``; DataError if it or a row before it is bad."""
        if len(row) != len(self.header):
            self.flush()
            raise DataError(f"{self.name}: row {line} has {len(row)} fields, the header has {len(self.header)}")
        label = None if self.label_column is None else row[self.label_column].strip()
        if not all(row) or label == "":
            self.flush()
            raise DataError(self._missing_value(line, row))
        if label is not None:
            code = self.labels.setdefault(label, len(self.labels))
            if code == len(self.first_lines):
                self.first_lines.append(line)
            self.codes.append(code)
        self.block.append(row)
        self.block_lines.append(line)
        if len(self.block) == self.block_rows:
            self.flush()

    def flush(self) -> None:
        """Convert the rows taken since the last flush; DataError naming the first bad one."""
        if not self.block:
            return
        start, stop = self.converted, self.rows
        for target, pick in self.groups:
            values = _floats([pick(row) for row in self.block])
            if values is None:
                raise DataError(self._first_problem())
            target[start:stop] = values.reshape(len(self.block), -1)
        self.converted = stop
        self.block.clear()
        self.block_lines.clear()

    def finish(self) -> None:
        """Convert the last rows and trim the arrays to the rows read."""
        self.flush()
        if not self.converted:
            raise DataError(f"{self.name}: no data rows after the header")
        for target, _ in self.groups:  # in place, without a copy: nothing else refers to them
            target.resize((self.converted, target.shape[1]), refcheck=False)

    def targets(self) -> tuple[np.ndarray, tuple[str, ...]]:
        """The targets (one-hot for a class column) and the class names (none for numbers)."""
        if self.label_column is None:
            return self.Y, ()
        codes = np.frombuffer(self.codes, dtype=np.intc)
        numbers = [_number(label) for label in self.labels]
        if all(value is not None for value in numbers):
            self._check_numbers(numbers)
            return np.array(numbers)[codes].reshape(-1, 1), ()
        classes = sorted(self.labels)
        _check_classes(self.name, self.header[self.label_column], classes)
        index = {label: k for k, label in enumerate(classes)}
        rank = np.array([index[label] for label in self.labels])  # code → class
        return np.eye(len(classes))[rank[codes]], tuple(classes)

    def _check_numbers(self, numbers: list[float | None]) -> None:
        """DataError for the first row of a single numeric target whose value is not finite or too large."""
        for label, value, line in zip(self.labels, numbers, self.first_lines):
            problem = _value_problem(label, value, TARGET)
            if problem:
                raise DataError(f"{self.name}: row {line}, column {quoted(self.header[self.label_column])}: {problem}")

    def _missing_value(self, line: int, row: list[str]) -> str:
        """The message for the first blank cell of ``row``, which has one."""
        column = next(c for c, cell in zip(self.header, row) if not cell.strip())
        return f"{self.name}: row {line}, column {quoted(column)}: missing value"

    def _first_problem(self) -> str:
        """The message for the first bad row of the block."""
        for line, row in zip(self.block_lines, self.block):
            if not all(cell.strip() for cell in row):
                return self._missing_value(line, row)
            for column, use, cell in zip(self.header, self.uses, row):
                if use is None:
                    continue
                text = cell.strip()
                value = _number(text)
                if value is None and use == TARGET:
                    return f"{self.name}: a class column ({quoted(column)}) must be the only target"
                problem = _value_problem(text, value, use)
                if problem:
                    return f"{self.name}: row {line}, column {quoted(column)}: {problem}"
        lines = f"{self.block_lines[0]}–{self.block_lines[-1]}"  # reached only if NumPy and float() ever disagree
        return f"{self.name}: rows {lines}: a value cannot be read as a number"


def _floats(cells: list[object]) -> np.ndarray | None:
    """``cells`` (texts, or tuples of texts) as floats, read as ``float()`` reads
    them; None if one is not a number or beyond ±``MAX_MAGNITUDE``."""
    try:
        values = np.array(cells, dtype=np.float64)
    except ValueError:
        return None
    return values if np.abs(values).max() <= MAX_MAGNITUDE else None


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _value_problem(text: str, value: float | None, use: str) -> str | None:
    """Why the cell ``text`` (read as ``value``) cannot be used ``use``, if it cannot."""
    if value is None or not math.isfinite(value):
        return f"{quoted(text)} is not a finite number"
    if abs(value) > MAX_MAGNITUDE:
        return f"{quoted(text)} is too large {use} (beyond ±{MAX_MAGNITUDE:g})"
    return None


def _check_classes(name: str, column: str, classes: list[str]) -> None:
    if len(classes) < 2:
        raise DataError(
            f"{name}: column {quoted(column)} has a single class ({quoted(classes[0])}); it needs two or more"
        )
    if len(classes) > MAX_CLASSES:
        raise DataError(f"{name}: column {quoted(column)} has {len(classes)} classes, more than {MAX_CLASSES}")
