"""The decision-boundary panel: a 2-D network's output (or one hidden node's
activation) painted over the input plane, with the data on top."""

from __future__ import annotations

from rich.console import RenderableType
from rich.text import Text
from textual.widget import Widget

from tui_mlp.core import MLP
from tui_mlp.core.datasets import Dataset
from tui_mlp.render.boundary import DecisionBoundary


class BoundaryView(Widget):
    """Paints ``DecisionBoundary`` to fit the panel; ``show`` sets what to paint."""

    def __init__(self, *, empty: str, ascii: bool = False, id: str) -> None:
        super().__init__(id=id)
        self.border_title = "Decision boundary"
        self._empty = empty
        self._ascii = ascii
        self.model: MLP | None = None
        self.node: tuple[int, int] | None = None
        self._data: tuple[Dataset, Dataset | None] | None = None

    def show(
        self,
        model: MLP | None,
        data: tuple[Dataset, Dataset | None] | None,
        node: tuple[int, int] | None = None,
        title: str = "Decision boundary",
    ) -> None:
        """Paint ``model``'s output over ``data``'s plane (``node``: that neuron's activation)."""
        self.model, self._data, self.node = model, data, node
        self.border_title = title
        self.refresh()

    def render(self) -> RenderableType:
        size = self.content_size
        if self.model is None or self._data is None or size.width < 4 or size.height < 2:
            return Text(self._empty, style="dim")
        train, test = self._data
        return DecisionBoundary(
            self.model, train, test, node=self.node, ascii=self._ascii, width=size.width, height=size.height
        )
