"""The loss chart's plotted line stays inside its frame, whatever the history length."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from tui_mlp.render.chart import loss_chart_text, plot_losses


def is_braille(char: str) -> bool:
    return 0x2801 <= ord(char) <= 0x28FF


def assert_line_inside_frame(text: str, width: int) -> None:
    """Every plotted braille cell lies strictly between the frame's left and right
    borders, on a row between its top and bottom; no line is wider than ``width``.
    A short chart's frame has no top line and no right side: there the plot's rows are
    those on its left axis, and its right edge is the bottom axis' end."""
    lines = text.splitlines()
    assert max(map(len, lines)) <= width
    bottom = next(i for i, line in enumerate(lines) if "└" in line)
    left = lines[bottom].index("└")
    framed = any("┌" in line for line in lines)
    if framed:
        top = next(i for i, line in enumerate(lines) if "┌" in line)
        right = lines[top].index("┐")
        assert lines[top].index("┌") == left and lines[bottom].rindex("┘") == right
    else:
        top = next(i for i, line in enumerate(lines) if len(line) > left and line[left] in "┤│") - 1
        right = len(lines[bottom].rstrip())
    plotted = [(y, x) for y, line in enumerate(lines) for x, char in enumerate(line) if is_braille(char)]
    assert plotted, "nothing plotted"
    for y, x in plotted:
        assert top < y < bottom and left < x < right, f"braille at row {y}, column {x}: outside the frame\n{text}"
    for line in lines[top + 1 : bottom]:
        assert line[left] in "┤│", f"left axis broken\n{text}"
        if framed:
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


LOSSES = 0.5 * np.exp(-np.arange(10_000) / 1000) + 0.003


def frame_rows(text: str) -> list[str]:
    lines = text.splitlines()
    top = next(i for i, line in enumerate(lines) if "┌" in line)
    bottom = next(i for i, line in enumerate(lines) if "└" in line)
    return lines[top + 1 : bottom]


def test_a_short_chart_gives_its_title_axis_label_and_top_frame_rows_to_the_plot() -> None:
    """At the 6 rows an 80×24 terminal leaves, four rows plot, labelled top to bottom."""
    text = loss_chart_text(LOSSES, 48, 6)
    lines = text.splitlines()
    assert len(lines) == 6 and "┌" not in text and "epoch" not in text and "last" not in text
    assert [row.split("┤")[0].strip() for row in lines[:4]] == ["0.50", "0.34", "0.17", "0.00"]
    assert "└" in lines[4] and lines[-1].split() == ["1", "2,501", "5,000", "7,500", "10,000"]
    assert_line_inside_frame(text, 48)


@pytest.mark.parametrize(
    ("width", "title"),
    [
        (70, "loss per epoch: last 0.003023, lowest 0.003023"),
        (48, "last 0.003023, lowest 0.003023"),
        (30, None),
    ],
)
def test_the_title_is_shortened_to_fit_or_left_out(width: int, title: str | None) -> None:
    lines = loss_chart_text(LOSSES, width, 12).splitlines()
    if title is None:
        assert "┌" in lines[0] and "last" not in lines[0]
    else:
        assert lines[0].strip() == title
    assert len(frame_rows("\n".join(lines))) == (8 if title is None else 7)


@pytest.mark.parametrize("log", [False, True])
def test_an_empty_chart_builds_on_either_scale(log: bool) -> None:
    """The app plots an empty history when a run starts, also with the log scale on;
    the message is shortened to fit instead of dropped."""
    import plotext

    plotext.clear_figure()
    plotext.plotsize(48, 12)
    plot_losses(plotext, np.empty(0), log=log, size=(48, 12))
    assert plotext.uncolorize(plotext.build()).splitlines()[0].strip() == "no training yet"
    plotext.clear_figure()
