"""Write SVG screenshots of the real app to ``screenshots/``.

Run from the repository root: ``python -m tui_mlp.app.screenshots``.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from textual.widgets import Input

from tui_mlp.core.specs import DataSpec, Settings, TrainingSpec

from .app import MLPApp

SIZE = (120, 40)
OUT = Path("screenshots")


async def _shoot(app: MLPApp, name: str) -> None:
    path = OUT / f"{name}.svg"
    path.write_text(app.export_screenshot(title=f"tui-mlp: {name}"), encoding="utf-8")
    print(path)


async def _settle(app: MLPApp, pilot) -> None:
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def main() -> None:
    """Start, training (paused mid-run), trained, a focused node, help, the backprop view, a 2-D
    boundary, a replay, the Runs screen and two runs compared, digits' hidden units as images
    (and sample 12 in the Node pane)."""
    OUT.mkdir(exist_ok=True)
    app = MLPApp(Settings(TrainingSpec(hidden=(8, 4), epochs=3_000_000), seed=0))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await _shoot(app, "start")
        await pilot.press("enter")
        while app.run_state is None or len(app.losses) < 20_000:
            await asyncio.sleep(0.05)
        app.query_one("#after").focus()
        await pilot.press("space")
        await pilot.pause()
        await _shoot(app, "training")
        await pilot.press("escape")
        await _settle(app, pilot)
    app = MLPApp(Settings(seed=0))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await _settle(app, pilot)
        await _shoot(app, "trained")
        app.query_one("#after").focus()
        await pilot.press("right", "down", "down")
        await _shoot(app, "node")
        await pilot.press("f1")
        await _shoot(app, "help")
    app = MLPApp(Settings(seed=0))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3", "g", "s")  # a new run, paused before its first step
        while app.run_state is None or not app.run_state.control.paused:
            await pilot.pause()
        await pilot.press("n", "n", "n", "n", "right", "down")  # back through the hidden layer, on h2
        await _shoot(app, "backprop")
        app.action_cancel()
        await _settle(app, pilot)
    moons = TrainingSpec(hidden=(8, 8), activation="tanh", optimizer="adam", learning_rate=0.01)
    app = MLPApp(Settings(moons, DataSpec("moons"), seed=0))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await _settle(app, pilot)
        app.query_one("#after").focus()
        if not app.query_one("#boundary").display:  # at 120 columns it waits for b (it would cut the nets)
            await pilot.press("b")
        await _shoot(app, "boundary")
        await pilot.press("right", "down", "down")
        await _shoot(app, "boundary-node")
        await pilot.press(*["less_than_sign"] * 8)  # back to a fifth of the epochs
        await _shoot(app, "replay")
        await pilot.press("right_curly_bracket")
        app.query_one("#seed", Input).value = "1"
        await pilot.press("f4", "enter")  # a second run, from another seed
        await _settle(app, pilot)
        await pilot.press("f5", "space")  # run 1's loss in the chart too
        await _shoot(app, "runs")
        await pilot.press("c", "f3", "d")  # run 1 (A) and run 2 (B), then B - A
        await _shoot(app, "compare")
    app = MLPApp(Settings(TrainingSpec(hidden=(32,)), DataSpec("digits"), seed=0))
    async with app.run_test(size=(160, 50)) as pilot:  # wide enough for the images beside the networks
        await pilot.press("enter")
        await _settle(app, pilot)
        app.query_one("#after").focus()
        await pilot.press("right", "down", "down", *["right_square_bracket"] * 11)  # on h3, sample 12
        await _shoot(app, "digits")


if __name__ == "__main__":
    asyncio.run(main())
