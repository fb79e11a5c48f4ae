"""The details of the focused node: bias, weights in and out, and per sample its inputs,
target and the node's output."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.containers import VerticalScroll
from textual.reactive import var
from textual.widgets import Static

from .network_view import AFTER_TITLE, BEFORE_TITLE

if TYPE_CHECKING:
    import numpy as np

    from tui_mlp.core import MLP
    from tui_mlp.core.datasets import Dataset

MAX_SHOWN = 24  # weights or samples listed before "… N more"
MAX_INPUTS = 8  # a sample's inputs listed before "… N more" (a wide table's rows would take seconds to lay out)


def _more(total: int) -> str:
    return f"  … {total - MAX_SHOWN:,} more" if total > MAX_SHOWN else ""


def number(value: float) -> str:
    """Every number of the pane: a sign and three decimals (``+0.507``, ``-1.045``)."""
    return f"{value:+.3f}"


def data_format(values: np.ndarray) -> Callable[[float], str]:
    """One format for all of a dataset's ``values``: whole numbers as such (``1 0 0 1``) if
    every value is one, else as every number of the pane."""
    if (abs(values) < 1e6).all() and (values == values.round()).all():
        return lambda value: f"{value:.0f}"
    return number


def _weights(labels: list[str], values: np.ndarray) -> Text:
    pairs = zip(labels[:MAX_SHOWN], values[:MAX_SHOWN])
    return Text(" ".join(f"{label} {number(value)}" for label, value in pairs) + _more(len(values)))


def targets(data: Dataset, count: int) -> list[str]:
    """The first ``count`` samples' targets: the class name where the data names its classes,
    else the target values (``0 1`` for the seed's labels)."""
    y = data.y[:count]
    if data.classes:
        return [data.classes[label] for label in data.labels()[:count]]
    write = data_format(data.y)
    return [" ".join(map(write, row)) for row in y]


def describe_node(model: MLP, layer: int, index: int, data: Dataset) -> Group:
    """A node's label, bias, incoming and outgoing weights, and for each sample of ``data``
    the node's output, the sample's target and its inputs."""
    from tui_mlp.render.graph import layer_title, node_label  # the renderers: once there is a network

    sizes = model.layer_sizes
    label = partial(node_label, sizes, names=data.names)
    names = [[label(n, i) for i in range(min(size, MAX_SHOWN))] for n, size in enumerate(sizes)]
    facts = Table.grid(padding=(0, 1))
    facts.add_column(style="bold")
    facts.add_column()
    if layer > 0:
        facts.add_row("bias", number(model.biases[layer - 1][index]))
        facts.add_row("in", _weights(names[layer - 1], model.weights[layer - 1][:, index]))
    if layer < len(sizes) - 1:
        facts.add_row("out", _weights(names[layer + 1], model.weights[layer][index]))
    # The inputs come last: in a narrow pane they wrap, and the other columns stay whole.
    samples = Table("#", box=None, padding=(0, 1), header_style="bold")
    samples.add_column("output", min_width=len("+0.000"))
    samples.add_column("target")
    samples.add_column("inputs", min_width=len("+0.000"))
    X = data.X[:MAX_SHOWN]
    outputs = model.activations(X)[layer][:, index]
    write = data_format(data.X)
    for row, (inputs, target, value) in enumerate(zip(X, targets(data, MAX_SHOWN), outputs), start=1):
        more = f" … {len(inputs) - MAX_INPUTS:,} more" if len(inputs) > MAX_INPUTS else ""
        samples.add_row(str(row), number(value), target, " ".join(map(write, inputs[:MAX_INPUTS])) + more)
    more = Text(_more(len(data.X)).strip(), style="dim")
    title = Text.assemble((f" {label(layer, index)} ", "bold reverse"), f" {layer_title(model, layer)}")
    return Group(title, facts, *first_image(model, data), samples, more)


def describe_output(model: MLP, layer: int, data: tuple[Dataset, Dataset | None], width: int) -> list[RenderableType]:
    """Under an output neuron, the confusion matrix of ``model`` on the test split, if there is one."""
    from tui_mlp.core.metrics import class_names, test_confusion
    from tui_mlp.render.confusion import confusion_table

    matrix = None if layer < model.n_layers else test_confusion(model, data[1])
    if matrix is None or data[1] is None:
        return []
    return [Text(""), confusion_table(matrix, class_names(data[1]), width)]


def first_image(model: MLP, data: Dataset) -> list[RenderableType]:
    """For images of classes, sample 1 drawn, with the network's probability of each class."""
    from tui_mlp.render.images import sample_picture

    shape = data.image_shape
    if shape is None or not data.classes or len(data.classes) != model.layer_sizes[-1]:
        return []
    probabilities = model.forward(data.X[:1])[0]
    caption = Text("sample 1: the network's probability of each class (← the target)", style="dim")
    return [caption, sample_picture(data.X[0], shape, probabilities, data.classes, int(data.labels()[0]))]


class NodeDetails(VerticalScroll):
    """Describes the node a graph panel's cursor is on (``focused``: panel id, layer, index),
    in that panel's network (``before`` or ``after``), over the samples of ``data``; it keeps
    the last node described while no cursor is shown."""

    before: var[MLP | None] = var(None)
    after: var[MLP | None] = var(None)
    data: var[tuple[Dataset, Dataset | None] | None] = var(None, always_update=True)
    focused: var[tuple[str, int, int] | None] = var(None)
    equations: var[RenderableType | None] = var(None)  # the backprop view's neuron, worked out
    after_title: var[str] = var(AFTER_TITLE)  # what the After panel is called (a replay: its epoch)

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id)
        self.border_title = "Node"

    def compose(self):
        yield Static(Text("F2 (Before) or F3 (After), then the arrow keys: inspect a node.", style="dim"))

    def watch_focused(self) -> None:
        self.describe()

    def watch_before(self) -> None:
        if self.focused is not None and self.focused[0] == "before":
            self.describe()

    def watch_after(self) -> None:
        if self.focused is not None and self.focused[0] == "after":
            self.describe()

    def watch_equations(self, equations: RenderableType | None) -> None:
        if equations is not None:
            self.border_title = "Node · Backprop"
            self.query_one(Static).update(equations)

    def describe(self) -> None:
        """Describe the focused node, if there is one and its network and data are known
        (the backprop view's neuron comes worked out, as ``equations``)."""
        if self.focused is None or self.data is None or self.focused[0] == "backprop":
            return
        panel, layer, index = self.focused
        model = self.before if panel == "before" else self.after
        if model is None or layer >= len(model.layer_sizes) or index >= model.layer_sizes[layer]:
            return
        where = BEFORE_TITLE if panel == "before" else self.after_title
        self.border_title = f"Node · {where}"
        described = describe_node(model, layer, index, self.data[0])
        width = max(self.scrollable_content_region.width - 1, 20)
        self.query_one(Static).update(Group(described, *describe_output(model, layer, self.data, width)))
