"""A focusable panel drawing one network, with a node cursor moved by the arrow keys."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.console import RenderableType
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.geometry import Region
from textual.reactive import reactive, var
from textual.strip import Strip
from textual.widgets import Static

from tui_mlp.render.cache import RenderCache

from ..messages import NodeBlurred, NodeFocused

if TYPE_CHECKING:
    import numpy as np

    from tui_mlp.core import MLP
    from tui_mlp.render.graph import Names


class Drawing(Static):
    """A panel's drawing; ``painted`` once the screen has rendered its latest update."""

    painted = True

    def update(self, content: RenderableType = "", *, layout: bool = True) -> None:
        self.painted = False
        super().update(content, layout=layout)

    def render_lines(self, crop: Region) -> list[Strip]:
        lines = super().render_lines(crop)
        self.painted = True
        return lines


PAGE = 10  # neurons a PageUp/PageDown moves the cursor
BEFORE_TITLE, AFTER_TITLE = "Before training", "After training"  # the two panels (a replay retitles After)


def short_title(title: str) -> str:
    """A panel's title as the narrower panes name it: ``After epoch 1,986`` for ``After epoch
    1,986 (replay)``, ``Run 2 (B)`` for ``Run 2 (B) · epoch 300`` (the panel's own title says the rest)."""
    return title.split(" · ")[0].removesuffix(" (replay)")


class NetworkView(VerticalScroll, can_focus=True):
    """The layered graph (or the weight tables) of ``model``; the cursor shows while focused."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "move(-1, 0)", "Layer ←", tooltip="Move the node cursor to the previous layer", show=False),
        Binding("right", "move(1, 0)", "Layer →", tooltip="Move the node cursor to the next layer", show=False),
        Binding("up", "move(0, -1)", "Node ↑", tooltip="Move the node cursor up within its layer", show=False),
        Binding("down", "move(0, 1)", "Node ↓", tooltip="Move the node cursor down within its layer", show=False),
        Binding("pageup", f"move(0, -{PAGE})", "Node ↑↑", tooltip=f"Move the node cursor {PAGE} up", show=False),
        Binding("pagedown", f"move(0, {PAGE})", "Node ↓↓", tooltip=f"Move the node cursor {PAGE} down", show=False),
        Binding("home", "move_to_end(False)", "First", tooltip="The first neuron of the layer", show=False),
        Binding("end", "move_to_end(True)", "Last", tooltip="The last neuron of the layer", show=False),
    ]

    model: var[MLP | None] = var(None, init=False)  # redraw() repaints what changed
    ranking: var[tuple[np.ndarray, ...] | None] = var(None, init=False, always_update=True)  # (arrays: not compared)
    node: var[tuple[int, int] | None] = var(None, init=False)  # a neuron focused in another panel
    names: var[Names | None] = var(None, init=False)  # a table's input and output names
    show_table: reactive[bool] = reactive(False)
    cursor: reactive[tuple[int, int]] = reactive((0, 0))

    def __init__(self, title: str, *, empty: str, ascii: bool = False, id: str) -> None:
        super().__init__(id=id)
        self.border_title = title
        self._empty = empty
        self._ascii = ascii
        self._version = 0  # counts the models shown (a new one for new parameters): the cache's key
        self._cache = RenderCache()
        self._shown: RenderableType | None = None  # the drawing on screen

    def compose(self):
        yield Drawing(Text(self._empty, style="dim"), id="drawing")

    @property
    def painted(self) -> bool:
        """Whether the screen shows the latest drawing (or cannot show the panel at all)."""
        drawing = self.query_one("#drawing", Drawing)
        return drawing.painted or not (self.display and drawing.size.area)

    def watch_model(self, model: MLP | None) -> None:
        """Draw ``model`` (None: the empty-panel hint), keeping the cursor where it fits."""
        self._version += 1
        if model is not None:
            layer = min(self.cursor[0], len(model.layer_sizes) - 1)
            self.cursor = (layer, min(self.cursor[1], model.layer_sizes[layer] - 1))
        self.redraw()

    def watch_ranking(self) -> None:
        self._version += 1  # a new drawing: other neurons, or other names for them
        self.redraw()

    watch_names = watch_ranking

    def watch_node(self) -> None:
        if not self.has_focus:  # the twin of the panel whose cursor moved: after that one is painted
            self.call_after_refresh(self.redraw)

    def redraw(self) -> None:
        """Repaint from the current model, mode, size and focus (each drawing is drawn once: ``RenderCache``)."""
        if self.is_mounted:
            drawing = self._drawing()
            if drawing is not self._shown:  # (the cache gives the same drawing for the same state)
                self._shown = drawing
                # A diagram fills the panel exactly, so only the tables change the layout.
                self.query_one("#drawing", Drawing).update(drawing, layout=self.show_table)
        if self.has_focus and self.model is not None:
            self.post_message(NodeFocused(self.id or "", *self.cursor))

    def _drawing(self) -> RenderableType:
        """The weight tables or the diagram, at the size every graph panel has (``_drawing_size``)."""
        model, ascii = self.model, self._ascii
        if model is None:
            return Text(self._empty, style="dim")
        from tui_mlp.render.network import NetworkDiagram  # the renderers: once there is a network
        from tui_mlp.render.table import WeightTable

        focus = self.cursor if self.has_focus else self.node
        ranking = self.ranking
        if ranking is not None and tuple(map(len, ranking)) != model.layer_sizes:
            ranking = None  # a new run's starting network is shown before this panel's
        width, height = self._drawing_size()
        names = self.names
        key = (self._version, focus, self.show_table, width, height)
        if self.show_table:
            return self._cache.drawing(
                key, lambda: WeightTable(model, focus=focus, ascii=ascii, ranking=ranking, width=width, names=names)
            )
        return self._cache.drawing(
            key,
            lambda: NetworkDiagram(
                model, focus=focus, ascii=ascii, height=height, width=width, ranking=ranking, names=names
            ),
        )

    def _drawing_size(self) -> tuple[int, int]:
        """The smallest width and height of the graph panels shown, so that Before and
        After lay out alike (their widths can differ by a column)."""
        views = [view for view in self.screen.query(NetworkView) if view.display] or [self]
        regions = [view.scrollable_content_region for view in views]
        return min(r.width for r in regions), max(min(r.height for r in regions), 3)

    def action_move(self, layers: int, nodes: int) -> None:
        """Move the node cursor ``layers`` columns and ``nodes`` rows, staying on the network."""
        if self.model is None:
            return
        sizes = self.model.layer_sizes
        layer = min(max(self.cursor[0] + layers, 0), len(sizes) - 1)
        index = self.cursor[1] if layers == 0 else round(self.cursor[1] * sizes[layer] / sizes[self.cursor[0]])
        index = min(max(index + nodes, 0), sizes[layer] - 1)
        self.cursor = (layer, index)

    def action_move_to_end(self, last: bool) -> None:
        """Move the node cursor to the first or ``last`` neuron of its layer."""
        if self.model is not None:
            layer = self.cursor[0]
            self.cursor = (layer, self.model.layer_sizes[layer] - 1 if last else 0)

    def watch_cursor(self) -> None:
        self.redraw()

    def watch_show_table(self, show_table: bool) -> None:
        self.set_class(show_table, "-table")
        self.redraw()

    def watch_has_focus(self, has_focus: bool) -> None:
        super().watch_has_focus(has_focus)
        self.redraw()
        if not has_focus:
            self.post_message(NodeBlurred(self.id or ""))

    def on_resize(self) -> None:
        self.redraw()
