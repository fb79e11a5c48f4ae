"""Before and After are comparable: with one ranking, the two networks of a run (same
shape, any values) are laid out alike: the same neurons, in the same places."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from tui_mlp.core import MLP
from tui_mlp.render.graph import layer_titles, node_label
from tui_mlp.render.layout import plan, ranked, weight_text
from tui_mlp.render.network import NetworkDiagram
from tui_mlp.render.table import WeightTable
from tui_mlp.render.text import render_text


def geometry(model: MLP, width: int, height: int, ranking, focus) -> list:
    """What a plan decides, values aside: the layout, and each column's neurons, labels and places."""
    found = plan(model, width, height, ranking=ranking, focus=focus)
    columns = [
        (c.layer, c.shown, [t.label for t in c.texts], c.x, c.rows, c.width, c.more)
        for band in found.bands
        for c in band.columns
    ]
    gaps = [(g.per_row, g.line) for band in found.bands for g in band.gaps]
    return [found.labels, found.separators, found.enlarge, columns, gaps]


@settings(max_examples=60, deadline=None)
@given(
    sizes=st.lists(st.integers(1, 400), min_size=3, max_size=5),
    width=st.integers(30, 200),
    height=st.integers(8, 60),
    scale=st.sampled_from([0.01, 1.0, 30.0, 5000.0]),
    seed=st.integers(0, 2**16),
    focused=st.booleans(),
)
def test_two_networks_of_a_run_are_laid_out_alike(sizes, width, height, scale, seed, focused) -> None:
    before = MLP(sizes, seed=seed)
    after = before.copy()
    rng = np.random.default_rng(seed)
    after.parameters()[:] += rng.normal(0, scale, after.parameters().size)  # training moved every value
    ranking = ranked(before)
    focus = (1, sizes[1] - 1) if focused else None
    assert geometry(before, width, height, ranking, focus) == geometry(after, width, height, ranking, focus)


def test_weight_tables_show_the_same_rows_and_columns() -> None:
    before = MLP([2, 300, 1], seed=0)
    after = before.copy()
    after.parameters()[:] = np.random.default_rng(1).normal(0, 3, after.parameters().size)
    ranking = ranked(before)

    def headers(model: MLP) -> list[str]:
        text = render_text(WeightTable(model, ranking=ranking), 64)
        return [line.split()[0] for line in text.splitlines() if line.strip().startswith("h")]

    assert headers(before) == headers(after) and len(headers(before)) > 3


def test_numbers_always_take_five_characters() -> None:
    values = [0.534, -0.005, 9.996, -12.34, 123.4, -999.6, 12345.0, -1e12, float("nan"), float("inf")]
    assert [weight_text(v) for v in values] == [
        "+0.53",
        "-0.01",
        "+10.0",
        "-12.3",
        " +123",
        "-1000",
        " +1e4",
        "-1e12",
        " +nan",
        " +inf",
    ]


def test_layer_titles_shorten_by_a_rule_instead_of_being_cut() -> None:
    """At 80×24 the seed net's title read ``Output (si…``."""
    model = MLP([4, 5, 2], seed=0)
    lines = render_text(NetworkDiagram(model, height=9), 38).splitlines()
    assert lines[0].split() == ["Input", "Hidden", "(sigmoid)", "Output"]
    assert layer_titles(MLP([2, 3, 3, 1], seed=0), 2) == ("Hidden 2 (sigmoid)", "Hidden 2", "H2")


def test_a_tables_inputs_and_outputs_are_called_by_their_names() -> None:
    names = (("sepal length", "petal\x1bwidth"), ("setosa", "a_very_long_class_name"))
    sizes = (2, 3, 2)
    labels = [node_label(sizes, layer, i, names) for layer, i in [(0, 0), (0, 1), (1, 0), (2, 0), (2, 1)]]
    assert labels == ["sepal_length", "'petal\\x1bw…", "h1", "setosa", "a_very_long…"]
    assert node_label((3, 1), 0, 2, (("a", "b"), ())) == "x3"  # a name for each one named, no more
