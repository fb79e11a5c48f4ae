"""Stop signals and memory limits in `tui-mlp train`. SIGINT (Ctrl-C) and SIGTERM, sent to a real process,
end it with one line and 128 + the signal's number, and never leave a file half-written; a run too big for
the memory is refused before it starts, by the command line and by the app's run alike."""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest

from tui_mlp.app.session import Session
from tui_mlp.cli import main
from tui_mlp.core.memory import LIMIT_VARIABLE
from tui_mlp.core.specs import DataSpec, Settings, TrainingSpec

LINUX = pytest.mark.skipif(sys.platform != "linux", reason="real POSIX signals; /proc tells when a file is read")

STOPS = [(signal.SIGINT, 130), (signal.SIGTERM, 143), (signal.SIGHUP, 129)]
INTERRUPTED = "tui-mlp: interrupted\n"


Start = Callable[..., subprocess.Popen[str]]


@pytest.fixture
def start() -> Iterator[Start]:
    """Start ``tui-mlp train --seed 0 FLAGS``; whatever a failed test leaves running is killed."""
    started: list[subprocess.Popen[str]] = []

    def train(*flags: str, **options: object) -> subprocess.Popen[str]:
        command = [sys.executable, "-m", "tui_mlp", "train", "--seed", "0", *flags]
        started.append(subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **options))
        return started[-1]

    yield train
    for process in started:
        if process.poll() is None:
            process.kill()
            process.communicate()


def wait_for(condition: Callable[[], bool], process: subprocess.Popen[str], timeout: float = 30) -> None:
    """Poll ``condition`` every millisecond while ``process`` runs."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert process.poll() is None, f"the process ended first: {process.communicate()}"
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.001)


def wait_for_line(process: subprocess.Popen[str], prefix: str) -> None:
    assert process.stdout is not None
    for line in process.stdout:  # progress lines are flushed as they are printed
        if line.startswith(prefix):
            return
    pytest.fail(f"no line starting {prefix!r}: {process.communicate()}")


@pytest.fixture(scope="module")
def big_table(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 20 MB table of 100,000 rows: parsing it takes about half a second."""
    path = tmp_path_factory.mktemp("data") / "big.csv"
    columns = np.random.default_rng(0).random((100_000, 20))
    header = ",".join([f"x{i}" for i in range(20)] + ["y"])
    np.savetxt(path, np.column_stack([columns, np.arange(100_000) % 2]), "%.6f", ",", header=header, comments="")
    return path


@LINUX
@pytest.mark.parametrize(("stop", "status"), STOPS)
def test_a_stop_signal_while_saving_leaves_no_file(start: Start, tmp_path: Path, stop: int, status: int) -> None:
    process = start("--hidden", "1000,1000", "--epochs", "1", "--save", str(tmp_path / "p.json"))  # a 26 MB file
    wait_for(lambda: any(path.stat().st_size for path in tmp_path.glob(".tui-mlp-*.tmp")), process)  # writing it
    process.send_signal(stop)
    out, err = process.communicate(timeout=30)
    assert (process.returncode, err) == (status, INTERRUPTED)
    assert "Saved parameters" not in out
    assert list(tmp_path.iterdir()) == []


@LINUX
@pytest.mark.parametrize(("stop", "status"), STOPS)
def test_a_stop_signal_while_reading_a_table_is_one_line(start: Start, big_table: Path, stop: int, status: int) -> None:
    process = start("--data", str(big_table), "--target", "y", "--epochs", "1")

    def table_read() -> bool:  # the whole file has been read; parsing it follows
        io = Path(f"/proc/{process.pid}/io").read_text()
        return int(io.split("rchar:")[1].split()[0]) >= big_table.stat().st_size

    wait_for(table_read, process)
    process.send_signal(stop)
    out, err = process.communicate(timeout=30)
    assert (process.returncode, out, err) == (status, "", INTERRUPTED)


@LINUX
def test_sigterm_during_training_cancels_it_like_ctrl_c(start: Start, tmp_path: Path) -> None:
    saved = tmp_path / "p.json"
    process = start("--epochs", "1000000", "--save", str(saved))
    wait_for_line(process, "epoch ")
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=30)
    assert (process.returncode, err) == (143, "")
    assert "Stopped: cancelled after" in out and f"Saved parameters to {saved}" in out
    training = json.loads(saved.read_text())["training"]
    assert training["stopped"] == "cancelled" and 0 < training["epochs"] < 1_000_000


@LINUX
@pytest.mark.parametrize(("second", "status"), STOPS)
def test_a_second_signal_stops_training_at_once(start: Start, tmp_path: Path, second: int, status: int) -> None:
    saved = tmp_path / "p.json"
    # six 1000-wide layers on 3,200 samples: an epoch takes about a second, in NumPy calls of 0.05 s
    flags = ("--dataset", "moons", "--samples", "4000", "--hidden", ",".join(["1000"] * 6), "--epochs", "10")
    process = start(*flags, "--save", str(saved))
    wait_for_line(process, "epoch 1/10")
    time.sleep(0.15)  # into the second epoch
    process.send_signal(signal.SIGINT)
    time.sleep(0.01)  # both signals come during one NumPy call, most likely: Python sees one, the socket two
    process.send_signal(second)
    out, err = process.communicate(timeout=30)
    assert (process.returncode, err) == (status, INTERRUPTED)
    assert "Stopped:" not in out  # the epoch in progress was not finished
    assert list(tmp_path.iterdir()) == []


@LINUX
def test_running_out_of_memory_is_one_line(start: Start) -> None:
    def limit_address_space() -> None:  # 1.5 GB: NumPy cannot allocate the 3.9 GB this run needs
        resource.setrlimit(resource.RLIMIT_AS, (1_500_000_000, 1_500_000_000))

    env = os.environ | {LIMIT_VARIABLE: str(10**15), "OPENBLAS_NUM_THREADS": "1"}  # past the estimate: NumPy fails
    flags = ("--dataset", "moons", "--samples", "20000", "--hidden", "10000", "--epochs", "1")
    process = start(*flags, env=env, preexec_fn=limit_address_space)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 1 and out.startswith("Network 2-10000-1 ")
    assert err == "tui-mlp: ran out of memory (fewer samples, smaller hidden layers or a batch size)\n"


def test_a_run_too_big_for_the_memory_is_refused_before_it_starts(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(LIMIT_VARIABLE, "100000000")
    advice = "fewer samples, smaller hidden layers or a batch size"
    flags = ["--dataset", "moons", "--samples", "20000", "--hidden", "500", "--epochs", "1", "--seed", "0"]
    assert main(["train", *flags]) == 2
    assert capsys.readouterr() == (
        "",
        f"tui-mlp: this run needs about 261 MB of memory; 100 MB is available ({advice})\n",
    )
    settings = Settings(TrainingSpec(hidden=(500,), epochs=1), DataSpec("moons", samples=20_000), 0)
    with pytest.raises(ValueError) as refused:  # the app shows it as a notification
        Session().new_run(settings)
    assert str(refused.value) == f"this run needs about 393 MB of memory; 100 MB is available ({advice})"
