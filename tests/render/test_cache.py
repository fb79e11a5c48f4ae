"""The one render cache of the panels: each drawing rendered once per key and width."""

from __future__ import annotations

import io

from rich.console import Console, ConsoleOptions, RenderResult
from rich.segment import Segment

from tui_mlp.core import MLP
from tui_mlp.render.cache import RECENT, RenderCache
from tui_mlp.render.network import NetworkDiagram
from tui_mlp.render.text import render_text


class Counted:
    """A renderable that says how many times it was rendered, and at which width."""

    renders = 0

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        Counted.renders += 1
        yield Segment(f"render {Counted.renders} at {options.max_width}")


def test_a_drawing_is_rendered_once_per_key_and_width() -> None:
    Counted.renders = 0
    cache = RenderCache()
    assert render_text(cache.drawing("v1", Counted), 40) == "render 1 at 40\n"
    assert render_text(cache.drawing("v1", Counted), 40) == "render 1 at 40\n"
    assert render_text(cache.drawing("v1", Counted), 30) == "render 2 at 30\n"
    assert render_text(cache.drawing("v2", Counted), 40) == "render 3 at 40\n"
    assert render_text(cache.drawing("v1", Counted), 40) == "render 1 at 40\n"
    assert Counted.renders == 3


def test_the_cache_keeps_only_the_recent_drawings() -> None:
    Counted.renders = 0
    cache = RenderCache()
    for version in range(RECENT + 1):
        render_text(cache.drawing(version, Counted), 40)
    assert render_text(cache.drawing(RECENT, Counted), 40) == f"render {RECENT + 1} at 40\n"
    assert render_text(cache.drawing(0, Counted), 40) == f"render {RECENT + 2} at 40\n"


def test_a_cached_diagram_draws_and_measures_as_the_diagram() -> None:
    model = MLP([4, 5, 2], seed=0)
    cached = RenderCache().drawing("v1", lambda: NetworkDiagram(model, height=20))
    assert render_text(cached, 56) == render_text(NetworkDiagram(model, height=20), 56)
    console = Console(file=io.StringIO(), width=200)
    assert console.measure(cached) == console.measure(NetworkDiagram(model, height=20))
