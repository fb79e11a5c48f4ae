"""Images drawn as images: each hidden unit's incoming weights as a picture of the input
image (what the unit looks for, as in scikit-learn's "Visualization of MLP weights on
MNIST"), and one sample with the network's class probabilities.

A cell holds two pixels, one above the other (``▀``: the upper one in the foreground
colour, the lower in the background); ``--ascii`` draws a pixel a cell, as a shade
character. Weights are coloured as the graph's edges, blue for positive and orange for
negative, brighter for larger |w|, on one scale for the whole layer.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import cache

import numpy as np
from rich.color import Color
from rich.console import Console, ConsoleOptions, RenderResult
from rich.segment import Segment
from rich.style import Style

from tui_mlp.core import MLP

from . import palette
from .graph import node_label
from .layout import ranked, weight_text
from .text import fitting

LEVELS = 16  # brightness steps of a pixel's colour
SHADES = " .:-=+*#%@"  # --ascii: a pixel's |value|, dim to bright
HALF = "▀"
ENLARGED = 2  # the focused unit's picture, this many times the others'
BAR = 10  # columns of a class probability's bar

Pixels = np.ndarray  # (rows, columns) of colour indices: 0 the background, ±1..LEVELS by sign


def levels(values: np.ndarray, scale: float) -> Pixels:
    """Each value's colour index: its sign, and its size against ``scale`` in ``LEVELS`` steps."""
    if not scale > 0:
        return np.zeros(values.shape, dtype=np.int64)
    size = np.ceil(np.clip(np.abs(np.nan_to_num(values)) / scale, 0.0, 1.0) * LEVELS).astype(np.int64)
    return np.where(values < 0, -size, size)


def gray_levels(values: np.ndarray) -> Pixels:
    """An image's own colour indices, darkest to brightest (positive indices only)."""
    low, high = float(np.min(values)), float(np.max(values))
    if not high > low:
        return np.zeros(values.shape, dtype=np.int64)
    return np.round((values - low) / (high - low) * LEVELS).astype(np.int64)


@cache
def colour(index: int, gray: bool = False) -> Color:
    """The colour of a pixel's index: the screen's background blended toward the brightest
    positive (blue) or negative (orange) edge colour, or toward white for a ``gray`` image."""
    target = "#ffffff" if gray else (palette.POSITIVE[-1] if index >= 0 else palette.NEGATIVE[-1])
    top = Color.parse(target).get_truecolor()
    t = abs(index) / LEVELS
    rgb = (round(b + (c - b) * t) for b, c in zip(palette.SCREEN_BACKGROUND, top))
    return Color.from_rgb(*rgb)


@cache
def cell_style(upper: int, lower: int, gray: bool) -> Style:
    return Style(color=colour(upper, gray), bgcolor=colour(lower, gray))


def picture(pixels: Pixels, *, ascii: bool = False, gray: bool = False, zoom: int = 1) -> list[list[Segment]]:
    """``pixels`` as rows of segments: two pixel rows a line (one with ``ascii``), each pixel
    ``zoom`` columns wide and ``zoom`` pixel rows tall."""
    pixels = np.repeat(np.repeat(pixels, zoom, axis=0), zoom, axis=1)
    if ascii:
        shade = np.abs(pixels) * (len(SHADES) - 1) // LEVELS
        return [
            [Segment(SHADES[s], Style(color=colour(int(p) and int(np.sign(p)) * LEVELS, gray))) for s, p in zip(r, row)]
            for r, row in zip(shade, pixels)
        ]
    if len(pixels) % 2:
        pixels = np.vstack([pixels, np.zeros((1, pixels.shape[1]), dtype=pixels.dtype)])
    return [
        [Segment(HALF, cell_style(int(a), int(b), gray)) for a, b in zip(upper, lower)]
        for upper, lower in zip(pixels[0::2], pixels[1::2])
    ]


def layer_scale(model: MLP) -> float:
    """The largest |w| into the first hidden layer: the one scale of its pictures."""
    magnitudes = np.abs(np.nan_to_num(model.weights[0]))
    return float(magnitudes.max()) if magnitudes.size else 0.0


