"""The command line: seed parity, repeatability, parameter files and bad flags."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from tui_mlp.cli import EXIT_SECONDS, app_start, build_parser, main
from tui_mlp.core import MLP
from tui_mlp.core.datasets import load_dataset
from tui_mlp.core.params import load_params

ROOT = Path(__file__).resolve().parents[1]
END_LINE = "End of Training - Total Error (Loss): "


def final_loss(output: str) -> float:
    last = output.strip().splitlines()[-1]
    assert last.startswith(END_LINE)
    decimals = last.removeprefix(END_LINE)
    assert len(decimals.split(".")[1]) == 6
    return float(decimals)


@pytest.mark.parametrize("seed", range(10))
def test_defaults_reach_the_seed_scripts_loss(seed: int, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["train", "--seed", str(seed)]) == 0
    assert final_loss(capsys.readouterr().out) < 0.01


def test_seeded_run_equals_the_library_and_repeats(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("a.json", "b.json"):
        assert main(["train", "--seed", "7", "--hidden", "3", "--epochs", "500", "--save", str(tmp_path / name)]) == 0
    out = capsys.readouterr().out
    a, training = load_params(tmp_path / "a.json")
    b, _ = load_params(tmp_path / "b.json")
    data = load_dataset("seed")
    expected = MLP([4, 3, 2], seed=7)
    losses = expected.fit(data.X, data.y, 500, 0.1)
    assert np.array_equal(a.parameters(), expected.parameters())
    assert np.array_equal(a.parameters(), b.parameters())
    assert training["final_loss"] == losses[-1]
    assert training["seed"] == 7 and training["epochs"] == 500
    assert f"{END_LINE}{losses[-1]:.6f}" in out


def test_prints_initial_and_final_parameters(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["train", "--seed", "0", "--layers", "3,2", "--epochs", "10"]) == 0
    out = capsys.readouterr().out
    initial = MLP([4, 3, 2, 2], seed=0)
    assert out.index("Initial weights") < out.index("Final weights") < out.index(END_LINE)
    first_row = " ".join(f"{v:.6f}" for v in initial.weights[0][0])
    assert first_row in " ".join(out.split())
    assert "epoch 10/10" in out


def weights_block(out: str, when: str) -> list[str]:
    """The lines ``train`` prints from ``{when} weights and biases:`` up to the next section."""
    lines = out.splitlines()
    start = lines.index(f"{when} weights and biases:")
    end = next(i for i in range(start + 1, len(lines)) if not lines[i].startswith("  "))
    return lines[start:end]


def test_the_seed_network_prints_in_full(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["train", "--seed", "0", "--epochs", "1"]) == 0
    block = weights_block(capsys.readouterr().out, "Initial")
    net = MLP([4, 5, 2], seed=0)
    expected = ["Initial weights and biases:"]
    with np.printoptions(precision=6, suppress=True, floatmode="fixed", linewidth=100):
        for name, w, b in zip(("hidden layer 1", "output layer"), net.weights, net.biases):
            expected += [f"  weights into {name} ({w.shape[0]}×{w.shape[1]}):"]
            expected += ["    " + line for line in str(w).splitlines()]
            expected += [f"  biases of {name}:", f"    {b}"]
    assert block == expected


@pytest.mark.parametrize("hidden", [300, 2000])
def test_big_layers_print_eight_rows_and_columns_and_say_how_many_more(
    hidden: int, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["train", "--seed", "0", "--epochs", "1", "--hidden", str(hidden)]) == 0
    block = weights_block(capsys.readouterr().out, "Initial")
    net, more = MLP([4, hidden, 2], seed=0), f"{hidden - 8:,}"

    def rows(w: np.ndarray) -> list[str]:
        lines = ["[" + " ".join(f"{v:9.6f}" for v in row) + "]" for row in w]
        return ["    [" + lines[0], *("     " + line for line in lines[1:-1]), "     " + lines[-1] + "]"]

    assert block == [
        "Initial weights and biases:",
        f"  weights into hidden layer 1 (4×{hidden}):",
        *rows(net.weights[0][:, :8]),
        f"    … {more} more columns",
        "  biases of hidden layer 1:",
        "    [" + " ".join(["0.000000"] * 8) + "]",
        f"    … {more} more values",
        f"  weights into output layer ({hidden}×2):",
        *rows(net.weights[1][:8]),
        f"    … {more} more rows",
        "  biases of output layer:",
        "    [0.000000 0.000000]",
        "  (--all-weights prints every weight)",
    ]


def test_all_weights_prints_every_value(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["train", "--seed", "0", "--epochs", "1", "--hidden", "300", "--all-weights"]) == 0
    block = weights_block(capsys.readouterr().out, "Initial")
    net = MLP([4, 300, 2], seed=0)
    numbers = re.findall(r"-?\d+\.\d{6}", "\n".join(block))
    everything = np.concatenate([w.ravel() for pair in zip(net.weights, net.biases) for w in pair])
    assert numbers == [f"{v:.6f}" for v in everything]
    assert not any("more" in line for line in block)


def test_load_continues_training(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first, second = tmp_path / "1.json", tmp_path / "2.json"
    assert main(["train", "--seed", "1", "--epochs", "200", "--save", str(first)]) == 0
    assert main(["train", "--load", str(first), "--epochs", "200", "--save", str(second)]) == 0
    expected = MLP([4, 5, 2], seed=1)
    data = load_dataset("seed")
    expected.fit(data.X, data.y, 400, 0.1)
    assert np.array_equal(load_params(second)[0].parameters(), expected.parameters())


def test_float32_trains_saves_and_trains_on_as_float32(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    saved = tmp_path / "p.json"
    assert main(["train", "--seed", "0", "--dtype", "float32", "--epochs", "300", "--save", str(saved)]) == 0
    out = capsys.readouterr().out
    data = load_dataset("seed")
    expected = MLP([4, 5, 2], seed=0, dtype=np.float32)
    losses = expected.fit(data.X, data.y, 300, 0.1)
    model, _ = load_params(saved)
    assert model.dtype == np.float32 and np.array_equal(model.parameters(), expected.parameters())
    assert "at learning rate 0.1 in float32; seed 0" in out and f"{END_LINE}{losses[-1]:.6f}" in out
    # the default --dtype float64 does not widen a float32 file: it trains on in float32
    assert main(["train", "--load", str(saved), "--epochs", "300", "--save", str(saved)]) == 0
    expected.fit(data.X, data.y, 300, 0.1)
    assert np.array_equal(load_params(saved)[0].parameters(), expected.parameters())
    assert "in float32" in capsys.readouterr().out


def test_float32_reaches_explain_and_the_app(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "--seed", "0", "--dtype", "float32"]) == 0
    assert "float32" in capsys.readouterr().out
    args = build_parser().parse_args(["--dtype", "float32", "--seed", "0"])
    assert app_start(args, build_parser()).settings.training.dtype == "float32"


def test_divergence_stops_with_finite_parameters_and_saves_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    saved = tmp_path / "p.json"
    args = ["train", "--activation", "relu", "--output", "linear", "--lr", "1e6", "--seed", "1", "--save", str(saved)]
    assert main(args) == 1
    captured = capsys.readouterr()
    assert "diverged at epoch" in captured.err
    final = captured.out.split("Final weights and biases:")[1].split("Stopped:")[0]
    assert "nan" not in final and "inf" not in final
    assert f"Not saved: training diverged; {saved} is unchanged" in captured.out and not saved.exists()


BAD_FLAGS = [
    ["--hidden", "abc"],
    ["--hidden", "0"],
    ["--hidden", "-3"],
    ["--hidden", "2.5"],
    ["--epochs", "-1"],
    ["--epochs", "abc"],
    ["--lr", "nan"],
    ["--lr", "-0.1"],
    ["--lr", "inf"],
    ["--layers", "4,,2"],
    ["--layers", "10000,10000,10000"],
    ["--hidden", "99999999999999999999"],
    ["--activation", "swish"],
    ["--dataset", "mnist"],
    ["--seed", "x"],
    ["--width", "3"],
    ["--hidden", "3", "--layers", "4"],
    ["--output", "linear", "--loss", "cross_entropy"],
    ["--dtype", "float16"],
    ["--dtype", "double"],
    ["--dtype"],
]


@pytest.mark.parametrize("flags", BAD_FLAGS, ids=" ".join)
def test_bad_flags_exit_2_with_one_line(flags: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        sys.exit(main(["train", *flags]))
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "not valid JSON"),
        (b"\x00\xff\xfe binary", "invalid UTF-8"),
        (b'{"format": "tui-mlp-params", "version": 99}', "unsupported format version"),
    ],
)
def test_corrupt_load_file_fails_cleanly(
    tmp_path: Path, content: bytes, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    assert main(["train", "--load", str(bad)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err and str(bad) in err


def test_load_of_a_network_that_does_not_fit_the_dataset(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    saved = tmp_path / "xor.json"
    assert main(["train", "--dataset", "xor", "--epochs", "5", "--seed", "0", "--save", str(saved)]) == 0
    assert main(["train", "--load", str(saved)]) == 1
    assert "does not fit 'seed'" in capsys.readouterr().err


def test_unwritable_save_is_one_line_before_training(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["train", "--epochs", "5", "--seed", "0", "--save", str(tmp_path / "no" / "p.json")])
    assert exited.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1
    assert f"argument --save: {tmp_path / 'no' / 'p.json'}: folder {tmp_path / 'no'} does not exist" in captured.err
    assert list(tmp_path.iterdir()) == []


def test_ctrl_c_stops_cleanly_with_the_partial_result(tmp_path: Path) -> None:
    saved = tmp_path / "p.json"
    command = [sys.executable, "-m", "tui_mlp", "train", "--epochs", "10000000", "--seed", "0", "--save", str(saved)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout is not None
    for line in process.stdout:  # wait until training has started and reported
        if line.startswith("epoch "):
            break
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert "Traceback" not in err
    assert "cancelled after" in out and END_LINE in out
    training = json.loads(saved.read_text())["training"]
    assert training["stopped"] == "cancelled" and 0 < training["epochs"] < 10_000_000


def test_help_of_every_command_has_an_example() -> None:
    for command in ([], ["train"], ["explain"], ["serve"]):
        done = subprocess.run(
            [sys.executable, "-m", "tui_mlp", *command, "--help"],
            capture_output=True,
            text=True,
            env={**os.environ, "COLUMNS": "100"},
        )
        assert done.returncode == 0 and "example: tui-mlp" in done.stdout


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.startswith("tui-mlp 0.")


def test_options_before_train_apply_to_it(capsys: pytest.CaptureFixture[str]) -> None:
    """``tui-mlp --hidden 8 train`` once trained the default 4-5-2 network and ignored --hidden."""

    def output(argv: list[str]) -> list[str]:
        assert main(argv) == 0
        return [line for line in capsys.readouterr().out.splitlines() if not line.startswith("Stopped:")]  # (time)

    before = output(["--hidden", "3", "--seed", "5", "train", "--epochs", "20"])
    assert before[0].startswith("Network 4-3-2 ") and before[0].endswith("; seed 5")
    assert before == output(["train", "--hidden", "3", "--seed", "5", "--epochs", "20"])


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--hidden", "8", "datasets"], "'datasets' takes no options; --hidden does not apply to it"),
        (["--files", "/nonexistent", "serve"], "argument --files: /nonexistent is not a folder"),
        (["serve", "--host", "0.0.0.0"], "--host 0.0.0.0 can be reached from other machines; add --allow-remote"),
        (["serve", "--max-sessions", "0"], "argument --max-sessions: sessions 0 is outside 1 to 64"),
    ],
)
def test_options_that_do_not_apply_are_refused(argv: list[str], message: str, capsys) -> None:
    with pytest.raises(SystemExit) as ended:
        main(argv)
    err = capsys.readouterr().err
    assert ended.value.code == 2 and message in err and len(err.strip().splitlines()) == 1


def test_serve_refuses_a_bad_app_option_before_serving(tmp_path: Path, capsys) -> None:
    assert main(["--load", str(tmp_path / "missing.json"), "serve", "--port", "8999"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err == f"tui-mlp: cannot read {tmp_path / 'missing.json'}: No such file or directory\n"


def test_a_finished_command_does_not_wait_long_for_a_thread_at_exit() -> None:
    """The interpreter joins threads at exit: the app's training thread, cancelled, still ends only at
    its next epoch (seconds for a big network). ``tui-mlp`` ends within ``EXIT_SECONDS`` regardless."""
    script = (
        "import threading, time\n"
        "from tui_mlp import cli\n"
        "cli.main = lambda: threading.Thread(target=time.sleep, args=(60,)).start() or 7\n"
        "cli.entry()\n"
    )
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", script], timeout=30, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 7
    assert time.monotonic() - started < EXIT_SECONDS + 5


def test_ctrl_c_while_the_command_loads_is_one_line() -> None:
    """Ctrl-C during the imports (NumPy, Textual: a fraction of a second) gave an import traceback."""
    script = (
        "import sys\n"
        "class Interrupting:\n"  # the Ctrl-C lands while tui_mlp.cli is being imported
        "    def find_spec(self, name, *rest):\n"
        "        if name == 'tui_mlp.cli':\n"
        "            raise KeyboardInterrupt\n"
        "sys.meta_path.insert(0, Interrupting())\n"
        "import tui_mlp\n"
        "tui_mlp.main()\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=30, cwd=ROOT)
    assert (done.returncode, done.stdout, done.stderr) == (130, "", "tui-mlp: interrupted\n")


@pytest.mark.parametrize("command", [["datasets"], ["train", "--epochs", "100000", "--seed", "0"]])
def test_a_reader_that_stops_early_ends_the_command_quietly(command: list[str]) -> None:
    """``tui-mlp train | head -1``: the pipe closes under the printing; no BrokenPipeError traceback."""
    process = subprocess.Popen(
        [sys.executable, "-m", "tui_mlp", *command], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.read(10)
    process.stdout.close()
    err = process.stderr.read()
    process.stderr.close()
    assert (process.wait(timeout=60), err) == (141, b"")


@pytest.mark.parametrize(
    ("flag", "message"), [("--epochs", "epochs '--' is not a whole number"), ("--dataset", "invalid choice: '--'")]
)
def test_a_value_of_two_dashes_joined_to_its_flag_is_checked(
    flag: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Found by the fuzzer: argparse turned ``--epochs=--`` into an empty list, unchecked, and
    training failed with a TypeError traceback."""
    with pytest.raises(SystemExit) as exited:
        main(["train", f"{flag}=--"])
    err = capsys.readouterr().err
    assert exited.value.code == 2 and message in err and len(err.splitlines()) == 1
