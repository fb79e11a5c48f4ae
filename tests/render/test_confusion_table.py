"""The confusion matrix as ``tui-mlp train`` prints it: exact text, and what fits 80 columns."""

from __future__ import annotations

import numpy as np

from tui_mlp.render.confusion import confusion_table
from tui_mlp.render.text import render_text

IRIS = ("setosa", "versicolor", "virginica")


def text(matrix: np.ndarray, names: tuple[str, ...], width: int = 80) -> str:
    return render_text(confusion_table(np.array(matrix), names, width), width)


def test_a_small_matrix_with_class_names() -> None:
    assert text([[10, 0, 0], [0, 8, 2], [0, 1, 9]], IRIS) == (
        "Confusion matrix of the test split (rows: true class, columns: predicted)\n"
        "                setosa  versicolor   virginica\n"
        "setosa              10           0           0\n"
        "versicolor           0           8           2\n"
        "virginica            0           1           9\n"
    )


def test_ten_digit_classes_fit_80_columns_with_every_count() -> None:
    matrix = np.full((10, 10), 1) + np.diag(np.full(10, 120))
    lines = text(matrix, tuple("0123456789")).splitlines()
    assert lines[1] == " " + "".join(f"{k:>5}" for k in range(10))
    assert lines[2] == "0" + "  121" + "    1" * 9
    assert lines[11] == "9" + "    1" * 9 + "  121"
    assert len(lines) == 12 and max(map(len, lines)) <= 80


def test_long_names_give_numbered_columns_and_what_does_not_fit_is_counted() -> None:
    names = tuple(f"class_number_{k}" for k in range(12))
    lines = text(np.eye(12, dtype=int) * 5, names).splitlines()
    assert lines[1].split() == [str(k) for k in range(1, 13)]
    assert lines[2] == " 1 class_numbe…   5" + "   0" * 11
    assert lines[13] == "12 class_numbe…" + "   0" * 11 + "   5"
    narrow = text(np.eye(12, dtype=int) * 5, names, width=40).splitlines()
    assert narrow[:2] == ["Confusion matrix of the test split", "(rows: true class, columns: predicted)"]
    assert narrow[2].split() == ["1", "2", "3", "4", "5", "6"]
    assert narrow[-1] == "… 6 more columns"
    assert max(map(len, narrow)) <= 40


def test_colour_only_adds_to_the_numbers() -> None:
    table = confusion_table(np.array([[5, 1], [0, 4]]), ("0", "1"))
    coloured = render_text(table, 80, color=True)
    assert "\x1b[" in coloured
    assert render_text(table, 80) == (
        "Confusion matrix of the test split (rows: true class, columns: predicted)\n   0  1\n0  5  1\n1  0  4\n"
    )
