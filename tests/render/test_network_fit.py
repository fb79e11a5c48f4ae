"""NetworkDiagram fits the width × height it is given, choosing the most legible
layout that fits: every weight one to a line, several to a line, only the
focused node's, or what fits plus a line asking for more room."""

from __future__ import annotations

import itertools
import re
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui_mlp.core import MLP
from tui_mlp.render.graph import node_label
from tui_mlp.render.layout import MAX_LABELLED_EDGES
from tui_mlp.render.network import ENLARGE, ENLARGE_SHORT, TABLE_KEY, NetworkDiagram, paint
from tui_mlp.render.text import render_text

small_sizes = st.lists(st.integers(1, 8), min_size=2, max_size=4)
labelled_sizes = small_sizes.filter(lambda s: sum(a * b for a, b in itertools.pairwise(s)) <= MAX_LABELLED_EDGES)
FIT_SETTINGS = settings(max_examples=80, deadline=None)

NAMED = re.compile(r"→([hy]\d+(?:_\d+)?) +([+-]\d+\.\d\d)")  # →h1 +0.22, one to a line
SHARED = re.compile(r"(?<![\w→=.])([hy]\d+(?:_\d+)?)([+-]\d+\.\d\d)")  # h1+0.22 h2-0.38, several to a line
UNNAMED = re.compile(r"[╭├┼╰┬┴─] ([+-]\d+\.\d\d)")  # +0.22, one to a line, in the targets' order
BIAS = re.compile(r"(?<![\w→])([hy]\d+(?:_\d+)?) b=([+-]\d+\.\d\d)")


def draw(sizes: list[int], width: int, height: int | None, **options: object) -> tuple[MLP, str]:
    model = MLP(sizes, seed=sum(sizes))
    return model, render_text(NetworkDiagram(model, height=height, **options), width)


def weight_labels(text: str) -> Counter[tuple[str, str]]:
    """Every printed weight label as (target or "", value)."""
    found = Counter(NAMED.findall(text)) + Counter(SHARED.findall(text))
    found.update(("", value) for value in UNNAMED.findall(text))
    return found


def expected_labels(model: MLP, named: bool) -> Counter[tuple[str, str]]:
    return Counter(
        (node_label(model.layer_sizes, layer + 1, j) if named else "", f"{w[i, j]:+.2f}")
        for layer, w in enumerate(model.weights)
        for i in range(w.shape[0])
        for j in range(w.shape[1])
    )


def every_weight_once(model: MLP, text: str) -> bool:
    """Each weight printed exactly once: all naming their target, or (one to a
    line) none of them."""
    found = weight_labels(text)
    return found in (expected_labels(model, True), expected_labels(model, False))


def every_bias(model: MLP, text: str) -> bool:
    shown = dict(BIAS.findall(text))
    return all(
        shown.get(node_label(model.layer_sizes, layer, i)) == f"{b:+.2f}"
        for layer, biases in enumerate(model.biases, start=1)
        for i, b in enumerate(biases)
    )


@FIT_SETTINGS
@given(small_sizes, st.integers(40, 120), st.integers(12, 40), st.booleans(), st.booleans())
def test_fits_width_and_height(sizes: list[int], width: int, height: int, ascii: bool, titled: bool) -> None:
    _, text = draw(sizes, width, height, ascii=ascii, title="Before training" if titled else "")
    lines = text.splitlines()
    assert len(lines) <= height
    assert max(len(line) for line in lines) <= width


@FIT_SETTINGS
@given(st.lists(st.integers(1, 60), min_size=2, max_size=5), st.integers(20, 120), st.integers(1, 40))
def test_any_net_fits_any_height(sizes: list[int], width: int, height: int) -> None:
    _, text = draw(sizes, width, height, focus=(0, 0))
    lines = text.splitlines()
    assert len(lines) <= height and max(len(line) for line in lines) <= width


@FIT_SETTINGS
@given(labelled_sizes, st.integers(40, 120), st.integers(12, 40))
def test_small_nets_print_every_weight_or_say_where_it_is(sizes: list[int], width: int, height: int) -> None:
    """Either every weight exactly once and every bias, or a pointer to the weight table."""
    model, text = draw(sizes, width, height)
    if every_weight_once(model, text):
        assert every_bias(model, text)
        assert TABLE_KEY not in text and ENLARGE not in text and ENLARGE_SHORT not in text
    else:
        assert TABLE_KEY in text or ENLARGE in text or ENLARGE_SHORT in text


