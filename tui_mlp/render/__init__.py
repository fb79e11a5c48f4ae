"""Rich renderables for the network, its weights and the loss; no Textual here.

The names below are imported on first use, so that importing one module of the
package (as the app does at start) does not import them all (networkx, plotext).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .boundary import DecisionBoundary
    from .chart import loss_chart_text, plot_losses
    from .graph import build_graph
    from .network import NetworkDiagram
    from .snapshot import SnapshotError, snapshot_renderable, write_snapshot
    from .table import WeightTable
    from .text import render_text

_MODULES = {
    "DecisionBoundary": "boundary",
    "NetworkDiagram": "network",
    "SnapshotError": "snapshot",
    "WeightTable": "table",
    "build_graph": "graph",
    "loss_chart_text": "chart",
    "plot_losses": "chart",
    "render_text": "text",
    "snapshot_renderable": "snapshot",
    "write_snapshot": "snapshot",
}


def __getattr__(name: str) -> Any:
    if name not in _MODULES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_MODULES[name]}", __name__), name)
    globals()[name] = value
    return value


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
