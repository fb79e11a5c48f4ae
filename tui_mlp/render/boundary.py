"""``DecisionBoundary``: a network's output painted over the 2-D input plane.

Like TensorFlow Playground's big picture: the plane (the data's range plus a
10% margin) is coloured by the predicted class, brighter where the network is
surer, with the data drawn on top: filled glyphs for training points, hollow
ones for test points. With ``node=(layer, index)`` the plane shows that one
neuron's activation instead (orange below, blue above its midpoint).

In colour each cell is an upper half block ``▀`` whose foreground is the upper
sample and background the lower one, for twice the vertical resolution.
Without colour (``NO_COLOR``, plain text) and in ASCII mode each cell is one
sample drawn with a character ramp split by class: blank (sure) and ``·``
(unsure) for class 0 against ``▒`` (unsure) and ``░`` (sure) for class 1, so
the boundary reads as a darker seam and points stay visible on light texture;
ASCII uses `` .`` against ``:+``. Colour is never the only carrier: the regions
stay readable from the characters alone. The whole grid is one batched forward
pass; the text is emitted as runs of equal style.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from rich.color import Color
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style

from tui_mlp.core import MLP
from tui_mlp.core.datasets import Dataset, label_indices
from tui_mlp.core.run import planar

from . import palette
from .graph import check_node, node_label

MARGIN = 0.10  # of the data's range, on each side
LEVELS = 6  # colour brightness steps of confidence
DEFAULT_ROWS = 24  # plot rows when neither height nor options.height is given
HALF_BLOCK = "▀"
CELL_FIELDS = 5  # a plane cell's look: point glyph, upper region (class, level), lower region (class, level)

# Class hues: binary reuses the weight palette (orange = class 0 / negative,
# blue = class 1 / positive); more classes continue around the colour wheel.
CLASS_RGB = (
    (0xF5, 0x96, 0x3C),  # orange
    (0x4A, 0x9B, 0xF0),  # blue
    (0x5C, 0xC0, 0x5C),  # green
    (0xB4, 0x7C, 0xE6),  # purple
    (0xE8, 0x5A, 0x6A),  # red
    (0x3C, 0xC8, 0xC8),  # teal
    (0xDC, 0xC8, 0x50),  # yellow
    (0xE6, 0x7C, 0xC0),  # pink
)
NEUTRAL_RGB = (0x26, 0x26, 0x2A)  # the plane where the network is unsure
REGION_STRENGTH = 0.55  # a fully sure region: this far from neutral to the hue
POINT_LIFT = 0.35  # point glyphs: this far from the hue towards white


@dataclass(frozen=True)
class Charset:
    """Characters for one drawing mode."""

    train: str  # glyph per class, training points
    test: str  # glyph per class, test points
    weak: str  # region character per class where the network is unsure
    sure: str  # ... and where it is sure
    ellipsis: str

    def glyph(self, table: str, k: int) -> str:
        return table[k] if k < len(table) else str(k % 10)


UNICODE = Charset(train="●▲■◆★▼", test="○△□◇☆▽", weak="·▒┼╪", sure=" ░╌═", ellipsis="…")
ASCII = Charset(train="OXAVSZ", test="oxavsz", weak=".:~-", sure=" +=%", ellipsis="..")


def unique_rows(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct rows of a 2-D array, and for each row which of them it is: what
    ``np.unique(rows, axis=0, return_inverse=True)`` gives, ten times faster by comparing
    each row's bytes as one value."""
    rows = np.ascontiguousarray(rows)
    whole = rows.view(np.dtype((np.void, rows.dtype.itemsize * rows.shape[1]))).ravel()
    kinds, which = np.unique(whole, return_inverse=True)
    return kinds.view(rows.dtype).reshape(-1, rows.shape[1]), which.ravel()


def _mix(a: tuple[int, int, int], b: tuple[int, int, int], t: float) -> Color:
    return Color.from_rgb(*(round(x + (y - x) * t) for x, y in zip(a, b)))


@lru_cache(maxsize=256)
def region_color(k: int, level: int) -> Color:
    """Class ``k``'s region colour at confidence step ``level`` (0..LEVELS-1)."""
    strength = REGION_STRENGTH * (0.25 + 0.75 * level / (LEVELS - 1))
    return _mix(NEUTRAL_RGB, CLASS_RGB[k % len(CLASS_RGB)], strength)


@lru_cache(maxsize=256)
def texture_color(k: int, level: int) -> Color:
    """Region characters (ASCII mode in colour): a little lighter than their background."""
    triplet = region_color(k, level).triplet
    return _mix((triplet.red, triplet.green, triplet.blue), CLASS_RGB[k % len(CLASS_RGB)], 0.45)


