"""A confusion matrix as a text table: a row per true class, a column per predicted class,
every count written out. Colour only adds to the numbers: right answers (the diagonal) in
blue, mistakes in orange, brighter for larger counts, zeros muted."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from rich.style import Style
from rich.text import Text

from .graph import short_name
from .palette import MUTED, NEGATIVE, POSITIVE, weight_level

TITLE = "Confusion matrix of the test split (rows: true class, columns: predicted)"
GAP = 2  # spaces before each column


def confusion_table(matrix: np.ndarray, names: Sequence[str], width: int = 80) -> Text:
    """``matrix`` (true class × predicted class counts) under a title, at most ``width``
    columns wide. The columns are headed by the class names where they fit, else by the
    classes' numbers (1, 2, …), which then lead the row labels; columns that still do not
    fit are left out, and a last line says how many."""
    labels = [short_name(name) for name in names]
    count_width = len(str(int(matrix.max(initial=0))))
    headers, rows = labels, labels
    if _table_width(rows, headers, count_width) > width:
        headers = [str(k + 1) for k in range(len(labels))]
        digits = len(str(len(labels)))
        rows = [f"{k + 1:>{digits}} {label}" for k, label in enumerate(labels)]
    label_width = max(map(len, rows))
    cell = max(count_width, *map(len, headers))
    shown = max(1, min(len(headers), (width - label_width) // (GAP + cell)))
    text = Text(TITLE)
    text.append("\n" + " " * label_width + "".join(f"{h:>{GAP + cell}}" for h in headers[:shown]))
    style = _Styles(matrix)
    for i, row in enumerate(rows):
        text.append(f"\n{row:<{label_width}}")
        for j in range(shown):
            text.append(" " * GAP)
            text.append(f"{matrix[i, j]:>{cell}}", style(i, j))
    if shown < len(headers):
        text.append(f"\n… {len(headers) - shown:,} more columns")
    return text


def _table_width(rows: Sequence[str], headers: Sequence[str], count_width: int) -> int:
    cell = max(count_width, *map(len, headers))
    return max(map(len, rows)) + len(headers) * (GAP + cell)


class _Styles:
    """A count's colour: the diagonal by its share of the largest right count, the rest by
    their share of the largest mistake; zeros muted."""

    def __init__(self, matrix: np.ndarray) -> None:
        self.matrix = matrix
        diagonal = np.diag(matrix)
        self.right = float(diagonal.max(initial=0))
        self.wrong = float((matrix - np.diag(diagonal)).max(initial=0))

    def __call__(self, i: int, j: int) -> Style:
        value = float(self.matrix[i, j])
        if value == 0:
            return MUTED
        ramp, scale = (POSITIVE, self.right) if i == j else (NEGATIVE, self.wrong)
        return Style(color=ramp[max(1, weight_level(value, scale))])
