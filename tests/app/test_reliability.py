"""Soak and faults: 200 trainings in one session, exports during training and to
a missing folder, resizing mid-run, and SIGTERM / SIGHUP on the real app under a
pseudo-terminal (the terminal restored, nothing half-written).

The soak prints its RSS and timing (``pytest -s`` shows them); set
``TUI_MLP_SKIP_SOAK=1`` to skip it.
"""

from __future__ import annotations

import fcntl
import gc
import os
import pty
import select
import signal
import struct
import sys
import termios
import threading
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from app_helpers import SIZE, app_test, make_app, screen_text, settle, status_text
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input
from textual.worker import WorkerState

from tui_mlp.app import MLPApp
from tui_mlp.app.signals import GRACE_SECONDS
from tui_mlp.core import StopReason
from tui_mlp.core.run import Run

ROOT = Path(__file__).resolve().parents[2]
LONG = 10_000_000  # epochs: a run that is still going when the test acts
SOAK_RUNS = 200
SOAK_RSS_GROWTH_MB = 50


def rss_mb() -> float:
    """This process's resident set size in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS in /proc/self/status")


async def wait_until(pilot: Pilot, condition: Callable[[], bool], timeout: float = 20.0) -> float:
    """Let the app run until ``condition()`` holds (polling, no fixed sleep); returns the seconds it took."""
    start = time.perf_counter()
    while not condition():
        assert time.perf_counter() - start < timeout, "timed out waiting for the app"
        await pilot.pause(0.002)
    return time.perf_counter() - start


def send_key(app: MLPApp, key: str, char: str | None = None) -> None:
    """Deliver a key press as the terminal driver does, without ``Pilot.press``'s wait for an idle
    process (which, while a training thread keeps a CPU busy, always runs to its 1 s limit)."""
    assert app._driver is not None
    app._driver.send_message(events.Key(key, char))


def running_workers(app: MLPApp) -> list:
    return [w for w in app.workers if w.state in (WorkerState.PENDING, WorkerState.RUNNING)]


# --- soak ----------------------------------------------------------------------------


@pytest.mark.skipif(bool(os.environ.get("TUI_MLP_SKIP_SOAK")), reason="TUI_MLP_SKIP_SOAK is set")
@app_test
async def test_soak_200_trainings_half_cancelled_memory_flat() -> None:
    app = make_app(seed=0, hidden="3", epochs=200)
    async with app.run_test(size=SIZE) as pilot:
        epochs_field = app.query_one("#epochs", Input)
        gc.collect()
        rss_start, threads_start, started = rss_mb(), threading.active_count(), time.perf_counter()
        rss_warm = rss_start
        latencies: list[float] = []
        for i in range(SOAK_RUNS):
            cancel = i % 2 == 1
            epochs = 2_000_000 if cancel else 200 + (i * 37) % 1_801
            epochs_field.value = str(epochs)
            epochs_field.focus()
            previous = app.run_state
            send_key(app, "enter", "\r")
            await wait_until(pilot, lambda previous=previous: app.run_state is not previous)
            run = app.run_state
            assert run.training.epochs == epochs
            if cancel:
                await wait_until(pilot, run.feed.ready.is_set)  # the worker is now training
                send_key(app, "escape", "\x1b")  # a key press during training takes effect
                latencies.append(await wait_until(pilot, lambda run=run: run.result is not None, timeout=10))
            await settle(pilot)
            result = run.result
            assert result is not None, f"run {i} did not finish"
            if cancel:
                assert result.reason is StopReason.CANCELLED and result.epochs_run < epochs
                assert "cancelled after" in status_text(app)
            else:
                assert result.reason is StopReason.DONE and result.epochs_run == epochs
                assert len(app.losses) == epochs
            assert not running_workers(app), f"run {i}: a worker is still running"
            if i == 19:  # after a warm-up: caches, the executor's threads, first renders
                gc.collect()
                rss_warm = rss_mb()
        elapsed = time.perf_counter() - started
        gc.collect()
        rss_end = rss_mb()
        print(
            f"\nsoak: {SOAK_RUNS} runs ({SOAK_RUNS // 2} cancelled) in {elapsed:.1f} s; "
            f"RSS start {rss_start:.1f} MB, after 20 runs {rss_warm:.1f} MB, end {rss_end:.1f} MB; "
            f"Escape→cancelled max {max(latencies) * 1000:.0f} ms, median {sorted(latencies)[50] * 1000:.0f} ms; "
            f"threads {threads_start} → {threading.active_count()}"
        )
        assert rss_end - rss_start < SOAK_RSS_GROWTH_MB, (rss_start, rss_warm, rss_end)
        assert rss_end - rss_warm < SOAK_RSS_GROWTH_MB / 2, (rss_start, rss_warm, rss_end)
        assert max(latencies) < 5.0
        assert not running_workers(app)
        assert threading.active_count() <= threads_start + (os.cpu_count() or 1) + 4  # the executor's pool at most
        # still answering: a last key press changes the view
        app.query_one("#before").focus()
        tables = app.query_one("#before").show_table
        await pilot.press("w")
        assert app.query_one("#before").show_table is not tables


# --- exports and resizing during training ----------------------------------------


def _leftovers(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.name.endswith(".tmp")]


@app_test
async def test_ctrl_s_while_training_writes_a_complete_snapshot(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    app = make_app(seed=0, epochs=LONG)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        run = app.run_state
        await wait_until(pilot, lambda: len(app.losses) > 0)  # the first live report has been drawn
        await pilot.press("ctrl+s")
        await pilot.pause()
        files = list(tmp_path.glob("tui-mlp-*.txt"))
        assert len(files) == 1 and not _leftovers(tmp_path)
        text = files[0].read_text()
        for array in (*run.before.weights, *run.before.biases):
            for value in array.ravel():
                assert f"{value:+.2f}" in text
        assert "learning rate" in text and "Before" in text and "After" in text
        assert app.training, "the export stopped training"
        assert [n.title for n in app._notifications] == ["Snapshot written"]
        await pilot.press("escape")
        await settle(pilot)
        assert run.result.reason is StopReason.CANCELLED


@app_test
async def test_export_to_a_missing_folder_while_training_notifies_and_goes_on(tmp_path: Path) -> None:
    app = make_app(seed=0, epochs=LONG)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        run = app.run_state
        await wait_until(pilot, lambda: len(app.losses) > 0)
        app.files.ask_export(".txt")
        await pilot.pause()
        app.screen.query_one("#path", Input).value = str(tmp_path / "missing" / "deeper" / "x.txt")
        await pilot.press("enter")
        await pilot.pause()
        errors = [n for n in app._notifications if n.severity == "error"]
        assert len(errors) == 1 and "missing" in errors[0].message, [n.message for n in app._notifications]
        assert list(tmp_path.iterdir()) == []
        assert app.training and app.run_state is run
        seen = len(app.losses)
        await wait_until(pilot, lambda: len(app.losses) > seen)  # still training and drawing
        await pilot.press("escape")
        await settle(pilot)
        assert run.result.reason is StopReason.CANCELLED


@app_test
async def test_resizing_to_40x10_and_back_during_training_keeps_everything() -> None:
    epochs = 60_000
    app = make_app(seed=0, hidden="4", epochs=epochs, learning_rate=0.3)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        run = app.run_state
        await wait_until(pilot, run.feed.ready.is_set)
        await pilot.resize_terminal(40, 10)
        await pilot.pause()
        assert "too small" in screen_text(app)
        await pilot.resize_terminal(*SIZE)
        await pilot.pause()
        await pilot.resize_terminal(40, 10)
        await pilot.resize_terminal(*SIZE)
        await settle(pilot)
        assert app.run_state is run and run.result.reason is StopReason.DONE
        assert run.result.epochs_run == epochs and len(app.losses) == epochs
        assert np.array_equal(app.after_model.parameters(), run.model.parameters())
        assert np.array_equal(app.query_one("#after").model.parameters(), run.model.parameters())
        assert app.query_one("#hidden", Input).value == "4" and app.query_one("#epochs", Input).value == str(epochs)
        assert "too small" not in screen_text(app)
        assert f"done: {epochs:,} epochs" in status_text(app)


# --- signals: the real app under a pseudo-terminal --------------------------------


class Terminal:
    """The app (``python -m tui_mlp``) running on a pseudo-terminal, as in a real terminal."""

    def __init__(self, cwd: Path, *args: str) -> None:
        self.output = b""
        pid, fd = pty.fork()
        if pid == 0:  # the child: its stdin, stdout and stderr are the terminal
            try:
                os.chdir(cwd)
                os.environ.update(TERM="xterm-256color", PYTHONPATH=str(ROOT))
                os.execv(sys.executable, [sys.executable, "-m", "tui_mlp", *args])
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", SIZE[1], SIZE[0], 0, 0))
        self.status: int | None = None

    def read_until(self, marker: bytes, timeout: float = 20.0) -> None:
        end = time.monotonic() + timeout
        while marker not in self.output:
            assert time.monotonic() < end, f"no {marker!r} in {self.output[-500:]!r}"
            assert self._read(0.05), f"the app ended early: {self.output[-2000:]!r}"

    def _read(self, timeout: float) -> bool:
        """Read what is there; False once the terminal is closed (the app has ended)."""
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if ready:
            try:
                data = os.read(self.fd, 65536)
            except OSError:  # EIO: the child side is closed
                return False
            if not data:
                return False
            self.output += data
        return True

    def wait(self, timeout: float, read: bool = True) -> int | None:
        """The exit status once the app has ended (None if it has not within ``timeout``)."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if read and not self._read(0.05):
                read = False
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = os.waitstatus_to_exitcode(status)
                return self.status
            if not read:
                time.sleep(0.02)
        return None

    def close(self) -> None:
        if self.status is None:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1

    def hang_up(self) -> None:
        """Close the terminal's master side, as a dropped SSH connection does (the kernel sends SIGHUP)."""
        os.close(self.fd)
        self.fd = -1


