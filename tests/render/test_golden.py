"""Golden drawings of the seed network (4-5-2, seed 0) before and after training,
and the worked example of its first backprop step on sample 1 (``tui-mlp explain``).

The colour-free text must match ``tests/render/golden/*.txt`` exactly. When the
drawing changes on purpose, regenerate the files and review the diff:

    UPDATE_GOLDEN=1 .venv/bin/pytest tests/render/test_golden.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tui_mlp.core import MLP, train
from tui_mlp.core.datasets import load_dataset
from tui_mlp.core.run import Run
from tui_mlp.core.specs import DataSpec, TrainingSpec
from tui_mlp.render.explain import caption, explanation
from tui_mlp.render.network import NetworkDiagram
from tui_mlp.render.text import render_text

GOLDEN = Path(__file__).parent / "golden"
PANEL_WIDTH = 79  # half of the default 160-column snapshot


def seed_network(trained: bool) -> MLP:
    model = MLP([4, 5, 2], seed=0)
    if trained:
        data = load_dataset("seed")
        train(model, data.X, data.y, epochs=10000, learning_rate=0.1)
    return model


def assert_golden(text: str, name: str) -> None:
    path = GOLDEN / f"{name}.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"drawing changed; see the module docstring to regenerate {path}"


@pytest.mark.parametrize(("name", "trained"), [("seed_before", False), ("seed_after", True)])
def test_seed_network_matches_golden(name: str, trained: bool) -> None:
    title = "After training" if trained else "Before training"
    assert_golden(render_text(NetworkDiagram(seed_network(trained), title=title), PANEL_WIDTH), name)


def seed_explanation() -> str:
    """The first step of the seed network (seed 0) on sample 1, as ``tui-mlp explain`` prints it."""
    run = Run.create(TrainingSpec(), DataSpec(), seed=0)
    trace, optimizer = run.trace(0)
    return render_text(explanation(run.before, trace, optimizer, caption(run, 0, 1), width=100), 100)


def test_the_worked_example_matches_golden() -> None:
    assert_golden(seed_explanation(), "explain_seed")


def test_golden_shows_every_bias_and_weight() -> None:
    """The golden drawing itself carries every value to two decimals."""
    model = seed_network(trained=True)
    text = (GOLDEN / "seed_after.txt").read_text(encoding="utf-8")
    for layer, biases in enumerate(model.biases, start=1):
        for index, bias in enumerate(biases):
            name = f"h{index + 1}" if layer == 1 else f"y{index + 1}"
            assert f"{name} b={bias:+.2f}" in text
    for layer, weights in enumerate(model.weights):
        for (_, j), weight in zip(
            ((i, j) for i in range(weights.shape[0]) for j in range(weights.shape[1])), weights.ravel()
        ):
            target = f"h{j + 1}" if layer == 0 else f"y{j + 1}"
            assert f"→{target} {weight:+.2f}" in text
