"""History files: a run with its checkpoints, written and read back exactly; a bad file
refused with one line; the loss curves as CSV; the flags that write them."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tui_mlp.core.errors import ParamsError
from tui_mlp.core.history_file import curves_csv, load_history, save_history
from tui_mlp.core.run import Run
from tui_mlp.core.specs import DataSpec, TrainingSpec


def trained(dtype: str = "float64", epochs: int = 300) -> Run:
    run = Run.create(TrainingSpec(hidden=(4,), epochs=epochs, dtype=dtype), DataSpec("moons"), seed=2)
    run.fit()
    return run


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_a_history_reads_back_exactly(tmp_path: Path, dtype: str) -> None:
    run = trained(dtype)
    path = save_history(tmp_path / "run.json", run)
    saved = load_history(path)
    assert saved.before.parameters().tobytes() == run.before.parameters().tobytes()
    assert saved.before.dtype == run.before.dtype and saved.training == run.record()
    assert saved.losses.tobytes() == run.result.losses.astype(np.float64).tobytes()
    assert saved.history.epochs == run.history.epochs and len(saved.history) == 256
    for index in (0, 17, 255):
        assert saved.checkpoint(index).parameters().tobytes() == run.checkpoint(index).parameters().tobytes()


def edited(tmp_path: Path, change) -> Path:
    """A good history file with ``change`` applied to its parsed document."""
    path = save_history(tmp_path / "good.json", trained(epochs=20))
    document = json.loads(path.read_text())
    change(document)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(document))
    return bad


def set_key(part: str, key: str, value: object):
    def change(document: dict) -> None:
        (document if part == "" else document[part])[key] = value

    return change


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (set_key("", "format", "tui-mlp-params"), 'not a tui-mlp history file (no "format": "tui-mlp-history")'),
        (set_key("", "version", 2), "unsupported format version (this tui-mlp reads version 1)"),
        (set_key("", "losses", ["x"]), '"losses" must be a list of numbers'),
        (set_key("checkpoints", "epochs", [0, 2, 1, *range(3, 21)]), "must be ascending whole numbers"),
        (set_key("checkpoints", "epochs", list(range(2, 23))), "must lie from 0 to 20, the epochs run"),
        (set_key("checkpoints", "parameters", ["!!"] * 21), "epoch 0 is not 17 float64 numbers in base64"),
        (set_key("checkpoints", "parameters", [base64.b64encode(b"\0" * 8).decode()] * 21), "is not 17 float64"),
        (
            set_key("checkpoints", "parameters", [base64.b64encode(np.full(17, np.inf).tobytes()).decode()] * 21),
            "the checkpoint of epoch 0 holds a number that is not finite",
        ),
        (set_key("network", "layer_sizes", [2, 0, 1]), 'bad.json: "network": '),
        (set_key("", "network", None), '"network" must hold the starting network, as a parameter file does'),
    ],
)
def test_a_bad_history_is_refused_with_one_line(tmp_path: Path, change, message: str) -> None:
    with pytest.raises(ParamsError) as refused:
        load_history(edited(tmp_path, change))
    assert message in str(refused.value) and "\n" not in str(refused.value)
    assert str(refused.value).startswith(f"{tmp_path / 'bad.json'}: ")


def test_a_truncated_or_missing_history_is_refused(tmp_path: Path) -> None:
    good = save_history(tmp_path / "good.json", trained(epochs=20))
    cut = tmp_path / "cut.json"
    cut.write_bytes(good.read_bytes()[:500])
    with pytest.raises(ParamsError, match=r"cut.json: not valid JSON \(line 1, column"):
        load_history(cut)
    with pytest.raises(ParamsError, match="cannot read"):
        load_history(tmp_path / "none.json")


def test_the_loss_curves_export_as_csv_with_the_test_loss_at_the_checkpoints() -> None:
    run = trained(epochs=300)
    lines = curves_csv(run).splitlines()
    assert lines[0] == "epoch,train_loss,test_loss" and len(lines) == 301
    epoch, train, test = lines[1].split(",")
    assert (epoch, float(train)) == ("1", run.result.losses[0])
    assert float(test) == run.before.loss(run.test.X, run.test.y)  # the test loss of the same network
    assert all(line.count(",") == 2 for line in lines)


def cli(*flags: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui_mlp", *flags], capture_output=True, text=True, cwd=cwd, timeout=120
    )


def test_train_writes_the_history_and_a_snapshot_of_a_checkpoint(tmp_path: Path) -> None:
    flags = ["train", "--dataset", "moons", "--hidden", "4", "--epochs", "500", "--seed", "2"]
    done = cli(*flags, "--history", "run.json", "--snapshot", "s.txt", "--epoch", "99", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Wrote the run's history to run.json" in done.stdout
    saved = load_history(tmp_path / "run.json")
    assert saved.history.epochs[-1] == 500 and len(saved.losses) == 500
    snapshot = (tmp_path / "s.txt").read_text()
    assert "After epoch 99 (replay)" in snapshot.splitlines()[0]
    assert "replay: After shows epoch 99, the checkpoint nearest 99" in snapshot


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--epoch", "5"], "--epoch says which checkpoint --snapshot draws; give --snapshot too"),
        (["--history", "run.txt"], "argument --history:"),
        (["--history", "p.json", "--save", "p.json"], "--history and --save name the same file"),
        (["--snapshot", "s.txt", "--epoch", "-1"], "argument --epoch:"),
    ],
)
def test_bad_history_flags_exit_2_with_one_line(tmp_path: Path, flags: list[str], message: str) -> None:
    done = cli("train", "--epochs", "3", *flags, cwd=tmp_path)
    assert done.returncode == 2 and message in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_history_rebuilds_its_run_with_the_same_data_and_networks(tmp_path: Path) -> None:
    run = trained(epochs=50)
    saved = load_history(save_history(tmp_path / "run.json", run))
    settings = saved.settings(tmp_path)
    assert (settings.training, settings.data, settings.seed) == (run.training, run.data, run.seed)
    rebuilt = saved.run(tmp_path / "run.json")
    assert rebuilt.train.X.tobytes() == run.train.X.tobytes() and rebuilt.test.X.tobytes() == run.test.X.tobytes()
    assert rebuilt.model.parameters().tobytes() == run.model.parameters().tobytes()
    assert rebuilt.result.describe() == "done: 50 epochs" and rebuilt.final_loss == run.final_loss
    assert rebuilt.origin == "loaded from run.json"


@pytest.mark.parametrize(
    ("training", "message"),
    [
        ({"data": "/etc/passwd", "targets": ["y"]}, "must be in the history file's folder: /etc/passwd: give a path"),
        ({"data": "../t.csv", "targets": ["y"]}, "'..' is not allowed"),
        ({"dataset": "nope"}, '"training.dataset" must be one of'),
        ({"optimizer": "sgd"}, '"training.optimizer" must be one of gd, momentum, adam'),
        ({"learning_rate": "0.1"}, '"training.learning_rate" must be a number'),
        ({"batch_size": -3}, '"training.batch_size":'),
    ],
)
def test_settings_read_from_a_history_are_checked_as_flags_are(tmp_path: Path, training: dict, message: str) -> None:
    def change(document: dict) -> None:
        if "data" in training:
            del document["network"]["training"]["dataset"]
        document["network"]["training"] |= training

    saved = load_history(edited(tmp_path, change))
    with pytest.raises(ValueError, match=None) as refused:
        saved.settings(tmp_path)
    assert message in str(refused.value)
