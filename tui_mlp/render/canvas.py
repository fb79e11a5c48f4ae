"""A character grid with a text layer over a line layer (braille dots or ASCII strokes)."""

from __future__ import annotations

import numpy as np
from rich.segment import Segment
from rich.style import Style

# Braille dot bits by (row 0..3, column 0..1) inside a cell.
_DOT_BITS = np.array([[0x01, 0x08], [0x02, 0x10], [0x04, 0x20], [0x40, 0x80]], dtype=np.uint8)
_BRAILLE = np.array([chr(0x2800 + i) for i in range(256)])
LINE_ROW = 2  # dot row used where a line runs horizontally (⠤)


def ease(t: np.ndarray) -> np.ndarray:
    """Half straight, half S-curve from 0 to 1: edges leave and arrive gently
    sloped, and crossings spread along the gap instead of piling up mid-way."""
    return 0.5 * (t + t * t * (3 - 2 * t))


class Canvas:
    """``width`` × ``height`` cells. Text always wins over lines; a stronger line's
    style wins over a weaker one where lines share a cell."""

    def __init__(self, width: int, height: int, *, ascii: bool = False) -> None:
        self.width, self.height, self.ascii = width, height, ascii
        self.text = np.full((height, width), "", dtype="<U1")
        self.text_style = np.zeros((height, width), dtype=np.int32)
        self.dots = np.zeros((height, width), dtype=np.uint8)
        self.strokes = np.full((height, width), "", dtype="<U1")
        self.line_rank = np.zeros((height, width), dtype=np.int64)
        self.styles: list[Style] = [Style.null()]
        self._style_ids: dict[Style, int] = {Style.null(): 0}
        self.line_styles: list[int] = [0]  # line rank -> style id

    def style_id(self, style: Style) -> int:
        if style not in self._style_ids:
            self._style_ids[style] = len(self.styles)
            self.styles.append(style)
        return self._style_ids[style]

    def is_free(self, x: int, y: int, length: int) -> bool:
        """Whether cells x..x+length-1 of row y are inside and hold no text."""
        inside = 0 <= y < self.height and x >= 0 and x + length <= self.width
        return inside and not (self.text[y, x : x + length] != "").any()

    def write(self, x: int, y: int, text: str, style: Style | None = None) -> None:
        """Put single-width ``text`` at (x, y); whatever falls outside is dropped."""
        if not 0 <= y < self.height or not text:
            return
        start, stop = max(x, 0), min(x + len(text), self.width)
        if start >= stop:
            return
        self.text[y, start:stop] = list(text[start - x : stop - x])
        self.text_style[y, start:stop] = self.style_id(style or Style.null())

    def lines(
        self,
        starts: np.ndarray,
        ends: np.ndarray,
        styles: list[Style],
        dashed: np.ndarray,
    ) -> None:
        """Draw S-curved lines between cell centres, in the order given (later lines win
        the colour of shared cells). ``starts``/``ends`` are (n, 2) arrays of (x, y)
        cells; ``dashed`` marks lines drawn broken."""
        if not len(starts):
            return
        rank0 = len(self.line_styles)
        self.line_styles.extend(self.style_id(style) for style in styles)
        ranks = np.arange(rank0, rank0 + len(starts))
        sx, sy = (2, 4) if not self.ascii else (1, 1)
        row = LINE_ROW if not self.ascii else 0
        x0, y0 = starts[:, 0] * sx, starts[:, 1] * sy + row
        x1, y1 = ends[:, 0] * sx + (sx - 1), ends[:, 1] * sy + row
        length = np.maximum(np.abs(x1 - x0), np.abs(y1 - y0))
        t = np.linspace(0.0, 1.0, int(2 * length.max()) + 2)[None, :]
        xs = np.rint(x0[:, None] + (x1 - x0)[:, None] * t).astype(np.int64)
        ys = np.rint(y0[:, None] + (y1 - y0)[:, None] * ease(t)).astype(np.int64)
        step = np.floor(t * length[:, None]).astype(np.int64)
        keep = ~(dashed[:, None] & (step % 2 == 1))
        rank = np.broadcast_to(ranks[:, None], xs.shape)
        inside = keep & (xs >= 0) & (ys >= 0) & (xs < self.width * sx) & (ys < self.height * sy)
        xs, ys, rank = xs[inside], ys[inside], rank[inside]
        cx, cy = xs // sx, ys // sy
        np.maximum.at(self.line_rank, (cy, cx), rank)
        if self.ascii:
            slope = (y1 - y0)[:, None] / np.maximum(x1 - x0, 1)[:, None] * 6 * t * (1 - t)
            slope = np.broadcast_to(slope, inside.shape)[inside]
            chars = np.where(np.abs(slope) < 0.4, "-", np.where(slope > 2.5, "|", np.where(slope > 0, "\\", "/")))
            chars = np.where(slope < -2.5, "|", chars)
            top = rank == self.line_rank[cy, cx]
            self.strokes[cy[top], cx[top]] = chars[top]
        else:
            np.bitwise_or.at(self.dots, (cy, cx), _DOT_BITS[ys % 4, xs % 2])

    def cropped(self, height: int) -> Canvas:
        """The top ``height`` rows as a new canvas."""
        top = Canvas(self.width, height, ascii=self.ascii)
        for name in ("text", "text_style", "dots", "strokes", "line_rank"):
            setattr(top, name, getattr(self, name)[:height].copy())
        top.styles, top._style_ids, top.line_styles = self.styles, self._style_ids, self.line_styles
        return top

    def clear_row(self, y: int) -> None:
        """Blank row ``y``: no text, no lines."""
        self.text[y] = ""
        self.text_style[y] = 0
        self.dots[y] = 0
        self.strokes[y] = ""
        self.line_rank[y] = 0

    def segments(self) -> list[list[Segment]]:
        """Each row as Rich segments (no trailing newline)."""
        has_text = self.text != ""
        line_chars = _BRAILLE[self.dots] if not self.ascii else self.strokes
        drawn = self.dots > 0 if not self.ascii else self.strokes != ""
        chars = np.where(has_text, self.text, np.where(drawn, line_chars, " "))
        line_style = np.asarray(self.line_styles)[self.line_rank]
        style_ids = np.where(has_text, self.text_style, np.where(drawn, line_style, 0))
        rows = []
        for text, ids in zip(("".join(row) for row in chars.tolist()), style_ids):
            cuts = [0, *(np.flatnonzero(ids[1:] != ids[:-1]) + 1).tolist(), self.width]
            styles = [self.styles[i] or None for i in ids[cuts[:-1]].tolist()]
            rows.append([Segment(text[a:b], style) for a, b, style in zip(cuts, cuts[1:], styles)])
        return rows
