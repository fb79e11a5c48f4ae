"""Rich renderables for the network, its weights and the loss; no Textual here."""

from .boundary import DecisionBoundary
from .chart import loss_chart_text, plot_losses
from .graph import build_graph
from .network import NetworkDiagram
from .snapshot import SnapshotError, snapshot_renderable, write_snapshot
from .table import WeightTable
from .text import render_text

__all__ = [
    "DecisionBoundary",
    "NetworkDiagram",
    "SnapshotError",
    "WeightTable",
    "build_graph",
    "loss_chart_text",
    "plot_losses",
    "render_text",
    "snapshot_renderable",
    "write_snapshot",
]
