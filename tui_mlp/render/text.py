"""Rendering any Rich renderable to a string of a given width; text that fits a width."""

from __future__ import annotations

import io
from collections.abc import Sequence

from rich.console import Console, RenderableType


def render_text(renderable: RenderableType, width: int, *, color: bool = False) -> str:
    """``renderable`` as text ``width`` columns wide: plain (no escape codes, trailing
    spaces trimmed) or, with ``color``, with ANSI truecolour codes."""
    console = Console(
        file=io.StringIO(),
        width=width,
        color_system="truecolor" if color else None,
        force_terminal=color,
        legacy_windows=False,
        highlight=False,
    )
    console.print(renderable)
    text = console.file.getvalue()
    if color:
        return text
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"


def fitting(forms: Sequence[str], width: int) -> str:
    """The first of ``forms`` (longest first) no wider than ``width``; the last if none is."""
    return next((form for form in forms if len(form) <= width), forms[-1])
