"""``tui-mlp train --save/--snapshot``: output paths are checked before anything is
trained, and a failed run never replaces a parameter file."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import numpy as np
import pytest

from tui_mlp import cli
from tui_mlp.cli import main
from tui_mlp.core import TrainResult
from tui_mlp.core.metrics import accuracy, confusion, format_loss
from tui_mlp.core.params import load_params
from tui_mlp.core.run import Run
from tui_mlp.core.specs import DataSpec
from tui_mlp.core.trainer import StopReason

QUICK = ["train", "--epochs", "3", "--seed", "0"]
HELP = " (see tui-mlp train --help)"


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Exit status, stdout and stderr of ``tui-mlp`` with ``argv``."""
    try:
        status = main(argv)
    except SystemExit as exited:
        status = exited.code if isinstance(exited.code, int) else 1
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``tmp_path`` as the working folder, with a parameter file, a folder, a FIFO and (as root) a device."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "keep.json").write_text("kept")
    (tmp_path / "folder").mkdir()
    os.mkfifo(tmp_path / "fifo")
    if os.geteuid() == 0:
        os.mknod(tmp_path / "null", stat.S_IFCHR | 0o666, os.makedev(1, 3))
    return tmp_path


REFUSED = [
    (["--save", ""], "argument --save: the file name is empty"),
    (["--snapshot", ""], "argument --snapshot: the file name is empty"),
    (["--save", "sub/"], "argument --save: sub/: names a folder; give a file name"),
    (["--save", "folder"], "argument --save: folder: not a regular file (a folder)"),
    (["--save", "/nonexistent/p.json"], "argument --save: /nonexistent/p.json: folder /nonexistent does not exist"),
    (["--snapshot", "no/s.txt"], "argument --snapshot: no/s.txt: folder no does not exist"),
    (["--save", "fifo"], "argument --save: fifo: not a regular file (a FIFO)"),
    (["--snapshot", "x.png"], "argument --snapshot: x.png: unknown suffix '.png'; use .txt, .ansi, .svg, .html"),
    (
        ["--save", "a.txt", "--snapshot", "a.txt"],
        "--save and --snapshot name the same file; writing it would replace the other",
    ),
    (
        ["--snapshot", "keep.txt", "--load", "keep.txt"],
        "--snapshot and --load name the same file; writing it would replace the other",
    ),
]


