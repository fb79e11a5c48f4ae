"""How much the app costs: training inside it, time to first screen, key-press delay.

Run: ``.venv/bin/python benchmarks/bench_app.py``. Prints one line per measure
with its goal; every ratio is against a baseline measured in the same run.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from textual import events

from tui_mlp.app import MLPApp
from tui_mlp.app.widgets.loss_chart import LossChart
from tui_mlp.app.widgets.network_view import NetworkView
from tui_mlp.core import MLP, train
from tui_mlp.core.datasets import load_dataset
from tui_mlp.core.specs import Settings, TrainingSpec

HERE = Path(__file__).resolve().parent
SIZE = (120, 40)
EPOCHS = 10_000
REPEATS = 5
KEY_ROUNDS = 4
KEYS = ("down", "right", "up", "left", "space", "space", "l", "l", "w", "w")


def headless_seconds() -> float:
    """Training the seed network without any UI (the trainer's own clock)."""
    data = load_dataset("seed", 0)
    return train(MLP((4, 5, 2), seed=0), data.X, data.y, EPOCHS, 0.1).elapsed


async def in_app_seconds() -> float:
    """The same training started with Enter in the app (the trainer's own clock)."""
    app = MLPApp(Settings(TrainingSpec(epochs=EPOCHS), seed=0))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.run_state is not None and app.run_state.result is not None
        return app.run_state.result.elapsed


LAUNCH = """
import time
import asyncio
from textual.app import App
frames = []
display = App._display
def timed_display(self, screen, renderable):
    frames.append(time.time())
    display(self, screen, renderable)
App._display = timed_display
from {module} import {app}
async def main():
    async with {app}().run_test(size={size}) as pilot:
        await pilot.pause()
asyncio.run(main())
print(frames[0], time.time())
"""


def launch_seconds(module: str, app: str) -> tuple[float, float]:
    """From starting a fresh interpreter (wall clock), imports included: seconds to ``module.app``'s first frame
    written to the (headless) terminal, and to the app settled (Pilot's pause returns).

    Bytecode is written and used, as on an installed copy from its second launch on
    (this machine sets PYTHONDONTWRITEBYTECODE, which would recompile tui-mlp each time).
    """
    code = LAUNCH.format(module=module, app=app, size=SIZE)
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = os.pathsep.join([str(HERE), str(HERE.parent), os.environ.get("PYTHONPATH", "")])
    start = time.time()
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    first, settled = map(float, run.stdout.split())
    return first - start, settled - start


def first_screens() -> dict[str, tuple[float, float]]:
    """Median (first frame, settled) seconds from launch of each start-up subject."""
    subjects = {"bare": ("bare_app", "BareApp"), "required": ("required_app", "RequiredWidgetsApp")}
    subjects["app"] = ("tui_mlp.app", "MLPApp")
    medians = {}
    for name, (module, app) in subjects.items():
        launch_seconds(module, app)  # writes the bytecode
        runs = [launch_seconds(module, app) for _ in range(REPEATS)]
        medians[name] = (statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs))
    return medians


def _changed(app: MLPApp, key: str):
    """A predicate that turns true once ``key``'s effect is in the app's state."""
    view, chart, control = app.query_one("#before", NetworkView), app.query_one(LossChart), app.run_state.control
    probes = {
        "down": lambda: view.cursor,
        "right": lambda: view.cursor,
        "left": lambda: view.cursor,
        "up": lambda: view.cursor,
        "space": lambda: control.paused,
        "l": lambda: chart.log,
        "w": lambda: view.show_table,
    }
    probe = probes[key]
    before = probe()
    return lambda: probe() != before


async def key_delays() -> dict[str, float]:
    """Worst delay per key from a press to its effect painted, while training.

    Keys are posted as the terminal driver posts them; Pilot's own waits are
    not used because they wait for the whole process to go idle, which it
    never does while training.
    """
    app = MLPApp(Settings(TrainingSpec(epochs=10_000_000), seed=0))
    worst: dict[str, float] = {}
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        app.query_one("#before").focus()
        await asyncio.sleep(0.5)
        for _ in range(KEY_ROUNDS):
            for key in KEYS:
                changed = _changed(app, key)
                painted = asyncio.Event()
                start = time.perf_counter()
                app.post_message(events.Key(key, key if len(key) == 1 else None))
                while not changed():
                    await asyncio.sleep(0.0005)
                app.call_after_refresh(painted.set)
                await painted.wait()
                worst[key] = max(worst.get(key, 0.0), time.perf_counter() - start)
                await asyncio.sleep(0.1)
        assert app.training, "training ended before the key presses did"
        app.action_cancel()
        await app.workers.wait_for_complete()
    return worst


def main() -> None:
    alone = statistics.median(headless_seconds() for _ in range(REPEATS))
    inside = statistics.median(asyncio.run(in_app_seconds()) for _ in range(REPEATS))
    print(
        f"training {EPOCHS:,} epochs: app {inside:.3f} s / headless {alone:.3f} s = {inside / alone:.2f}x (goal <= 1.2)"
    )
    screens = first_screens()
    bare = screens["bare"]
    for index, what in enumerate(("first frame", "settled")):
        app, required = screens["app"][index], screens["required"][index]
        print(
            f"first screen from launch, {what}: app {app * 1000:.0f} ms / bare Textual app with one Static "
            f"{bare[index] * 1000:.0f} ms = {app / bare[index]:.2f}x (goal <= 1.5); "
            f"the issue's required widgets alone: {required / bare[index]:.2f}x"
        )
    delays = asyncio.run(key_delays())
    key = max(delays, key=delays.__getitem__)
    each = ", ".join(f"{k} {v * 1000:.0f}" for k, v in delays.items())
    print(f"worst key-press-to-effect delay while training: {delays[key] * 1000:.0f} ms on {key!r} (goal <= 100 ms)")
    print(f"  per key (ms): {each}")


if __name__ == "__main__":
    main()
