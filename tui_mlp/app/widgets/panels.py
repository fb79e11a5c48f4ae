"""The row of panels: Before, After and, for 2-D data, the decision boundary."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.reactive import var

from tui_mlp.core import MLP
from tui_mlp.core.datasets import Dataset
from tui_mlp.core.run import planar

from .boundary_view import BoundaryView
from .network_view import NetworkView


class Panels(Horizontal):
    """The ``before`` and ``after`` networks and their decision boundary over ``data``
    (``focused``: the node a graph panel's cursor is on). The boundary panel shows for
    2-D data, by default only from 100 columns (see app.tcss); ``show_boundary`` True
    or False overrides that default."""

    before: var[MLP | None] = var(None)
    after: var[MLP | None] = var(None)
    data: var[tuple[Dataset, Dataset | None] | None] = var(None, always_update=True)
    focused: var[tuple[str, int, int] | None] = var(None)
    show_boundary: var[bool | None] = var(None)

    def __init__(self, *, ascii: bool, id: str) -> None:
        super().__init__(id=id)
        self.ascii = ascii

    def compose(self) -> ComposeResult:
        before = NetworkView("Before training", empty="No network yet.", ascii=self.ascii, id="before")
        yield before.data_bind(model=Panels.before)
        yield NetworkView("After training", empty="Not trained yet.", ascii=self.ascii, id="after").data_bind(
            model=Panels.after
        )
        boundary = BoundaryView(empty="Train to see the decision boundary.", ascii=self.ascii, id="boundary")
        yield boundary.data_bind(Panels.before, Panels.after, Panels.data, Panels.focused)

    @property
    def planar(self) -> bool:
        """Whether a decision boundary can be drawn for the data (and network) shown."""
        if self.data is None:
            return False
        return planar(self.before, *self.data) if self.before is not None else self.data[0].n_inputs == 2

    def watch_before(self) -> None:
        self._place_boundary()

    def watch_data(self) -> None:
        self._place_boundary()

    def watch_show_boundary(self) -> None:
        self._place_boundary()

    def _place_boundary(self) -> None:
        self.set_class(self.planar, "-planar")
        self.set_class(self.show_boundary is True, "-boundary-on")
        self.set_class(self.show_boundary is False, "-boundary-off")
