"""The layout as a value: ``plan`` decides what goes where, ``paint`` draws it, and
neither depends on what was drawn or measured before."""

from __future__ import annotations

import io

import networkx
import numpy as np
import pytest
from rich.console import Console

from tui_mlp.core import MLP
from tui_mlp.render.layout import Labels, NodeText, importance, plan, ranked
from tui_mlp.render.network import NetworkDiagram, paint
from tui_mlp.render.text import render_text


def measure(renderable: object, width: int) -> tuple[int, int]:
    console = Console(file=io.StringIO(), width=width)
    found = console.measure(renderable)
    return found.minimum, found.maximum


def shown(model: MLP, width: int, height: int, **options: object) -> list[tuple[int, ...]]:
    """The neurons each column of the first band shows."""
    return [column.shown for column in plan(model, width, height, **options).bands[0].columns]


def test_seed_plan_reads_as_its_drawing() -> None:
    """At 56 × 20 the seed net prints every weight two to a line, in two bands."""
    model = MLP([4, 5, 2], seed=0)
    layout = plan(model, 56, 20)
    assert layout.labels == Labels(every=True, per_row=2, named=True)
    assert [[column.layer for column in band.columns] for band in layout.bands] == [[0, 1], [1, 2]]
    first = layout.bands[0]
    assert first.columns[0].shown == (0, 1, 2, 3) and first.columns[0].more == ""
    assert first.columns[1].texts[2] == NodeText("h3", " b=+0.00")
    assert first.gaps[0].labels[0][:2] == ("h1+0.22", "h2-0.38")
    assert [list(targets) for targets in first.gaps[0].ports()] == [[0, 1], [2, 3], [4]]
    painted = "\n".join("".join(segment.text for segment in row).rstrip() for row in paint(layout)) + "\n"
    assert painted == render_text(NetworkDiagram(model, height=20), 56)
    assert len(paint(layout)) == layout.rows <= 20


def test_measuring_and_drawing_do_not_depend_on_what_came_before() -> None:
    """A diagram measured or drawn after being drawn at another size gives what a new one gives."""
    model = MLP([4, 5, 2], seed=0)
    diagram = NetworkDiagram(model, height=20)
    fresh = NetworkDiagram(model, height=20)
    narrow = render_text(diagram, 56)
    assert measure(diagram, 200) == measure(fresh, 200) == (27, 134)
    render_text(diagram, 120)
    assert render_text(diagram, 56) == narrow == render_text(fresh, 56)
    assert plan(model, 56, 20) == plan(model, 56, 20)


@pytest.mark.parametrize(("sizes", "width", "height"), [([4, 5, 2], 56, 20), ([64, 128, 10], 160, 50)])
def test_networkx_orders_the_layers_once_a_drawing(
    monkeypatch: pytest.MonkeyPatch, sizes: list[int], width: int, height: int
) -> None:
    calls = []
    generations = networkx.topological_generations

    def counted(graph: networkx.DiGraph):
        calls.append(graph.number_of_nodes())
        return generations(graph)

    monkeypatch.setattr(networkx, "topological_generations", counted)
    render_text(NetworkDiagram(MLP(sizes, seed=0), height=height), width)
    assert len(calls) == 1


def test_tall_layers_show_their_most_important_neurons() -> None:
    model = MLP([30, 60, 3], seed=1)
    hidden = shown(model, 100, 20)[1]
    count = len(hidden)
    assert count == 17  # 20 rows less the titles and the legend, and a row for "⋮ 43 more"
    assert hidden == tuple(sorted(np.argsort(-importance(model)[1], kind="stable")[:count].tolist()))


def test_a_ranking_shows_the_same_neurons_in_another_network() -> None:
    """What the Before and After panels need to show the same neurons."""
    before, after = MLP([30, 60, 3], seed=1), MLP([30, 60, 3], seed=2)
    assert shown(after, 100, 20) != shown(before, 100, 20)
    assert shown(after, 100, 20, ranking=ranked(before)) == shown(before, 100, 20)


def test_a_focused_neuron_is_shown_whatever_the_ranking() -> None:
    model = MLP([30, 60, 3], seed=1)
    last = int(ranked(model)[1][-1])
    hidden = shown(model, 100, 20, focus=(1, last))[1]
    assert last in hidden and len(hidden) == 17


@pytest.mark.parametrize(
    ("ranking", "message"),
    [
        ([np.arange(4), np.arange(5)], "ranking has 2 layers; the network has 3"),
        ([np.arange(4), [0, 0, 1, 2, 3], np.arange(2)], "ranking of layer 1 must list each of its 5 neurons once"),
        ([np.arange(4), np.arange(5), [1]], "ranking of layer 2 must list each of its 2 neurons once"),
    ],
)
def test_a_ranking_must_list_every_neuron_once(ranking: list, message: str) -> None:
    with pytest.raises(ValueError, match=f"^{message}$"):
        plan(MLP([4, 5, 2], seed=0), 80, 20, ranking=ranking)
