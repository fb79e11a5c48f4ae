"""Where things go, decided before anything is drawn: ``plan`` returns a frozen ``Plan``.

A plan says which layout fits a width × height (see ``network``'s docstring for
the layouts, most legible first), which neurons each layer shows and on which
rows, the weight labels between layers and the length of the lines. It is a
plain value: print it to see the layout; ``network.paint`` draws it. Planning
changes nothing; the same inputs always give an equal plan.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np

from tui_mlp.core import MLP

from . import palette
from .graph import Names, build_graph, check_node, layer_title, node_label

if TYPE_CHECKING:
    import networkx as nx

MAX_LABELLED_EDGES = 64  # nets with at most this many weights may print every one
MIN_LINE, MAX_LINE = 4, 40  # columns of line between two layers
MAX_DEFAULT_ROWS = 40  # body rows when no height is given
LABELLED_GAP = 7  # " ─┤ " before a weight label, " " after it, then "▸ " before the next column
PLAIN_GAP = 3  # " " after the node text, "▸ " before the next column
LABEL_SEP = 1  # spaces between weight labels sharing a line
NUMBER_WIDTH = 5  # characters of every printed weight and bias (see ``weight_text``)


# ---- which neurons and where: small pure helpers ------------------------------------


def layer_columns(graph: nx.DiGraph) -> list[list[str]]:
    """Node ids grouped into columns by networkx's layered (topological) ordering, top to bottom."""
    import networkx as nx  # here, as in ``build_graph``: a slow import

    return [
        sorted(generation, key=lambda n: graph.nodes[n]["index"]) for generation in nx.topological_generations(graph)
    ]


def layer_order(model: MLP) -> tuple[int, ...]:
    """The layers left to right, in networkx's layered order of the network's graph.

    Consecutive layers are fully connected, so a graph of one neuron a layer
    has the same order as the whole network's, and costs nothing to build.
    """
    graph = build_graph(model, [[0]] * len(model.layer_sizes))
    return tuple(graph.nodes[names[0]]["layer"] for names in layer_columns(graph))


def importance(model: MLP, edges: Sequence[np.ndarray] | None = None) -> list[np.ndarray]:
    """Per layer, each neuron's total |w| over its incoming and outgoing weights (or, given
    ``edges`` shaped like the weights, the total of their magnitudes)."""
    scores = [np.zeros(n) for n in model.layer_sizes]
    for layer, w in enumerate(model.weights if edges is None else edges):
        magnitude = np.abs(np.nan_to_num(w))
        scores[layer] += magnitude.sum(axis=1)
        scores[layer + 1] += magnitude.sum(axis=0)
    return scores


def ranked(model: MLP, edges: Sequence[np.ndarray] | None = None) -> tuple[np.ndarray, ...]:
    """Per layer, every neuron's index, most important first (by ``importance``; ties by index)."""
    return tuple(np.argsort(-scores, kind="stable") for scores in importance(model, edges))


def most_important(ranking: np.ndarray, count: int, keep: int | None = None) -> np.ndarray:
    """The first ``count`` neurons of ``ranking`` (always including ``keep``), in index order."""
    chosen = ranking[:count].copy()
    if keep is not None and keep not in chosen:
        chosen[-1] = keep
    return np.sort(chosen)


def strongest(weights: np.ndarray, count: int) -> np.ndarray:
    """Flat indices of the ``count`` largest |weights|, weakest first."""
    flat = np.abs(np.nan_to_num(weights)).ravel()
    order = np.argpartition(-flat, count - 1)[:count] if count < flat.size else np.arange(flat.size)
    return order[np.argsort(flat[order], kind="stable")]


def spread(heights: Sequence[int], rows: int) -> list[int]:
    """Top rows for blocks of the given heights spread evenly over ``rows`` rows.

    Blocks keep their order and never overlap; spare rows go between and
    around them (or only between them when there are too few to go around).
    """
    count = len(heights)
    spare = max(rows - sum(heights), 0)
    tops, used = [], 0
    for i, height in enumerate(heights):
        # centred with room around when there is plenty, else flush top and bottom
        share = (i + 0.5) * spare / count if spare >= count else i * spare / max(count - 1, 1)
        tops.append(used + int(share))
        used += height
    return tops


