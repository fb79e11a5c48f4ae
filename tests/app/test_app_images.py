"""Digits in the app: the third panel draws each hidden unit's weights as an 8x8 image,
live, the unit under the node cursor enlarged with its bias and the layer's scale."""

from __future__ import annotations

import pytest
from app_helpers import app_test, make_app, region_text, train_to_end


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (200, 60)])
@app_test
async def test_hidden_units_are_drawn_as_images_and_the_focused_one_enlarged(size: tuple[int, int]) -> None:
    app = make_app(seed=0, dataset="digits", hidden="16", epochs=20)
    async with app.run_test(size=size) as pilot:
        await train_to_end(pilot)
        boundary = app.query_one("#boundary")
        if not boundary.display:  # below 100 columns it waits for b
            await pilot.press("f3", "b")
        else:
            await pilot.press("f3")
        await pilot.pause()
        assert boundary.display and boundary.border_title == "Weights as images"
        await pilot.press("right", "down", "down")
        await pilot.pause()
        text = region_text(app, "#boundary")
        assert "h3" in text and "bias " in text and "scale ±" in text
        assert "▀" in text and ("h1" in text or "more units" in text)


@app_test
async def test_an_output_neuron_shows_the_confusion_matrix_of_the_test_split() -> None:
    app = make_app(seed=0, dataset="moons", hidden="8", epochs=300)
    async with app.run_test(size=(120, 40)) as pilot:
        await train_to_end(pilot)
        await pilot.press("f3", "right", "right")  # y1
        await pilot.pause()
        details = app.query_one("#details")
        details.scroll_end(animate=False)
        await pilot.pause()
        text = region_text(app, "#details")
        assert "Confusion matrix of the test split" in text
        matrix = app.run_state.confusion(app.after_model)
        assert matrix is not None and matrix.sum() == len(app.run_state.test.X)
        rows = [line.strip("│ ").split() for line in text.splitlines()]
        assert ["0", "1"] in rows  # the predicted classes over the columns
        for true_class, counts in enumerate(matrix):
            assert [str(true_class), *map(str, counts)] in rows
