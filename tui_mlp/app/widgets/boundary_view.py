"""The decision-boundary panel: a 2-D network's output (or one hidden node's
activation) painted over the input plane, with the data on top; for a regression on
one input, the fitted curve over the data; for images, each hidden unit's weights as one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import RenderableType
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from .network_view import AFTER_TITLE, BEFORE_TITLE, short_title

if TYPE_CHECKING:
    from tui_mlp.core import MLP
    from tui_mlp.core.datasets import Dataset

TITLES = {"curve": "Fitted curve", "image": "Weights as images"}


class BoundaryView(Widget):
    """Paints ``DecisionBoundary`` to fit the panel: the ``after`` network's output over the
    plane of ``data``, or, while a graph panel's cursor is on a hidden node (``focused``: panel
    id, layer, index), that node's activation in that panel's network. For a regression on one
    input it draws ``FitCurve``: the ``after`` network's fitted curve over the data. For an
    image it draws ``WeightImages``: each first hidden unit's weights in the ``after`` network
    as an image, the focused one enlarged."""

    before: reactive[MLP | None] = reactive(None)
    after: reactive[MLP | None] = reactive(None)
    data: reactive[tuple[Dataset, Dataset | None] | None] = reactive(None, always_update=True)
    focused: reactive[tuple[str, int, int] | None] = reactive(None)
    after_title: reactive[str] = reactive(AFTER_TITLE)  # what the After panel is called (a replay: its epoch)
    before_title: reactive[str] = reactive(BEFORE_TITLE)  # and the Before panel (a comparison: its run)

    def __init__(self, *, ascii: bool = False, id: str) -> None:
        super().__init__(id=id)
        self.border_title = "Decision boundary"
        self._ascii = ascii

    @property
    def model(self) -> MLP | None:
        """The network painted: the focused node's, or the After one."""
        if self.node is not None and self.focused is not None and self.focused[0] == "before":
            return self.before
        return self.after

    @property
    def kind(self) -> str | None:
        """What the data allow: ``"plane"``, ``"curve"`` or None (see ``core.run.picture``)."""
        if self.data is None:
            return None
        from tui_mlp.core.run import picture  # the engine (loaded with the data)

        return picture(None, *self.data)

    @property
    def node(self) -> tuple[int, int] | None:
        """(layer, index) of the focused hidden node, if a hidden node is focused over a plane."""
        if self.focused is None or self.kind != "plane":
            return None
        panel, layer, index = self.focused
        model = self.before if panel == "before" else self.after
        if model is None or not 0 < layer < model.n_layers or index >= model.layer_sizes[layer]:
            return None
        return layer, index

    @property
    def unit(self) -> int | None:
        """The first hidden layer's unit a graph panel's cursor is on, over an image."""
        if self.focused is None or self.kind != "image" or self.focused[1] != 1 or self.after is None:
            return None
        return self.focused[2] if self.focused[2] < self.after.layer_sizes[1] else None

    def watch_focused(self) -> None:
        node = self.node
        if self.kind in TITLES:
            self.border_title = TITLES[self.kind]
        elif node is None:
            self.border_title = "Decision boundary"
        else:
            assert self.focused is not None and self.model is not None
            from tui_mlp.render.graph import node_label

            panel = short_title(self.before_title if self.focused[0] == "before" else self.after_title)
            names = self.data[0].names if self.data else None
            self.border_title = f"{node_label(self.model.layer_sizes, *node, names)} activation · {panel}"

    def watch_data(self) -> None:
        self.watch_focused()

    def watch_after_title(self) -> None:
        self.watch_focused()

    def watch_before_title(self) -> None:
        self.watch_focused()

    def render(self) -> RenderableType:
        size, model, data = self.content_size, self.model, self.data
        if model is not None and data is not None and size.width >= 4 and size.height >= 2:
            from tui_mlp.core.run import picture  # the engine and the renderers: once there is a network
            from tui_mlp.render.boundary import DecisionBoundary
            from tui_mlp.render.fit import FitCurve
            from tui_mlp.render.images import WeightImages

            kind, shape = picture(model, *data), data[0].image_shape
            if kind == "image" and shape is not None:
                return WeightImages(self.after or model, shape, focus=self.unit, ascii=self._ascii, height=size.height)
            if kind == "curve":
                return FitCurve(model, *data, ascii=self._ascii, width=size.width, height=size.height)
            if kind == "plane":
                return DecisionBoundary(
                    model, *data, node=self.node, ascii=self._ascii, width=size.width, height=size.height
                )
        what = (TITLES.get(self.kind or "") or "decision boundary").lower()
        return Text(f"Train to see the {what}.", style="dim")