@FIT_SETTINGS
@given(labelled_sizes, st.integers(40, 120), st.integers(12, 40))
def test_more_room_never_prints_fewer_weights(sizes: list[int], width: int, height: int) -> None:
    model, text = draw(sizes, width, height)
    if every_weight_once(model, text):
        assert every_weight_once(model, draw(sizes, width, height + 5)[1])
        assert every_weight_once(model, draw(sizes, width + 10, height)[1])


SEED_SIZES = [(56, 20), (56, 24), (75, 27), (80, 30), (160, 50)]
SMALLEST = [(46, 16), (40, 25)]  # untitled, as in the app; a title takes one more row


@pytest.mark.parametrize(("width", "height"), SEED_SIZES + SMALLEST)
@pytest.mark.parametrize("title", ["", "Before training"])
def test_seed_network_shows_every_value_in_an_app_panel(width: int, height: int, title: str) -> None:
    """The app's graph panels are about 56 × 18-24 at a 120 × 40 terminal; the
    seed's 30 weights and 7 biases all show there, and down to 46 × 16 or 40 × 25."""
    if title and (width, height) in SMALLEST:
        height += 1
    model = MLP([4, 5, 2], seed=0)
    text = render_text(NetworkDiagram(model, title=title, height=height), width)
    lines = text.splitlines()
    assert len(lines) <= height and max(map(len, lines)) <= width
    assert every_weight_once(model, text) and every_bias(model, text)
    for name in ("Input", "Hidden", "Output"):  # titles are shortened (…) where narrow
        assert name in text


@pytest.mark.parametrize(("width", "height"), SMALLEST)
def test_seed_network_one_row_or_column_less_than_the_smallest(width: int, height: int) -> None:
    model = MLP([4, 5, 2], seed=0)
    for w, h in ((width - 1, height), (width, height - 1)):
        text = render_text(NetworkDiagram(model, height=h), w)
        assert not every_weight_once(model, text) and TABLE_KEY in text


def test_seed_network_layouts_by_size() -> None:
    """Roomy: one weight to a line with its target; shorter: several to a line."""
    model = MLP([4, 5, 2], seed=0)
    roomy = render_text(NetworkDiagram(model, height=30), 80)
    assert len(NAMED.findall(roomy)) == 30
    panel = render_text(NetworkDiagram(model, height=20), 56)
    assert len(SHARED.findall(panel)) == 30
    assert "    ╭ h1+0.22 h2-0.38" in panel and "x1 ─┼ h3-0.75 h4-0.79" in panel


def test_too_small_shows_focused_weights_and_points_to_the_table() -> None:
    model = MLP([4, 5, 2], seed=0)
    text = render_text(NetworkDiagram(model, height=14, focus=(1, 0)), 56)
    assert len(text.splitlines()) <= 14 and TABLE_KEY in text
    printed = set(re.findall(r"[+-]\d+\.\d\d", text.replace("b=", "b:")))
    assert printed >= {f"{model.weights[1][0, j]:+.2f}" for j in range(2)}


def test_nothing_fits_says_so_in_one_line() -> None:
    model = MLP([4, 5, 2], seed=0)
    text = render_text(NetworkDiagram(model, height=6), 56)
    lines = text.splitlines()
    assert len(lines) <= 6 and lines[-1] == ENLARGE
    assert sum(ENLARGE in line for line in lines) == 1
    snapshot = render_text(NetworkDiagram(model, height=6, keys=False), 56)
    assert "press w" not in snapshot


@pytest.mark.parametrize(("width", "height"), [(80, 30), (56, 20), (80, 14), (56, 10)])
def test_focus_is_marked_in_every_layout(width: int, height: int) -> None:
    """The focused node and its edges' weights are reversed, whichever layout fits."""
    model = MLP([4, 5, 2], seed=0)
    lines = paint(NetworkDiagram(model, height=height, focus=(1, 2)).layout(width, height))
    reversed_text = " ".join(
        segment.text for row in lines for segment in row if segment.style and segment.style.reverse
    )
    assert "h3" in reversed_text
    weights = [model.weights[0][i, 2] for i in range(4)] + [model.weights[1][2, j] for j in range(2)]
    for weight in weights:
        assert f"{weight:+.2f}" in reversed_text
