"""The backprop view's drawing: one training step of a network, phase by phase.

A step goes forward layer by layer (each neuron's z and a), to the loss, back layer by
layer (each neuron's δ = ∂L/∂z and each edge's ∂L/∂w = a·δ) and ends in the update
(Δw, Δb). ``phases`` lists them; ``step_values`` says what the network diagram prints
at each (``layout.Values``), ``backprop_diagram`` draws it, and ``chain_rule`` writes one
neuron's part of the step as equations with their numbers. Everything comes from a
``Trace`` (``MLP.trace``) of one sample or of all of them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np
from rich.console import Group
from rich.text import Text

from tui_mlp.core import MLP
from tui_mlp.core.trace import LayerTrace, Trace

from .explain import ASCII
from .graph import Names, layer_title, layer_titles, node_label
from .layout import Values, ranked
from .network import NetworkDiagram

TERMS = 4  # terms of a sum written out before "+ … n more"

Label = Callable[[int, int], str]  # (layer, index) -> the neuron's label


@dataclass(frozen=True)
class Phase:
    """A phase of the step: ``forward`` or ``backward`` computes neuron layer ``layer``
    (1 = the first hidden layer); ``loss`` compares the outputs with the targets; ``update``
    changes every parameter."""

    kind: str  # "forward", "loss", "backward" or "update"
    layer: int

    def describe(self, model: MLP) -> tuple[str, ...]:
        """What the phase does, longest form first: ``forward: Hidden (sigmoid)``, ``forward: Hidden``, ``fwd H``."""
        if self.kind == "loss":
            return ("loss: outputs against targets", "loss")
        if self.kind == "update":
            return ("update: θ ← θ + Δθ", "update")
        titles = layer_titles(model, self.layer)
        short = "fwd" if self.kind == "forward" else "back"
        return (f"{self.kind}: {titles[0]}", f"{self.kind}: {titles[1]}", f"{short} {titles[2]}")


def phases(model: MLP) -> tuple[Phase, ...]:
    """Forward through each layer, the loss, back through each layer, the update."""
    last = len(model.layer_sizes) - 1
    forward = [Phase("forward", k) for k in range(1, last + 1)]
    backward = [Phase("backward", k) for k in range(last, 0, -1)]
    return (*forward, Phase("loss", last), *backward, Phase("update", 0))


def _per_neuron(values: np.ndarray, total: bool) -> np.ndarray:
    """One value per neuron from rows of samples: the only row, or their sum (``total``) or mean."""
    if len(values) == 1:
        return values[0]
    return values.sum(axis=0) if total else values.mean(axis=0)


def _within(values: Sequence[np.ndarray | None], layers: range) -> list[np.ndarray | None]:
    """``values`` of the neuron layers in ``layers``, None (nothing printed) for the others."""
    return [v if layer in layers else None for layer, v in enumerate(values)]


def step_values(trace: Trace, phase: Phase, *, update: bool = False, ascii: bool = False) -> Values:
    """What the diagram prints at ``phase``: forward, each computed neuron's z and a, the
    weights on the edges; back, each computed neuron's δ and each computed edge's ∂L/∂w
    (its change Δw with ``update``; NaN, muted, where not computed yet); at the update, Δb and
    Δw. Over several samples a neuron shows the mean of z and a, and Σ δ (= ∂L/∂b)."""
    layers = trace.layers
    count = len(layers) + 1  # neuron layers
    one = len(trace.X) == 1
    a = [_per_neuron(layers[0].inputs, False), *(_per_neuron(t.a, False) for t in layers)]
    z = [None, *(_per_neuron(t.z, False) for t in layers)]
    delta = [None, *(_per_neuron(t.delta, True) for t in layers)]
    weights = tuple(t.weights for t in layers)
    names = ("z", "a", "δ") if one else ("⟨z⟩", "⟨a⟩", "Σδ")
    active: int | None = phase.layer
    if phase.kind in ("forward", "loss"):
        computed = range(phase.layer + 1)
        nodes = [(names[0], _within(z, computed)), (names[1], _within(a, computed))]
        if phase.kind == "loss":
            nodes.append(("y", [*[None] * (count - 1), _per_neuron(trace.y, False)]))  # the outputs' targets
        edges, quantity = weights, "w"
    elif phase.kind == "backward":
        computed = range(phase.layer, count)
        nodes = [(names[1], _within(a, range(phase.layer))), (names[2], _within(delta, computed))]
        changes = [t.step_weights if update else t.grad_weights for t in layers]
        edges = tuple(w if layer + 1 in computed else np.full_like(w, np.nan) for layer, w in enumerate(changes))
        quantity = "Δw" if update else "∂L/∂w"
    else:
        nodes = [("Δb", [None, *(t.step_biases for t in layers)])]
        edges, quantity, active = tuple(t.step_weights for t in layers), "Δw", None
    if ascii:
        nodes = [(name.translate(ASCII), arrays) for name, arrays in nodes]
        quantity = quantity.translate(ASCII)
    return Values(tuple(edges), tuple((name, tuple(arrays)) for name, arrays in nodes), quantity, active)


def backprop_diagram(
    model: MLP,
    trace: Trace,
    phase: Phase,
    *,
    update: bool = False,
    title: str = "",
    focus: tuple[int, int] | None = None,
    ascii: bool = False,
    width: int | None = None,
    height: int | None = None,
    names: Names | None = None,
) -> NetworkDiagram:
    """``model``'s diagram at ``phase`` of the step ``trace`` holds (see ``step_values``); tall
    layers show the neurons with the largest gradients, in every phase alike. Where the whole
    network would not fit ``width`` × ``height``, its neurons show only their newest number
    (a forward, δ back, a and y at the loss), then the ``title`` goes too."""
    ranking = ranked(model, [t.grad_weights for t in trace.layers])
    values = step_values(trace, phase, update=update, ascii=ascii)
    newest = replace(values, nodes=values.nodes[1:] or values.nodes)  # z (or a, going back) goes
    choices = [(values, title), (newest, title), (newest, "")]
    options = {"focus": focus, "ascii": ascii, "width": width, "height": height, "ranking": ranking, "names": names}
    for values, title in choices if width is not None and height is not None else choices[:1]:
        # keys=False: the weights are in the Before and After panels' tables, not in this one
        diagram = NetworkDiagram(model, title=title, keys=False, values=values, **options)
        if width is None or height is None or diagram.layout(width, height).whole:
            break
    return diagram


# ---- one neuron's part of the step, as equations with numbers ----------------------------


def num(value: float) -> str:
    """A number of the equations: four significant digits (``0.2143``, ``-0.0088``, ``1.2e-05``)."""
    return f"{value + 0.0:.4g}"  # (+ 0.0: no "-0")


def _sum(terms: Sequence[tuple[float, str]]) -> str:
    """The largest of ``terms`` (value, text) written out, the rest counted: ``a + b + … 3 more``."""
    order = sorted(range(len(terms)), key=lambda i: -abs(terms[i][0]))
    shown = sorted(order[:TERMS])
    text = " + ".join(terms[i][1] for i in shown)
    return text + (f" + … {len(terms) - TERMS} more" if len(terms) > TERMS else "")


def _slope(model: MLP, layer: int, a: np.ndarray) -> np.ndarray | None:
    """f′(z) of neuron layer ``layer`` written through its outputs ``a`` (None for softmax,
    whose derivative is not one number a neuron)."""
    function = model.activation_functions[layer - 1]
    if function.name == "softmax":
        return None
    slope = np.ones_like(a)
    function.derivative(a, slope, np.empty_like(a))
    return slope


def chain_rule(
    model: MLP, trace: Trace, layer: int, index: int, *, names: Names | None = None, ascii: bool = False
) -> Group:
    """Neuron ``index`` of neuron layer ``layer`` in the step ``trace`` holds: its forward
    values, its δ by the chain rule, the gradients of its bias and incoming weights (for an
    input, of its outgoing ones) and their updates, each as an equation with its numbers.
    Over several samples, the sums over them."""

    def label(at: int, i: int) -> str:
        return node_label(model.layer_sizes, at, i, names)

    lines = [Text.assemble((f" {label(layer, index)} ", "bold reverse"), f" {layer_title(model, layer)}")]
    one = len(trace.X) == 1
    if layer == 0:
        lines += _input_lines(model, trace, index, label, one)
    elif one:
        lines += _neuron_lines(model, trace, layer, index, label)
    else:
        lines += _summed_lines(model, trace, layer, index, label)
    if ascii:
        return Group(*(Text(line.plain.translate(ASCII)) for line in lines))
    return Group(*lines)


def _input_lines(model: MLP, trace: Trace, index: int, label: Label, one: bool) -> list[Text]:
    first = trace.layers[0]
    x = first.inputs[:, index]
    me = label(0, index)
    lines = [Text(f"a = x = {num(x[0])}" if one else f"x over {len(x)} samples: mean {num(x.mean())}")]
    lines.append(Text("gradients of the outgoing weights:", style="bold"))
    for j in range(min(model.layer_sizes[1], TERMS)):
        target = label(1, j)
        grad = first.grad_weights[index, j]
        if one:
            lines.append(_edge_gradient(me, target, x[0], first.delta[0, j], grad))
        else:
            lines.append(Text(f"∂L/∂w({me}→{target}) = Σ a({me})·δ({target}) = {num(grad)}"))
    if model.layer_sizes[1] > TERMS:
        lines.append(Text(f"… {model.layer_sizes[1] - TERMS} more", style="dim"))
    return lines


def _edge_gradient(source: str, target: str, a: float, delta: float, gradient: float) -> Text:
    """``∂L/∂w(x1→h2) = a(x1) × δ(h2) = 1 × 0.0015 = 0.0015``: an edge's gradient, one sample."""
    return Text(f"∂L/∂w({source}→{target}) = a({source}) × δ({target}) = {num(a)} × {num(delta)} = {num(gradient)}")


