"""Properties of NetworkDiagram over random layer sizes (1-40) and widths (40-240)."""

from __future__ import annotations

import itertools
import re
from collections import Counter

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from tui_mlp.core import MLP
from tui_mlp.render.graph import node_label
from tui_mlp.render.layout import MAX_LABELLED_EDGES
from tui_mlp.render.network import NetworkDiagram
from tui_mlp.render.text import render_text

sizes_strategy = st.lists(st.integers(1, 40), min_size=2, max_size=4)
small_sizes = st.lists(st.integers(1, 8), min_size=2, max_size=4).filter(
    lambda s: sum(a * b for a, b in itertools.pairwise(s)) <= MAX_LABELLED_EDGES
)
widths = st.integers(40, 240)
PROPERTY_SETTINGS = settings(max_examples=60, deadline=None)

NODE = re.compile(r"(?<![\w→])(h\d+(?:_\d+)?|y\d+) b=([+-]\d+\.\d\d)")
INPUT = re.compile(r"(?<![\w→])x(\d+)(?![\w])")
LABEL = re.compile(r"[╭├┼╰┬┴─] (?:→(\S+)\s+)?([+-]\d+\.\d\d)")
MORE = re.compile(r"⋮ (\d+) more")


def draw(sizes: list[int], width: int, **options: object) -> tuple[MLP, str]:
    model = MLP(sizes, seed=sum(sizes))
    return model, render_text(NetworkDiagram(model, **options), width)


def shown_nodes(model: MLP, text: str) -> list[dict[str, str]]:
    """Per layer, label -> bias text of every node found in the drawing."""
    sizes = model.layer_sizes
    found: list[dict[str, str]] = [{} for _ in sizes]
    found[0] = {f"x{i}": "" for i in INPUT.findall(text)}
    labels = {node_label(sizes, layer, i): layer for layer in range(1, len(sizes)) for i in range(sizes[layer])}
    for label, bias in NODE.findall(text):
        found[labels[label]][label] = bias
    return found


@PROPERTY_SETTINGS
@given(sizes_strategy, widths, st.booleans())
def test_every_line_fits_the_width(sizes: list[int], width: int, ascii: bool) -> None:
    _, text = draw(sizes, width, ascii=ascii)
    assert max(len(line) for line in text.splitlines()) <= width


@PROPERTY_SETTINGS
@given(sizes_strategy, widths)
def test_ascii_mode_is_pure_ascii(sizes: list[int], width: int) -> None:
    _, text = draw(sizes, width, ascii=True, focus=(0, 0), sample=np.ones(sizes[0]))
    assert text.isascii()


@PROPERTY_SETTINGS
@given(sizes_strategy, widths)
def test_biases_and_elision_counts(sizes: list[int], width: int) -> None:
    """Layers that fit show every node with its true bias; the others say exactly
    how many nodes are left out."""
    model, text = draw(sizes, width)
    found = shown_nodes(model, text)
    expected_more = set()
    for layer, (size, nodes) in enumerate(zip(model.layer_sizes, found)):
        assert nodes, f"layer {layer} shows no node"
        if len(nodes) < size:
            expected_more.add(size - len(nodes))
        for index in range(size):
            label = node_label(model.layer_sizes, layer, index)
            if layer and label in nodes:
                assert nodes[label] == f"{model.biases[layer - 1][index]:+.2f}"
    assert {int(n) for n in MORE.findall(text)} == expected_more


@PROPERTY_SETTINGS
@given(small_sizes, widths)
def test_small_nets_label_every_weight_exactly_once(sizes: list[int], width: int) -> None:
    model, text = draw(sizes, width, title="Before training")
    assert all(len(nodes) == size for nodes, size in zip(shown_nodes(model, text), sizes))
    found = LABEL.findall(text)
    named = all(target for target, _ in found)
    expected = Counter(
        (node_label(model.layer_sizes, layer + 1, j) if named else "", f"{w[i, j]:+.2f}")
        for layer, w in enumerate(model.weights)
        for i in range(w.shape[0])
        for j in range(w.shape[1])
    )
    assert Counter(found) == expected


def test_big_net_elides_and_says_so() -> None:
    model, text = draw([784, 256, 10], 160, height=50)
    assert len(text.splitlines()) == 50
    assert {int(n) for n in MORE.findall(text)} == {
        784 - len(shown_nodes(model, text)[0]),
        256 - len(shown_nodes(model, text)[1]),
    }
    assert "strongest" in text


def test_focus_labels_its_edges_on_a_big_net() -> None:
    model, text = draw([30, 12, 3], 160, focus=(2, 0), height=30)
    labels = re.findall(r"[+-]\d+\.\d\d", text.replace("b=", "b:"))
    drawn_inputs = {f"h{i + 1}" for i in range(12)}
    expected = {f"{model.weights[1][i, 0]:+.2f}" for i in range(12) if f"h{i + 1}" in drawn_inputs}
    assert set(labels) <= expected | {f"{b:+.2f}" for b in model.biases[0]} | {f"{b:+.2f}" for b in model.biases[1]}
    assert len(set(labels) & expected) >= 8


def test_no_color_console_stays_readable() -> None:
    model = MLP([4, 5, 2], seed=0)
    plain = render_text(NetworkDiagram(model), 79)
    colour = render_text(NetworkDiagram(model), 79, color=True)
    assert "\x1b[" in colour
    assert re.sub(r"\x1b\[[0-9;]*m", "", colour).splitlines()[0].rstrip() == plain.splitlines()[0]