def _start_long_training(tmp_path: Path) -> Terminal:
    term = Terminal(tmp_path, "--seed", "0", "--epochs", str(LONG))
    try:
        term.read_until(b"Train")
        term.output = b""
        os.write(term.fd, b"\r")  # Enter in the hidden-size field: train
        term.read_until(b"epochs/s")  # live progress: the worker is training
    except BaseException:
        term.close()
        raise
    return term


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT], ids=["SIGTERM", "SIGHUP", "SIGINT"])
def test_signal_ends_the_app_cleanly_and_restores_the_terminal(tmp_path: Path, signum: int) -> None:
    term = _start_long_training(tmp_path)
    try:
        sent = time.monotonic()
        os.kill(term.pid, signum)
        status = term.wait(timeout=10)
        took = time.monotonic() - sent
        assert status is not None, f"still running 10 s after {signal.Signals(signum).name}"
        text = term.output.decode("utf-8", "replace")
        assert "Traceback" not in text and "Error" not in text, text[-2000:]
        assert status == 128 + signum, (status, text[-2000:])
        assert took < 5
        tail = term.output[term.output.rfind(b"\x1b[?1049l") :]
        assert b"\x1b[?1049l" in term.output, "the alternate screen was not left"
        assert b"\x1b[?25h" in tail, "the cursor was not shown again"
        assert b"\x1b[?1000l" in tail, "mouse reporting was not switched off"
        assert not _leftovers(tmp_path) and list(tmp_path.iterdir()) == []
    finally:
        term.close()


