"""The snapshot: before and after diagrams, the loss chart and the run's settings,
composed as one Rich renderable and written as .txt, .ansi, .svg or .html."""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from tui_mlp.core import MLP
from tui_mlp.core.datasets import Dataset
from tui_mlp.core.files import atomic_write, check_output_path, describe_os_error
from tui_mlp.core.run import picture

from . import palette
from .ascii import AsciiOnly
from .boundary import DecisionBoundary
from .chart import Curve, loss_chart_text
from .fit import FitCurve
from .graph import Names
from .images import WeightImages
from .layout import ranked
from .network import NetworkDiagram
from .table import WeightTable
from .text import render_text

SIDE_BY_SIDE_WIDTH = 120  # narrower than this, the two diagrams are stacked
GUTTER = 2
CHART_HEIGHT = 16
DIAGRAM_HEIGHT = 40  # rows for big (unlabelled) networks
BOUNDARY_WIDTH = 60  # beside the loss chart when the snapshot is wide enough
BOUNDARY_HEIGHT = 24
FORMATS = (".txt", ".ansi", ".svg", ".html")


@dataclass(frozen=True)
class View:
    """How the app's screen shows the run, so that its exports show the same: the loss on a
    ``log`` scale, weight ``tables`` instead of graphs, the decision-boundary panel or not; a
    ``replay``: the epoch of the checkpoint After shows (marked in the chart)."""

    log: bool = False
    tables: bool = False
    boundary: bool = True
    replay: int | None = None


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
    view: View = View(),
    test: Curve | None = None,
) -> RenderableType:
    """Before/after diagrams (side by side, or stacked below ``SIDE_BY_SIDE_WIDTH``),
    the loss chart and a ``key: value`` settings block, at most ``width`` wide, as
    ``view`` says (log scale, weight tables, boundary). With 2-D ``data`` (train, test)
    and a trained network, the after-training decision boundary (a regression on one
    input: the fitted curve; an image: each hidden unit's weights as one) sits beside the loss
    chart (below it when narrow), which draws the ``test`` losses at the checkpoints too. With
    ``ascii``, every character is 7-bit ASCII."""
    panel = (width - GUTTER) // 2 if width >= SIDE_BY_SIDE_WIDTH else width
    shown = Neurons(ranked(before), data[0].names if data else None)  # the same neurons, called alike
    diagrams = [_network(before, "Before training", ascii, view.tables, shown)]
    if after is not None:
        title = "After training" if view.replay is None else f"After epoch {view.replay:,} (replay)"
        diagrams.append(_network(after, title, ascii, view.tables, shown))
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
    boundary: RenderableType | None = None
    beside = width >= SIDE_BY_SIDE_WIDTH
    kind = picture(after, *data) if view.boundary and data is not None and after is not None else None
    if kind is not None:
        assert after is not None and data is not None
        size = dict(ascii=ascii, width=min(BOUNDARY_WIDTH, width), height=BOUNDARY_HEIGHT)
        if kind == "plane":
            boundary = DecisionBoundary(after, *data, title="Decision boundary", **size)
        elif kind == "image":
            # without colour, shades: a half block would carry nothing (the sign then shows only in colour)
            shape, shaded = data[0].image_shape or (0, 0), ascii or not color
            images = WeightImages(after, shape, ascii=shaded, height=BOUNDARY_HEIGHT - 1)
            boundary = Group(Text("Weights as images", style=palette.TITLE), images)
        else:
            boundary = FitCurve(after, *data, title="Fitted curve", **size)
    chart_width = width - BOUNDARY_WIDTH - GUTTER if boundary is not None and beside else width
    chart = loss_chart_text(
        losses, chart_width, CHART_HEIGHT, log=view.log, color=color, ascii=ascii, test=test, at=view.replay
    )
    chart_text = Text.from_ansi(chart) if color else Text(chart)
    below: list[RenderableType] = [chart_text]
    if boundary is not None and beside:
        row = Table.grid(padding=(0, GUTTER))
        row.add_column(width=chart_width, no_wrap=True)
        row.add_column(width=BOUNDARY_WIDTH, no_wrap=True)
        row.add_row(chart_text, boundary)
        below = [row]
    elif boundary is not None:
        below = [chart_text, Text(""), boundary]
    snapshot = Group(graphs, Text(""), *below, *tail)
    return AsciiOnly(snapshot) if ascii else snapshot


@dataclass(frozen=True)
class Neurons:
    """Which neurons both panels show (the starting network's most important) and what the
    inputs and outputs are called (a table's names)."""

    ranking: Sequence[np.ndarray]
    names: Names | None


def _network(model: MLP, title: str, ascii: bool, tables: bool, shown: Neurons) -> RenderableType:
    """``model`` drawn as a graph, or titled weight tables, showing the neurons ``shown`` says."""
    if tables:
        table = WeightTable(model, ascii=ascii, ranking=shown.ranking, names=shown.names)
        return Group(Text(title, style=palette.TITLE), table)
    return NetworkDiagram(
        model, title=title, ascii=ascii, height=DIAGRAM_HEIGHT, keys=False, ranking=shown.ranking, names=shown.names
    )


def snapshot_text(renderable: RenderableType, width: int, suffix: str) -> str:
    """The composed snapshot in the format named by ``suffix``; SVG and HTML on the
    screen's dark background, whose colours the drawing is made for."""
    if suffix == ".txt":
        return render_text(renderable, width)
    if suffix == ".ansi":
        return render_text(renderable, width, color=True)
    console = Console(record=True, width=width, file=io.StringIO(), color_system="truecolor", force_terminal=True)
    console.print(renderable)
    if suffix == ".svg":
        return console.export_svg(title="tui-mlp snapshot", theme=palette.SCREEN_THEME)
    return console.export_html(theme=palette.SCREEN_THEME)


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
    view: View = View(),
    test: Curve | None = None,
) -> Path:
    """Write the snapshot to ``path`` (see ``write_renderable``). ``data`` (train, test)
    adds the decision boundary for 2-D inputs; ``view`` as the screen shows it; ``test``: the
    test losses at the checkpoints."""

    def make(suffix: str) -> RenderableType:
        color = suffix != ".txt"
        return snapshot_renderable(
            before, after, losses, settings, width=width, ascii=ascii, color=color, data=data, view=view, test=test
        )

    return write_renderable(path, make, width)


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
