"""``NetworkDiagram``: an MLP drawn as a text layered graph, a Rich renderable.

Layers are titled columns; each neuron shows its label and bias. The diagram
fits the width and height it is given, trying layouts from the most legible
down until one fits:

1. every weight, one to a line, naming its target: ``x1 ─┬ →h1 +0.22``;
2. every weight, one to a line, without the name (the lines' order is the
   targets' order): ``x1 ─┬ +0.22``;
3. every weight, two or more to a line, each naming its target:
   ``x1 ─┬ h1+0.22 h2-0.38`` / ``    ╰ h3-0.75 h4-0.79``;
4. one row per neuron, edges drawn node to node, only the focused neuron's
   weights printed (the rest one key away in the weight table);
5. what fits of that, the least important neurons left out, and a line
   asking for more room.

Small nets (at most ``MAX_LABELLED_EDGES`` weights) try them all; in 1-3
each node's outgoing edges fan out of a bracket, their weights printed where
the edges start, so no label can collide with another. Bigger nets always use
4/5: they show the most important neurons of tall layers and the strongest
edges, and label only the focused node's edges. Layers too many for the width
are drawn in bands stacked one under the other, sharing a layer.
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
from .graph import build_graph, check_node, layer_title
from .layout import importance, layer_columns, most_important, spread, strongest

MAX_LABELLED_EDGES = 64
MIN_LINE, MAX_LINE = 4, 40  # columns of line between two layers
MAX_DEFAULT_ROWS = 40  # body rows when neither height nor options.height is given
LABELLED_GAP = 7  # " ─┤ " before a weight label, " " after it, then "▸ " before the next column
PLAIN_GAP = 3  # " " after the node text, "▸ " before the next column
LABEL_SEP = 1  # spaces between weight labels sharing a line
TABLE_KEY = "w: weight table"
ENLARGE = "enlarge the panel or press w for the weight table"
ENLARGE_SHORT = "too small: enlarge or press w"
ENLARGE_NO_KEYS = "too small to print every weight"


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


@dataclass(frozen=True)
class Labels:
    """Which weights are printed: ``every`` edge's (``per_row`` labels to a line,
    naming the target when ``named``), or only the focused node's edges."""

    every: bool
    per_row: int = 1
    named: bool = True


FOCUS_ONLY = Labels(every=False)


@dataclass
class Band:
    """Consecutive layers drawn side by side, with the rows they take."""

    columns: list[Column]
    lines: list[int]  # line length of each gap
    body: int = 0
    tops: list[list[int]] | None = None  # each column's block top rows


@dataclass
class Plan:
    """A layout that fits: its bands, and the rows around them."""

    labels: Labels
    bands: list[Band]
    separators: int  # blank rows between bands (0 or 1 each)
    enlarge: bool = False  # add the "enlarge the panel" line


def weight_text(weight: float) -> str:
    """A weight as printed on its edge: two decimals with sign (``+0.53``)."""
    return f"{weight:+.2f}"


