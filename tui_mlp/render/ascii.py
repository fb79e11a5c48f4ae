"""7-bit ASCII only (``--ascii``): any text turned into ASCII cell for cell, so that what
our drawings, Rich and Textual draw (borders, arrows, scrollbars, icons) keeps its place.

Our own drawings pick ASCII glyphs themselves; this is the rule for everything else, and
the guarantee that nothing else gets through."""

from __future__ import annotations

import unicodedata
from functools import cache, lru_cache

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.segment import Segment

SUBSTITUTES = {
    **dict.fromkeys("…‥", "."),
    "·": "|",  # a separator: "epoch 3 · loss 0.5"
    **dict.fromkeys("•∙", "*"),
    "●": "O",
    **dict.fromkeys("○◦", "o"),
    **dict.fromkeys("—–−‐‒", "-"),
    **dict.fromkeys("→▶▸►⟶", ">"),
    **dict.fromkeys("←◀◂◄⟵", "<"),
    **dict.fromkeys("↑▲▴△", "^"),
    **dict.fromkeys("↓▼▾▽", "v"),
    **dict.fromkeys("×✗✘", "x"),
    **dict.fromkeys("✓✔", "v"),
    **dict.fromkeys("≤", "<"),
    **dict.fromkeys("≥", ">"),
    **dict.fromkeys("⋮┆┊", ":"),
    **dict.fromkeys("█▓", "#"),
    "▒": ":",
    "░": ".",
    **dict.fromkeys("▏▎▍▌▐▕", "|"),
    **dict.fromkeys("▔▀", "-"),
    "▁": "_",
    "⏎": "<",
    "⭘": "o",
    "🔎": ">",
}


def _box(name: str) -> str:
    """A box-drawing character by its Unicode name: ``-`` across, ``|`` up and down, ``+``
    where lines meet or turn, ``/`` ``\\`` diagonals."""
    if "DIAGONAL" in name:
        return {"UPPER RIGHT TO LOWER LEFT": "/", "UPPER LEFT TO LOWER RIGHT": "\\"}.get(
            name.split("DIAGONAL ")[-1], "X"
        )
    across = any(word in name for word in ("HORIZONTAL", "LEFT", "RIGHT"))
    up_down = any(word in name for word in ("VERTICAL", "UP", "DOWN"))
    if across and up_down:
        return "+"
    return "-" if across else "|"


@cache
def _character(char: str) -> str:
    """``char`` as ASCII taking the same number of cells."""
    width = cell_len(char)
    name = unicodedata.name(char, "")
    if char in SUBSTITUTES:
        text = SUBSTITUTES[char]
    elif name.startswith("BOX DRAWINGS"):
        text = _box(name)
    elif name.startswith("BRAILLE PATTERN"):
        text = " " if char == "\u2800" else "."
    elif name.startswith(("LOWER", "UPPER", "LEFT", "RIGHT")) and "BLOCK" in name:
        text = " "  # a partial block (a scrollbar's end): its colours still show
    else:  # a letter with marks (é: e), else ?
        base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
        text = base if base.isascii() and 0 < len(base) <= width else "?"
    return text.ljust(width)[:width]


@lru_cache(maxsize=4096)
def to_ascii(text: str) -> str:
    """``text`` in 7-bit ASCII, each character replaced by one as wide (``→`` ``>``,
    ``╭`` ``+``, ``…`` ``.``, a braille dot ``.``; ``?`` for what has no likeness)."""
    return text if text.isascii() else "".join(char if char.isascii() else _character(char) for char in text)


def ascii_segments(segments: list[Segment]) -> list[Segment]:
    """``segments`` with their text in ASCII (styles and controls kept)."""
    return [
        segment if segment.text.isascii() else Segment(to_ascii(segment.text), segment.style, segment.control)
        for segment in segments
    ]


class AsciiOnly:
    """``renderable`` drawn in 7-bit ASCII only (exports with ``--ascii``)."""

    def __init__(self, renderable: RenderableType) -> None:
        self.renderable = renderable

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield from ascii_segments(list(console.render(self.renderable, options)))
