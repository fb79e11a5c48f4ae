"""``--ascii`` in the app: a line filter that turns every cell on screen into 7-bit ASCII,
whichever widget drew it (borders, Select arrows, the footer, scrollbars, notifications)."""

from __future__ import annotations

from rich.segment import Segment
from textual.app import App
from textual.binding import Binding
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


class AsciiCapableApp(App[None]):
    """An app that, when its ``ascii`` is set, draws every cell and names every key in ASCII."""

    ascii = False
    ascii_filter = AsciiFilter()

    def get_line_filters(self) -> list[LineFilter]:
        """Textual's filters and, with ``ascii``, the one that keeps the whole screen ASCII."""
        return [*super().get_line_filters(), *([self.ascii_filter] if self.ascii else [])]

    def get_key_display(self, binding: Binding) -> str:
        display = super().get_key_display(binding)
        return ascii_key(display) if self.ascii else display