def _neuron_lines(model: MLP, trace: Trace, layer: int, index: int, label: Label) -> list[Text]:
    """One sample: z, a, δ by the chain rule, ∂L/∂b, ∂L/∂w of the incoming edges, the update."""
    t = trace.layers[layer - 1]
    me = label(layer, index)
    inputs, w = t.inputs[0], t.weights[:, index]
    b, z, a, delta = t.biases[index], t.z[0, index], t.a[0, index], t.delta[0, index]
    incoming = [(inputs[i] * w[i], f"{num(inputs[i])}×{num(w[i])}") for i in range(len(w))]
    function = model.activation_functions[layer - 1]
    lines = [
        Text("forward", style="bold"),
        Text(f"z = Σ a·w + b = ({_sum(incoming)}) + {num(b)} = {num(z)}"),
        Text(f"a = f(z) = {num(a)}    ({function.formulas[0]})"),
        Text("backward", style="bold"),
        Text(f"δ = ∂L/∂z = {_delta_rule(model, trace, layer, index, label)} = {num(delta)}"),
        *_loss_gradient(model, layer),
        Text(f"∂L/∂b = δ = {num(t.grad_biases[index])}"),
    ]
    for i in sorted(np.argsort(-np.abs(t.grad_weights[:, index]), kind="stable")[:TERMS]):
        source = label(layer - 1, int(i))
        lines.append(_edge_gradient(source, me, inputs[i], delta, t.grad_weights[i, index]))
    lines += _update_lines(t, index, me, label, layer)
    return lines