def test_a_dropped_connection_ends_the_app_without_hanging(tmp_path: Path) -> None:
    """The terminal goes away (SIGHUP, then SIGCONT, then EIO on every write): the app still exits."""
    term = _start_long_training(tmp_path)
    try:
        term.hang_up()
        status = term.wait(timeout=10, read=False)
        assert status is not None, "the app hangs after its terminal went away"
        assert status == 128 + signal.SIGHUP
        assert not _leftovers(tmp_path) and list(tmp_path.iterdir()) == []
    finally:
        term.close()


@pytest.mark.parametrize("paused", [False, True])
@app_test
async def test_an_app_ending_without_quit_stops_its_worker(paused: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """``exit()`` (or a crash) skips ctrl+q's cancel: unmounting cancels the run, so
    the training thread returns instead of keeping the process alive."""
    returned = threading.Event()
    fit = Run.fit

    def watched_fit(self: Run, **options: object) -> object:
        try:
            return fit(self, **options)
        finally:
            returned.set()

    monkeypatch.setattr(Run, "fit", watched_fit)
    app = make_app(seed=0, epochs=LONG)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        run = app.run_state
        if paused:
            app.action_pause()
        app.exit()
    try:
        assert returned.wait(timeout=10), "the training thread kept running after the app ended"
    finally:
        run.cancel()  # (so that a failure does not hang the test run too)


@pytest.mark.parametrize("second", [False, True], ids=["one signal", "two signals"])
def test_a_terminal_that_stops_reading_cannot_keep_the_app_alive(tmp_path: Path, second: bool) -> None:
    """A frozen terminal (XOFF, a stuck emulator) stops reading: Textual's output thread blocks,
    then the main thread on its queue, so an exit that waits for the terminal never ends. The
    exit signal still ends the app within its grace period, a second one at once."""
    term = _start_long_training(tmp_path)
    try:
        time.sleep(2)  # nobody reads the terminal: its buffer fills up and every write blocks
        sent = time.monotonic()
        os.kill(term.pid, signal.SIGTERM)
        if second:
            time.sleep(0.5)
            os.kill(term.pid, signal.SIGTERM)
        status = term.wait(timeout=10, read=False)
        took = time.monotonic() - sent
        assert status == 128 + signal.SIGTERM, "the app hangs on a terminal that does not read"
        assert took < (1.5 if second else GRACE_SECONDS + 2)
        assert not _leftovers(tmp_path)
    finally:
        term.close()


BURST_KEYS = b"wbl\t\x1b[A\x1b[B\x1b[C x\x1b"  # tables, boundary, log, focus (Train too), moves, space, escape


def test_a_hang_up_after_a_burst_of_keys_ends_the_app(tmp_path: Path) -> None:
    """``tmux kill-session`` right after ~300 keys while a 2,000-neuron network trains: the keys
    still queued (a space on Train starts a new run) must not keep the app alive."""
    for _ in range(3):
        term = Terminal(tmp_path, "--dataset", "moons", "--hidden", "2000", "--seed", "0", "--epochs", str(LONG))
        try:
            term.read_until(b"Train")
            os.write(term.fd, b"\r")
            term.read_until(b"epochs/s", timeout=60)
            os.write(term.fd, BURST_KEYS * 30)
            term.read_until(b"x", timeout=5)
            term.hang_up()
            status = term.wait(timeout=10, read=False)
            assert status == 128 + signal.SIGHUP, "the app outlived its terminal"
        finally:
            term.close()
