"""``--ascii``: every cell on screen is 7-bit ASCII, whatever is open."""

from __future__ import annotations

import pytest
from app_helpers import app_test, make_app, screen_text, train_to_end

from tui_mlp.app import MLPApp


def assert_ascii(app: MLPApp, state: str) -> None:
    lines = screen_text(app).splitlines()
    assert len(lines) == app.size.height and {len(line) for line in lines} == {app.size.width}, state
    odd = sorted({char for line in lines for char in line if not char.isascii()})
    assert not odd, f"{state}: {''.join(odd)}"


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
@app_test
async def test_every_cell_is_ascii(size: tuple[int, int]) -> None:
    app = make_app(seed=0, dataset="moons", epochs=200, ascii=True)
    async with app.run_test(size=size, notifications=True) as pilot:
        assert_ascii(app, "idle")
        await train_to_end(pilot)
        assert_ascii(app, "trained")
        assert "*" in app.query_one("#loss").plt.build()  # the loss is plotted with * points, not braille
        app.query_one("#before").focus()
        await pilot.press("b", "right", "down")
        assert app.query_one("#boundary").display != (size[0] >= 100)
        assert_ascii(app, "boundary toggled, a node focused")
        await pilot.press("w")
        assert_ascii(app, "weight tables")
        await pilot.press("ctrl+p")
        assert_ascii(app, "palette")
        await pilot.press("escape", "f1")
        assert_ascii(app, "help")
        await pilot.press("escape")
        app.query_one("#hidden").focus()
        await pilot.press("end", "x", "enter")
        assert app.query_one("#errors").display
        assert_ascii(app, "a refused field")
        app.notify("✓ saved → here", title="Done")
        await pilot.pause()
        assert "v saved > here" in screen_text(app)


@app_test
async def test_without_ascii_the_screen_keeps_its_glyphs() -> None:
    app = make_app(seed=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await train_to_end(pilot)
        assert "╭" in screen_text(app) and "⣀" in screen_text(app)