@lru_cache(maxsize=64)
def point_color(k: int) -> Color:
    return _mix(CLASS_RGB[k % len(CLASS_RGB)], (255, 255, 255), POINT_LIFT)


def padded_range(values: np.ndarray) -> tuple[float, float]:
    """The finite values' range plus ``MARGIN`` on each side (±1 around a single value)."""
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return -1.0, 1.0
    low, high = float(finite.min()), float(finite.max())
    span = high - low
    if span <= 1e-12 * max(1.0, abs(low)):
        return low - 1.0, high + 1.0
    return low - MARGIN * span, high + MARGIN * span


def axis(name: str, low: float, high: float, chars: Charset) -> str:
    """An axis and its limits, short: two significant digits (``x1 -1.2…0.083``, ``3.4e+03``)."""
    return f"{name} {low:.2g}{chars.ellipsis}{high:.2g}"


class Picture:
    """A drawing of a network over its input space that fills exactly ``width`` × ``height``
    cells (overriding the size Rich offers): an optional ``title`` row, the ``body`` and a
    one-line ``legend``; or, if the network or data do not suit it, the ``problem``."""

    width: int | None
    height: int | None
    title: str

    def problem(self) -> str | None:
        """Why this cannot be drawn, or None."""
        raise NotImplementedError

    def body(self, width: int, rows: int, colour: bool) -> list[list[Segment]]:
        """``rows`` rows of exactly ``width`` cells."""
        raise NotImplementedError

    def legend(self, colour: bool, width: int) -> list[tuple[str, Style]]:
        """What the body's glyphs and colours mean, in one line of ``width`` cells at most."""
        raise NotImplementedError

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        width = min(self.width or options.max_width, options.max_width)
        return Measurement(width, width)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = max(min(self.width or options.max_width, options.max_width), 1)
        height = self.height or options.height or DEFAULT_ROWS + 1 + bool(self.title)
        colour = not (console.no_color or console.color_system is None)
        for row in self.lines(width, max(height, 1), colour=colour):
            yield from row
            yield Segment.line()

    def lines(self, width: int, height: int, *, colour: bool) -> list[list[Segment]]:
        """Exactly ``height`` rows of segments, each exactly ``width`` cells."""
        rows: list[list[Segment]] = []
        top = bool(self.title) and height >= 3
        if top:
            rows.append(text_row([(self.title, palette.TITLE)], width))
        problem = self.problem()
        if problem is not None:
            rows.append(text_row([(problem, palette.MUTED)], width))
            rows.extend([Segment(" " * width)] for _ in range(height - len(rows)))
            return rows[:height]
        rows.extend(self.body(width, height - top - (height >= 2), colour))
        if height >= 2:
            rows.append(text_row(self.legend(colour, width), width))
        return rows


def text_row(pieces: list[tuple[str, Style]], width: int) -> list[Segment]:
    """``pieces`` of styled text as one row of exactly ``width`` cells, cut at the end."""
    segments, used = [], 0
    for text, style in pieces:
        text = text[: width - used]
        if text:
            segments.append(Segment(text, style))
            used += len(text)
    if used < width:
        segments.append(Segment(" " * (width - used)))
    return segments


