"""Before and After show the same neurons in the same places, at every size, while a
neuron focused in one panel is shown (and highlighted) in the other too."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from app_helpers import app_test, make_app, region_text, train_to_end

IRIS = Path(__file__).parent.parent / "data" / "iris.csv"
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


@app_test
async def test_function_keys_reach_the_panels_and_home_end_pages_move_the_cursor() -> None:
    app = make_app(seed=1, hidden="300", dataset="spiral", epochs=50)
    async with app.run_test(size=(120, 40)) as pilot:
        await train_to_end(pilot)
        assert app.focused is app.query_one("#hidden")
        await pilot.press("f3")
        after = app.query_one("#after")
        assert app.focused is after
        await pilot.press("right", "end")
        assert after.cursor == (1, 299)
        await pilot.press("pageup", "pageup", "up")
        assert after.cursor == (1, 278)
        await pilot.press("home", "pagedown")
        assert after.cursor == (1, 10)
        await pilot.press("f2")
        assert app.focused is app.query_one("#before")
        await pilot.press("f4")
        assert app.focused is app.query_one("#hidden")


@pytest.mark.parametrize(("size", "boundary"), [((120, 40), False), ((200, 60), True)])
@app_test
async def test_the_boundary_does_not_squeeze_a_network_that_would_fit(size: tuple[int, int], boundary: bool) -> None:
    """The issue's case: 2-8-4-1 at 120×40 showed 3 of 8 nodes beside the boundary, whole without it."""
    app = make_app(seed=1, hidden="8,4", dataset="moons", epochs=50)
    async with app.run_test(size=size) as pilot:
        await train_to_end(pilot)
        shown = app.query_one("#boundary").display
        assert shown is boundary
        text = region_text(app, "#before")
        assert "more" not in text and "too small" not in text
        assert "h1_8 b=" in text and "h2_4 b=" in text  # the last neuron of each hidden layer
        await pilot.press("f2", "b")
        assert app.query_one("#boundary").display is not boundary  # b still shows or hides it


@app_test
async def test_a_tables_columns_and_classes_name_the_inputs_and_outputs() -> None:
    app = make_app(seed=0, data_file=str(IRIS), targets=("species",), epochs=50)
    async with app.run_test(size=(120, 40)) as pilot:
        await train_to_end(pilot)
        for panel in ("#before", "#after"):
            text = region_text(app, panel)
            assert "sepal_length" in text and "petal_width" in text and "virginica b=" in text
            assert "x1" not in text and "y1" not in text
        await pilot.press("f2")
        assert region_text(app, "#details").splitlines()[1].split()[1:3] == ["sepal_length", "Input"]
