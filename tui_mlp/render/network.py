"""``NetworkDiagram``: an MLP drawn as a text layered graph, a Rich renderable.

Layers are titled columns; each neuron shows its label and bias. Small nets
(at most ``MAX_LABELLED_EDGES`` weights) fan each node's outgoing edges out of
a bracket, one row per edge with the weight printed at the start of its own
line, so every value is legible and no label can collide with another. Bigger
nets draw node to node, show only the most important neurons of tall layers
and the strongest edges, and label only the focused node's edges.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable
from dataclasses import dataclass, replace

import numpy as np
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style

from tui_mlp.core import MLP

from . import palette
from .canvas import Canvas, ease
from .graph import build_graph, layer_title
from .layout import importance, layer_columns, most_important, spread, strongest

MAX_LABELLED_EDGES = 64
MIN_LINE, MAX_LINE = 4, 40  # columns of line between two layers
MAX_DEFAULT_ROWS = 40  # body rows when neither height nor options.height is given
LABELLED_GAP = 7  # " ─┤ " before a weight label, " " after it, then "▸ " before the next column
PLAIN_GAP = 3  # " " after the node text, "▸ " before the next column


@dataclass
class Column:
    """One layer as drawn in a band: which neurons, where, and how they read."""

    layer: int
    shown: np.ndarray
    texts: list[list[tuple[str, Style]]]
    width: int
    hidden: int = 0
    x: int = 0
    rows: list[int] | None = None  # each shown node's row within the band body


def weight_text(weight: float) -> str:
    """A weight as printed on its edge: two decimals with sign (``+0.53``)."""
    return f"{weight:+.2f}"


class NetworkDiagram:
    """The MLP as a text layered graph; see the module docstring.

    ``focus`` = (layer, index) highlights that neuron and its edges; ``sample``
    is one input row whose activation each neuron then shows; ``ascii`` draws
    with 7-bit characters only; ``height`` overrides the rows given by Rich.
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
    ) -> None:
        sizes = model.layer_sizes
        if focus is not None and not (0 <= focus[0] < len(sizes) and 0 <= focus[1] < sizes[focus[0]]):
            raise ValueError(f"focus {focus} is not a neuron of a {'-'.join(map(str, sizes))} network")
        self.model = model
        self.title = title
        self.focus = focus
        self.ascii = ascii
        self.height = height
        self.glyphs = palette.ASCII if ascii else palette.UNICODE
        self.labelled = sum(a * b for a, b in itertools.pairwise(sizes)) <= MAX_LABELLED_EDGES
        self.named = True  # weight labels name their target (→h1 +0.53) unless too narrow
        self.outputs = None if sample is None else [a[0] for a in model.activations(np.asarray(sample))]
        self.scores = importance(model)
        scale = max((float(np.nanmax(np.abs(w))) for w in model.weights), default=0.0)
        self.scale = scale if math.isfinite(scale) else 0.0

    # ---- text of one neuron -------------------------------------------------

    def node_text(self, layer: int, index: int, label: str) -> list[tuple[str, Style]]:
        """``h3 b=+0.53`` (and ``a=0.97`` with a sample) as styled pieces."""
        focused = self.focus == (layer, index)
        pieces = [(label, palette.FOCUS if focused else palette.NODE)]
        if layer > 0:
            pieces.append((f" b={self.model.biases[layer - 1][index]:+.2f}", palette.BIAS))
        if self.outputs is not None:
            pieces.append((f" a={self.outputs[layer][index]:.2f}", palette.ACTIVATION))
        return pieces

    def more_text(self, count: int) -> str:
        return f"{self.glyphs.more} {count} more"

    # ---- Rich protocol ------------------------------------------------------

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        columns = self.columns(self.default_body())
        widths = [self.band_width(columns[i : i + 2], MIN_LINE) for i in range(len(columns) - 1)]
        natural = self.band_width(columns, MAX_LINE)
        return Measurement(min(max(widths), options.max_width), min(natural, options.max_width))

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        canvas = self.draw(options.max_width, self.height or options.height)
        for row in canvas.segments():
            yield from row
            yield Segment.line()

    # ---- geometry -------------------------------------------------------------

    def default_body(self) -> int:
        if self.labelled:
            return max(self.model.layer_sizes)
        return min(max(2 * n - 1 for n in self.model.layer_sizes), MAX_DEFAULT_ROWS)

    def columns(self, body: int) -> list[Column]:
        """Every layer's column for a band body of ``body`` rows (not yet placed)."""
        sizes = self.model.layer_sizes
        keep = [self.focus[1] if self.focus and self.focus[0] == layer else None for layer in range(len(sizes))]
        shown = [
            most_important(self.scores[layer], n if (self.labelled or n <= body) else max(body - 1, 1), keep[layer])
            for layer, n in enumerate(sizes)
        ]
        self.graph = build_graph(self.model, shown)
        self.names = layer_columns(self.graph)
        columns = []
        for layer, names in enumerate(self.names):
            nodes = [self.graph.nodes[name] for name in names]
            texts = [self.node_text(layer, node["index"], node["label"]) for node in nodes]
            hidden = sizes[layer] - len(nodes)
            width = max(sum(len(piece) for piece, _ in text) for text in texts)
            if hidden:
                width = max(width, len(self.more_text(hidden)))
            columns.append(Column(layer, shown[layer], texts, width, hidden))
        return columns

    def port_labels(self, column: Column, following: Column) -> list[list[str]]:
        """Labels of the edges from ``column`` to ``following``, all one width: ``→h1 +0.53``."""
        block = self.model.weights[column.layer][np.ix_(column.shown, following.shown)].tolist()
        names = [self.graph.nodes[n]["label"] for n in self.names[following.layer]]
        values = [[weight_text(w) for w in row] for row in block]
        name_width = max(map(len, names))
        value_width = max(len(v) for row in values for v in row)
        if not self.named:
            return [[v.rjust(value_width) for v in row] for row in values]
        return [
            [f"{self.glyphs.to}{name:<{name_width}} {v:>{value_width}}" for name, v in zip(names, row)]
            for row in values
        ]

    def gap_width(self, column: Column, following: Column) -> int:
        """Columns between two layers' text, not counting the line itself."""
        if self.labelled:
            return LABELLED_GAP + len(self.port_labels(column, following)[0][0])
        return PLAIN_GAP

    def band_width(self, columns: list[Column], line: int) -> int:
        gaps = sum(self.gap_width(a, b) + line for a, b in itertools.pairwise(columns))
        return sum(c.width for c in columns) + gaps

    def bands(self, columns: list[Column], width: int) -> list[list[Column]]:
        """Split layers into bands of consecutive columns that each fit ``width``;
        consecutive bands share a layer, so every edge is drawn once."""
        bands, start = [], 0
        while start < len(columns) - 1:
            stop = start + 2
            while stop < len(columns) and self.band_width(columns[start : stop + 1], MIN_LINE) <= width:
                stop += 1
            bands.append([replace(c) for c in columns[start:stop]])
            start = stop - 1
        return bands or [columns]

    def place(self, band: list[Column], width: int) -> list[int]:
        """Set each column's x; return each gap's line length, shared out by edge count."""
        pairs = list(itertools.pairwise(band))
        edges = [len(a.shown) * len(b.shown) for a, b in pairs]
        room = max(width - self.band_width(band, 0), 0)
        overhang = len(layer_title(self.model, band[-1].layer)) - band[-1].width
        if room - overhang >= MIN_LINE * len(pairs):
            room -= max(overhang, 0)  # leave the last column's title room when there is some
        extra = max(room - MIN_LINE * len(pairs), 0)
        lines = [min(MIN_LINE + extra * e // sum(edges), MAX_LINE) for e in edges]
        x = 0
        for (column, following), line in zip(pairs, lines):
            column.x = x
            x += column.width + self.gap_width(column, following) + line
        band[-1].x = x
        return lines

    def block_heights(self, band: list[Column]) -> list[list[int]]:
        """Rows each node needs: one per outgoing edge in labelled bands, else one."""
        heights = []
        for i, column in enumerate(band):
            ports = len(band[i + 1].shown) if self.labelled and i + 1 < len(band) else 1
            heights.append([ports] * len(column.shown))
        return heights

    def arrange(self, band: list[Column], body: int) -> tuple[int, list[list[int]]]:
        """Set each column's node rows; return the band's body height and block tops."""
        heights = self.block_heights(band)
        if self.labelled:
            body = max(sum(h) + (len(h) - 1) * (max(h) > 1) for h in heights)
        all_tops = []
        for column, h in zip(band, heights):
            rows = body - 1 if column.hidden else body
            tops = spread(h, rows)
            column.rows = [top + (size - 1) // 2 for top, size in zip(tops, h)]
            all_tops.append(tops)
        return body, all_tops

    # ---- drawing --------------------------------------------------------------

    def body_rows(self, height: int | None, bands: int) -> int:
        if self.labelled or height is None:
            return self.default_body()
        overhead = bool(self.title) + 1 + bands + (bands - 1)  # title, legend, column titles, separators
        return max((height - overhead) // bands, 1)

    def draw(self, width: int, height: int | None) -> Canvas:
        """Lay out and draw the whole diagram into a canvas ``width`` wide."""
        body = self.body_rows(height, 1)
        columns = self.columns(body)
        pairs = [columns[i : i + 2] for i in range(len(columns) - 1)]
        self.named = not any(self.band_width(pair, MIN_LINE) > width for pair in pairs)
        bands = self.bands(columns, width)
        if len(bands) > 1 and not self.labelled and height is not None:
            body = self.body_rows(height, len(bands))
            bands = self.bands(self.columns(body), width)
        placed = []
        for band in bands:
            lines = self.place(band, width)
            band_body, tops = self.arrange(band, body)
            placed.append((band, lines, band_body, tops))
        total = bool(self.title) + sum(1 + b for _, _, b, _ in placed) + len(placed) - 1 + 1
        canvas = Canvas(width, total, ascii=self.ascii)
        y = 0
        if self.title:
            canvas.write(0, 0, self.title, palette.TITLE)
            y = 1
        drawn = total_edges = 0
        for band, lines, band_body, tops in placed:
            self.draw_titles(canvas, band, y)
            counts = self.draw_band(canvas, band, lines, tops, y + 1)
            drawn, total_edges = drawn + counts[0], total_edges + counts[1]
            y += band_body + 2
        self.draw_legend(canvas, total - 1, drawn, total_edges)
        return canvas

    def draw_titles(self, canvas: Canvas, band: list[Column], y: int) -> None:
        for column, following in zip(band, [*band[1:], None]):
            room = (following.x - 1 if following else canvas.width) - column.x
            title = layer_title(self.model, column.layer)
            if len(title) > room:
                title = title[: max(room - 1, 0)] + ("~" if self.ascii else "…")
            canvas.write(column.x, y, title, palette.TITLE)

    def draw_band(
        self, canvas: Canvas, band: list[Column], lines: list[int], tops: list[list[int]], top: int
    ) -> tuple[int, int]:
        """Nodes, labels and edges of one band; returns (edges drawn, edges in the band)."""
        drawn = total = 0
        for column in band:
            for text, row in zip(column.texts, column.rows):
                x = column.x
                for piece, style in text:
                    canvas.write(x, top + row, piece, style)
                    x += len(piece)
            if column.hidden:
                canvas.write(column.x, top + max(column.rows) + 1, self.more_text(column.hidden), palette.MUTED)
        for i, (column, following) in enumerate(itertools.pairwise(band)):
            end = following.x - 3
            start = end - lines[i] + 1
            for row in following.rows:
                canvas.write(following.x - 2, top + row, self.glyphs.arrow, palette.MUTED)
            if self.labelled:
                self.draw_ports(canvas, column, following, tops[i], start, end, top)
                count = len(column.shown) * len(following.shown)
                drawn, total = drawn + count, total + count
            else:
                count = self.draw_plain_edges(canvas, column, following, end, top)
                drawn += count
                total += self.model.layer_sizes[column.layer] * self.model.layer_sizes[following.layer]
        return drawn, total

    def edge_style(self, weight: float, focused: bool) -> Style:
        if self.focus is not None and not focused:
            return palette.MUTED
        style = palette.weight_style(weight, self.scale)
        return style + Style(bold=True) if focused and self.focus else style

    def is_focused(self, column: Column, i: int, following: Column, j: int) -> bool:
        return self.focus in ((column.layer, int(column.shown[i])), (following.layer, int(following.shown[j])))

    def stroke(self, canvas: Canvas, edges: Iterable[tuple[tuple[int, int], tuple[int, int], float, bool]]) -> None:
        """Draw (start, end, weight, focused) edges, weaker first, focused last."""
        ordered = sorted(edges, key=lambda e: (e[3], abs(e[2]) if e[2] == e[2] else 0.0))
        if not ordered:
            return
        canvas.lines(
            np.array([e[0] for e in ordered]),
            np.array([e[1] for e in ordered]),
            [self.edge_style(e[2], e[3]) for e in ordered],
            np.array([e[2] < 0 for e in ordered]),
        )

    def draw_ports(
        self,
        canvas: Canvas,
        column: Column,
        following: Column,
        tops: list[int],
        start: int,
        end: int,
        top: int,
    ) -> None:
        """Labelled edges: a bracket per node, one row per edge, the weight at the edge's start."""
        weights = self.model.weights[column.layer][np.ix_(column.shown, following.shown)]
        labels = self.port_labels(column, following)
        bracket = column.x + column.width + 2
        edges = []
        for i, (block, node_row) in enumerate(zip(tops, column.rows)):
            text_end = column.x + sum(len(piece) for piece, _ in column.texts[i])
            canvas.write(text_end + 1, top + node_row, self.glyphs.rule * (bracket - text_end - 1), palette.MUTED)
            ports = len(following.shown)
            for j in range(ports):
                row = block + j
                weight = float(weights[i, j])
                focused = self.is_focused(column, i, following, j)
                glyph = self.glyphs.brackets[(j > 0, j < ports - 1, row == node_row)]
                canvas.write(bracket, top + row, glyph, palette.MUTED)
                style = palette.weight_style(weight, self.scale)
                canvas.write(bracket + 2, top + row, labels[i][j], style + palette.FOCUS if focused else style)
                edges.append(((start, top + row), (end, top + following.rows[j]), weight, focused))
        self.stroke(canvas, edges)

    def draw_plain_edges(self, canvas: Canvas, column: Column, following: Column, end: int, top: int) -> int:
        """Unlabelled edges node to node: the strongest ones, plus the focused node's
        (labelled). Returns how many were drawn."""
        weights = self.model.weights[column.layer][np.ix_(column.shown, following.shown)]
        limit = 3 * max(weights.shape)
        chosen = {divmod(int(k), weights.shape[1]) for k in strongest(weights, limit)}
        focused = {
            (i, j)
            for i in range(weights.shape[0])
            for j in range(weights.shape[1])
            if self.is_focused(column, i, following, j)
        }
        edges = []
        for i, j in chosen | focused:
            text_end = column.x + sum(len(piece) for piece, _ in column.texts[i])
            start = (text_end + 1, top + column.rows[i])
            edges.append((start, (end, top + following.rows[j]), float(weights[i, j]), (i, j) in focused))
        self.stroke(canvas, edges)
        for start, stop, weight, is_focused in edges:
            if is_focused:
                self.place_label(canvas, start, stop, weight, toward_end=self.focus[0] == column.layer)
        return len(edges)

    def place_label(
        self, canvas: Canvas, start: tuple[int, int], stop: tuple[int, int], weight: float, toward_end: bool
    ) -> None:
        """Put a focused edge's weight on its own line, near the far end, where it overlaps no text."""
        text = weight_text(weight)
        style = palette.weight_style(weight, self.scale) + palette.FOCUS
        for t in (0.7, 0.55, 0.85, 0.4, 0.25, 0.6, 0.8, 0.5, 0.3):
            t = t if toward_end else 1 - t
            x = round(start[0] + (stop[0] - start[0]) * t) - len(text) // 2
            y = round(start[1] + (stop[1] - start[1]) * float(ease(np.array(t))))
            if x > start[0] and x + len(text) < stop[0] and canvas.is_free(x - 3, y, len(text) + 6):
                canvas.write(x, y, text, style)
                return

    def draw_legend(self, canvas: Canvas, y: int, drawn: int, total: int) -> None:
        bright = palette.POSITIVE[-1], palette.NEGATIVE[-1]
        pieces = [
            (self.glyphs.positive_sample, Style(color=bright[0])),
            (" positive  ", palette.MUTED),
            (self.glyphs.negative_sample, Style(color=bright[1])),
            (" negative  ", palette.MUTED),
            ("brighter = larger |w|", palette.MUTED),
        ]
        if drawn < total:
            pieces.append((f"  strongest {drawn:,} of {total:,} edges drawn", palette.MUTED))
        x = 0
        for piece, style in pieces:
            canvas.write(x, y, piece, style)
            x += len(piece)
