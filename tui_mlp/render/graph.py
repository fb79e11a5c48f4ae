"""An MLP as a networkx DiGraph: one node per neuron, one edge per weight."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from tui_mlp.core import MLP

if TYPE_CHECKING:
    import networkx as nx


Names = tuple[tuple[str, ...], tuple[str, ...]]  # a table's input and output names (``Dataset.names``)
NAME_CHARS = 12  # a name from a table is cut to this many characters, an ellipsis last


def node_label(layer_sizes: Sequence[int], layer: int, index: int, names: Names | None = None) -> str:
    """``x3`` for inputs, ``y1`` for outputs, ``h2`` (one hidden layer) or ``h2_3`` (deeper);
    with ``names``, an input or output the table names is called by its name (``petal_width``,
    a class ``setosa``), printable and at most ``NAME_CHARS`` long."""
    last = len(layer_sizes) - 1
    if names is not None and layer in (0, last) and index < len(names[layer == last]):
        return short_name(names[layer == last][index])
    if layer == 0:
        return f"x{index + 1}"
    if layer == last:
        return f"y{index + 1}"
    if len(layer_sizes) == 3:
        return f"h{index + 1}"
    return f"h{layer}_{index + 1}"


def short_name(name: str) -> str:
    """A column or class name as a node label: escaped if it would not print on one line,
    spaces as underscores, cut to ``NAME_CHARS``."""
    text = name if name.isprintable() else repr(name)
    text = "_".join(text.split())
    return text if len(text) <= NAME_CHARS else text[: NAME_CHARS - 1] + "…"


def check_node(layer_sizes: Sequence[int], node: tuple[int, int] | None, what: str) -> None:
    """ValueError naming ``what`` unless ``node`` is None or a (layer, index) of a
    neuron in a network with ``layer_sizes``."""
    if node is not None and not (0 <= node[0] < len(layer_sizes) and 0 <= node[1] < layer_sizes[node[0]]):
        raise ValueError(f"{what} {node} is not a neuron of a {'-'.join(map(str, layer_sizes))} network")


def layer_title(model: MLP, layer: int) -> str:
    """Column heading: ``Input``, ``Hidden (sigmoid)``, ``Hidden 2 (relu)``, ``Output (sigmoid)``."""
    return layer_titles(model, layer)[0]


def layer_titles(model: MLP, layer: int) -> tuple[str, str, str]:
    """A column heading, then shorter by one rule: ``Hidden 2 (relu)``, ``Hidden 2``, ``H2``
    (``Output (softmax)``, ``Output``, ``Out``; ``Input``, ``Input``, ``In``)."""
    last = len(model.layer_sizes) - 1
    if layer == 0:
        return "Input", "Input", "In"
    if layer == last:
        return f"Output ({model.output_activation})", "Output", "Out"
    number = "" if last == 2 else f" {layer}"
    return f"Hidden{number} ({model.activation})", f"Hidden{number}", f"H{number.strip()}"


def build_graph(model: MLP, shown: Sequence[Sequence[int]] | None = None) -> nx.DiGraph:
    """The network as a DiGraph.

    Nodes are labelled like ``x1``/``h3``/``h2_3``/``y1`` and carry ``layer``
    (0 = input), ``index`` (0-based), ``bias`` (None for inputs) and ``label``;
    edges carry ``weight``. ``shown`` optionally restricts each layer to the
    given neuron indices (for drawing big networks); by default all are kept.
    """
    import networkx as nx  # here: importing it takes a while, and the app's first screen has no graph

    sizes = model.layer_sizes
    picks = [np.arange(n) for n in sizes] if shown is None else [np.asarray(s, dtype=int) for s in shown]
    labels = [[node_label(sizes, layer, int(i)) for i in pick] for layer, pick in enumerate(picks)]
    graph = nx.DiGraph(layer_sizes=sizes)
    for layer, (pick, names) in enumerate(zip(picks, labels)):
        biases = [None] * len(pick) if layer == 0 else model.biases[layer - 1][pick].tolist()
        graph.add_nodes_from(
            (name, {"layer": layer, "index": int(i), "bias": bias, "label": name})
            for name, i, bias in zip(names, pick, biases)
        )
    for layer, w in enumerate(model.weights):
        block = w[np.ix_(picks[layer], picks[layer + 1])].tolist()
        graph.add_edges_from(
            (src, dst, {"weight": value})
            for src, row in zip(labels[layer], block)
            for dst, value in zip(labels[layer + 1], row)
        )
    return graph
