"""The backprop view's drawing and equations (``render.backprop``): what each phase of a
step shows, the numbers as printed, and a golden text of the seed network's first step.

Regenerate the golden file after a deliberate change, and review the diff:

    UPDATE_GOLDEN=1 .venv/bin/pytest tests/render/test_backprop.py
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from test_golden import assert_golden

from tui_mlp.core.run import Run
from tui_mlp.core.specs import DataSpec, TrainingSpec
from tui_mlp.render.backprop import Phase, backprop_diagram, chain_rule, phases, step_values
from tui_mlp.render.layout import value_text
from tui_mlp.render.text import render_text

WIDTH = 79


@pytest.fixture(scope="module")
def run() -> Run:
    return Run.create(TrainingSpec(), DataSpec("seed"), 0)


def test_a_step_goes_forward_to_the_loss_back_and_updates(run: Run) -> None:
    assert phases(run.model) == (
        Phase("forward", 1),
        Phase("forward", 2),
        Phase("loss", 2),
        Phase("backward", 2),
        Phase("backward", 1),
        Phase("update", 0),
    )
    assert Phase("backward", 1).describe(run.model) == ("backward: Hidden (sigmoid)", "backward: Hidden", "back H")


def test_forward_shows_only_the_layers_computed_so_far(run: Run) -> None:
    values = step_values(run.next_step(run.model, 0), Phase("forward", 1))
    z, a = (dict(values.nodes)[name] for name in ("z", "a"))
    assert z[0] is None and z[1] is not None and z[2] is None
    assert a[0] is not None and a[1] is not None and a[2] is None
    assert values.quantity == "w" and values.active == 1
    np.testing.assert_array_equal(values.edges[0], run.model.weights[0])


def test_going_back_the_edges_not_reached_yet_are_not_numbers(run: Run) -> None:
    trace = run.next_step(run.model, 0)
    values = step_values(trace, Phase("backward", 2))
    assert np.isnan(values.edges[0]).all()
    np.testing.assert_array_equal(values.edges[1], trace.layers[1].grad_weights)
    assert values.quantity == "∂L/∂w"
    update = step_values(trace, Phase("backward", 1), update=True)
    np.testing.assert_array_equal(update.edges[0], trace.layers[0].step_weights)
    assert update.quantity == "Δw"


def test_over_all_samples_a_neuron_shows_the_sum_of_its_deltas(run: Run) -> None:
    trace = run.next_step(run.model, None)
    delta = dict(step_values(trace, Phase("backward", 1)).nodes)["Σδ"]
    np.testing.assert_allclose(delta[1], trace.layers[0].grad_biases, rtol=1e-12)


@pytest.mark.parametrize(
    ("value", "text"),
    [(0.0, "    0"), (-0.0, "    0"), (0.0042, "+4e-3"), (-0.0042, "-4e-3"), (0.0088, "+0.01"), (0.53, "+0.53"),
     (1.2e-12, "+0.00"), (math.nan, "  ..."), (12.34, "+12.3")],
)  # fmt: skip
def test_a_small_value_is_printed_as_a_power_of_ten_not_as_zero(value: float, text: str) -> None:
    assert value_text(value) == text


def test_the_chain_rule_of_a_hidden_neuron_adds_up(run: Run) -> None:
    """δ(h2) = f′(z)·Σ w·δ: the printed factors give the printed result."""
    trace = run.next_step(run.model, 0)
    text = render_text(chain_rule(run.model, trace, 1, 1), 200)
    line = next(line for line in text.splitlines() if line.startswith("δ = ∂L/∂z = f′(z)·Σ w·δ"))
    slope, terms = line.split(" = ")[3].split(" × (", 1)
    products = [a * b for a, b in (map(float, term.split("×")) for term in terms.rstrip(")").split(" + "))]
    assert float(slope) * sum(products) == pytest.approx(float(line.split(" = ")[-1]), rel=1e-3)
    assert float(line.split(" = ")[-1]) == pytest.approx(trace.layers[0].delta[0, 1], rel=1e-3)


def test_ascii_drawings_and_equations_are_7_bit(run: Run) -> None:
    trace = run.next_step(run.model, None)
    for phase in phases(run.model):
        assert render_text(backprop_diagram(run.model, trace, phase, ascii=True, width=WIDTH), WIDTH).isascii()
    for layer, size in enumerate(run.model.layer_sizes):
        assert render_text(chain_rule(run.model, trace, layer, size - 1, ascii=True), WIDTH).isascii()


def test_seed_network_first_step_matches_golden(run: Run) -> None:
    """The seed network (4-5-2, seed 0), sample 1: every phase, and two neurons' equations."""
    trace = run.next_step(run.model, 0)
    parts = []
    for phase in phases(run.model):
        title = phase.describe(run.model)[0]
        parts.append(render_text(backprop_diagram(run.model, trace, phase, title=title, width=WIDTH, height=14), WIDTH))
    parts += [render_text(chain_rule(run.model, trace, layer, 1), WIDTH) for layer in (1, 2)]
    assert_golden("\n".join(parts), "backprop_seed")


def test_squeezed_the_loss_still_shows_each_output_beside_its_target(run: Run) -> None:
    trace = run.next_step(run.model, 0)
    text = render_text(backprop_diagram(run.model, trace, Phase("loss", 2), width=38, height=9), 38)
    assert "z=" not in text and "y1 a=+0.58 y=    0" in text
