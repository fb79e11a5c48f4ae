"""The decision-boundary panel: a 2-D network's output (or one hidden node's
activation) painted over the input plane, with the data on top."""

from __future__ import annotations

from rich.console import RenderableType
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from tui_mlp.core import MLP
from tui_mlp.core.datasets import Dataset
from tui_mlp.core.run import planar
from tui_mlp.render.boundary import DecisionBoundary
from tui_mlp.render.graph import node_label


class BoundaryView(Widget):
    """Paints ``DecisionBoundary`` to fit the panel: the ``after`` network's output over the
    plane of ``data``, or, while a graph panel's cursor is on a hidden node (``focused``: panel
    id, layer, index), that node's activation in that panel's network."""

    before: reactive[MLP | None] = reactive(None)
    after: reactive[MLP | None] = reactive(None)
    data: reactive[tuple[Dataset, Dataset | None] | None] = reactive(None, always_update=True)
    focused: reactive[tuple[str, int, int] | None] = reactive(None)

    def __init__(self, *, empty: str, ascii: bool = False, id: str) -> None:
        super().__init__(id=id)
        self.border_title = "Decision boundary"
        self._empty = empty
        self._ascii = ascii

    @property
    def model(self) -> MLP | None:
        """The network painted: the focused node's, or the After one."""
        if self.node is not None and self.focused is not None and self.focused[0] == "before":
            return self.before
        return self.after

    @property
    def node(self) -> tuple[int, int] | None:
        """(layer, index) of the focused hidden node, if a hidden node is focused."""
        if self.focused is None:
            return None
        panel, layer, index = self.focused
        model = self.before if panel == "before" else self.after
        if model is None or not 0 < layer < model.n_layers or index >= model.layer_sizes[layer]:
            return None
        return layer, index

    def watch_focused(self) -> None:
        node = self.node
        if node is None:
            self.border_title = "Decision boundary"
        else:
            assert self.focused is not None and self.model is not None
            panel = "Before training" if self.focused[0] == "before" else "After training"
            self.border_title = f"{node_label(self.model.layer_sizes, *node)} activation · {panel}"

    def render(self) -> RenderableType:
        size, model = self.content_size, self.model
        if model is None or self.data is None or size.width < 4 or size.height < 2 or not planar(model, *self.data):
            return Text(self._empty, style="dim")
        train, test = self.data
        return DecisionBoundary(
            model, train, test, node=self.node, ascii=self._ascii, width=size.width, height=size.height
        )