class DecisionBoundary(Picture):
    """The network's output (or one neuron's activation) over the 2-D input plane.

    ``model`` must take 2 inputs; ``train`` (and optional ``test``) give the
    points and the plane's bounds. ``node=(layer, index)`` paints that neuron's
    activation. ``width``/``height`` override the size Rich offers; the drawing
    always fills exactly width × height cells: an optional title row, the plane,
    and a one-line legend (glyphs, classes and the axes' ranges).
    """

    def __init__(
        self,
        model: MLP,
        train: Dataset,
        test: Dataset | None = None,
        *,
        node: tuple[int, int] | None = None,
        ascii: bool = False,
        width: int | None = None,
        height: int | None = None,
        title: str = "",
    ) -> None:
        check_node(model.layer_sizes, node, "node")
        self.model, self.train, self.test = model, train, test
        self.node, self.ascii, self.title = node, ascii, title
        self.width, self.height = width, height
        self.chars = ASCII if ascii else UNICODE
        self.inputs = train.n_inputs
        self.ok = planar(model, train, test)
        if self.ok:
            both = train.X if test is None else np.concatenate([train.X, test.X])
            self.x_range, self.y_range = padded_range(both[:, 0]), padded_range(both[:, 1])
        self.classes = self._class_names()

    # ---- what is painted ------------------------------------------------------

    def _class_names(self) -> list[str]:
        """Names of the points' classes (regression: below/above the mean target)."""
        data = self.train
        if data.task == "regression":
            return ["low", "high"]
        if data.classes:
            return list(data.classes)
        count = data.n_outputs if data.task == "multiclass" else 2**data.n_outputs
        return [str(k) for k in range(count)]

    def _point_classes(self, data: Dataset) -> np.ndarray:
        if data.task == "regression":
            return (data.y[:, 0] > float(np.nanmean(self.train.y[:, 0]))).astype(np.int64)
        return np.clip(data.labels(), 0, len(self.classes) - 1)

    @property
    def node_kind(self) -> str:
        """The activation function of the painted neuron (``input`` for an input)."""
        layer = self.node[0] if self.node else self.model.n_layers
        if layer == 0:
            return "input"
        return self.model.output_activation if layer == self.model.n_layers else self.model.activation

    def evaluate(self, grid: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(class index, confidence 0..1) at each grid point, in one batched pass."""
        model = self.model
        if self.node is not None:
            layer, index = self.node
            return self._split(model.activations(grid)[layer][:, index], self.node_kind)
        out = np.nan_to_num(model.forward(grid), nan=0.5, posinf=1.0, neginf=0.0)
        task = self.train.task
        if task == "regression":
            centre = float(np.nanmean(self.train.y[:, 0]))
            return self._split(out[:, 0] - centre, "linear")
        if task == "multiclass":
            count = out.shape[1]
            top = out.max(axis=1)
            sure = (top - 1 / count) / (1 - 1 / count) if count > 1 else np.ones_like(top)
            return out.argmax(axis=1), np.clip(sure, 0, 1)
        probs = np.clip(out, 0, 1)
        return label_indices(probs, "binary"), np.abs(2 * probs - 1).min(axis=1)

    @staticmethod
    def _split(values: np.ndarray, kind: str) -> tuple[np.ndarray, np.ndarray]:
        """Activation values as (side of the midpoint, distance scaled to 0..1)."""
        values = np.nan_to_num(values)
        if kind == "sigmoid" or kind == "softmax":
            centred, scale = values - 0.5, 0.5
        elif kind == "tanh":
            centred, scale = values, 1.0
        else:
            centred = values
            scale = float(np.abs(values).max()) or 1.0
        return (centred > 0).astype(np.int64), np.clip(np.abs(centred) / scale, 0, 1)

    def problem(self) -> str | None:
        if self.ok:
            return None
        if self.model.layer_sizes[0] != 2 and self.inputs == 2:
            return f"decision boundary needs a network with 2 inputs; this one has {self.model.layer_sizes[0]}"
        return f"decision boundary needs 2 inputs; this data has {self.inputs}"

    # ---- the plane ----------------------------------------------------------------

    def body(self, width: int, rows: int, colour: bool) -> list[list[Segment]]:
        """``rows`` rows of the plane, each as runs of cells that look the same."""
        half = colour and not self.ascii
        levels = LEVELS if colour else 2
        samples = 2 * rows if half else rows
        klass, level = self._regions(width, samples, levels)
        # Each cell's look: (point glyph or -1, upper region's class and level, lower region's class and level).
        upper, lower = (slice(0, None, 2), slice(1, None, 2)) if half else (slice(None), slice(None))
        cells = np.stack([np.full((rows, width), -1), klass[upper], level[upper], klass[lower], level[lower]], axis=-1)
        self._add_points(cells, klass, level, half)
        kinds, which = unique_rows(cells.reshape(-1, CELL_FIELDS))
        looks = [self._look(*kind, levels=levels, half=half, colour=colour) for kind in kinds.tolist()]
        out = []
        for line in which.reshape(rows, width):
            starts = np.flatnonzero(np.r_[True, line[1:] != line[:-1]]).tolist()
            out.append(
                [
                    Segment(looks[kind][0] * (stop - start), looks[kind][1])
                    for start, stop, kind in zip(starts, [*starts[1:], width], line[starts].tolist())
                ]
            )
        return out

    def _regions(self, width: int, samples: int, levels: int) -> tuple[np.ndarray, np.ndarray]:
        """Class and confidence level (0..levels-1) of ``samples`` × ``width`` points over the
        plane, top row first, in one batched pass."""
        (x0, x1), (y0, y1) = self.x_range, self.y_range
        xs = x0 + (np.arange(width) + 0.5) * (x1 - x0) / width
        ys = y1 - (np.arange(samples) + 0.5) * (y1 - y0) / samples
        klass, sure = self.evaluate(np.column_stack([np.tile(xs, samples), np.repeat(ys, width)]))
        level = np.minimum((sure * levels).astype(np.int64), levels - 1)
        return klass.reshape(samples, width), level.reshape(samples, width)

    def _add_points(self, cells: np.ndarray, klass: np.ndarray, level: np.ndarray, half: bool) -> None:
        """Mark each training and test point in ``cells``: its glyph (2·class, +1 for test)
        over the region of the sample it falls in."""
        samples, width = klass.shape
        (x0, x1), (y0, y1) = self.x_range, self.y_range
        for is_test, data in enumerate((self.train, self.test)):
            if data is None or len(data.X) == 0:
                continue
            cols = np.floor((data.X[:, 0] - x0) / (x1 - x0) * width)
            subs = np.floor((y1 - data.X[:, 1]) / (y1 - y0) * samples)
            inside = np.isfinite(cols) & np.isfinite(subs) & (cols >= 0) & (cols < width) & (subs >= 0)
            inside &= subs < samples
            cols, subs = cols[inside].astype(np.int64), subs[inside].astype(np.int64)
            glyph = 2 * self._point_classes(data)[inside] + is_test
            under = klass[subs, cols], level[subs, cols]
            cells[subs // 2 if half else subs, cols] = np.column_stack([glyph, *under, *under])

    def _look(
        self, glyph: int, up_k: int, up_lv: int, low_k: int, low_lv: int, *, levels: int, half: bool, colour: bool
    ) -> tuple[str, Style]:
        """A cell's character and style: a point's glyph over its region, the half block of
        two regions (colour), or a region's character (weak or sure) on its colour."""
        c = self.chars
        if glyph >= 0:
            char = c.glyph(c.test if glyph % 2 else c.train, glyph // 2)
            if not colour:
                return char, Style(bold=True)
            return char, Style(color=point_color(glyph // 2), bgcolor=region_color(low_k, low_lv), bold=True)
        if half:
            return HALF_BLOCK, Style(color=region_color(up_k, up_lv), bgcolor=region_color(low_k, low_lv))
        char = c.glyph(c.weak if up_lv < levels // 2 else c.sure, up_k)  # one sample a cell: upper = lower
        if not colour:
            return char, Style.null()
        return char, Style(color=texture_color(up_k, up_lv), bgcolor=region_color(up_k, up_lv))

    # ---- legend and text rows -----------------------------------------------------

    def legend(self, colour: bool, width: int) -> list[tuple[str, Style]]:
        """One line: what the regions and glyphs mean, then the axes' ranges."""
        c = self.chars
        half = colour and not self.ascii

        def swatch(k: int) -> tuple[str, Style]:
            if half:
                return "█", Style(color=region_color(k, LEVELS - 1))
            if colour:
                return c.glyph(c.sure, k).strip() or c.glyph(c.weak, k), Style(bgcolor=region_color(k, LEVELS - 1))
            return (c.glyph(c.weak, k) + c.glyph(c.sure, k)).strip(), Style.null()

        Pieces = list[tuple[str, Style]]
        head: Pieces = []
        if self.node is not None:
            mid = "0.5" if self.node_kind in ("sigmoid", "softmax") else "0"
            name = node_label(self.model.layer_sizes, *self.node, self.train.names)
            below = "<=" if self.ascii else "≤"
            head = [(f"{name} ({self.node_kind}) ", palette.TITLE), swatch(0), (f" {below}{mid} ", Style.null())]
            head += [swatch(1), (f" >{mid}", Style.null())]
        classes: Pieces = []
        for k, name in enumerate(self.classes):
            if k:
                classes.append(("  ", Style.null()))
            if self.node is None and not half:
                classes += [swatch(k), (" ", Style.null())]
            glyph_style = Style(color=point_color(k), bold=True) if colour else Style(bold=True)
            classes += [(c.glyph(c.train, k) + c.glyph(c.test, k), glyph_style), (f" {name}", Style.null())]
        note: Pieces = [(f"{c.glyph(c.train, 0)} train" + (f" {c.glyph(c.test, 0)} test" if self.test else ""),
                         palette.MUTED)]  # fmt: skip
        (x0, x1), (y0, y1) = self.x_range, self.y_range
        ranges: Pieces = [(f"{axis('x1', x0, x1, c)}  {axis('x2', y0, y1, c)}", palette.MUTED)]
        # What must show comes first; the rest only while the whole line fits.
        groups = [head, classes, note, ranges]
        order = [0, 3, 1, 2] if self.node is not None else [1, 3, 2]
        kept, used = set(), -2
        for index in order:
            size = 2 + sum(len(text) for text, _ in groups[index])
            if used + size <= width or not kept:
                kept.add(index)
                used += size
        pieces: Pieces = []
        for group in (group for index, group in enumerate(groups) if index in kept):
            pieces += [("  ", Style.null())] * bool(pieces) + group
        return pieces
