"""The Runs screen: every run of the session as a table, to sort, overlay in the
loss chart, compare with the current run, or train again."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer

if TYPE_CHECKING:
    from ..live import LiveRun

COLUMNS = (
    "#",
    "chart",
    "network",
    "activation",
    "optimizer",
    "lr",
    "epochs",
    "final loss",
    "train acc",
    "test acc",
    "time",
    "stopped",
)


@dataclass(frozen=True)
class Choice:
    """What the person chose on the Runs screen: ``action`` ("rerun" or "compare") run ``number``."""

    action: str
    number: int


def row(run: LiveRun, current: bool, overlaid: bool, ascii: bool, timing: bool) -> tuple[list[str], list[Any]]:
    """A run's cells as shown, and the values they sort by (``timing`` False: no time, for snapshots)."""
    from tui_mlp.core.metrics import format_loss

    training, model = run.training, run.before
    result = run.result
    scores = dict(run.scores()) if result is not None else {}
    train_acc, test_acc = scores.get("train accuracy", math.nan), scores.get("test accuracy", math.nan)
    epochs = result.epochs_run if result is not None else 0
    elapsed = result.elapsed if result is not None and timing else math.nan
    stopped = result.reason.value if result is not None else "training"
    mark = (">" if ascii else "▶") if current else " "
    values = [
        run.number,
        overlaid,
        "-".join(map(str, model.layer_sizes)),
        model.activation,
        training.optimizer,
        training.learning_rate,
        epochs,
        run.final_loss,
        train_acc,
        test_acc,
        elapsed,
        stopped,
    ]
    cells = [
        f"{mark}{run.number}",
        ("*" if ascii else "●") if overlaid else "",
        values[2],
        model.activation,
        training.optimizer,
        f"{training.learning_rate:g}",
        f"{epochs:,}",
        format_loss(run.final_loss),
        "" if math.isnan(train_acc) else f"{train_acc:.3f}",
        "" if math.isnan(test_acc) else f"{test_acc:.3f}",
        "" if math.isnan(elapsed) else f"{elapsed:.1f} s",
        stopped,
    ]
    return cells, values


def _sort_key(value: Any) -> tuple[int, Any]:
    """Numbers by value (NaN last), text alphabetically."""
    if isinstance(value, float) and math.isnan(value):
        return (1, 0)
    return (0, value)


class RunsScreen(ModalScreen[Choice | None]):
    """The session's ``runs`` (the ``current`` one marked); ``overlay`` holds the numbers of the
    runs drawn in the loss chart, and ``on_overlay`` hears each change to it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "overlay", "Chart", tooltip="Draw this run's loss in the chart too (again: not)"),
        Binding("c", "compare", "Compare", tooltip="Compare this run (Before) with the current one (After)"),
        Binding("e", "rerun", "Re-run", tooltip="Put this run's settings (and seed) in the fields"),
        Binding("o", "sort", "Sort", tooltip="Sort by the column under the cursor (again: the other way)"),
        Binding("escape,f5", "dismiss", "Close", tooltip="Back to the run"),
    ]

    def __init__(
        self,
        runs: Sequence[LiveRun],
        current: LiveRun | None,
        overlay: frozenset[int],
        on_overlay: Callable[[frozenset[int]], None],
        *,
        ascii: bool = False,
        timing: bool = True,
    ) -> None:
        super().__init__()
        self.runs, self.current, self.ascii, self.timing = list(runs), current, ascii, timing
        self.overlay, self.on_overlay = overlay, on_overlay
        self._sorted: tuple[int, bool] = (0, False)  # column, descending

    def compose(self) -> ComposeResult:
        table: DataTable[str] = DataTable(id="runs", cursor_type="cell", zebra_stripes=True)
        table.border_title = "Runs of this session"
        table.border_subtitle = "space chart · c compare · e re-run · o sort · escape closes"
        yield table
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(*COLUMNS)
        self._fill()
        table.focus()

    def _fill(self) -> None:
        """(Re)write the rows in the chosen order, the cursor staying on its run."""
        table = self.query_one(DataTable)
        keep = self._chosen_number()
        rows = [row(run, run is self.current, run.number in self.overlay, self.ascii, self.timing) for run in self.runs]
        column, descending = self._sorted
        rows.sort(key=lambda cells_values: _sort_key(cells_values[1][column]), reverse=descending)
        table.clear()
        for cells, values in rows:
            table.add_row(*cells, key=str(values[0]))
        if keep is not None:
            table.move_cursor(row=table.get_row_index(str(keep)))

    def _chosen_number(self) -> int | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        return int(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value or 0)

    def action_overlay(self) -> None:
        if (number := self._chosen_number()) is None:
            return
        self.overlay = self.overlay ^ {number}
        self.on_overlay(self.overlay)
        self._fill()

    def action_sort(self) -> None:
        column = self.query_one(DataTable).cursor_column
        self._sorted = (column, not self._sorted[1] if self._sorted[0] == column else False)
        self._fill()

    def action_compare(self) -> None:
        if (number := self._chosen_number()) is not None:
            self.dismiss(Choice("compare", number))

    def action_rerun(self) -> None:
        if (number := self._chosen_number()) is not None:
            self.dismiss(Choice("rerun", number))
