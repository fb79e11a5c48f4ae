"""``WeightTable``: each layer's weight matrix and biases as shaded Rich tables."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from rich import box
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.style import Style
from rich.table import Table
from rich.text import Text

from tui_mlp.core import MLP
from tui_mlp.core.echo import counted

from . import palette
from .graph import Names, node_label
from .layout import check_ranking, most_important, ranked, weight_text
from .text import fitting

MAX_ROWS = 32  # rows (source neurons) shown per layer; the most important are kept
CELL_WIDTH = 9  # "+12.34", padding and a border


class WeightTable:
    """Every weight layer as a table: one row per source neuron, one column per
    target neuron, a final ``bias`` row; values to two decimals, cells shaded
    by value. Big layers keep their most important rows and columns (and the
    focused neuron's) and say how many are left out."""

    def __init__(
        self,
        model: MLP,
        *,
        focus: tuple[int, int] | None = None,
        ascii: bool = False,
        ranking: Sequence[np.ndarray] | None = None,
        width: int | None = None,
        names: Names | None = None,
    ) -> None:
        """``ranking``: per layer every neuron, most important first; big layers keep the first
        (default: by this network's |w|; pass another's to show the same rows and columns);
        ``width`` caps the width Rich gives; ``names`` a table's input and output names."""
        self.model = model
        self.names = names
        self.width = width
        self.focus = focus
        self.ascii = ascii
        self.ranking = ranked(model) if ranking is None else check_ranking(model.layer_sizes, ranking)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = min(options.max_width, self.width or options.max_width)
        max_columns = max((width - 8) // CELL_WIDTH, 1)
        for layer in range(self.model.n_layers):
            yield from self.layer_table(layer, max_columns, width)

    def keep(self, layer: int) -> int | None:
        return self.focus[1] if self.focus and self.focus[0] == layer else None

    def layer_table(self, layer: int, max_columns: int, width: int) -> list[RenderableType]:
        """The layer's title line, its table and, for a big layer, a line saying what is left
        out; the lines are the first of their forms (longest first) that fits ``width``."""
        sizes = self.model.layer_sizes
        weights, biases = self.model.weights[layer], self.model.biases[layer]
        rows = most_important(self.ranking[layer], MAX_ROWS, self.keep(layer))
        columns = most_important(self.ranking[layer + 1], max_columns, self.keep(layer + 1))
        scale = float(np.nanmax(np.abs(weights))) if weights.size else 0.0
        arrow = "->" if self.ascii else "→"
        shape = f"{sizes[layer]} {arrow} {sizes[layer + 1]}"
        title = fitting((f"weights {layer + 1}: {shape}", f"w{layer + 1}: {shape}", shape.replace(" ", "")), width)
        headers = [self.header(layer + 1, int(j)) for j in columns]
        body = [
            [
                self.header(layer, int(i), align=self.keep(layer) is not None),
                *(self.cell(float(weights[i, j]), scale, self.is_focused(layer, int(i), int(j))) for j in columns),
            ]
            for i in rows
        ]
        bias = [Text("bias"), *(self.cell(float(biases[j]), scale, False) for j in columns)]
        # Each column as wide as its widest cell, given to Rich: it would measure every cell again.
        widths = [max(cell_len(line[k].plain) for line in ([Text(), *headers], *body, bias)) for k in range(len(bias))]
        table = Table(box=box.ASCII if self.ascii else box.SIMPLE_HEAD, pad_edge=False)
        table.add_column("", style="bold", no_wrap=True, width=widths[0])
        for header, column_width in zip(headers, widths[1:]):
            table.add_column(header, justify="right", no_wrap=True, width=column_width)
        for line in body:
            table.add_row(*line)
        table.add_section()
        table.add_row(*bias)
        out: list[RenderableType] = [Text(title, style=palette.TITLE, no_wrap=True), table]
        left_out = [(sizes[layer] - len(rows), "row"), (sizes[layer + 1] - len(columns), "column")]
        left_out = [(count, what) for count, what in left_out if count]
        if left_out:
            counts = " and ".join(counted(count, what) for count, what in left_out)
            short = " ".join(f"+{count} {what[:3]}" for count, what in left_out)
            forms = (f"most important shown; {counts} left out", f"{counts} left out", short)
            out.append(Text(fitting(forms, width), style="dim italic", no_wrap=True))
        return out

    def header(self, layer: int, index: int, *, align: bool = False) -> Text:
        """A row or column label; the focused neuron's is marked ``▶h3`` (``>h3`` in
        ASCII) and reversed. ``align`` indents the others to line up with it."""
        label = node_label(self.model.layer_sizes, layer, index, self.names)
        if self.focus == (layer, index):
            return Text(f"{'>' if self.ascii else '▶'}{label}", style=palette.FOCUS)
        return Text(f" {label}" if align else label)

    def is_focused(self, layer: int, i: int, j: int) -> bool:
        return self.focus in ((layer, i), (layer + 1, j))

    def cell(self, value: float, scale: float, focused: bool) -> Text:
        style = palette.weight_shade(value, scale) + (palette.FOCUS if focused else Style())
        return Text(weight_text(value), style=style)