def weight_text(weight: float) -> str:
    """A weight or bias as printed: always five characters with its sign, so a drawing's
    layout never depends on the values (``+0.53``, ``-12.3``, `` +123``, `` +1e5``)."""
    if math.isfinite(weight):
        for decimals in (2, 1, 0):
            text = f"{weight:+.{decimals}f}"
            if len(text) <= NUMBER_WIDTH:
                return text.rjust(NUMBER_WIDTH)
        mantissa, exponent = f"{weight:+.0e}".split("e")
        return f"{mantissa}e{int(exponent)}".rjust(NUMBER_WIDTH)
    return f"{weight:+}".rjust(NUMBER_WIDTH)


def value_text(value: float) -> str:
    """A computed value (a gradient, a delta) as printed: five characters like a weight, small
    ones as a power of ten so they never read as zero (``-9e-3``); NaN, not computed yet, as ``...``."""
    if math.isnan(value):
        return "...".rjust(NUMBER_WIDTH)
    if value == 0:
        return "0".rjust(NUMBER_WIDTH)
    if abs(value) >= 0.005 or not math.isfinite(value):
        return weight_text(value)
    mantissa, exponent = f"{value:+.0e}".split("e")
    text = f"{mantissa}e{int(exponent)}"
    return text if len(text) <= NUMBER_WIDTH else weight_text(value)


def edge_text(value: float, values: Values | None) -> str:
    """An edge's number as printed: a weight (``weight_text``), or one of ``values`` (``value_text``)."""
    return weight_text(value) if values is None else value_text(value)


@dataclass(frozen=True, eq=False)
class Values:
    """Numbers a diagram prints in place of the parameters: ``edges[l]`` on layer l's edges
    (shaped like W[l]; NaN where not computed yet) and, after each neuron's label, each of
    ``nodes``: a name and per layer its values (None: that layer shows none). ``quantity``
    names the edge numbers in the legend; the ``active`` layer's title stands out."""

    edges: tuple[np.ndarray, ...]
    nodes: tuple[tuple[str, tuple[np.ndarray | None, ...]], ...]
    quantity: str = "w"
    active: int | None = None


# ---- the plan ---------------------------------------------------------------------


@dataclass(frozen=True)
class Labels:
    """Which weights are printed: ``every`` edge's (``per_row`` labels to a line,
    naming the target when ``named``), or only the focused node's edges."""

    every: bool
    per_row: int = 1
    named: bool = True


FOCUS_ONLY = Labels(every=False)


@dataclass(frozen=True)
class NodeText:
    """A neuron as printed: ``h3``, then its numbers, `` b=+0.53`` (not for inputs; or the
    ``Values``' ``` δ=-9e-3``), and `` a=0.97`` (with a sample)."""

    label: str
    numbers: str = ""
    activation: str = ""

    def __len__(self) -> int:
        return len(self.label) + len(self.numbers) + len(self.activation)


@dataclass(frozen=True)
class Column:
    """One layer as drawn in a band."""

    layer: int
    shown: tuple[int, ...]  # the neurons drawn, by index, top to bottom
    texts: tuple[NodeText, ...]
    width: int  # the widest text, "⋮ 92 more" included
    more: str = ""  # "⋮ 92 more", under the shown neurons, when some are left out
    x: int = 0  # the first character column
    rows: tuple[int, ...] = ()  # each shown neuron's row in the band's body
    tops: tuple[int, ...] = ()  # each shown neuron's block top: its bracket's first row


@dataclass(frozen=True)
class Gap:
    """Between a column and the next: the weight labels, if every weight is printed, and the line."""

    labels: tuple[tuple[str, ...], ...] = ()  # [source][target], by position in the columns; () if focus only
    per_row: int = 1  # labels to a line of a source neuron's bracket
    line: int = 0  # columns of line from the labels (or the node text) to the next column's arrows

    @property
    def width(self) -> int:
        """Columns between the two layers' texts, the line not counted."""
        if not self.labels:
            return PLAIN_GAP
        return LABELLED_GAP + self.per_row * len(self.labels[0][0]) + (self.per_row - 1) * LABEL_SEP

    def ports(self) -> list[range]:
        """The targets (positions) on each line of a source neuron's bracket."""
        count = len(self.labels[0])
        return [range(a, min(a + self.per_row, count)) for a in range(0, count, self.per_row)]

    @property
    def bracket(self) -> int:
        """Rows each source neuron takes: its bracket's lines, or one when no labels are printed."""
        return len(self.ports()) if self.labels else 1


