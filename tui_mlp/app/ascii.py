"""``--ascii`` in the app: a line filter that turns every cell on screen into 7-bit ASCII,
whichever widget drew it (borders, Select arrows, the footer, scrollbars, notifications)."""

from __future__ import annotations

from rich.segment import Segment
from textual.color import Color
from textual.filter import LineFilter

from tui_mlp.render.ascii import ascii_segments

KEY_NAMES = {"⏎": "enter", "←": "left", "→": "right", "↑": "up", "↓": "down", "⌫": "backspace"}


class AsciiFilter(LineFilter):
    """Every segment's text in ASCII, cell for cell (``render.ascii.to_ascii``)."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        return ascii_segments(segments)


def ascii_key(display: str) -> str:
    """A key as the footer and help show it, spelled in ASCII: ``⏎`` is ``enter``."""
    return "".join(KEY_NAMES.get(char, char) for char in display)
