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

from bare_app import BareApp
from textual import events

from tui_mlp.app import MLPApp
from tui_mlp.app.widgets.loss_chart import LossChart
from tui_mlp.app.widgets.network_view import NetworkView
from tui_mlp.core import MLP, train
from tui_mlp.core.datasets import load_dataset

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
    app = MLPApp(seed=0, epochs=EPOCHS)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.run_state is not None and app.run_state.result is not None
        return app.run_state.result.elapsed


async def first_screen_seconds(make_app) -> float:
    """In this process (imports done): from constructing the app to its first screen painted."""
    start = time.perf_counter()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        return time.perf_counter() - start


LAUNCH = """
import asyncio, time
start = time.perf_counter()
{imports}
async def main():
    async with {app}.run_test(size={size}) as pilot:
        await pilot.pause()
asyncio.run(main())
print(time.perf_counter() - start)
"""


def launch_seconds(module: str, app: str) -> float:
    """In a fresh interpreter, imports included: to ``module.app``'s first screen painted."""
    code = LAUNCH.format(imports=f"from {module} import {app}", app=f"{app}()", size=SIZE)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(HERE), str(HERE.parent), os.environ.get("PYTHONPATH", "")])}
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    return float(run.stdout)


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
    app = MLPApp(seed=0, epochs=10_000_000)
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
    measures = {
        "from launch, imports included": (
            lambda: launch_seconds("bare_app", "BareApp"),
            lambda: launch_seconds("tui_mlp.app", "MLPApp"),
        ),
        "in process, imports done": (
            lambda: asyncio.run(first_screen_seconds(BareApp)),
            lambda: asyncio.run(first_screen_seconds(MLPApp)),
        ),
    }
    for what, (bare_seconds, app_seconds) in measures.items():
        bare = statistics.median(bare_seconds() for _ in range(REPEATS))
        ours = statistics.median(app_seconds() for _ in range(REPEATS))
        print(
            f"first screen ({what}): app {ours * 1000:.0f} ms / bare Textual app with one Static "
            f"{bare * 1000:.0f} ms = {ours / bare:.2f}x (goal <= 1.5)"
        )
    delays = asyncio.run(key_delays())
    key = max(delays, key=delays.__getitem__)
    each = ", ".join(f"{k} {v * 1000:.0f}" for k, v in delays.items())
    print(f"worst key-press-to-effect delay while training: {delays[key] * 1000:.0f} ms on {key!r} (goal <= 100 ms)")
    print(f"  per key (ms): {each}")


if __name__ == "__main__":
    main()