@dataclass(frozen=True)
class Band:
    """Consecutive layers drawn side by side; a layer ending one band starts the next."""

    columns: tuple[Column, ...]
    gaps: tuple[Gap, ...]  # one fewer than columns
    body: int  # rows for the neurons, under the row of layer titles


@dataclass(frozen=True)
class Plan:
    """A layout that fits: everything ``network.paint`` needs, decided before drawing."""

    model: MLP
    width: int
    height: int | None  # None: as tall as the layout likes
    labels: Labels
    bands: tuple[Band, ...]
    separators: int = 0  # blank rows between bands: none, or one between each two
    enlarge: bool = False  # a last line asks for more room
    title: str = ""
    focus: tuple[int, int] | None = None
    ascii: bool = False
    keys: bool = True  # mention the app's keys (w: weight table)
    values: Values | None = None  # printed in place of the parameters

    @property
    def edges(self) -> tuple[np.ndarray, ...] | list[np.ndarray]:
        """The numbers on the edges, per layer: the weights, or the ``values``' edges."""
        return self.model.weights if self.values is None else self.values.edges

    @property
    def whole(self) -> bool:
        """Whether every neuron is shown and nothing asks for more room."""
        return not self.enlarge and not any(column.more for band in self.bands for column in band.columns)

    @property
    def rows(self) -> int:
        """Rows of the whole drawing, before it is cut to ``height``."""
        bodies = sum(band.body for band in self.bands)
        return fixed_rows(self.title, len(self.bands)) + bodies + self.separators + self.enlarge


def fixed_rows(title: str, bands: int) -> int:
    """Rows besides the bands' bodies: the title, each band's column titles, the legend."""
    return bool(title) + bands + 1


# ---- what is drawn, whatever the size ------------------------------------------------


@dataclass(frozen=True, eq=False)
class Subject:
    """What a diagram shows, whatever its size: the network, the options, and the facts planning reads."""

    model: MLP
    title: str
    focus: tuple[int, int] | None
    ascii: bool
    keys: bool
    ranking: tuple[np.ndarray, ...] = field(repr=False)  # per layer, every neuron, most important first
    outputs: tuple[np.ndarray, ...] | None = field(repr=False)  # per layer, the activations for one sample
    order: tuple[int, ...]  # the layers left to right
    names: Names | None = None  # a table's input and output names, as the neurons are called
    values: Values | None = None  # printed in place of the parameters

    @classmethod
    def of(
        cls,
        model: MLP,
        *,
        title: str = "",
        focus: tuple[int, int] | None = None,
        sample: np.ndarray | None = None,
        ascii: bool = False,
        keys: bool = True,
        ranking: Sequence[np.ndarray] | None = None,
        names: Names | None = None,
        values: Values | None = None,
    ) -> Subject:
        """Gather what planning reads (``plan`` explains the options); ValueError for a focus
        that is not a neuron, or a ranking that does not order every neuron."""
        check_node(model.layer_sizes, focus, "focus")
        if ranking is None:
            ranking = ranked(model, None if values is None else values.edges)
        else:
            ranking = check_ranking(model.layer_sizes, ranking)
        outputs = None if sample is None else tuple(a[0] for a in model.activations(np.asarray(sample)))
        return cls(model, title, focus, ascii, keys, ranking, outputs, layer_order(model), names, values)

    @property
    def edges(self) -> tuple[np.ndarray, ...] | list[np.ndarray]:
        """The numbers on the edges, per layer: the weights, or the ``values``' edges."""
        return self.model.weights if self.values is None else self.values.edges

    @property
    def labelled(self) -> bool:
        """Whether the net is small enough to print every weight."""
        return sum(a * b for a, b in itertools.pairwise(self.model.layer_sizes)) <= MAX_LABELLED_EDGES

    def candidates(self) -> list[Labels]:
        """Label layouts to try, most legible first (see ``network``'s docstring)."""
        if not self.labelled:
            return [FOCUS_ONLY]
        most = max(self.model.layer_sizes[1:])
        return [
            Labels(every=True),
            *(Labels(every=True, per_row=k) for k in range(2, most + 1)),
            Labels(every=True, named=False),
            FOCUS_ONLY,
        ]

    def default_body(self, every: bool) -> int:
        """Body rows when no height is given."""
        if every:
            return max(self.model.layer_sizes)
        return min(max(2 * n - 1 for n in self.model.layer_sizes), MAX_DEFAULT_ROWS)


