"""The snapshot: before and after diagrams, the loss chart and the run's settings,
composed as one Rich renderable and written as .txt, .ansi, .svg or .html."""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from pathlib import Path

import numpy as np
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from tui_mlp.core import MLP
from tui_mlp.core.datasets import Dataset
from tui_mlp.core.files import atomic_write, check_output_path, describe_os_error
from tui_mlp.core.run import planar

from .boundary import DecisionBoundary
from .chart import loss_chart_text
from .network import NetworkDiagram
from .text import render_text

SIDE_BY_SIDE_WIDTH = 120  # narrower than this, the two diagrams are stacked
GUTTER = 2
CHART_HEIGHT = 16
DIAGRAM_HEIGHT = 40  # rows for big (unlabelled) networks
BOUNDARY_WIDTH = 60  # beside the loss chart when the snapshot is wide enough
BOUNDARY_HEIGHT = 24
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
    data: tuple[Dataset, Dataset | None] | None = None,
) -> RenderableType:
    """Before/after diagrams (side by side, or stacked below ``SIDE_BY_SIDE_WIDTH``),
    the loss chart and a ``key: value`` settings block, at most ``width`` wide.
    With 2-D ``data`` (train, test) and a trained network, the after-training
    decision boundary sits beside the loss chart (below it when narrow)."""
    panel = (width - GUTTER) // 2 if width >= SIDE_BY_SIDE_WIDTH else width
    diagrams = [NetworkDiagram(before, title="Before training", ascii=ascii, height=DIAGRAM_HEIGHT, keys=False)]
    if after is not None:
        diagrams.append(NetworkDiagram(after, title="After training", ascii=ascii, height=DIAGRAM_HEIGHT, keys=False))
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
    summary = Text("\n".join(f"{key}: {value}" for key, value in settings.items()))
    tail = (Text(""), Text("Settings", style="bold"), summary)
    boundary = None
    beside = width >= SIDE_BY_SIDE_WIDTH
    if data is not None and after is not None and planar(after, *data):
        size = min(BOUNDARY_WIDTH, width)
        boundary = DecisionBoundary(
            after, data[0], data[1], title="Decision boundary", ascii=ascii, width=size, height=BOUNDARY_HEIGHT
        )
    chart_width = width - BOUNDARY_WIDTH - GUTTER if boundary is not None and beside else width
    chart = loss_chart_text(losses, chart_width, CHART_HEIGHT, color=color, ascii=ascii)
    chart_text = Text.from_ansi(chart) if color else Text(chart)
    if boundary is None:
        return Group(graphs, Text(""), chart_text, *tail)
    if not beside:
        return Group(graphs, Text(""), chart_text, Text(""), boundary, *tail)
    row = Table.grid(padding=(0, GUTTER))
    row.add_column(width=chart_width, no_wrap=True)
    row.add_column(width=BOUNDARY_WIDTH, no_wrap=True)
    row.add_row(chart_text, boundary)
    return Group(graphs, Text(""), row, *tail)


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
    data: tuple[Dataset, Dataset | None] | None = None,
) -> Path:
    """Write the snapshot to ``path`` (see ``write_renderable``). ``data`` (train, test)
    adds the decision boundary for 2-D inputs."""
    return write_renderable(
        path,
        lambda suffix: snapshot_renderable(
            before, after, losses, settings, width=width, ascii=ascii, color=suffix != ".txt", data=data
        ),
        width,
    )


def write_renderable(path: str | os.PathLike[str], make: Callable[[str], RenderableType], width: int) -> Path:
    """Write ``make(suffix)`` to ``path`` atomically, ``width`` columns wide, in the format
    its suffix names (.txt, .ansi, .svg, .html); SnapshotError with one clear line
    otherwise, before anything is drawn if the path cannot be written (``check_output_path``)."""
    try:
        target = check_output_path(path, FORMATS)
    except ValueError as error:
        raise SnapshotError(str(error)) from None
    suffix = target.suffix.lower()
    text = snapshot_text(make(suffix), width, suffix)
    try:
        return atomic_write(target, text)
    except (OSError, ValueError) as error:  # ValueError: a NUL in the path
        raise SnapshotError(f"cannot write snapshot {describe_os_error(target, error)}") from None
