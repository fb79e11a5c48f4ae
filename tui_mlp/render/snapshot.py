"""The snapshot: before and after diagrams, the loss chart and the run's settings,
composed as one Rich renderable and written as .txt, .ansi, .svg or .html."""

from __future__ import annotations

import io
import os
from pathlib import Path

import numpy as np
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from tui_mlp.core import MLP
from tui_mlp.core.files import atomic_write, describe_os_error

from .chart import loss_chart_text
from .network import NetworkDiagram
from .text import render_text

SIDE_BY_SIDE_WIDTH = 120  # narrower than this, the two diagrams are stacked
GUTTER = 2
CHART_HEIGHT = 16
DIAGRAM_HEIGHT = 40  # rows for big (unlabelled) networks
FORMATS = (".txt", ".ansi", ".svg", ".html")


class SnapshotError(Exception):
    """A snapshot could not be written; the message is one line naming the file."""


def snapshot_renderable(
    before: MLP,
    after: MLP | None,
    losses: np.ndarray,
    settings: dict[str, str],
    *,
    width: int = 160,
    ascii: bool = False,
    color: bool = False,
) -> RenderableType:
    """Before/after diagrams (side by side, or stacked below ``SIDE_BY_SIDE_WIDTH``),
    the loss chart and a ``key: value`` settings block, at most ``width`` wide."""
    panel = (width - GUTTER) // 2 if width >= SIDE_BY_SIDE_WIDTH else width
    diagrams = [NetworkDiagram(before, title="Before training", ascii=ascii, height=DIAGRAM_HEIGHT)]
    if after is not None:
        diagrams.append(NetworkDiagram(after, title="After training", ascii=ascii, height=DIAGRAM_HEIGHT))
    else:
        diagrams.append(Text("After training: not trained yet", style="bold"))
    if panel < width:
        grid = Table.grid(padding=(0, GUTTER))
        grid.add_column(width=panel, no_wrap=True)
        grid.add_column(width=width - panel - GUTTER, no_wrap=True)
        grid.add_row(*diagrams)
        graphs: RenderableType = grid
    else:
        graphs = Group(diagrams[0], Text(""), diagrams[1])
    chart = loss_chart_text(losses, width, CHART_HEIGHT, color=color, ascii=ascii)
    chart_text = Text.from_ansi(chart) if color else Text(chart)
    summary = Text("\n".join(f"{key}: {value}" for key, value in settings.items()))
    return Group(graphs, Text(""), chart_text, Text(""), Text("Settings", style="bold"), summary)


def snapshot_text(renderable: RenderableType, width: int, suffix: str) -> str:
    """The composed snapshot in the format named by ``suffix``."""
    if suffix == ".txt":
        return render_text(renderable, width)
    if suffix == ".ansi":
        return render_text(renderable, width, color=True)
    console = Console(record=True, width=width, file=io.StringIO(), color_system="truecolor", force_terminal=True)
    console.print(renderable)
    return console.export_svg(title="tui-mlp snapshot") if suffix == ".svg" else console.export_html()


def write_snapshot(
    path: str | os.PathLike[str],
    before: MLP,
    after: MLP | None,
    losses: np.ndarray,
    settings: dict[str, str],
    *,
    width: int = 160,
    ascii: bool = False,
) -> Path:
    """Write the snapshot to ``path`` atomically, in the format its suffix names
    (.txt, .ansi, .svg, .html); SnapshotError with one clear line otherwise."""
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in FORMATS:
        raise SnapshotError(f"{target}: unknown snapshot format {suffix or '(none)'!r}; use {', '.join(FORMATS)}")
    renderable = snapshot_renderable(before, after, losses, settings, width=width, ascii=ascii, color=suffix != ".txt")
    try:
        return atomic_write(target, snapshot_text(renderable, width, suffix))
    except OSError as error:
        raise SnapshotError(f"cannot write snapshot {describe_os_error(target, error)}") from None
