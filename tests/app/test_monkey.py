"""A monkey at the keyboard: random sequences of keys a person could press (moving
around, typing into whatever is focused, Enter, Space, Escape, help, snapshot, the
command palette), at 80×24, 120×40 and below the minimum size. Afterwards the app
is still running, its status line reports the state it is in, and a finished run's
parameters are finite (a diverged run keeps its last finite ones and says so).

Each hypothesis example is one app session that gets one whole sequence, sent as
the terminal driver sends keys. After the sequence any dialog is closed, a paused
or long run is cancelled, and the test waits for the workers (never a fixed time)
before checking. It found two bugs, kept below as plain tests: "l" (log scale)
with no losses yet crashed the app, and two snapshots in one second shared a name.
"""

from __future__ import annotations

import os
import random
import re
import unicodedata
from collections import Counter
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest
from app_helpers import app_test, make_app, reporting, screen_text, settle, status_text
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from textual import events
from textual.keys import _character_to_key, _get_unicode_name_from_key
from textual.pilot import Pilot

from tui_mlp.app import MLPApp
from tui_mlp.core import StopReason

EXAMPLES = int(os.environ.get("TUI_MLP_MONKEY_EXAMPLES", "30"))  # sequences (= app sessions) per test
RANDOM = bool(os.environ.get("TUI_MLP_MONKEY_RANDOM"))  # new sequences each run (to explore); default: the same
PASSES = 8  # message passes after each key: an Enter has started its run before the next key
LONG_RUN = 20_000  # epochs: a run typed this long is cancelled after the sequence instead of waited for
WAIT = 30.0  # seconds: the workers must end this soon after the sequence (else the app hangs)
STATS: Counter[str] = Counter()

SIZES = [(80, 24), (120, 40), (80, 24), (120, 40), (50, 15)]  # 50×15: below the minimum, "too small"
APPS = [
    {"seed": 0, "epochs": 300},
    {"seed": 0, "epochs": 300},
    {"seed": 0, "epochs": 20_000, "hidden": "4"},  # long enough (~0.3 s) for keys to come during training
    {"seed": 0, "epochs": 300, "dataset": "moons"},
    {"seed": 0, "epochs": 300, "hidden": "3", "learning_rate": 5.0},
]

# --- what a person might press ------------------------------------------------------

MOVES = ["tab", "tab", "shift+tab", "up", "down", "left", "right"]
VIEWS = ["w", "b", "l", "question_mark", "f1", "ctrl+s", "ctrl+p"]  # (in a text field w, b, l are typed)
KEYS = [*MOVES, "enter", "enter", "space", "space", "escape", "backspace", *VIEWS]
TYPED = "0123456789,.-ewbl"


def key_sequences(keys: list[str], typed: str) -> st.SearchStrategy[list[str]]:
    """Sequences of actions (single keys, Enter, digits or other characters typed, a few
    backspaces, the command palette opened and closed), either drawn evenly from a seed
    (varied) or built by hypothesis (it likes repeats and small edge cases)."""
    single = st.sampled_from(keys).map(lambda key: [key])
    digits = st.text("0123456789", min_size=1, max_size=2).map(list)
    typing = st.text(typed, min_size=1, max_size=3).map(list)  # a few characters into whatever is focused
    erase = st.integers(1, 4).map(lambda n: ["backspace"] * n)
    train = st.just(["enter"])
    palette = st.just(["ctrl+p", "escape"])
    built = st.lists(
        st.one_of(single, single, single, train, train, digits, typing, erase, palette), min_size=4, max_size=25
    )

    def drawn(seed: int) -> list[list[str]]:
        rng = random.Random(seed)
        choices = [
            lambda: [rng.choice(keys)],
            lambda: [rng.choice(keys)],
            lambda: [rng.choice(keys)],
            lambda: ["enter"],
            lambda: ["enter"],
            lambda: list(str(rng.randrange(100))),
            lambda: rng.choices(typed, k=rng.randint(1, 3)),
            lambda: ["backspace"] * rng.randint(1, 4),
            lambda: ["ctrl+p", "escape"],
        ]
        return [rng.choice(choices)() for _ in range(rng.randint(4, 25))]

    actions = st.one_of(st.integers(0, 2**32 - 1).map(drawn), built)
    return actions.map(lambda actions: [key for keys in actions for key in keys])


sequences = key_sequences(KEYS, TYPED)


def key_event(key: str) -> events.Key:
    """The event a terminal sends for ``key`` (a key name, or one printable character)."""
    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    try:
        char: str | None = unicodedata.lookup(_get_unicode_name_from_key(key))
    except KeyError:
        char = key if len(key) == 1 else None
    return events.Key(key, char)


async def press(pilot: Pilot, key: str) -> None:
    """Deliver ``key`` as the terminal driver does and let the app handle it, without
    ``Pilot.press``'s wait for an idle CPU (up to 1 s per key while a run trains)."""
    app = pilot.app
    assert app._driver is not None
    app._driver.send_message(key_event(key))
    for _ in range(PASSES):
        await pilot.pause(0)


# --- the checks ---------------------------------------------------------------------------

START = "Press Enter or Train to build a network and train it."
STATUS = re.compile(r"epoch (?P<epoch>[\d,]+) / (?P<epochs>[\d,]+) · loss \S+ · ")


