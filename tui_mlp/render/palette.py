"""Colours and characters: weight styles by sign and size, Unicode and ASCII glyph sets."""

from __future__ import annotations

import math
from dataclasses import dataclass

from rich.style import Style
from rich.terminal_theme import MONOKAI, TerminalTheme

POSITIVE = ("#35618c", "#4a86c5", "#72b4f5", "#bde0ff")  # blue, dim to bright
NEGATIVE = ("#8c5527", "#c4762f", "#f5a04f", "#ffd3a1")  # orange, dim to bright
MUTED = Style(color="grey39")
TITLE = Style(bold=True)
NODE = Style(bold=True)
BIAS = Style(color="grey70")
ACTIVATION = Style(color="#d7af5f")
FOCUS = Style(reverse=True, bold=True)

# What the app's screen looks like (Textual's dark theme, its ANSI colours from Monokai): the
# colours above are meant for it, so SVG and HTML exports draw on it too.
SCREEN_BACKGROUND = (0x12, 0x12, 0x12)
SCREEN_FOREGROUND = (0xE0, 0xE0, 0xE0)
SCREEN_THEME = TerminalTheme(
    SCREEN_BACKGROUND,
    SCREEN_FOREGROUND,
    [MONOKAI.ansi_colors[i] for i in range(8)],
    [MONOKAI.ansi_colors[i] for i in range(8, 16)],
)


def weight_level(magnitude: float, scale: float) -> int:
    """Brightness step 0..3 of |w| relative to the largest |w| drawn."""
    if not (scale > 0 and math.isfinite(magnitude)):
        return 0
    return min(int(4 * magnitude / scale), 3)


def weight_style(weight: float, scale: float) -> Style:
    """Blue for positive, orange for negative, brighter for larger |w|."""
    ramp = NEGATIVE if weight < 0 else POSITIVE
    return Style(color=ramp[weight_level(abs(weight), scale)])


def weight_shade(weight: float, scale: float) -> Style:
    """A table cell's shading: background by sign and size, text kept readable on it."""
    level = weight_level(abs(weight), scale)
    ramp = NEGATIVE if weight < 0 else POSITIVE
    return Style(bgcolor=ramp[level], color="black" if level >= 2 else "white")


@dataclass(frozen=True)
class Glyphs:
    """The characters a diagram is drawn with."""

    more: str
    arrow: str
    to: str
    rule: str
    brackets: dict[tuple[bool, bool, bool], str]  # (line up, line down, node left) -> char
    positive_sample: str
    negative_sample: str


UNICODE = Glyphs(
    more="⋮",
    arrow="▸",
    to="→",
    rule="─",
    brackets={
        (False, True, False): "╭",
        (True, False, False): "╰",
        (True, True, False): "├",
        (False, True, True): "┬",
        (True, False, True): "┴",
        (True, True, True): "┼",
        (False, False, True): "─",
    },
    positive_sample="⠤⠤⠤⠤",
    negative_sample="⠄⠄⠄⠄",
)

ASCII = Glyphs(
    more=":",
    arrow=">",
    to=">",
    rule="-",
    brackets={
        (False, True, False): "/",
        (True, False, False): "\\",
        (True, True, False): "|",
        (False, True, True): "+",
        (True, False, True): "+",
        (True, True, True): "+",
        (False, False, True): "-",
    },
    positive_sample="----",
    negative_sample="- - ",
)
