"""``FitCurve``: a regression network's output drawn as a curve over its one input, with
the data on top: what the decision boundary is for classification on two inputs.

The curve is sampled once per dot column and joined up column by column: braille dots
(2 × 4 to a cell) in Unicode, ``*`` cells in ASCII, over the data: training points as
filled glyphs, test points as hollow ones. The axes span the inputs and the targets
plus a margin; where the curve leaves them it is not drawn."""

from __future__ import annotations

import numpy as np
from rich.segment import Segment
from rich.style import Style

from tui_mlp.core import MLP
from tui_mlp.core.datasets import Dataset
from tui_mlp.core.run import picture

from . import palette
from .boundary import ASCII, UNICODE, Picture, axis, padded_range, point_color

BRAILLE = 0x2800
DOT_BITS = np.array([[0x01, 0x08], [0x02, 0x10], [0x04, 0x20], [0x40, 0x80]])  # [dot row][dot column]
CURVE_COLOUR = palette.POSITIVE[3]
EMPTY, CURVE, POINT = 0, 1, 2  # what a cell shows


class FitCurve(Picture):
    """``model``'s output over the one input of ``train`` (and ``test``), which must be a
    regression with one target; exactly ``width`` × ``height`` cells, like ``DecisionBoundary``."""

    def __init__(
        self,
        model: MLP,
        train: Dataset,
        test: Dataset | None = None,
        *,
        ascii: bool = False,
        width: int | None = None,
        height: int | None = None,
        title: str = "",
    ) -> None:
        self.model, self.train, self.test = model, train, test
        self.ascii, self.width, self.height, self.title = ascii, width, height, title
        self.chars = ASCII if ascii else UNICODE
        self.data = [data for data in (train, test) if data is not None and len(data.X)]
        self.ok = picture(model, train, test) == "curve"
        if self.ok:
            self.x_range = padded_range(np.concatenate([data.X[:, 0] for data in self.data]))
            self.y_range = padded_range(np.concatenate([data.y[:, 0] for data in self.data]))

    def problem(self) -> str | None:
        return None if self.ok else "a fitted curve needs one input and one numeric target"

    def body(self, width: int, rows: int, colour: bool) -> list[list[Segment]]:
        across, down = (1, 1) if self.ascii else (2, 4)  # dots to a cell
        dots = self.curve(width * across, rows * down)
        if self.ascii:
            curve = np.where(dots, ord("*"), 0)
        else:
            codes = np.einsum("ryck,yk->rc", dots.reshape(rows, down, width, across), DOT_BITS)
            curve = np.where(codes > 0, BRAILLE + codes, 0)
        chars, kinds = np.full((rows, width), ord(" ")), np.full((rows, width), EMPTY)
        for glyphs, data in zip((self.chars.train, self.chars.test), self.data):
            row, col = self._cells(data, width, rows)
            chars[row, col], kinds[row, col] = ord(self.chars.glyph(glyphs, 0)), POINT
        on_curve = curve > 0  # the curve is drawn over the points
        chars[on_curve], kinds[on_curve] = curve[on_curve], CURVE
        styles = {EMPTY: Style.null(), CURVE: Style(color=CURVE_COLOUR), POINT: Style(color=point_color(0), bold=True)}
        if not colour:
            styles = {EMPTY: Style.null(), CURVE: Style.null(), POINT: Style(bold=True)}
        out = []
        for line, kind in zip(chars.tolist(), kinds):
            starts = np.flatnonzero(np.r_[True, kind[1:] != kind[:-1]]).tolist()
            ends = [*starts[1:], width]
            out.append([Segment("".join(map(chr, line[a:b])), styles[int(kind[a])]) for a, b in zip(starts, ends)])
        return out

    def curve(self, columns: int, rows: int) -> np.ndarray:
        """Which of ``rows`` × ``columns`` dots the curve passes through: the output at each
        column's centre, joined to the next column's by a vertical run."""
        (x0, x1), (y0, y1) = self.x_range, self.y_range
        xs = x0 + (np.arange(columns) + 0.5) * (x1 - x0) / columns
        with np.errstate(all="ignore"):
            ys = self.model.forward(xs[:, None])[:, 0]
            at = np.clip(np.nan_to_num(np.floor((y1 - ys) / (y1 - y0) * rows), nan=-1.0), -1, rows)
        finite = np.isfinite(ys)
        dots = np.zeros((rows, columns), dtype=bool)
        for i in np.flatnonzero(finite).tolist():
            a = int(at[i])
            b = int(at[i + 1]) if i + 1 < columns and finite[i + 1] else a
            low, high = (a, max(a, b - 1)) if b >= a else (min(a, b + 1), a)  # up to the next column's dot
            dots[max(low, 0) : min(high, rows - 1) + 1, i] = True
        return dots

    def _cells(self, data: Dataset, width: int, rows: int) -> tuple[np.ndarray, np.ndarray]:
        """(row, column) of each of ``data``'s points that falls inside the plot."""
        (x0, x1), (y0, y1) = self.x_range, self.y_range
        col = np.floor((data.X[:, 0] - x0) / (x1 - x0) * width)
        row = np.floor((y1 - data.y[:, 0]) / (y1 - y0) * rows)
        inside = np.isfinite(col) & np.isfinite(row) & (col >= 0) & (col < width) & (row >= 0) & (row < rows)
        return row[inside].astype(np.int64), col[inside].astype(np.int64)

    def legend(self, colour: bool, width: int) -> list[tuple[str, Style]]:
        """The glyphs (training points, test points, the curve), then the axes' ranges if they fit."""
        c = self.chars
        line = "**" if self.ascii else "⠒⠒"
        test = f"  {c.glyph(c.test, 0)} test" if len(self.data) > 1 else ""
        point = Style(color=point_color(0), bold=True) if colour else Style(bold=True)
        pieces = [(f"{c.glyph(c.train, 0)} train{test}", point), ("  ", Style.null())]
        pieces.append((line, Style(color=CURVE_COLOUR) if colour else Style.null()))
        pieces.append((" fit", Style.null()))
        (x0, x1), (y0, y1) = self.x_range, self.y_range
        ranges = f"  {axis('x1', x0, x1, c)}  {axis('y1', y0, y1, c)}"
        if sum(len(text) for text, _ in pieces) + len(ranges) <= width:
            pieces.append((ranges, palette.MUTED))
        return pieces