def check_ranking(layer_sizes: Sequence[int], ranking: Sequence[np.ndarray]) -> tuple[np.ndarray, ...]:
    """``ranking`` as arrays; ValueError unless it lists every neuron of each layer once."""
    if len(ranking) != len(layer_sizes):
        raise ValueError(f"ranking has {len(ranking)} layers; the network has {len(layer_sizes)}")
    arrays = tuple(np.asarray(r, dtype=np.int64) for r in ranking)
    for layer, (order, size) in enumerate(zip(arrays, layer_sizes)):
        if not np.array_equal(np.sort(order), np.arange(size)):
            raise ValueError(f"ranking of layer {layer} must list each of its {size} neurons once")
    return arrays


def node_text(subject: Subject, layer: int, index: int) -> NodeText:
    """``h3 b=+0.53`` (and ``a=0.97`` with a sample), or ``h3`` and the ``values``' numbers
    (``h3 z=+0.41 a=+0.60``)."""
    label = node_label(subject.model.layer_sizes, layer, index, subject.names)
    if subject.values is not None:
        pieces = [(name, arrays[layer]) for name, arrays in subject.values.nodes]
        return NodeText(label, "".join(f" {name}={value_text(row[index])}" for name, row in pieces if row is not None))
    bias = f" b={weight_text(subject.model.biases[layer - 1][index])}" if layer > 0 else ""
    activation = "" if subject.outputs is None else f" a={subject.outputs[layer][index]:.2f}"
    return NodeText(label, bias, activation)


def make_column(subject: Subject, layer: int, shown: np.ndarray) -> Column:
    """Layer ``layer`` showing the neurons ``shown``, not yet placed."""
    texts = tuple(node_text(subject, layer, int(i)) for i in shown)
    hidden = subject.model.layer_sizes[layer] - len(shown)
    glyphs = palette.ASCII if subject.ascii else palette.UNICODE
    more = f"{glyphs.more} {hidden} more" if hidden else ""
    return Column(layer, tuple(shown.tolist()), texts, max(len(more), *map(len, texts)), more)


def make_columns(subject: Subject, every: bool, body: int) -> list[Column]:
    """Every layer's column: all its neurons if ``every`` weight is printed or they fit
    ``body`` rows, else the most important that fit above a "⋮ n more" row."""
    sizes, focus = subject.model.layer_sizes, subject.focus
    columns = []
    for layer in subject.order:
        count = sizes[layer] if (every or sizes[layer] <= body) else max(body - 1, 1)
        keep = focus[1] if focus and focus[0] == layer else None
        columns.append(make_column(subject, layer, most_important(subject.ranking[layer], count, keep)))
    return columns


def labelled_gap(subject: Subject, column: Column, following: Column, per_row: int, named: bool) -> Gap:
    """Every weight from ``column`` to ``following`` as a label, all one width: ``→h1 +0.53``
    one to a line, ``h1+0.53`` several to a line, or ``+0.53`` (``named`` False)."""
    block = subject.edges[column.layer][np.ix_(column.shown, following.shown)].tolist()
    names = [text.label for text in following.texts]
    values = [[edge_text(w, subject.values) for w in row] for row in block]
    name_width = max(map(len, names))
    value_width = max(len(v) for row in values for v in row)
    to = (palette.ASCII if subject.ascii else palette.UNICODE).to
    if not named:
        labels = [[v.rjust(value_width) for v in row] for row in values]
    elif per_row > 1:
        labels = [[f"{name:<{name_width}}{v:>{value_width}}" for name, v in zip(names, row)] for row in values]
    else:
        labels = [[f"{to}{name:<{name_width}} {v:>{value_width}}" for name, v in zip(names, row)] for row in values]
    return Gap(tuple(map(tuple, labels)), per_row)


def band_width(columns: Sequence[Column], gaps: Sequence[Gap], line: int) -> int:
    """Columns that layers side by side take with lines ``line`` long."""
    return sum(c.width for c in columns) + sum(gap.width + line for gap in gaps)


