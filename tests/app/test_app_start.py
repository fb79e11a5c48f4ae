"""Start-up, layout at different sizes, and quitting."""

from __future__ import annotations

import gc
import re
import subprocess
import sys

from app_helpers import SIZE, app_test, make_app, region_text, screen_text, train_to_end

from tui_mlp.app.widgets.controls import HIDDEN_PROMPT


@app_test
async def test_hidden_field_is_focused_with_the_seed_prompt() -> None:
    app = make_app(seed=0)
    async with app.run_test(size=SIZE):
        assert app.focused is app.query_one("#hidden")
        assert app.query_one("#hidden").placeholder == HIDDEN_PROMPT
        assert HIDDEN_PROMPT in str(app.query_one("#hidden").tooltip)
        assert app.query_one("#hidden").value == "5"
        assert app.query_one("#epochs").value == "10000"
        assert app.query_one("#learning_rate").value == ""  # auto: 0.1 with gd and the seed's summed loss
        assert app.query_one("#learning_rate").placeholder == "auto"
        assert app.query_one("#activation").value == "sigmoid"
        assert app.query_one("#dataset").value == "seed"
        assert app.query_one("#optimizer").value == "auto"
        assert app.query_one("#batch_size").value == ""
        assert app.query_one("#weight_decay").value == "0"


@app_test
async def test_small_terminal_shows_a_message_instead_of_the_layout() -> None:
    app = make_app(seed=0)
    async with app.run_test(size=(50, 15)) as pilot:
        assert app.query_one("#too-small").display
        assert "too small" in screen_text(app)
        assert not app.query_one("#main").display
        await pilot.resize_terminal(*SIZE)
        await pilot.pause()
        assert not app.query_one("#too-small").display
        assert app.query_one("#main").display


@app_test
async def test_80x24_is_usable() -> None:
    app = make_app(seed=0)
    async with app.run_test(size=(80, 24)) as pilot:
        assert not app.query_one("#too-small").display
        for name in ("#hidden", "#train", "#before", "#after", "#loss", "#status"):
            region = app.query_one(name).region
            assert region.width > 0 and region.height > 0, name
            assert region.right <= 80 and region.bottom <= 24, name
        await train_to_end(pilot)
        assert app.run_state.result is not None
        await pilot.pause()
        chart = region_text(app, "#loss").splitlines()
        y_labels = [line.split("┤")[0].strip("│ ") for line in chart if "┤" in line]
        assert len(y_labels) == 4 and y_labels[-1] == "0.00", "\n".join(chart)  # one to each of 4 plot rows


@app_test
async def test_ctrl_q_quits_with_status_0() -> None:
    app = make_app(seed=0)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0
    assert not app.is_running


@app_test
async def test_help_opens_with_f1_and_question_mark() -> None:
    app = make_app(seed=0)
    async with app.run_test(size=SIZE) as pilot:
        for key in ("f1", "question_mark"):
            app.query_one("#before").focus()
            await pilot.press(key)
            assert type(app.screen).__name__ == "HelpScreen"
            text = screen_text(app)
            for described in ("Cancel training", "Pause or resume", "timestamped .txt", "node cursor"):
                assert described in text
            await pilot.press("escape")
            assert type(app.screen).__name__ != "HelpScreen"


@app_test
async def test_long_lived_objects_are_kept_out_of_full_collections_while_running() -> None:
    """Full garbage collections of the app's ~100k objects stalled key presses by 50-90 ms;
    they are frozen once the first screen is up, and thawed when the app ends."""
    app = make_app(seed=0)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert gc.get_freeze_count() > 10_000
    assert gc.get_freeze_count() == 0


@app_test
async def test_a_big_layer_fills_the_graph_panels_at_200x60() -> None:
    """2,000 hidden neurons at 200×60: each graph panel lists as many as its rows allow,
    less its column titles, the '⋮ N more' line, the legend and at most one spare row."""
    app = make_app(seed=0, dataset="spiral", hidden="2000", epochs=1)
    async with app.run_test(size=(200, 60)) as pilot:
        await train_to_end(pilot)
        for panel in ("#before", "#after"):
            rows = app.query_one(panel).region.height - 2  # inside its border
            text = region_text(app, panel)
            shown = len(re.findall(r"\bh\d+ b=", text))
            assert shown >= rows - 4 and f"⋮ {2000 - shown} more" in text, f"{shown} of {rows} rows\n{text}"


FIRST_FRAME = """
import asyncio, sys
from textual.app import App
from tui_mlp import cli
from tui_mlp.app import MLPApp

loaded = []  # the heavy modules loaded when each frame is written
write = App._display
def spy(app, screen, renderable):
    loaded.append(sorted(name for name in ("numpy", "plotext", "tui_mlp.core.mlp") if name in sys.modules))
    write(app, screen, renderable)
App._display = spy

async def run(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
MLPApp.run = lambda app: asyncio.run(run(app))
cli.main(["--seed", "0"])
print(loaded[0], loaded[-1])
"""


def test_the_first_frame_comes_before_numpy_and_plotext() -> None:
    """`tui-mlp` draws its first frame with Textual and the widgets alone; NumPy, the engine
    and plotext load just after it (the data preview, the loss chart's plot)."""
    done = subprocess.run([sys.executable, "-c", FIRST_FRAME], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[] ['numpy', 'plotext', 'tui_mlp.core.mlp']"