def check(app: MLPApp, where: str) -> None:
    """The app is up, with no dialog, and its status line and panels match its last run."""
    assert app._exception is None, f"{where}: {app._exception!r}"
    assert app.is_running and app.return_code is None, where
    assert len(app.screen_stack) == 1, f"{where}: {app.screen_stack}"
    assert not any(worker.is_running for worker in app.workers), where
    status = status_text(app)
    run = app.run_state
    if run is None:
        assert status == START, f"{where}: {status!r}"
        return
    result = run.result
    assert result is not None, f"{where}: the workers ended but the run did not: {status!r}"
    match = STATUS.match(status)
    assert match, f"{where}: {status!r}"
    assert int(match["epoch"].replace(",", "")) == result.epochs_run, f"{where}: {status!r}"
    assert int(match["epochs"].replace(",", "")) == run.training.epochs == result.epochs, f"{where}: {status!r}"
    ended = result.describe()  # done/cancelled/diverged, in full, or its first word where the line is narrow
    assert f" · {ended} · " in status or f" · {ended.split()[0].rstrip(':')} · " in status, f"{where}: {status!r}"
    assert status.endswith(run.origin) or f" · {run.origin} · " in status, f"{where}: {status!r}"
    if result.reason is StopReason.DONE:
        assert result.epochs_run == result.epochs, f"{where}: {status!r}"
    assert np.array_equal(app.losses, result.losses) and np.all(np.isfinite(result.losses)), where
    parameters = run.model.parameters()
    assert np.all(np.isfinite(parameters)) or "diverged" in status, f"{where}: non-finite parameters: {status!r}"
    assert np.all(np.isfinite(parameters)), f"{where}: a diverged run kept non-finite parameters"
    assert np.array_equal(app.after_model.parameters(), parameters), f"{where}: After is not the trained network"
    assert app.query_one("#after").model is app.after_model, where


def check_snapshots(app: MLPApp, folder: Path, where: str) -> None:
    """Every snapshot the app said it wrote is there, complete; no temporary file is left."""
    assert not list(folder.glob("*.tmp")), where
    for note in app._notifications:
        if note.title == "Snapshot written":
            text = Path(note.message).read_text()
            assert "Before" in text and "After" in text, where
    STATS["snapshot files"] += len(list(folder.glob("tui-mlp-*.txt")))


async def close_dialogs(pilot: Pilot) -> None:
    """Escape until only the main screen is left (help, command palette, path prompts)."""
    for _ in range(6):
        if len(pilot.app.screen_stack) == 1:
            return
        await press(pilot, "escape")


async def monkey(size: tuple[int, int], options: dict, keys: list[str], folder: Path) -> None:
    app = make_app(**options)
    where = f"{size[0]}x{size[1]} make_app(**{options}) keys={keys}"
    async with app.run_test(size=size) as pilot:
        for i, key in enumerate(keys):
            STATS["presses"] += 1
            await press(pilot, key)
            assert app._exception is None, f"{where}: after key {i} ({key!r}): {app._exception!r}"
            assert app.is_running, f"{where}: after key {i} ({key!r}) the app is not running"
        STATS["sequences"] += 1
        await close_dialogs(pilot)
        run = app.run_state
        if app.training and run is not None and (run.control.paused or run.training.epochs > LONG_RUN):
            STATS["runs cancelled after the sequence"] += 1
            app.action_cancel()
        await settle(pilot, timeout=WAIT)
        check(app, where)
        check_snapshots(app, folder, where)
        if app.run_state is not None:
            STATS["sequences that trained"] += 1
        assert screen_text(app)  # the screen still renders
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0 and app._exception is None, where


MONKEY = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not RANDOM,  # the same sequences every run (CI is deterministic)
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
    phases=(Phase.explicit, Phase.generate),  # no shrinking: a failure reports its whole sequence
)


def _session_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh working folder for one session: ctrl+s writes its snapshot there."""
    folder = tmp_path / f"session-{STATS['sessions']}"
    STATS["sessions"] += 1
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


@MONKEY
@given(size=st.sampled_from(SIZES), options=st.sampled_from(APPS), keys=sequences)
def test_monkey_keys(
    size: tuple[int, int], options: dict, keys: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app_test(monkey)(size, options, keys, _session_folder(tmp_path, monkeypatch))


# --- what the monkey found ----------------------------------------------------------------------


def test_log_scale_before_any_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tab (to the Activation field), then l: an empty log-scale chart crashed the app (status 1)."""
    app_test(monkey)((120, 40), {"seed": 0, "epochs": 300}, ["tab", "l"], _session_folder(tmp_path, monkeypatch))


class _FrozenClock(datetime):
    """``datetime`` whose ``now`` stays within one second."""

    @classmethod
    def now(cls, tz=None):  # type: ignore[override]
        return cls(2025, 1, 31, 14, 25, 1)


@app_test
async def test_two_snapshots_in_one_second_are_both_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The second ctrl+s within a second replaced the first file under the same name."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("tui_mlp.app.files.datetime", _FrozenClock)
    app = make_app(seed=0, epochs=300)
    async with app.run_test(size=(120, 40)) as pilot:
        await press(pilot, "enter")
        await settle(pilot)
        await press(pilot, "ctrl+s")
        for key in ["backspace", "3", "enter"]:  # a different network: 3 hidden neurons instead of 5
            await press(pilot, key)
        await settle(pilot)
        await press(pilot, "ctrl+s")
        await pilot.pause()
        written = [note.message for note in app._notifications if note.title == "Snapshot written"]
        assert len(written) == 2
        assert written == [
            str(tmp_path / "tui-mlp-20250131-142501.txt"),
            str(tmp_path / "tui-mlp-20250131-142501-2.txt"),
        ]
        assert "4-5-2" in Path(written[0]).read_text() and "4-3-2" in Path(written[1]).read_text()


report_stats = reporting("monkey", STATS)  # printed after the tests (pytest -s)
