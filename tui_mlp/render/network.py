"""``NetworkDiagram``: an MLP drawn as a text layered graph, a Rich renderable.

Layers are titled columns; each neuron shows its label and bias. The diagram
fits the width and height it is given, trying layouts from the most legible
down until one fits:

1. every weight, one to a line, naming its target: ``x1 ─┬ →h1 +0.22``;
2. every weight, two or more to a line, each naming its target:
   ``x1 ─┬ h1+0.22 h2-0.38`` / ``    ╰ h3-0.75 h4-0.79``;
3. every weight, one to a line, without the name (the lines' order is the
   targets' order): ``x1 ─┬ +0.22``;
4. one row per neuron, edges drawn node to node, only the focused neuron's
   weights printed (the rest one key away in the weight table);
5. what fits of that, the least important neurons left out, and a line
   asking for more room.

Small nets (at most ``layout.MAX_LABELLED_EDGES`` weights) try them all; in
1-3 each node's outgoing edges fan out of a bracket, their weights printed
where the edges start, so no label can collide with another. Bigger nets
always use 4/5: they show the most important neurons of tall layers and the
strongest edges, and label only the focused node's edges. Layers too many for
the width are drawn in bands stacked one under the other, sharing a layer.

Two steps: ``layout.plan`` chooses the layout as a frozen ``Plan``, and
``paint`` draws a plan into rows of Rich segments.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style

from tui_mlp.core import MLP

from . import palette
from .canvas import Canvas, ease
from .graph import Names, layer_titles
from .layout import LABEL_SEP, Band, Column, Gap, Plan, Subject, Values, edge_text, plan_for, strongest, width_range
from .text import fitting

TABLE_KEY = "w: weight table"
ENLARGE = "enlarge the panel or press w for the weight table"
ENLARGE_SHORT = "too small: enlarge or press w"
ENLARGE_SHORTEST = "enlarge or press w"
ENLARGE_NO_KEYS = "too small to print every weight"
LABEL_SPOTS = (0.7, 0.55, 0.85, 0.4, 0.25, 0.6, 0.8, 0.5, 0.3)  # where along an edge its weight may go, best first

Edge = tuple[tuple[int, int], tuple[int, int], float, bool]  # start cell, end cell, weight, focused


class NetworkDiagram:
    """The MLP as a text layered graph; see the module docstring.

    ``focus`` = (layer, index) highlights that neuron and its edges; ``sample``
    is one input row whose activation each neuron then shows; ``ascii`` draws
    with 7-bit characters only; ``height`` and ``width`` override the rows and
    columns given by Rich (the diagram is never bigger); ``keys`` mentions the app's keys
    (``w`` for the weight table) where weights are left out; ``ranking`` chooses
    the neurons of tall layers and ``names`` calls a table's inputs and outputs by
    their names (see ``layout.plan``); ``values`` are printed in place of the
    parameters (the backprop view's z, a, δ and ∂L/∂w: ``layout.Values``).
    """

    def __init__(
        self,
        model: MLP,
        *,
        title: str = "",
        focus: tuple[int, int] | None = None,
        sample: np.ndarray | None = None,
        ascii: bool = False,
        height: int | None = None,
        width: int | None = None,
        keys: bool = True,
        ranking: Sequence[np.ndarray] | None = None,
        names: Names | None = None,
        values: Values | None = None,
    ) -> None:
        self.subject = Subject.of(
            model,
            title=title,
            focus=focus,
            sample=sample,
            ascii=ascii,
            keys=keys,
            ranking=ranking,
            names=names,
            values=values,
        )
        self.height = height
        self.width = width

    def layout(self, width: int, height: int | None) -> Plan:
        """The plan of this diagram at ``width`` × ``height`` (None: any height)."""
        return plan_for(self.subject, width, height)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        narrowest, natural = width_range(self.subject)
        widest = min(options.max_width, self.width or options.max_width)
        return Measurement(min(narrowest, widest), min(natural, widest))

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = min(options.max_width, self.width or options.max_width)
        for row in paint(self.layout(width, self.height or options.height)):
            yield from row
            yield Segment.line()


def paint(plan: Plan) -> list[list[Segment]]:
    """The diagram ``plan`` lays out, as rows of Rich segments ``plan.width`` wide."""
    return Painter(plan).paint().segments()


def weight_scale(edges: Sequence[np.ndarray]) -> float:
    """The largest |w| of the edges, the brightest edge colour (0 if there is none or it is not finite)."""
    magnitudes = [np.abs(w[~np.isnan(w)]) for w in edges]
    scale = max((float(m.max()) for m in magnitudes if m.size), default=0.0)
    return scale if math.isfinite(scale) else 0.0


class Painter:
    """Draws one plan into a canvas of its size; nothing else changes."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.glyphs = palette.ASCII if plan.ascii else palette.UNICODE
        self.scale = weight_scale(plan.edges)
        self.quantity = "w" if plan.values is None else plan.values.quantity
        self.canvas = Canvas(plan.width, plan.rows, ascii=plan.ascii)

    def paint(self) -> Canvas:
        """Title, bands, legend and the "enlarge" line; cut to the plan's height if taller."""
        plan, canvas = self.plan, self.canvas
        y = 0
        if plan.title:
            canvas.write(0, 0, plan.title, palette.TITLE)
            y = 1
        drawn = total = 0
        for band in plan.bands:
            self.titles(band.columns, y)
            counts = self.band(band, y + 1)
            drawn, total = drawn + counts[0], total + counts[1]
            y += band.body + 1 + (plan.separators > 0)
        self.legend(plan.rows - 1 - plan.enlarge, drawn, total)
        if plan.enlarge:
            canvas.write(0, plan.rows - 1, self.enlarge_text(), palette.MUTED)
        if plan.height is None or plan.rows <= max(plan.height, 1):
            return canvas
        cropped = canvas.cropped(max(plan.height, 1))
        cropped.clear_row(cropped.height - 1)
        cropped.write(0, cropped.height - 1, self.enlarge_text(), palette.MUTED)
        return cropped

    def enlarge_text(self) -> str:
        if not self.plan.keys:
            return ENLARGE_NO_KEYS
        return fitting((ENLARGE, ENLARGE_SHORT, ENLARGE_SHORTEST), self.plan.width)

    def titles(self, columns: Sequence[Column], y: int) -> None:
        """Each layer's title over its column, the longest of its forms that ends before the
        next column (``Output (sigmoid)``, ``Output``, ``Out``: see ``graph.layer_titles``)."""
        for column, following in zip(columns, [*columns[1:], None]):
            room = (following.x - 1 if following else self.plan.width) - column.x
            title = fitting(layer_titles(self.plan.model, column.layer), room)
            active = self.plan.values is not None and self.plan.values.active == column.layer
            self.canvas.write(column.x, y, title[: max(room, 0)], palette.FOCUS if active else palette.TITLE)

    def node_pieces(self, column: Column, i: int) -> list[tuple[str, Style]]:
        """Node ``i`` of ``column`` as styled pieces: label, bias, activation."""
        text = column.texts[i]
        focused = self.plan.focus == (column.layer, column.shown[i])
        return [
            (text.label, palette.FOCUS if focused else palette.NODE),
            (text.numbers, palette.BIAS),
            (text.activation, palette.ACTIVATION),
        ]

    def band(self, band: Band, top: int) -> tuple[int, int]:
        """Nodes, labels and edges of one band; returns (edges drawn, edges in the band)."""
        canvas, sizes = self.canvas, self.plan.model.layer_sizes
        for column in band.columns:
            for i, row in enumerate(column.rows):
                x = column.x
                for piece, style in self.node_pieces(column, i):
                    canvas.write(x, top + row, piece, style)
                    x += len(piece)
            if column.more:
                canvas.write(column.x, top + max(column.rows) + 1, column.more, palette.MUTED)
        drawn = total = 0
        for column, gap, following in zip(band.columns, band.gaps, band.columns[1:]):
            for row in following.rows:
                canvas.write(following.x - 2, top + row, self.glyphs.arrow, palette.MUTED)
            if gap.labels:
                self.ports(column, gap, following, top)
                count = len(column.shown) * len(following.shown)
                drawn, total = drawn + count, total + count
            else:
                drawn += self.plain_edges(column, following, top)
                total += sizes[column.layer] * sizes[following.layer]
        return drawn, total

    def edge_style(self, weight: float, focused: bool) -> Style:
        if (self.plan.focus is not None and not focused) or math.isnan(weight):
            return palette.MUTED
        style = palette.weight_style(weight, self.scale)
        return style + Style(bold=True) if focused and self.plan.focus else style

    def is_focused(self, column: Column, i: int, following: Column, j: int) -> bool:
        return self.plan.focus in ((column.layer, column.shown[i]), (following.layer, following.shown[j]))

    def stroke(self, edges: Iterable[Edge]) -> None:
        """Draw edges, weaker first, focused last."""
        ordered = sorted(edges, key=lambda e: (e[3], abs(e[2]) if e[2] == e[2] else 0.0))
        if not ordered:
            return
        self.canvas.lines(
            np.array([e[0] for e in ordered]),
            np.array([e[1] for e in ordered]),
            [self.edge_style(e[2], e[3]) for e in ordered],
            np.array([e[2] < 0 for e in ordered]),
        )

    def rule(self, column: Column, i: int, end: int, y: int) -> None:
        """A rule on row ``y`` from node ``i``'s text to column ``end`` (exclusive)."""
        text_end = column.x + len(column.texts[i])
        self.canvas.write(text_end + 1, y, self.glyphs.rule * (end - text_end - 1), palette.MUTED)

    def ports(self, column: Column, gap: Gap, following: Column, top: int) -> None:
        """Labelled edges: a bracket per node, its lines holding the weights of
        the edges that leave from there."""
        weights = self.plan.edges[column.layer][np.ix_(column.shown, following.shown)]
        ports = gap.ports()
        step = len(gap.labels[0][0]) + LABEL_SEP
        bracket = column.x + column.width + 2
        start, end = following.x - 2 - gap.line, following.x - 3
        edges = []
        for i, (block, node_row) in enumerate(zip(column.tops, column.rows)):
            self.rule(column, i, bracket, top + node_row)
            for r, targets in enumerate(ports):
                row = block + r
                glyph = self.glyphs.brackets[(r > 0, r < len(ports) - 1, row == node_row)]
                self.canvas.write(bracket, top + row, glyph, palette.MUTED)
                for slot, j in enumerate(targets):
                    weight = float(weights[i, j])
                    focused = self.is_focused(column, i, following, j)
                    style = self.label_style(weight) + (palette.FOCUS if focused else Style())
                    self.canvas.write(bracket + 2 + slot * step, top + row, gap.labels[i][j], style)
                    edges.append(((start, top + row), (end, top + following.rows[j]), weight, focused))
        self.stroke(edges)

    def focused_pairs(self, column: Column, following: Column) -> set[tuple[int, int]]:
        """(source, target) positions of the edges that touch the focused neuron."""
        if self.plan.focus is None:
            return set()
        layer, index = self.plan.focus
        if layer == column.layer and index in column.shown:
            return {(column.shown.index(index), j) for j in range(len(following.shown))}
        if layer == following.layer and index in following.shown:
            return {(i, following.shown.index(index)) for i in range(len(column.shown))}
        return set()

    def plain_edges(self, column: Column, following: Column, top: int) -> int:
        """Unlabelled edges node to node: the strongest ones, plus the focused node's
        (labelled). Returns how many were drawn."""
        weights = self.plan.edges[column.layer][np.ix_(column.shown, following.shown)]
        chosen = {divmod(int(k), weights.shape[1]) for k in strongest(weights, 3 * max(weights.shape))}
        focused = self.focused_pairs(column, following)
        end = following.x - 3
        edges = []
        for i, j in chosen | focused:
            start = (column.x + len(column.texts[i]) + 1, top + column.rows[i])
            edges.append((start, (end, top + following.rows[j]), float(weights[i, j]), (i, j) in focused))
        self.stroke(edges)
        toward_end = self.plan.focus is not None and self.plan.focus[0] == column.layer
        for start, stop, weight, is_focused in edges:
            if is_focused:
                self.edge_label(start, stop, weight, toward_end)
        return len(edges)

    def edge_label(self, start: tuple[int, int], stop: tuple[int, int], weight: float, toward_end: bool) -> None:
        """Put a focused edge's weight on its own line, near the far end, where it overlaps no text."""
        text = edge_text(weight, self.plan.values)
        style = self.label_style(weight) + palette.FOCUS
        for t in LABEL_SPOTS:
            t = t if toward_end else 1 - t
            x = round(start[0] + (stop[0] - start[0]) * t) - len(text) // 2
            y = round(start[1] + (stop[1] - start[1]) * float(ease(np.array(t))))
            if x > start[0] and x + len(text) < stop[0] and self.canvas.is_free(x - 3, y, len(text) + 6):
                self.canvas.write(x, y, text, style)
                return

    def label_style(self, value: float) -> Style:
        """A printed edge number's colour: by sign and size, muted while not computed (NaN)."""
        return palette.MUTED if math.isnan(value) else palette.weight_style(value, self.scale)

    def legend(self, y: int, drawn: int, total: int) -> None:
        """Which colour is which, what was left out, and where to read the rest;
        shortened to fit the width."""
        bright = palette.POSITIVE[-1], palette.NEGATIVE[-1]
        long_key = [
            (self.glyphs.positive_sample, Style(color=bright[0])),
            (" positive  ", palette.MUTED),
            (self.glyphs.negative_sample, Style(color=bright[1])),
            (" negative  ", palette.MUTED),
            (f"brighter = larger |{self.quantity}|", palette.MUTED),
        ]
        short_key = [long_key[0], (" +  ", palette.MUTED), long_key[2], (" -  ", palette.MUTED)]
        short_key.append((f"bright = big |{self.quantity}|", palette.MUTED))
        keys = [long_key, short_key, short_key[:-1]]
        hint = [(f"  {TABLE_KEY}", palette.MUTED)] if not self.plan.labels.every and self.plan.keys else []
        count = [(f"  strongest {drawn:,} of {total:,} edges drawn", palette.MUTED)] if drawn < total else []

        def length(pieces: list[tuple[str, Style]]) -> int:
            return sum(len(piece) for piece, _ in pieces)

        # the whole key with both notes, else a shorter key; the weight table hint before the edge count
        choices = [key + count + hint for key in keys] + [key + hint for key in keys[1:]]
        pieces = next((c for c in choices if length(c) <= self.canvas.width), keys[-1])
        x = 0
        for piece, style in pieces:
            self.canvas.write(x, y, piece, style)
            x += len(piece)
