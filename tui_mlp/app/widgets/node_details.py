"""The details of the focused node: bias, weights in and out, and per sample its inputs,
target and the node's output; for images of classes, first the chosen training sample drawn
with the network's probability of each class (``]`` and ``[`` choose it)."""

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

from .network_view import AFTER_TITLE, BEFORE_TITLE, short_title

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


def node_title(model: MLP, layer: int, index: int, data: Dataset) -> Text:
    """`` h3  Hidden (sigmoid)``: the node's label and its layer."""
    from tui_mlp.render.graph import layer_title, node_label  # the renderers: once there is a network

    label = node_label(model.layer_sizes, layer, index, names=data.names)
    return Text.assemble((f" {label} ", "bold reverse"), f" {layer_title(model, layer)}")


def node_facts(model: MLP, layer: int, index: int, data: Dataset) -> list[RenderableType]:
    """A node's bias, incoming and outgoing weights, and for each sample of ``data`` the node's
    output, the sample's target and its inputs."""
    from tui_mlp.render.graph import node_label

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
    return [facts, samples, Text(_more(len(data.X)).strip(), style="dim")]


def describe_output(model: MLP, layer: int, data: tuple[Dataset, Dataset | None], width: int) -> list[RenderableType]:
    """Under an output neuron, the confusion matrix of ``model`` on the test split, if there is one."""
    from tui_mlp.core.metrics import class_names, test_confusion
    from tui_mlp.render.confusion import confusion_table

    matrix = None if layer < model.n_layers else test_confusion(model, data[1])
    if matrix is None or data[1] is None:
        return []
    return [Text(""), confusion_table(matrix, class_names(data[1]), width)]


def samples_drawn(data: Dataset) -> bool:
    """Whether the pane draws a chosen sample of ``data``: its inputs are images of named classes."""
    return data.image_shape is not None and bool(data.classes)


def chosen_sample(model: MLP, data: Dataset, sample: int, width: int, ascii: bool = False) -> RenderableType | None:
    """For images of classes, the training sample ``sample`` (from 0; the last if there are fewer):
    which it is, its target and the network's prediction, then its image and the network's
    probability of each class, beside each other where ``width`` columns hold both; else None."""
    import numpy as np

    from tui_mlp.core.datasets import label_indices
    from tui_mlp.render.images import sample_picture

    shape = data.image_shape
    if shape is None or not samples_drawn(data) or len(data.classes) != model.layer_sizes[-1]:
        return None
    i = min(sample, len(data.X) - 1)
    probabilities = model.forward(data.X[i : i + 1])[0]
    target = int(label_indices(data.y[i : i + 1], data.task)[0])
    predicted = int(np.argmax(probabilities))
    which = Text.assemble((f"sample {i + 1}", "bold"), f" of {len(data.X)} (train)", (" · ]/[", "dim"))
    outcome = Text.assemble(
        f"target {data.classes[target]}, ",
        (f"predicted {data.classes[predicted]}", "green" if predicted == target else "red"),
        f" ({probabilities[predicted]:.2f})",
    )
    drawn = sample_picture(data.X[i], shape, probabilities, data.classes, target, ascii=ascii, width=width)
    return Group(which, outcome, drawn)


class NodeDetails(VerticalScroll):
    """Describes the node a graph panel's cursor is on (``focused``: panel id, layer, index),
    in that panel's network (``before`` or ``after``), over the samples of ``data``; it keeps
    the last node described while no cursor is shown. For images of classes the training
    sample ``sample`` comes under the node's title (``chosen_sample``), in a Static of its own:
    choosing another redraws only it."""

    before: var[MLP | None] = var(None)
    after: var[MLP | None] = var(None)
    data: var[tuple[Dataset, Dataset | None] | None] = var(None, always_update=True)
    focused: var[tuple[str, int, int] | None] = var(None)
    equations: var[RenderableType | None] = var(None)  # the backprop view's neuron, worked out
    after_title: var[str] = var(AFTER_TITLE)  # what the After panel is called (a replay: its epoch)
    before_title: var[str] = var(BEFORE_TITLE)  # and the Before panel (a comparison: its run)
    sample: var[int] = var(0)  # the chosen training sample (from 0)

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id)
        self.border_title = "Node"

    def compose(self):
        yield Static(id="title")
        yield Static(id="sample")
        yield Static(Text("F2 (Before) or F3 (After), then the arrow keys: inspect a node.", style="dim"), id="node")

    def watch_focused(self) -> None:
        self.describe()

    def watch_before(self) -> None:
        if self.focused is not None and self.focused[0] == "before":
            self.describe()

    def watch_after(self) -> None:
        if self.focused is not None and self.focused[0] == "after":
            self.describe()

    def watch_sample(self) -> None:
        if self._model() is not None:
            self._draw_sample()

    def watch_equations(self, equations: RenderableType | None) -> None:
        if equations is not None:
            self.border_title = "Node · Backprop"
            self.query_one("#title").display = self.query_one("#sample").display = False
            self.query_one("#node", Static).update(equations)

    def _model(self) -> MLP | None:
        """The focused node's network, if it has that node and the data is known (the backprop
        view's neuron comes worked out, as ``equations``)."""
        if self.focused is None or self.data is None or self.focused[0] == "backprop":
            return None
        panel, layer, index = self.focused
        model = self.before if panel == "before" else self.after
        if model is None or layer >= len(model.layer_sizes) or index >= model.layer_sizes[layer]:
            return None
        return model

    def _width(self) -> int:
        return max(self.scrollable_content_region.width - 1, 20)

    def describe(self) -> None:
        """Describe the focused node and draw the chosen sample, if there is one."""
        model = self._model()
        if model is None or self.focused is None or self.data is None:
            return
        panel, layer, index = self.focused
        where = short_title(self.before_title if panel == "before" else self.after_title)
        self.border_title = f"Node · {where}"
        title = self.query_one("#title", Static)
        title.update(node_title(model, layer, index, self.data[0]))
        title.display = True
        facts = node_facts(model, layer, index, self.data[0])
        self.query_one("#node", Static).update(Group(*facts, *describe_output(model, layer, self.data, self._width())))
        self._draw_sample()

    def _draw_sample(self) -> None:
        model, sample = self._model(), self.query_one("#sample", Static)
        drawn = None
        if model is not None and self.data is not None:
            drawn = chosen_sample(model, self.data[0], self.sample, self._width(), getattr(self.app, "ascii", False))
        sample.display = drawn is not None
        if drawn is not None:
            sample.update(drawn)