def _delta_rule(model: MLP, trace: Trace, layer: int, index: int, label: Label) -> str:
    """δ of one sample by the chain rule, with its numbers: ``f′(z)·Σ w·δ = 0.2143 × (…)`` for
    a hidden neuron, ``∂L/∂a·f′(z)`` or the loss's own ∂L/∂z for an output."""
    t = trace.layers[layer - 1]
    slope = _slope(model, layer, t.a[0])
    last = len(model.layer_sizes) - 1
    if layer < last:
        following = trace.layers[layer]
        w, deltas = following.weights[index], following.delta[0]
        terms = [(w[k] * deltas[k], f"{num(w[k])}×{num(deltas[k])}") for k in range(len(w))]
        prime = "f′(z)" if slope is None else num(slope[index])
        return f"f′(z)·Σ w·δ = {prime} × ({_sum(terms)})"
    loss = model.loss_function
    if loss.from_logits:
        rule = loss.formulas[1].split(" = ", 1)[1]
        return f"{rule} = ({num(t.a[0, index])} − {num(trace.y[0, index])}) / 1"
    if slope is None:
        return "softmax′ᵀ·∂L/∂a"
    gradient = t.delta[0, index] / slope[index] if slope[index] else float("nan")
    return f"∂L/∂a · f′(z) = {num(gradient)} × {num(slope[index])}"


def _loss_gradient(model: MLP, layer: int) -> list[Text]:
    """Under an output neuron's δ, the loss's gradient it starts from (``∂L/∂a = a − y``)."""
    if layer < len(model.layer_sizes) - 1 or model.loss_function.from_logits:
        return []
    return [Text(f"  where {model.loss_function.formulas[1]}", style="dim")]


def _summed_lines(model: MLP, trace: Trace, layer: int, index: int, label: Label) -> list[Text]:
    """All samples: δ of each, and the gradients as sums over them, and the update."""
    t = trace.layers[layer - 1]
    me = label(layer, index)
    deltas = t.delta[:, index]
    terms = [(d, num(d)) for d in deltas]
    lines = [
        Text(f"over all {len(deltas)} samples", style="bold"),
        Text(f"mean z = {num(t.z[:, index].mean())}, mean a = {num(t.a[:, index].mean())}"),
        Text(f"∂L/∂b = Σ δ = {_sum(terms)} = {num(t.grad_biases[index])}"),
    ]
    for i in sorted(np.argsort(-np.abs(t.grad_weights[:, index]), kind="stable")[:TERMS]):
        source = label(layer - 1, int(i))
        lines.append(Text(f"∂L/∂w({source}→{me}) = Σ a({source})·δ({me}) = {num(t.grad_weights[i, index])}"))
    lines += _update_lines(t, index, me, label, layer)
    return lines


def _update_lines(t: LayerTrace, index: int, me: str, label: Label, layer: int) -> list[Text]:
    """The optimizer's change to the neuron's bias and strongest incoming weights."""
    lines = [Text("update", style="bold"), Text(f"Δb = {num(t.step_biases[index])} → b = {num(t.new_biases[index])}")]
    for i in sorted(np.argsort(-np.abs(t.step_weights[:, index]), kind="stable")[:TERMS]):
        source = label(layer - 1, int(i))
        lines.append(Text(f"Δw({source}→{me}) = {num(t.step_weights[i, index])} → w = {num(t.new_weights[i, index])}"))
    return lines