def split(columns: Sequence[Column], gaps: Sequence[Gap], width: int) -> list[tuple[int, int]]:
    """Bands of consecutive columns, as (start, stop), that each fit ``width``;
    consecutive bands share a layer, so every edge is drawn once."""
    spans, start = [], 0
    while start < len(columns) - 1:
        stop = start + 2
        while stop < len(columns) and band_width(columns[start : stop + 1], gaps[start:stop], MIN_LINE) <= width:
            stop += 1
        spans.append((start, stop))
        start = stop - 1
    return spans


def block_heights(columns: Sequence[Column], gaps: Sequence[Gap]) -> list[list[int]]:
    """Rows each node of each column takes: its bracket's lines (one in the band's last column)."""
    return [[gap.bracket] * len(column.shown) for column, gap in zip(columns, [*gaps, Gap()])]


def body_range(columns: Sequence[Column], gaps: Sequence[Gap]) -> tuple[int, int]:
    """Fewest body rows a band needs, and the rows it likes (a blank row between
    brackets of more than one line)."""
    heights = block_heights(columns, gaps)
    least = max(sum(h) for h in heights)
    roomy = max(sum(h) + (len(h) - 1) * (max(h) > 1) for h in heights)
    return least, roomy


def line_lengths(model: MLP, columns: Sequence[Column], gaps: Sequence[Gap], width: int) -> list[int]:
    """Each gap's line length: the spare width shared out by edge count (the last
    column's title given room first when there is some), between MIN_LINE and MAX_LINE."""
    edges = [len(a.shown) * len(b.shown) for a, b in itertools.pairwise(columns)]
    room = max(width - band_width(columns, gaps, 0), 0)
    overhang = len(layer_title(model, columns[-1].layer)) - columns[-1].width
    if room - overhang >= MIN_LINE * len(gaps):
        room -= max(overhang, 0)
    extra = max(room - MIN_LINE * len(gaps), 0)
    return [min(MIN_LINE + extra * e // max(sum(edges), 1), MAX_LINE) for e in edges]


def make_band(model: MLP, columns: Sequence[Column], gaps: Sequence[Gap], width: int, body: int) -> Band:
    """The band of these columns ``width`` wide: each column's x, each gap's line, each node's rows."""
    gaps = [replace(gap, line=line) for gap, line in zip(gaps, line_lengths(model, columns, gaps, width))]
    placed, x = [], 0
    for column, heights, gap in zip(columns, block_heights(columns, gaps), [*gaps, Gap()]):
        tops = spread(heights, body - 1 if column.more else body)
        rows = tuple(top + (size - 1) // 2 for top, size in zip(tops, heights))
        placed.append(replace(column, x=x, rows=rows, tops=tuple(tops)))
        x += column.width + gap.width + gap.line
    return Band(tuple(placed), tuple(gaps), body)


# ---- choosing a layout ---------------------------------------------------------------


def plan(
    model: MLP,
    width: int,
    height: int | None = None,
    *,
    title: str = "",
    focus: tuple[int, int] | None = None,
    sample: np.ndarray | None = None,
    ascii: bool = False,
    keys: bool = True,
    ranking: Sequence[np.ndarray] | None = None,
    names: Names | None = None,
) -> Plan:
    """The most legible layout of ``model`` that fits ``width`` × ``height`` (None: any height).

    ``focus`` = (layer, index) is the highlighted neuron (always shown); ``sample``
    one input row whose activations the neurons show; ``ranking`` per layer every
    neuron's index, most important first: tall layers show the first that fit
    (default: by this network's |w|; pass another's to show the same neurons); ``names`` a
    table's input and output names (``graph.node_label``).
    """
    subject = Subject.of(
        model, title=title, focus=focus, sample=sample, ascii=ascii, keys=keys, ranking=ranking, names=names
    )
    return plan_for(subject, width, height)


def plan_for(subject: Subject, width: int, height: int | None) -> Plan:
    """``plan`` for a subject already gathered: the first layout of its candidates that fits."""
    for labels in subject.candidates():
        found = plan_every(subject, labels, width, height) if labels.every else plan_plain(subject, width, height)
        if found is not None:
            return found
    return plan_plain(subject, width, height, strict=False)


def new_plan(subject: Subject, width: int, height: int | None, labels: Labels, bands: list[Band], **rows: int) -> Plan:
    """A plan of ``bands`` for ``subject``; ``rows``: ``separators`` and ``enlarge``."""
    options = {
        "title": subject.title,
        "focus": subject.focus,
        "ascii": subject.ascii,
        "keys": subject.keys,
        "values": subject.values,
    }
    return Plan(subject.model, width, height, labels, tuple(bands), **rows, **options)


def every_gaps(subject: Subject, labels: Labels, columns: list[Column], width: int) -> list[Gap] | None:
    """Each gap's labels, ``labels.per_row`` to a line or fewer where the two layers
    would not fit ``width`` otherwise; None if some do not fit even one to a line."""
    gaps = []
    for column, following in itertools.pairwise(columns):
        per_row = min(labels.per_row, len(following.shown))
        gap = labelled_gap(subject, column, following, per_row, labels.named)
        while band_width((column, following), (gap,), MIN_LINE) > width:
            if per_row == 1:
                return None
            per_row -= 1
            gap = labelled_gap(subject, column, following, per_row, labels.named)
        gaps.append(gap)
    return gaps


def plan_every(subject: Subject, labels: Labels, width: int, height: int | None) -> Plan | None:
    """Every weight printed as ``labels`` says, or None if that cannot fit."""
    columns = make_columns(subject, every=True, body=0)
    gaps = every_gaps(subject, labels, columns, width)
    if gaps is None:
        return None
    spans = split(columns, gaps, width)
    ranges = [body_range(columns[a:b], gaps[a : b - 1]) for a, b in spans]
    spare = math.inf if height is None else height - fixed_rows(subject.title, len(spans)) - sum(r[0] for r in ranges)
    if spare < 0:
        return None
    bodies = []
    for least, roomy in ranges:  # a blank row between every bracket, or none
        bodies.append(roomy if roomy - least <= spare else least)
        spare -= bodies[-1] - least
    bands = [
        make_band(subject.model, columns[a:b], gaps[a : b - 1], width, body) for (a, b), body in zip(spans, bodies)
    ]
    separators = int(min(spare, len(bands) - 1))
    return new_plan(subject, width, height, labels, bands, separators=separators if separators == len(bands) - 1 else 0)


def plan_plain(subject: Subject, width: int, height: int | None, *, strict: bool = True) -> Plan | None:
    """One row per neuron, only the focused neuron's weights printed; with ``strict``,
    None unless every neuron fits, else what fits and (small nets) a line asking for room."""
    enlarge = subject.labelled and not strict
    room = None if height is None else height - enlarge
    count = 1
    for _ in range(len(subject.order)):  # more bands, fewer rows each, until they agree
        body = body_rows(subject, room, count)
        columns = make_columns(subject, every=False, body=body)
        gaps = [Gap()] * (len(columns) - 1)
        spans = split(columns, gaps, width)
        if room is None or len(spans) <= count:
            break
        count = len(spans)
    too_wide = any(band_width(pair, (Gap(),), MIN_LINE) > width for pair in itertools.pairwise(columns))
    if strict and (too_wide or any(c.more for c in columns)):
        return None
    bands = [make_band(subject.model, columns[a:b], gaps[a : b - 1], width, body) for a, b in spans]
    return new_plan(subject, width, height, FOCUS_ONLY, bands, separators=len(bands) - 1, enlarge=enlarge)


def body_rows(subject: Subject, height: int | None, bands: int) -> int:
    """Body rows of each of ``bands`` bands in ``height`` rows, one row or more."""
    if height is None:
        return subject.default_body(every=False)
    return max((height - fixed_rows(subject.title, bands) - (bands - 1)) // bands, 1)


def width_range(subject: Subject) -> tuple[int, int]:
    """The narrowest width a diagram can take (two layers a band, shortest lines, focus
    only) and its natural width (every layer side by side, longest lines, its most
    legible layout)."""
    narrow = make_columns(subject, every=False, body=subject.default_body(every=False))
    narrowest = max(band_width(pair, (Gap(),), MIN_LINE) for pair in itertools.pairwise(narrow))
    labels = subject.candidates()[0]
    columns = make_columns(subject, labels.every, subject.default_body(labels.every))
    if labels.every:
        gaps = [labelled_gap(subject, a, b, 1, named=True) for a, b in itertools.pairwise(columns)]
    else:
        gaps = [Gap()] * (len(columns) - 1)
    return narrowest, band_width(columns, gaps, MAX_LINE)