@pytest.mark.parametrize(("flags", "message"), REFUSED, ids=[" ".join(flags) for flags, _ in REFUSED])
def test_unwritable_outputs_are_refused_before_training(
    workdir: Path, flags: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = sorted(os.listdir(workdir))
    status, out, err = run([*QUICK, *flags], capsys)
    assert (status, out, err) == (2, "", f"tui-mlp train: error: {message}{HELP}\n")
    assert sorted(os.listdir(workdir)) == before and (workdir / "fifo").is_fifo()


@pytest.mark.skipif(os.geteuid() != 0, reason="creating a device node needs root")
def test_a_device_is_never_replaced(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run([*QUICK, "--save", "null"], capsys)
    assert (status, out) == (2, "")
    assert err == f"tui-mlp train: error: argument --save: null: not a regular file (a device){HELP}\n"
    assert stat.S_ISCHR(os.lstat(workdir / "null").st_mode)


def test_the_data_file_is_never_an_output(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (workdir / "t.csv").write_text("x,y\n1,2\n2,3\n3,4\n4,5\n")
    status, out, err = run([*QUICK, "--data", "t.csv", "--target", "y", "--save", "t.csv"], capsys)
    assert (status, out) == (2, "")
    assert (
        err == f"tui-mlp train: error: --save and --data name the same file; writing it would replace the other{HELP}\n"
    )
    assert (workdir / "t.csv").read_text() == "x,y\n1,2\n2,3\n3,4\n4,5\n"


DIVERGING = [
    "train",
    "--dataset",
    "sine",
    "--activation",
    "relu",
    "--optimizer",
    "gd",
    "--lr",
    "1e6",
    "--epochs",
    "100",
    "--seed",
    "0",
]


def test_a_diverged_run_keeps_the_existing_parameter_file(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run([*DIVERGING, "--save", "keep.json", "--snapshot", "failed.txt"], capsys)
    assert status == 1 and (workdir / "keep.json").read_text() == "kept"
    assert "Not saved: training diverged; keep.json is unchanged\n" in out and "Saved parameters" not in out
    assert err.startswith("tui-mlp: training diverged at epoch ") and err.count("\n") == 1
    # the snapshot of the failed run is written: it shows how it failed and replaces no parameters
    assert "Wrote snapshot to failed.txt" in out and "diverged" in (workdir / "failed.txt").read_text()


def test_a_diverged_run_creates_no_parameter_file(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run([*DIVERGING, "--save", "new.json"], capsys)
    assert status == 1 and "Not saved: training diverged; new.json is unchanged" in out
    assert not (workdir / "new.json").exists()


def test_a_run_cancelled_before_its_first_epoch_saves_nothing(
    workdir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def cancelled_at_once(run: Run) -> TrainResult:
        run.result = TrainResult(np.array([]), StopReason.CANCELLED, epochs=3, elapsed=0.0)
        return run.result

    monkeypatch.setattr(cli, "_train_with_progress", cancelled_at_once)
    status, out, err = run([*QUICK, "--save", "keep.json"], capsys)
    assert (status, err) == (130, "")
    assert "Not saved: training was cancelled before its first epoch; keep.json is unchanged\n" in out
    assert (workdir / "keep.json").read_text() == "kept"


def test_a_finished_run_replaces_the_file_and_keeps_its_mode(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (workdir / "keep.json").chmod(0o600)
    status, out, _ = run([*QUICK, "--save", "keep.json"], capsys)
    assert status == 0 and "Saved parameters to keep.json\n" in out
    assert '"format": "tui-mlp-params"' in (workdir / "keep.json").read_text()
    assert stat.S_IMODE((workdir / "keep.json").stat().st_mode) == 0o600


def test_a_file_name_of_the_longest_legal_length_is_written(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The temporary file beside it must fit too: it once took the target's name plus 22 bytes."""
    name = "a" * 250 + ".json"
    status, _, _ = run(["train", "--seed", "0", "--epochs", "5", "--save", name], capsys)
    assert status == 0 and (workdir / name).exists()
    assert not list(workdir.glob(".*.tmp"))


def test_zero_epochs_evaluate_a_loaded_network_and_save_it_unchanged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    trained, again, picture = tmp_path / "p.json", tmp_path / "q.json", tmp_path / "s.txt"
    assert (
        main(["train", "--dataset", "moons", "--hidden", "8", "--seed", "2", "--epochs", "300", "--save", str(trained)])
        == 0
    )
    capsys.readouterr()
    argv = ["train", "--load", str(trained), "--dataset", "moons", "--epochs", "0"]
    status, out, err = run([*argv, "--save", str(again), "--snapshot", str(picture)], capsys)
    assert (status, err) == (0, "")
    model, _ = load_params(trained)
    train, test = DataSpec("moons").prepare(2)
    loss = model.loss(train.X, train.y)
    assert "; 0 epochs of adam at learning rate 0.01; seed 2" in out  # auto, for its mean loss
    lines = out.splitlines()
    assert lines[-10].startswith("Stopped: evaluated, not trained (0 epochs) in ")
    matrix = confusion(model, test)
    assert lines[-9:] == [
        f"Train accuracy: {accuracy(model, train):.3f}",
        f"Test accuracy: {accuracy(model, test):.3f}",
        "Confusion matrix of the test split (rows: true class, columns: predicted)",
        "    0   1",
        f"0  {matrix[0, 0]:>2}  {matrix[0, 1]:>2}",
        f"1  {matrix[1, 0]:>2}  {matrix[1, 1]:>2}",
        f"Saved parameters to {again}",
        f"Wrote snapshot to {picture}",
        f"End of Training - Total Error (Loss): {loss:.6f}",
    ]
    saved, saved_record = load_params(again)
    assert np.array_equal(saved.parameters(), model.parameters())
    assert saved_record["epochs"] == 0 and saved_record["final_loss"] == loss
    snapshot = picture.read_text()
    assert "epochs: 0 of 0\nstopped: evaluated, not trained (0 epochs)\n" in snapshot
    assert f"final loss: {format_loss(loss)}\n" in snapshot and "no training yet" in snapshot
