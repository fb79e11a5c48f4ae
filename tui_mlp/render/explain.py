"""One backpropagation step as a worked example on paper: the forward values, the
loss, the deltas, the gradients and the updated parameters, layer by layer, each
with its equation. The numbers come from ``MLP.trace``."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from rich.text import Text

from tui_mlp.core import MLP
from tui_mlp.core.activations import formula
from tui_mlp.core.choices import DEFAULT_DTYPE
from tui_mlp.core.optimizers import Momentum, Optimizer
from tui_mlp.core.run import Run
from tui_mlp.core.trace import Trace

INDENT = "  "
PRECISION = 4
SUMMARY_THRESHOLD = 60  # arrays with more numbers than this are shown by their corners


# the symbols of the formulas in 7-bit ASCII (--ascii)
ASCII = str.maketrans(
    {
        "·": "*", "∂": "d", "δ": "d", "Δ": "D", "Σ": "sum", "θ": "theta", "η": "lr", "μ": "mu", "λ": "lambda",
        "β": "beta", "ε": "eps", "√": "sqrt ", "←": "<-", "−": "-", "′": "'", "ᵀ": "^T", "ᵗ": "^t", "²": "^2",
        "½": "1/2", "₁": "1", "₂": "2", "ₖ": "_k", "ŷ": "y^", "\u0302": "^",
        "⟨": "<", "⟩": ">", "×": "x", "→": "->", "…": "...",
    }
)  # fmt: skip


def explanation(
    model: MLP,
    trace: Trace,
    optimizer: Optimizer,
    caption: Sequence[str] = (),
    width: int = 100,
    *,
    ascii: bool = False,
) -> Text:
    """The worked example of ``trace`` (a step of ``model`` by ``optimizer``), ``width``
    columns wide at most, under the lines of ``caption``; plain 7-bit text if ``ascii``."""
    text = _explanation(model, trace, optimizer, caption, width)
    return Text(text.plain.translate(ASCII)) if ascii else text


def _explanation(model: MLP, trace: Trace, optimizer: Optimizer, caption: Sequence[str], width: int) -> Text:
    text = Text()
    text.append("One backpropagation step, worked on paper\n", style="bold")
    for line in caption:
        text.append(line + "\n")
    text.append("Layer l takes a[l] to z[l] = a[l]·W[l] + b[l] and a[l+1] = f(z[l]); a[0] = x, δ[l] = ∂L/∂z[l].\n")
    for title, lines in (
        ("Forward pass", _forward(model, trace, width)),
        ("Loss", _loss(model, trace)),
        ("Backward pass", _backward(model, trace, width)),
        ("Update: θ ← θ + Δθ", _update(model, trace, optimizer, width)),
    ):
        text.append(f"\n{title}\n", style="bold")
        text.append("\n".join(lines) + "\n")
    return text


def caption(run: Run, sample: int, step: int) -> list[str]:
    """What is stepped: the network, the data, the sample (from 0) and the step (from 1)."""
    described = run.summary()
    when = "the first" if step == 1 else f"after {step - 1:,} epochs of training"
    dtype = "" if described["dtype"] == DEFAULT_DTYPE else f", {described['dtype']}"
    return [
        f"network {described['network']} ({described['activation']}, loss {described['loss']}{dtype}); {run.origin}",
        f"data {described['data']}: sample {sample + 1} of {described['samples']}; step {step} ({when})",
    ]


def _forward(model: MLP, trace: Trace, width: int) -> list[str]:
    last = model.n_layers
    lines = [INDENT + _equation("x = a[0]", trace.layers[0].inputs, width, 1)]
    for l, (layer, f) in enumerate(zip(trace.layers, model.activation_functions)):
        lines.append(f"{INDENT}{_name(model, l)}: {f.name}, {f.formulas[0]}")
        lines.append(_indented(_equation(f"W[{l}]", layer.weights, width, 2), 2))
        lines.append(_indented(_equation(f"b[{l}]", layer.biases, width, 2), 2))
        lines.append(_indented(_equation(f"z[{l}] = a[{l}]·W[{l}] + b[{l}]", layer.z, width, 2), 2))
        output = f"ŷ = a[{last}] = f(z[{l}])" if l == last - 1 else f"a[{l + 1}] = f(z[{l}])"
        lines.append(_indented(_equation(output, layer.a, width, 2), 2))
    lines.append(INDENT + _equation("y", trace.y, width, 1))
    return lines


def _loss(model: MLP, trace: Trace) -> list[str]:
    value, gradient = model.loss_function.formulas
    return [f"{INDENT}{value} = {trace.loss:.6f}", f"{INDENT}its gradient: {gradient}"]


def _backward(model: MLP, trace: Trace, width: int) -> list[str]:
    last = model.n_layers - 1
    lines = []
    for l in range(last, -1, -1):
        layer, f = trace.layers[l], model.activation_functions[l]
        lines.append(f"{INDENT}{_name(model, l)}: {f.name}′, {f.formulas[1]}")
        if l < last:
            rule = f"δ[{l}] = (δ[{l + 1}]·W[{l + 1}]ᵀ) · f′(z[{l}])"
        elif model.loss_function.from_logits:
            rule = f"δ[{l}] = ∂L/∂z[{l}]"
        else:
            rule = f"δ[{l}] = ∂L/∂a[{l + 1}] · f′(z[{l}])"
        lines.append(_indented(_equation(rule, layer.delta, width, 2), 2))
        lines.append(_indented(_equation(f"∂L/∂W[{l}] = a[{l}]ᵀ·δ[{l}]", layer.grad_weights, width, 2), 2))
        lines.append(_indented(_equation(f"∂L/∂b[{l}] = Σ δ[{l}]", layer.grad_biases, width, 2), 2))
    return lines


def _update(model: MLP, trace: Trace, optimizer: Optimizer, width: int) -> list[str]:
    lines = [INDENT + line for line in _rule(optimizer)]
    for l, layer in enumerate(trace.layers):
        lines.append(f"{INDENT}{_name(model, l)}")
        lines.append(_indented(_equation(f"W[{l}] + ΔW[{l}]", layer.new_weights, width, 2), 2))
        lines.append(_indented(_equation(f"b[{l}] + Δb[{l}]", layer.new_biases, width, 2), 2))
    return lines


def _rule(optimizer: Optimizer) -> list[str]:
    """The optimizer's update rule and its settings."""
    settings = [f"η = {optimizer.learning_rate:g}"]
    if isinstance(optimizer, Momentum):
        settings.append(f"μ = {optimizer.momentum:g}")
    gradient = f"∂L/∂θ + λ·w at the weights, λ = {optimizer.weight_decay:g}" if optimizer.weight_decay else "∂L/∂θ"
    return [formula(optimizer), f"with {', '.join(settings)} and g = {gradient}"]


def _name(model: MLP, l: int) -> str:
    return "output layer" if l == model.n_layers - 1 else f"hidden layer {l + 1}"


def _equation(left: str, array: np.ndarray, width: int, depth: int) -> str:
    """``left = array``: on one line if it fits, else the array below, indented."""
    numbers = _numbers(array, width - len(INDENT) * (depth + 1))
    one_line = f"{left} = {numbers}"
    if "\n" not in numbers and len(one_line) + len(INDENT) * depth <= width:
        return one_line
    return f"{left} =\n" + _indented(numbers, 1)


def _numbers(array: np.ndarray, width: int) -> str:
    """An array as NumPy prints it; one sample's row as a vector."""
    if array.ndim == 2 and array.shape[0] == 1:
        array = array[0]
    return np.array2string(
        array,
        precision=PRECISION,
        floatmode="fixed",
        suppress_small=True,
        sign=" ",
        max_line_width=width,
        threshold=SUMMARY_THRESHOLD,
        edgeitems=3,
    )


def _indented(text: str, depth: int) -> str:
    return "\n".join(INDENT * depth + line for line in text.splitlines())
