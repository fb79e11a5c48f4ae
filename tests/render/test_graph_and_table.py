"""The graph built from an MLP, its layered columns, and the weight table."""

from __future__ import annotations

import itertools

from tui_mlp.core import MLP
from tui_mlp.render.graph import build_graph
from tui_mlp.render.layout import layer_columns, spread
from tui_mlp.render.table import WeightTable
from tui_mlp.render.text import render_text


def test_graph_of_the_seed_network() -> None:
    model = MLP([4, 5, 2], seed=0)
    graph = build_graph(model)
    assert graph.number_of_nodes() == 11 and graph.number_of_edges() == 30
    assert graph.nodes["x1"] == {"layer": 0, "index": 0, "bias": None, "label": "x1"}
    assert graph.nodes["h3"]["bias"] == model.biases[0][2]
    assert graph.edges["x2", "h5"]["weight"] == model.weights[0][1, 4]
    assert graph.edges["h5", "y2"]["weight"] == model.weights[1][4, 1]
    assert layer_columns(graph) == [["x1", "x2", "x3", "x4"], ["h1", "h2", "h3", "h4", "h5"], ["y1", "y2"]]


def test_deeper_nets_name_hidden_nodes_by_layer() -> None:
    graph = build_graph(MLP([2, 3, 2, 1], seed=0))
    assert layer_columns(graph)[1:] == [["h1_1", "h1_2", "h1_3"], ["h2_1", "h2_2"], ["y1"]]


def test_spread_keeps_blocks_apart() -> None:
    assert spread([5, 5, 5, 5], 23) == [0, 6, 12, 18]
    tops = spread([2] * 5, 23)
    assert all(b - a >= 2 for a, b in itertools.pairwise(tops)) and tops[-1] + 2 <= 23


def test_weight_table_shows_every_value_and_bias() -> None:
    model = MLP([4, 5, 2], seed=0)
    model.biases[0][:] = [0.5, -0.25, 1.0, 0.0, 2.0]
    text = render_text(WeightTable(model, focus=(1, 2)), 100)
    for w in model.weights:
        for value in w.ravel():
            assert f"{value:+.2f}" in text
    assert "+0.50" in text and "-0.25" in text and "▶h3" in text and "*" not in text


def test_weight_table_marks_the_focused_node_cleanly() -> None:
    """The focused neuron's row and column labels read ``▶h3`` (``>h3`` in ASCII),
    reversed; the other row labels stay aligned with it."""
    model = MLP([4, 5, 2], seed=0)
    lines = render_text(WeightTable(model, focus=(1, 2)), 100).splitlines()
    assert any(line.split()[:3] == ["h1", "h2", "▶h3"] for line in lines)  # column header
    rows = [line[:5] for line in lines if line.lstrip().startswith(("h", "▶")) and "." in line]
    assert rows == ["  h1 ", "  h2 ", " ▶h3 ", "  h4 ", "  h5 "]
    ascii_text = render_text(WeightTable(model, focus=(0, 1), ascii=True), 100)
    assert ascii_text.isascii() and "|>x2 " in ascii_text and "*" not in ascii_text
    colour = render_text(WeightTable(model, focus=(0, 1)), 100, color=True)
    assert "\x1b[1;7m▶x2" in colour  # bold, reversed


def test_weight_table_of_a_big_layer_fits_and_says_what_is_left_out() -> None:
    text = render_text(WeightTable(MLP([784, 256, 10], seed=0), ascii=True), 80)
    assert text.isascii() and max(map(len, text.splitlines())) <= 80
    assert "752 rows" in text


def test_weight_table_titles_fit_one_line_by_a_rule_and_never_cut_a_number() -> None:
    """A one-column table is narrower than its title: the title is its own line, the first
    of ``weights 2: 2000 → 1``, ``w2: 2000 → 1``, ``2000→1`` that fits the width."""
    model = MLP([4, 2000, 1], seed=0)
    titles = {
        64: ["weights 1: 4 → 2000", "weights 2: 2000 → 1"],
        18: ["w1: 4 → 2000", "w2: 2000 → 1"],
        8: ["4→2000", "2000→1"],
    }
    for width, expected in titles.items():
        lines = render_text(WeightTable(model), width).splitlines()
        assert [line for line in lines if "→" in line] == expected
    lines = render_text(WeightTable(model), 64).splitlines()
    assert lines.index("weights 2: 2000 → 1") > lines.index("most important shown; 1,994 columns left out")
    assert lines[-1] == "most important shown; 1,968 rows left out"
    assert render_text(WeightTable(model, ascii=True), 16).splitlines()[0] == "w1: 4 -> 2000"


def test_one_row_left_out_is_counted_in_the_singular() -> None:
    text = render_text(WeightTable(MLP([33, 2, 1], seed=0), ascii=True), 80)
    assert "most important shown; 1 row left out" in " ".join(text.split())
