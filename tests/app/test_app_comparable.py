"""Before and After show the same neurons in the same places, at every size, while a
neuron focused in one panel is shown (and highlighted) in the other too."""

from __future__ import annotations

import re

import pytest
from app_helpers import app_test, make_app, region_text, train_to_end

NEURON = re.compile(r"\b(?:x\d+|h\d+(?:_\d+)?|y\d+)\b")


def neurons(text: str) -> list[tuple[int, int, str]]:
    """Each neuron label on a panel with its row and column, top to bottom."""
    return [(row, m.start(), m.group()) for row, line in enumerate(text.splitlines()) for m in NEURON.finditer(line)]


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (200, 60)])
@pytest.mark.parametrize(("hidden", "dataset"), [("8,4", "moons"), ("300", "spiral")])
@app_test
async def test_before_and_after_list_the_same_neurons_in_the_same_places(
    size: tuple[int, int], hidden: str, dataset: str
) -> None:
    app = make_app(seed=1, hidden=hidden, dataset=dataset, epochs=300)
    async with app.run_test(size=size) as pilot:
        await train_to_end(pilot)
        before, after = region_text(app, "#before"), region_text(app, "#after")
        assert neurons(before) == neurons(after)
        assert len({label for _, _, label in neurons(before)}) >= 3
        assert before != after  # the values differ: training moved them


@app_test
async def test_a_neuron_focused_in_one_panel_is_shown_in_the_other() -> None:
    app = make_app(seed=1, hidden="300", dataset="spiral", epochs=100)
    async with app.run_test(size=(120, 40)) as pilot:
        await train_to_end(pilot)
        app.query_one("#before").focus()
        await pilot.press("right", *["down"] * 40)
        await pilot.pause()
        assert app.focused_node is not None
        layer, index = app.focused_node[1:]
        assert (layer, index) == (1, 40)
        assert "h41 " in region_text(app, "#after") and "h41 " in region_text(app, "#before")
        assert neurons(region_text(app, "#before")) == neurons(region_text(app, "#after"))
