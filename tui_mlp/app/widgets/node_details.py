"""The details of the focused node: bias, weights in and out, activation per sample."""

from __future__ import annotations

import numpy as np
from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.containers import VerticalScroll
from textual.reactive import var
from textual.widgets import Static

from tui_mlp.core import MLP
from tui_mlp.core.datasets import Dataset
from tui_mlp.render.graph import layer_title, node_label

MAX_SHOWN = 24  # weights or samples listed before "… N more"


def _more(total: int) -> str:
    return f"  … {total - MAX_SHOWN:,} more" if total > MAX_SHOWN else ""


def _weights(labels: list[str], values: np.ndarray) -> Text:
    pairs = zip(labels[:MAX_SHOWN], values[:MAX_SHOWN])
    return Text(" ".join(f"{label} {value:+.3f}" for label, value in pairs) + _more(len(values)))


def describe_node(model: MLP, layer: int, index: int, X: np.ndarray) -> Group:
    """A node's label, bias, incoming and outgoing weights, and its output on each row of ``X``."""
    sizes = model.layer_sizes
    names = [[node_label(sizes, n, i) for i in range(min(size, MAX_SHOWN))] for n, size in enumerate(sizes)]
    facts = Table.grid(padding=(0, 1))
    facts.add_column(style="bold")
    facts.add_column()
    if layer > 0:
        facts.add_row("bias", f"{model.biases[layer - 1][index]:+.4f}")
        facts.add_row("in", _weights(names[layer - 1], model.weights[layer - 1][:, index]))
    if layer < len(sizes) - 1:
        facts.add_row("out", _weights(names[layer + 1], model.weights[layer][index]))
    samples = Table("sample", "inputs", "output", box=None, padding=(0, 1), header_style="bold")
    outputs = model.activations(X[:MAX_SHOWN])[layer][:, index]
    for row, (inputs, value) in enumerate(zip(X[:MAX_SHOWN], outputs), start=1):
        samples.add_row(f"#{row}", " ".join(f"{x:g}" for x in inputs), f"{value:.4f}")
    more = Text(_more(len(X)).strip(), style="dim")
    title = Text.assemble((f" {node_label(sizes, layer, index)} ", "bold reverse"), f" {layer_title(model, layer)}")
    return Group(title, facts, samples, more)


class NodeDetails(VerticalScroll):
    """Describes the node a graph panel's cursor is on (``focused``: panel id, layer, index),
    in that panel's network (``before`` or ``after``), over the samples of ``data``; it keeps
    the last node described while no cursor is shown."""

    before: var[MLP | None] = var(None)
    after: var[MLP | None] = var(None)
    data: var[tuple[Dataset, Dataset | None] | None] = var(None, always_update=True)
    focused: var[tuple[str, int, int] | None] = var(None)

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id)
        self.border_title = "Node"

    def compose(self):
        yield Static(Text("Tab to a network panel and use the arrow keys to inspect a node.", style="dim"))

    def watch_focused(self) -> None:
        self.describe()

    def watch_before(self) -> None:
        if self.focused is not None and self.focused[0] == "before":
            self.describe()

    def watch_after(self) -> None:
        if self.focused is not None and self.focused[0] == "after":
            self.describe()

    def describe(self) -> None:
        """Describe the focused node, if there is one and its network and data are known."""
        if self.focused is None or self.data is None:
            return
        panel, layer, index = self.focused
        model = self.before if panel == "before" else self.after
        if model is None or layer >= len(model.layer_sizes) or index >= model.layer_sizes[layer]:
            return
        where = "Before training" if panel == "before" else "After training"
        self.border_title = f"Node · {where}"
        self.query_one(Static).update(describe_node(model, layer, index, self.data[0].X))
