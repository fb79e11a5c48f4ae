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