class WeightImages:
    """The first hidden layer's units, each as the picture of its incoming weights laid out
    as the input image (``shape``: rows, columns). The ``focus``ed unit is drawn enlarged
    first, with its bias and the scale; the rest in a grid, the most important (by |w|, as the
    graph chooses: ``layout.ranked``) that fit ``height``, in index order. A Rich renderable."""

    def __init__(
        self,
        model: MLP,
        shape: tuple[int, int],
        *,
        focus: int | None = None,
        ascii: bool = False,
        height: int | None = None,
    ) -> None:
        if shape[0] * shape[1] != model.layer_sizes[0]:
            raise ValueError(f"{model.layer_sizes[0]} inputs are not an image of {shape[0]}×{shape[1]}")
        self.model, self.shape, self.focus, self.ascii, self.height = model, shape, focus, ascii, height
        self.ranking = ranked(model)[1]  # the first hidden layer's units, most important first
        self.scale = layer_scale(model)

    def tile(self, unit: int, zoom: int = 1) -> list[list[Segment]]:
        image = self.model.weights[0][:, unit].reshape(self.shape)
        return picture(levels(image, self.scale), ascii=self.ascii, zoom=zoom)

    def label(self, unit: int) -> str:
        return node_label(self.model.layer_sizes, 1, unit)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        height = self.height or options.height or 10_000
        lines = list(self.lines(width, height))
        for line in lines[:height]:
            yield from line
            yield Segment.line()

    def lines(self, width: int, height: int) -> Iterator[list[Segment]]:
        """The enlarged focused unit, the grid, the legend: at most ``height`` lines."""
        legend = self.legend(width)
        used = 1
        if self.focus is not None:
            block = list(self.enlarged(width))
            if len(block) + 1 + used <= height:
                yield from block
                used += len(block)
        yield from self.grid(width, height - used)
        yield legend

    def enlarged(self, width: int) -> Iterator[list[Segment]]:
        """The focused unit's picture, ``ENLARGED`` times bigger where it fits (not in ASCII: a
        pixel a cell is big already), its facts beside it."""
        assert self.focus is not None
        zoom = ENLARGED if self.shape[1] * ENLARGED + 20 <= width and not self.ascii else 1
        rows = self.tile(self.focus, zoom)
        bias = weight_text(float(self.model.biases[0][self.focus])).strip()
        facts = [self.label(self.focus), f"bias {bias}", f"scale ±{self.scale:.3g}"]
        for i, row in enumerate(rows):
            fact = facts[i] if i < len(facts) else ""
            style = palette.FOCUS if i == 0 else palette.BIAS
            yield [*row, Segment(" "), Segment(fact[: max(width - len(row) - 1, 0)], style)]

    def grid(self, width: int, height: int) -> Iterator[list[Segment]]:
        """As many units as fit, most important first, drawn in index order, a label under each."""
        tile_width = self.shape[1]
        tile_rows = self.shape[0] if self.ascii else (self.shape[0] + 1) // 2  # (``picture``: 2 pixel rows a line)
        per_row = max((width + 1) // (tile_width + 1), 1)
        units = len(self.ranking)
        rows_fit = max(height // (tile_rows + 1), 0)
        if per_row * rows_fit < units:  # a line under them says how many are left out
            rows_fit = max((height - 1) // (tile_rows + 1), 0)
        shown = np.sort(self.ranking[: per_row * rows_fit])
        more = units - len(shown)
        tiles = [(self.tile(int(u)), self.label(int(u))) for u in shown]
        for start in range(0, len(tiles), per_row):
            group = tiles[start : start + per_row]
            for r in range(tile_rows):
                line: list[Segment] = []
                for i, (rows, _) in enumerate(group):
                    line += [Segment(" ")] * (i > 0) + rows[r]
                yield line
            labels = " ".join(label[:tile_width].ljust(tile_width) for _, label in group)
            yield [Segment(labels, palette.MUTED)]
        if more:
            dots = "..." if self.ascii else "…"
            forms = [f"{dots} {more:,} more units (enlarge the panel)", f"{dots} {more:,} more units", f"+{more:,}"]
            yield [Segment(fitting(forms, width), palette.MUTED)]

    def legend(self, width: int) -> list[Segment]:
        bright = palette.POSITIVE[-1], palette.NEGATIVE[-1]
        swatch = "#" if self.ascii else "█"
        scale = f"±{self.scale:.3g}"
        forms = [
            f" positive  {swatch} negative  brighter = larger |w|, one scale: {scale}",
            f" +  {swatch} -  bright = big |w| ({scale})",
            f" +  {swatch} -",
        ]
        text = fitting(forms, width - 1)
        first, rest = text.split(swatch, 1)
        return [
            Segment(swatch, Style(color=bright[0])),
            Segment(first, palette.MUTED),
            Segment(swatch, Style(color=bright[1])),
            Segment(rest, palette.MUTED),
        ]


class Lines:
    """Rows of segments as a Rich renderable."""

    def __init__(self, rows: list[list[Segment]]) -> None:
        self.rows = rows

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for row in self.rows:
            yield from row
            yield Segment.line()


def sample_picture(
    x: np.ndarray,
    shape: tuple[int, int],
    probabilities: np.ndarray,
    classes: Sequence[str],
    target: int,
    *,
    ascii: bool = False,
    width: int | None = None,
) -> Lines:
    """A sample's image in its own grays and a bar per class (``class_bars``): beside the image
    where ``width`` columns hold both, else under it."""
    image = picture(gray_levels(np.asarray(x).reshape(shape)), ascii=ascii, gray=True)
    bars = class_bars(probabilities, classes, target, ascii=ascii)
    if width is None or shape[1] + 1 + max(map(Segment.get_line_length, bars)) > width:
        return Lines(image + bars)
    blank = [Segment(" " * shape[1])]
    rows = max(len(image), len(bars))
    image += [blank] * (rows - len(image))
    bars += [[]] * (rows - len(bars))
    return Lines([[*left, Segment(" "), *right] for left, right in zip(image, bars)])


def class_bars(
    probabilities: np.ndarray, classes: Sequence[str], target: int, *, ascii: bool = False
) -> list[list[Segment]]:
    """A line per class: its name, the network's probability as a bar and a number, the target
    marked (``←``) and the prediction in bold."""
    predicted = int(np.argmax(probabilities))
    full, partial = ("#", "") if ascii else ("█", " ▏▎▍▌▋▊▉")
    name_width = max(len(name) for name in classes)
    lines = []
    for k, (name, p) in enumerate(zip(classes, probabilities)):
        eighths = round(float(np.clip(p, 0.0, 1.0)) * BAR * 8)
        bar = full * (eighths // 8) + (partial[eighths % 8] if partial and eighths % 8 else "")
        mark = (" <-" if ascii else " ←") if k == target else ""
        style = palette.TITLE if k == predicted else palette.BIAS
        lines.append(
            [
                Segment(f"{name:>{name_width}} ", style),
                Segment(bar.ljust(BAR), Style(color=palette.POSITIVE[-1])),
                Segment(f" {p:.2f}{mark}", style),
            ]
        )
    return lines
