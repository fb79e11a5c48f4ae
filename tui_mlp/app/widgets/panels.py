"""The row of panels: Before, After and, for 2-D data, the decision boundary (for a
regression on one input, the fitted curve)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.reactive import var

from .backprop_view import BackpropView
from .boundary_view import BoundaryView
from .network_view import AFTER_TITLE, BEFORE_TITLE, NetworkView

if TYPE_CHECKING:
    import numpy as np

    from tui_mlp.core import MLP
    from tui_mlp.core.datasets import Dataset
    from tui_mlp.core.run import Run
    from tui_mlp.render.graph import Names


class Panels(Horizontal):
    """The ``before`` and ``after`` networks and their decision boundary over ``data``
    (``focused``: the node a graph panel's cursor is on). The boundary panel shows for
    2-D data and for a regression on one input (its fitted curve), by default only from
    100 columns (see app.tcss); ``show_boundary`` True or False overrides that default.

    Before and After are drawn alike, so value compares with value: the same neurons
    (the starting network's most important, kept while it trains), the focused one in
    both, at the same size and so in the same places.

    With ``backprop`` the Before panel and the boundary give their place to the backprop view of
    ``run``'s next step from ``after`` on the training sample ``sample``."""

    before: var[MLP | None] = var(None)
    after: var[MLP | None] = var(None)
    data: var[tuple[Dataset, Dataset | None] | None] = var(None, always_update=True)
    focused: var[tuple[str, int, int] | None] = var(None)
    show_boundary: var[bool | None] = var(None)
    ranking: var[tuple[np.ndarray, ...] | None] = var(None, always_update=True)  # arrays: never compared
    node: var[tuple[int, int] | None] = var(None)  # the focused neuron, if a graph panel has one
    names: var[Names | None] = var(None)  # a table's input and output names
    run: var[Run | None] = var(None)
    sample: var[int] = var(0)  # the chosen training sample, which the backprop view steps on
    backprop: var[bool] = var(False)
    after_title: var[str] = var(AFTER_TITLE)  # a replay names the epoch After shows
    before_title: var[str] = var(BEFORE_TITLE)  # a comparison names the run Before shows
    difference: var[tuple[MLP, str] | None] = var(None)  # a comparison's B − A and its title: After draws it

    def __init__(self, *, ascii: bool, id: str) -> None:
        super().__init__(id=id)
        self.ascii = ascii

    def compose(self) -> ComposeResult:
        backprop = BackpropView(ascii=self.ascii, id="backprop")
        yield backprop.data_bind(Panels.run, Panels.node, Panels.names, Panels.sample, model=Panels.after)
        before = NetworkView(BEFORE_TITLE, empty="No network yet.", ascii=self.ascii, id="before")
        yield before.data_bind(Panels.ranking, Panels.node, Panels.names, model=Panels.before)
        after = NetworkView(AFTER_TITLE, empty="Not trained yet.", ascii=self.ascii, id="after")
        yield after.data_bind(Panels.ranking, Panels.node, Panels.names)
        boundary = BoundaryView(ascii=self.ascii, id="boundary")
        yield boundary.data_bind(
            Panels.before, Panels.after, Panels.data, Panels.focused, Panels.after_title, Panels.before_title
        )

    @property
    def pictured(self) -> bool:
        """Whether the data (and network) shown can be drawn over their inputs: a decision
        boundary or a fitted curve."""
        if self.data is None:
            return False
        from tui_mlp.core.run import picture  # the engine (loaded with the data)

        return picture(self.before, *self.data) is not None

    @property
    def crowded(self) -> bool:
        """Whether the networks would show whole in half the width but not in a third: then the
        boundary panel (by default) gives its room to them and waits for ``b``."""
        if self.before is None or not self.size.area:
            return False
        from tui_mlp.render.layout import plan

        height = self.size.height - 2  # the panels' borders
        halves, thirds = self.size.width // 2 - 2, self.size.width // 3 - 2
        return plan(self.before, halves, height).whole and not plan(self.before, thirds, height).whole

    def toggle_tables(self) -> None:
        """Switch both network panels between graphs and weight tables."""
        for view in self.query("#before, #after").results(NetworkView):
            view.show_table = not view.show_table

    def on_resize(self) -> None:
        self._place_boundary()

    def watch_before(self, before: MLP | None) -> None:
        if before is None:
            self.ranking = None
        else:
            from tui_mlp.render.layout import ranked

            self.ranking = ranked(before)
        self._place_boundary()

    def watch_focused(self, focused: tuple[str, int, int] | None) -> None:
        self.node = focused[1:] if focused and focused[0] in ("before", "after", "backprop") else None

    def watch_data(self, data: tuple[Dataset, Dataset | None] | None) -> None:
        self.names = data[0].names if data else None
        self._place_boundary()

    def watch_show_boundary(self) -> None:
        self._place_boundary()

    def watch_before_title(self, title: str) -> None:
        self.query_one("#before", NetworkView).border_title = title

    def watch_after(self) -> None:
        self._draw_after()

    def watch_after_title(self) -> None:
        self._draw_after()  # (the boundary follows by its binding)

    def watch_difference(self) -> None:
        self._draw_after()

    def _draw_after(self) -> None:
        """The After panel draws ``after``, or a comparison's difference (the boundary, the
        backprop view and the node details stay with ``after``: a difference computes nothing)."""
        view = self.query_one("#after", NetworkView)
        view.model, view.border_title = self.difference or (self.after, self.after_title)

    def watch_backprop(self, backprop: bool) -> None:
        self.set_class(backprop, "-backprop")
        self._place_boundary()
        if backprop:
            self.query_one(BackpropView).focus()

    def _place_boundary(self) -> None:
        self.set_class(self.pictured, "-pictured")
        self.set_class(self.crowded, "-crowded")
        self.set_class(self.show_boundary is True and not self.backprop, "-boundary-on")
        self.set_class(self.show_boundary is False, "-boundary-off")
