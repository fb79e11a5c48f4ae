"""The loss chart's plotted line stays inside its frame, whatever the history length."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from tui_mlp.render.chart import loss_chart_text


def is_braille(char: str) -> bool:
    return 0x2801 <= ord(char) <= 0x28FF


def assert_line_inside_frame(text: str, width: int) -> None:
    """Every plotted braille cell lies strictly between the frame's left and right
    borders, on a row between its top and bottom; no line is wider than ``width``."""
    lines = text.splitlines()
    assert max(map(len, lines)) <= width
    top = next(i for i, line in enumerate(lines) if "┌" in line)
    bottom = next(i for i, line in enumerate(lines) if "└" in line)
    left, right = lines[top].index("┌"), lines[top].index("┐")
    assert lines[bottom].index("└") == left and lines[bottom].rindex("┘") == right
    plotted = [(y, x) for y, line in enumerate(lines) for x, char in enumerate(line) if is_braille(char)]
    assert plotted, "nothing plotted"
    for y, x in plotted:
        assert top < y < bottom and left < x < right, f"braille at row {y}, column {x}: outside the frame\n{text}"
    for line in lines[top + 1 : bottom]:
        assert line[right] == "│", f"right border broken\n{text}"


@pytest.mark.parametrize("epochs", [1, 2, 10, 10_000, 1_000_000])
@pytest.mark.parametrize("width", [40, 78, 120])
@pytest.mark.parametrize("log", [False, True])
def test_line_stays_inside_the_frame(epochs: int, width: int, log: bool) -> None:
    losses = 0.003 + np.exp(-np.linspace(0.0, 8.0, epochs))
    assert_line_inside_frame(loss_chart_text(losses, width, 11, log=log), width)


@settings(max_examples=40, deadline=None)
@given(
    arrays(np.float64, st.integers(1, 3000), elements=st.floats(0.0, 1e6) | st.just(np.nan)),
    st.integers(30, 160),
    st.integers(8, 30),
)
def test_any_history_stays_inside_the_frame(losses: np.ndarray, width: int, height: int) -> None:
    if not np.isfinite(losses).any():
        return
    assert_line_inside_frame(loss_chart_text(losses, width, height), width)


@pytest.mark.parametrize("losses", [[1e-9, 2e-9], [9.5e-49], [3e7, 1e8], [0.0, 0.0]])
def test_tiny_or_huge_losses_keep_short_labels_and_a_plot(losses: list[float]) -> None:
    """plotext alone labels 1e-9 with 50-digit decimals that squeeze the plot away."""
    text = loss_chart_text(np.array(losses), 40, 12)
    assert_line_inside_frame(text, 40)
    labels = [line.split("┤")[0].strip() for line in text.splitlines() if "┤" in line]
    assert labels and max(map(len, labels)) <= 8 and len(set(labels)) == len(labels)
