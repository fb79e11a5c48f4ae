"""How much the app costs: training inside it, time to first screen, key-press delay.

Run: ``.venv/bin/python benchmarks/bench_app.py`` (``--backprop``: only the backprop
view's keys; ``--keys``: only the key delays while training; ``--samples``: only the sample
browser's keys). Prints one line per
measure with its goal; every ratio is against a baseline measured in the same run.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from textual import events

from tui_mlp.app import MLPApp
from tui_mlp.app.widgets.backprop_view import BackpropView
from tui_mlp.app.widgets.loss_chart import LossChart
from tui_mlp.app.widgets.network_view import NetworkView
from tui_mlp.core import MLP, train
from tui_mlp.core.datasets import load_dataset
from tui_mlp.core.specs import DataSpec, Settings, TrainingSpec

HERE = Path(__file__).resolve().parent
SIZE = (120, 40)
BACKPROP_SIZE = (160, 50)
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
    """A function whose value changes once ``key``'s effect is in the app's state."""
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
    return probes[key]


async def timed_press(app: MLPApp, key: str, probe) -> float:
    """Seconds from posting ``key`` as the terminal driver does to its effect (``probe``'s
    value changes) painted. Pilot's own waits are not used: they wait for the whole process
    to go idle, which it never does while training."""
    before = probe()
    painted = asyncio.Event()
    start = time.perf_counter()
    app.post_message(events.Key(key, key if len(key) == 1 else None))
    while probe() == before:
        await asyncio.sleep(0.0005)
    app.call_after_refresh(painted.set)
    await painted.wait()
    return time.perf_counter() - start


SEED_NET = Settings(TrainingSpec(epochs=10_000_000), seed=0)
DIGITS_NET = Settings(TrainingSpec(hidden=(128,), epochs=1_000_000), DataSpec("digits"), seed=0)


async def key_delays(settings: Settings) -> dict[str, float]:
    """Worst delay per key from a press to its effect painted, while training (``timed_press``)."""
    app = MLPApp(settings)
    worst: dict[str, float] = {}
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        app.query_one("#before").focus()
        await asyncio.sleep(0.5)
        for _ in range(KEY_ROUNDS):
            for key in KEYS:
                worst[key] = max(worst.get(key, 0.0), await timed_press(app, key, _changed(app, key)))
                await asyncio.sleep(0.1)
        assert app.training, "training ended before the key presses did"
        app.action_cancel()
        await app.workers.wait_for_complete()
    return worst


def wide_table(folder: Path) -> Path:
    """A CSV of 200 samples of 784 inputs and 10 classes: the MNIST-shaped 784-256-10 net (the
    classes are named ``d0``…``d9``: numbers would make the target a regression's)."""
    rng = np.random.default_rng(0)
    path = folder / "wide.csv"
    header = ",".join([*(f"p{i}" for i in range(784)), "digit"])
    rows = [",".join([*(f"{v:.3f}" for v in rng.random(784)), f"d{rng.integers(10)}"]) for _ in range(200)]
    path.write_text("\n".join([header, *rows]) + "\n")
    return path


async def press_rounds(app: MLPApp, probes: dict, worst: dict[str, float]) -> None:
    """Press each key of ``probes`` (a name ending in the key) ``KEY_ROUNDS`` times; keep the worst delay."""
    for _ in range(KEY_ROUNDS):
        for name, probe in probes.items():
            worst[name] = max(worst.get(name, 0.0), await timed_press(app, name.split()[-1], probe))
            await asyncio.sleep(0.05)


async def backprop_delays(data: DataSpec, hidden: tuple[int, ...]) -> dict[str, float]:
    """Worst delay per key in the backprop view, idle (paused before the first epoch), at 160×50;
    then, as the baseline, of the cursor keys in the After panel of the same screen."""
    app = MLPApp(Settings(TrainingSpec(hidden=hidden), data, seed=0))
    worst: dict[str, float] = {}
    async with app.run_test(size=BACKPROP_SIZE) as pilot:
        await pilot.press("f3", "g", "s")
        while app.run_state is None or not app.run_state.control.paused:
            await pilot.pause()
        view = app.query_one(BackpropView)
        await pilot.pause()
        probes = {
            "n": lambda: view.phase,
            "right_square_bracket": lambda: view.sample,
            "a": lambda: view.all_samples,
            "u": lambda: view.update,
            "right": lambda: view.cursor,  # (each key's effect undone by the next: the cursor never sticks)
            "down": lambda: view.cursor,
            "left": lambda: view.cursor,
            "up": lambda: view.cursor,
        }
        await press_rounds(app, probes, worst)
        await pilot.press("g")  # the baseline: the same cursor keys in the After panel, the view hidden
        after = app.query_one("#after", NetworkView)
        after.focus()
        await pilot.pause()
        baseline = {f"After {key}": (lambda: after.cursor) for key in ("right", "down", "left", "up")}
        await press_rounds(app, baseline, worst)
        app.action_cancel()
        await app.workers.wait_for_complete()
    return worst


def backprop_lines() -> None:
    with tempfile.TemporaryDirectory() as folder:
        subjects = {
            "seed 4-5-2": (DataSpec("seed"), (5,)),
            "784-256-10": (DataSpec(csv_file=str(wide_table(Path(folder))), targets=("digit",)), (256,)),
        }
        for name, (data, hidden) in subjects.items():
            print_delays(f"in the backprop view of {name}, idle at 160x50", asyncio.run(backprop_delays(data, hidden)))


async def sample_delays(data: DataSpec, hidden: tuple[int, ...], epochs: int) -> dict[str, float]:
    """Worst delay of ``]`` and ``[`` (the Node pane draws the next or previous sample under h1 of
    the After panel) at 120×40: while ``epochs`` of training run, if they are many, else idle after them."""
    app = MLPApp(Settings(TrainingSpec(hidden=hidden, epochs=epochs), data, seed=0))
    worst: dict[str, float] = {}
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        if epochs < 1000:
            await app.workers.wait_for_complete()
        await pilot.press("f3", "right")
        probe = {key: (lambda: app.sample) for key in ("right_square_bracket", "left_square_bracket")}
        await press_rounds(app, probe | {"again right_square_bracket": probe["right_square_bracket"]}, worst)
        app.action_cancel()
        await app.workers.wait_for_complete()
    return worst


def sample_lines() -> None:
    with tempfile.TemporaryDirectory() as folder:
        subjects = {
            "digits 64-128-10": (DataSpec("digits"), (128,)),
            "784-256-10": (DataSpec(csv_file=str(wide_table(Path(folder))), targets=("digit",)), (256,)),
        }
        for name, (data, hidden) in subjects.items():
            for epochs, when in ((20, "idle"), (1_000_000, "while training")):
                delays = asyncio.run(sample_delays(data, hidden, epochs))
                print_delays(f"of the sample keys over {name}, {when}", delays)


async def replay_delays(data: DataSpec, hidden: tuple[int, ...], epochs: int) -> dict[str, float]:
    """Worst delay of the replay keys (After, the Node pane, the boundary, the status line and the
    chart move to another checkpoint) after a run of ``epochs``, idle, at 160×50."""
    app = MLPApp(Settings(TrainingSpec(hidden=hidden, epochs=epochs), data, seed=0))
    worst: dict[str, float] = {}
    async with app.run_test(size=BACKPROP_SIZE) as pilot:
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.press("f3", "right")  # a hidden neuron in the Node pane
        probe = lambda: app.replay  # noqa: E731
        keys = ("comma", "again comma", "full_stop", "less_than_sign", "greater_than_sign")
        await press_rounds(app, dict.fromkeys(keys, probe), worst)
    return worst


def replay_lines() -> None:
    with tempfile.TemporaryDirectory() as folder:
        subjects = {
            "seed 4-5-2 (10,000 epochs, 256 checkpoints)": (DataSpec("seed"), (5,), 10_000),
            "784-256-10 (300 epochs, 41 checkpoints)": (
                DataSpec(csv_file=str(wide_table(Path(folder))), targets=("digit",)),
                (256,),
                300,
            ),
        }
        for name, (data, hidden, epochs) in subjects.items():
            print_delays(f"of the replay keys over {name}, at 160x50", asyncio.run(replay_delays(data, hidden, epochs)))


def print_delays(what: str, delays: dict[str, float]) -> None:
    """The worst key's delay against the goal, then every key's."""
    key = max(delays, key=delays.__getitem__)
    print(f"worst key-press-to-effect delay {what}: {delays[key] * 1000:.0f} ms on {key!r} (goal <= 100 ms)")
    print("  per key (ms): " + ", ".join(f"{k} {v * 1000:.0f}" for k, v in delays.items()))


def main() -> None:
    if sys.argv[1:] == ["--backprop"]:  # only the backprop view's lines
        backprop_lines()
        return
    if sys.argv[1:] == ["--keys"]:  # only the key delays while training
        key_lines()
        return
    if sys.argv[1:] == ["--samples"]:  # only the sample browser's keys
        sample_lines()
        return
    if sys.argv[1:] == ["--replay"]:  # only the replay keys
        replay_lines()
        return
    training_line()
    if sys.argv[1:] == ["--training"]:  # only the app against headless training
        return
    screens = first_screens()
    bare = screens["bare"]
    for index, what in enumerate(("first frame", "settled")):
        app, required = screens["app"][index], screens["required"][index]
        print(
            f"first screen from launch, {what}: app {app * 1000:.0f} ms / bare Textual app with one Static "
            f"{bare[index] * 1000:.0f} ms = {app / bare[index]:.2f}x (goal <= 1.5); "
            f"the issue's required widgets alone: {required / bare[index]:.2f}x"
        )
    key_lines()
    backprop_lines()
    sample_lines()
    replay_lines()


def training_line() -> None:
    alone = statistics.median(headless_seconds() for _ in range(REPEATS))
    inside = statistics.median(asyncio.run(in_app_seconds()) for _ in range(REPEATS))
    print(
        f"training {EPOCHS:,} epochs: app {inside:.3f} s / headless {alone:.3f} s = {inside / alone:.2f}x (goal <= 1.2)"
    )


def key_lines() -> None:
    print_delays("while training the seed net", asyncio.run(key_delays(SEED_NET)))
    print_delays("while training digits 64-128-10", asyncio.run(key_delays(DIGITS_NET)))


if __name__ == "__main__":
    main()