class NetworkDiagram:
    """The MLP as a text layered graph; see the module docstring.

    ``focus`` = (layer, index) highlights that neuron and its edges; ``sample``
    is one input row whose activation each neuron then shows; ``ascii`` draws
    with 7-bit characters only; ``height`` overrides the rows given by Rich
    (the diagram is never taller than it); ``keys`` mentions the app's keys
    (``w`` for the weight table) where weights are left out.
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
        keys: bool = True,
    ) -> None:
        sizes = model.layer_sizes
        check_node(sizes, focus, "focus")
        self.model = model
        self.title = title
        self.focus = focus
        self.ascii = ascii
        self.height = height
        self.keys = keys
        self.glyphs = palette.ASCII if ascii else palette.UNICODE
        self.labelled = sum(a * b for a, b in itertools.pairwise(sizes)) <= MAX_LABELLED_EDGES
        self.labels = self.candidates()[0]
        self.gap_per_row: dict[int, int] = {}  # source layer -> labels to a line, where fewer than asked
        self.outputs = None if sample is None else [a[0] for a in model.activations(np.asarray(sample))]
        self.scores = importance(model)
        scale = max((float(np.nanmax(np.abs(w))) for w in model.weights), default=0.0)
        self.scale = scale if math.isfinite(scale) else 0.0
        self._drawn: tuple[tuple[int, int | None], list[list[Segment]]] | None = None

    def candidates(self) -> list[Labels]:
        """Label layouts to try, most legible first (see the module docstring)."""
        if not self.labelled:
            return [FOCUS_ONLY]
        most = max(self.model.layer_sizes[1:])
        return [
            Labels(every=True),
            *(Labels(every=True, per_row=k) for k in range(2, most + 1)),
            Labels(every=True, named=False),
            FOCUS_ONLY,
        ]

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
        first = self.labels
        self.labels = self.candidates()[-1]
        columns = self.columns(self.default_body())
        narrowest = max(self.band_width(columns[i : i + 2], MIN_LINE) for i in range(len(columns) - 1))
        self.labels = first
        natural = self.band_width(self.columns(self.default_body()), MAX_LINE)
        return Measurement(min(narrowest, options.max_width), min(natural, options.max_width))

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        # Textual may render a renderable more than once at one size: draw once per size.
        size = (options.max_width, self.height or options.height)
        if self._drawn is None or self._drawn[0] != size:
            self._drawn = (size, self.draw(*size).segments())
        for row in self._drawn[1]:
            yield from row
            yield Segment.line()

    # ---- geometry -------------------------------------------------------------

    def default_body(self) -> int:
        if self.labels.every:
            return max(self.model.layer_sizes)
        return min(max(2 * n - 1 for n in self.model.layer_sizes), MAX_DEFAULT_ROWS)

    def columns(self, body: int) -> list[Column]:
        """Every layer's column for a band body of ``body`` rows (not yet placed)."""
        sizes = self.model.layer_sizes
        keep = [self.focus[1] if self.focus and self.focus[0] == layer else None for layer in range(len(sizes))]
        shown = [
            most_important(self.scores[layer], n if (self.labels.every or n <= body) else max(body - 1, 1), keep[layer])
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

    def per_row(self, column: Column, following: Column) -> int:
        """Weight labels to a line between these two layers: as many as the layout
        asks, fewer where that gap would not fit the width (see ``plan_every``)."""
        return min(self.gap_per_row.get(column.layer, self.labels.per_row), len(following.shown))

    def port_rows(self, column: Column, following: Column) -> list[list[int]]:
        """The targets (positions in ``following``) of each line of a node's bracket."""
        count = len(following.shown)
        per_row = self.per_row(column, following)
        return [list(range(a, min(a + per_row, count))) for a in range(0, count, per_row)]

    def port_labels(self, column: Column, following: Column) -> list[list[str]]:
        """Labels of the edges from ``column`` to ``following``, all one width:
        ``→h1 +0.53`` one to a line, ``h1+0.53`` several to a line, or ``+0.53``."""
        block = self.model.weights[column.layer][np.ix_(column.shown, following.shown)].tolist()
        names = [self.graph.nodes[n]["label"] for n in self.names[following.layer]]
        values = [[weight_text(w) for w in row] for row in block]
        name_width = max(map(len, names))
        value_width = max(len(v) for row in values for v in row)
        if not self.labels.named:
            return [[v.rjust(value_width) for v in row] for row in values]
        if self.per_row(column, following) > 1:
            return [[f"{name:<{name_width}}{v:>{value_width}}" for name, v in zip(names, row)] for row in values]
        return [
            [f"{self.glyphs.to}{name:<{name_width}} {v:>{value_width}}" for name, v in zip(names, row)]
            for row in values
        ]

    def gap_width(self, column: Column, following: Column) -> int:
        """Columns between two layers' text, not counting the line itself."""
        if self.labels.every:
            label = len(self.port_labels(column, following)[0][0])
            per_row = self.per_row(column, following)
            return LABELLED_GAP + per_row * label + (per_row - 1) * LABEL_SEP
        return PLAIN_GAP

    def band_width(self, columns: list[Column], line: int) -> int:
        gaps = sum(self.gap_width(a, b) + line for a, b in itertools.pairwise(columns))
        return sum(c.width for c in columns) + gaps

    def split(self, columns: list[Column], width: int) -> list[list[Column]]:
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
        lines = [min(MIN_LINE + extra * e // max(sum(edges), 1), MAX_LINE) for e in edges]
        x = 0
        for (column, following), line in zip(pairs, lines):
            column.x = x
            x += column.width + self.gap_width(column, following) + line
        band[-1].x = x
        return lines

    def block_heights(self, band: list[Column]) -> list[list[int]]:
        """Rows each node needs: its bracket's lines when every weight is printed, else one."""
        heights = []
        for i, column in enumerate(band):
            ports = len(self.port_rows(column, band[i + 1])) if self.labels.every and i + 1 < len(band) else 1
            heights.append([ports] * len(column.shown))
        return heights

    def body_range(self, band: list[Column]) -> tuple[int, int]:
        """Fewest body rows a fully labelled band needs, and the rows it likes
        (a blank row between brackets of more than one line)."""
        heights = self.block_heights(band)
        least = max(sum(h) for h in heights)
        roomy = max(sum(h) + (len(h) - 1) * (max(h) > 1) for h in heights)
        return least, roomy

    def arrange(self, band: Band) -> None:
        """Set each column's node rows in a body of ``band.body`` rows, and the block tops."""
        band.tops = []
        for column, h in zip(band.columns, self.block_heights(band.columns)):
            rows = band.body - 1 if column.hidden else band.body
            tops = spread(h, rows)
            column.rows = [top + (size - 1) // 2 for top, size in zip(tops, h)]
            band.tops.append(tops)

    # ---- choosing a layout -----------------------------------------------------

    def fixed_rows(self, bands: int) -> int:
        """Rows besides the bands' bodies: title, column titles, legend."""
        return bool(self.title) + bands + 1

    def body_rows(self, height: int | None, bands: int) -> int:
        if height is None:
            return self.default_body()
        return max((height - self.fixed_rows(bands) - (bands - 1)) // bands, 1)

    def plan_every(self, width: int, height: int | None) -> Plan | None:
        """Every weight printed, as ``self.labels`` says, or None if that cannot fit."""
        columns = self.columns(0)
        self.gap_per_row = {}
        for pair in itertools.pairwise(columns):
            while self.band_width(pair, MIN_LINE) > width:
                if self.per_row(*pair) == 1:
                    return None
                self.gap_per_row[pair[0].layer] = self.per_row(*pair) - 1
        bands = [Band(band, self.place(band, width)) for band in self.split(columns, width)]
        ranges = [self.body_range(band.columns) for band in bands]
        spare = math.inf if height is None else height - self.fixed_rows(len(bands)) - sum(r[0] for r in ranges)
        if spare < 0:
            return None
        for band, (least, roomy) in zip(bands, ranges):
            band.body = least
            if roomy - least <= spare:  # a blank row between every bracket, or none
                band.body, spare = roomy, spare - (roomy - least)
        separators = int(min(spare, len(bands) - 1))
        return Plan(self.labels, bands, separators if separators == len(bands) - 1 else 0)

    def plan_plain(self, width: int, height: int | None, *, strict: bool) -> Plan | None:
        """One row per neuron; with ``strict``, None unless every neuron fits."""
        enlarge = self.labelled and not strict
        room = None if height is None else height - enlarge
        bands = 1
        for _ in range(len(self.model.layer_sizes)):  # more bands, fewer rows each, until they agree
            body = self.body_rows(room, bands)
            columns = self.columns(body)
            split = self.split(columns, width)
            if room is None or len(split) <= bands:
                break
            bands = len(split)
        too_wide = any(self.band_width(pair, MIN_LINE) > width for pair in itertools.pairwise(columns))
        if strict and (too_wide or any(c.hidden for c in columns)):
            return None
        bands = [Band(band, self.place(band, width), body) for band in split]
        return Plan(self.labels, bands, len(bands) - 1, enlarge=enlarge)

    def plan(self, width: int, height: int | None) -> Plan:
        """The most legible layout that fits ``width`` × ``height``."""
        for labels in self.candidates():
            self.labels, self.gap_per_row = labels, {}
            found = self.plan_every(width, height) if labels.every else self.plan_plain(width, height, strict=True)
            if found is not None:
                return found
        self.labels = FOCUS_ONLY
        return self.plan_plain(width, height, strict=False)

    def total_rows(self, plan: Plan) -> int:
        bodies = sum(band.body for band in plan.bands)
        return self.fixed_rows(len(plan.bands)) + bodies + plan.separators + plan.enlarge

    # ---- drawing --------------------------------------------------------------

    def draw(self, width: int, height: int | None) -> Canvas:
        """Lay out and draw the whole diagram into a canvas ``width`` wide and at
        most ``height`` tall."""
        plan = self.plan(width, height)
        for band in plan.bands:
            self.arrange(band)
        total = self.total_rows(plan)
        canvas = Canvas(width, total, ascii=self.ascii)
        y = 0
        if self.title:
            canvas.write(0, 0, self.title, palette.TITLE)
            y = 1
        drawn = total_edges = 0
        for band in plan.bands:
            self.draw_titles(canvas, band.columns, y)
            counts = self.draw_band(canvas, band, y + 1)
            drawn, total_edges = drawn + counts[0], total_edges + counts[1]
            y += band.body + 1 + (plan.separators > 0)
        legend = total - 1 - plan.enlarge
        self.draw_legend(canvas, legend, drawn, total_edges)
        if plan.enlarge:
            canvas.write(0, total - 1, self.enlarge_text(width), palette.MUTED)
        if height is not None and total > max(height, 1):
            canvas = canvas.cropped(max(height, 1))
            canvas.clear_row(canvas.height - 1)
            canvas.write(0, canvas.height - 1, self.enlarge_text(width), palette.MUTED)
        return canvas

    def enlarge_text(self, width: int) -> str:
        if not self.keys:
            return ENLARGE_NO_KEYS
        return ENLARGE if len(ENLARGE) <= width else ENLARGE_SHORT

    def draw_titles(self, canvas: Canvas, band: list[Column], y: int) -> None:
        for column, following in zip(band, [*band[1:], None]):
            room = (following.x - 1 if following else canvas.width) - column.x
            title = layer_title(self.model, column.layer)
            if len(title) > room:
                title = title[: max(room - 1, 0)] + ("~" if self.ascii else "…")
            canvas.write(column.x, y, title, palette.TITLE)

    def draw_band(self, canvas: Canvas, band: Band, top: int) -> tuple[int, int]:
        """Nodes, labels and edges of one band; returns (edges drawn, edges in the band)."""
        drawn = total = 0
        for column in band.columns:
            for text, row in zip(column.texts, column.rows):
                x = column.x
                for piece, style in text:
                    canvas.write(x, top + row, piece, style)
                    x += len(piece)
            if column.hidden:
                canvas.write(column.x, top + max(column.rows) + 1, self.more_text(column.hidden), palette.MUTED)
        for i, (column, following) in enumerate(itertools.pairwise(band.columns)):
            end = following.x - 3
            start = end - band.lines[i] + 1
            for row in following.rows:
                canvas.write(following.x - 2, top + row, self.glyphs.arrow, palette.MUTED)
            if self.labels.every:
                self.draw_ports(canvas, column, following, band.tops[i], start, end, top)
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
        """Labelled edges: a bracket per node, its lines holding the weights of
        the edges that leave from there."""
        weights = self.model.weights[column.layer][np.ix_(column.shown, following.shown)]
        labels = self.port_labels(column, following)
        rows = self.port_rows(column, following)
        step = len(labels[0][0]) + LABEL_SEP
        bracket = column.x + column.width + 2
        edges = []
        for i, (block, node_row) in enumerate(zip(tops, column.rows)):
            text_end = column.x + sum(len(piece) for piece, _ in column.texts[i])
            canvas.write(text_end + 1, top + node_row, self.glyphs.rule * (bracket - text_end - 1), palette.MUTED)
            for r, targets in enumerate(rows):
                row = block + r
                glyph = self.glyphs.brackets[(r > 0, r < len(rows) - 1, row == node_row)]
                canvas.write(bracket, top + row, glyph, palette.MUTED)
                for slot, j in enumerate(targets):
                    weight = float(weights[i, j])
                    focused = self.is_focused(column, i, following, j)
                    style = palette.weight_style(weight, self.scale) + (palette.FOCUS if focused else Style())
                    canvas.write(bracket + 2 + slot * step, top + row, labels[i][j], style)
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
        """Which colour is which, what was left out, and where to read the rest;
        shortened to fit the width."""
        bright = palette.POSITIVE[-1], palette.NEGATIVE[-1]
        glyphs = self.glyphs
        long_key = [
            (glyphs.positive_sample, Style(color=bright[0])),
            (" positive  ", palette.MUTED),
            (glyphs.negative_sample, Style(color=bright[1])),
            (" negative  ", palette.MUTED),
            ("brighter = larger |w|", palette.MUTED),
        ]
        short_key = [long_key[0], (" +  ", palette.MUTED), long_key[2], (" -  ", palette.MUTED)]
        short_key.append(("bright = big |w|", palette.MUTED))
        keys = [long_key, short_key, short_key[:-1]]
        hint = [(f"  {TABLE_KEY}", palette.MUTED)] if not self.labels.every and self.keys else []
        count = [(f"  strongest {drawn:,} of {total:,} edges drawn", palette.MUTED)] if drawn < total else []

        def length(pieces: list[tuple[str, Style]]) -> int:
            return sum(len(piece) for piece, _ in pieces)

        # the whole key with both notes, else a shorter key; the weight table hint before the edge count
        choices = [key + count + hint for key in keys] + [key + hint for key in keys[1:]]
        pieces = next((c for c in choices if length(c) <= canvas.width), keys[-1])
        x = 0
        for piece, style in pieces:
            canvas.write(x, y, piece, style)
            x += len(piece)
