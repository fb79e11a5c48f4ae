"""``tui-mlp explain``: one backprop step printed as a worked example on paper."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from tui_mlp.cli import main
from tui_mlp.core import MLP, train
from tui_mlp.core.datasets import load_dataset

GOLDEN = Path(__file__).parent / "render" / "golden" / "explain_seed.txt"
SEED = load_dataset("seed")


def explain(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["explain", *argv]) == 0
    return capsys.readouterr().out


def printed(out: str, start: str, end: str) -> np.ndarray:
    """The numbers printed between ``start`` and the next ``end``, one row a line."""
    text = out[out.index(start) + len(start) :]
    rows = text[: text.index(end)].strip().splitlines()
    return np.array([row.replace("[", " ").replace("]", " ").split() for row in rows], dtype=float)


def test_the_seed_networks_first_step_is_the_golden_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert explain(["--seed", "0", "--sample", "1"], capsys) == GOLDEN.read_text(encoding="utf-8")


def test_the_updated_weights_are_one_gradient_step_on_the_sample(capsys: pytest.CaptureFixture[str]) -> None:
    out = explain(["--seed", "0", "--sample", "3", "--lr", "0.5"], capsys)
    model = MLP([4, 5, 2], seed=0)
    loss = model.loss(SEED.X[2:3], SEED.y[2:3])
    train(model, SEED.X[2:3], SEED.y[2:3], 1, 0.5)
    assert f"L = ½·Σ(a − y)² = {loss:.6f}" in out
    np.testing.assert_array_equal(printed(out, "W[1] + ΔW[1] =", "b[1] + Δb[1]"), np.round(model.weights[1], 4))
    np.testing.assert_array_equal(printed(out, "b[1] + Δb[1] =", "\n")[0], np.round(model.biases[1], 4))
    assert "sample 3 of 4 training; step 1 (the first)" in out


def test_a_later_step_follows_training_and_the_optimizer(capsys: pytest.CaptureFixture[str]) -> None:
    out = explain(["--seed", "1", "--optimizer", "momentum", "--momentum", "0.5", "--lr", "0.1", "--step", "3"], capsys)
    assert "step 3 (after 2 epochs of training)" in out
    assert "Update: θ ← θ + Δθ\n  v ← μ·v − η·g;  Δθ = v\n  with η = 0.1, μ = 0.5 and g = ∂L/∂θ\n" in out
    model = MLP([4, 5, 2], seed=1)
    train(model, SEED.X, SEED.y, 2, 0.1, optimizer="momentum", momentum=0.5)
    np.testing.assert_array_equal(printed(out, "W[0] =", "b[0]"), np.round(model.weights[0], 4))


def test_options_before_explain_apply_to_it(capsys: pytest.CaptureFixture[str]) -> None:
    after = explain(["--hidden", "3", "--seed", "2"], capsys)
    assert main(["--hidden", "3", "--seed", "2", "explain"]) == 0
    assert capsys.readouterr().out == after
    assert "network 4-3-2 " in after


def test_snapshot_as_svg_and_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = explain(["--seed", "0", "--snapshot", str(tmp_path / "step.svg")], capsys)
    assert out.endswith(f"Wrote snapshot to {tmp_path / 'step.svg'}\n")
    assert "<svg" in (tmp_path / "step.svg").read_text(encoding="utf-8")
    explain(["--seed", "0", "--snapshot", str(tmp_path / "step.txt")], capsys)
    assert (tmp_path / "step.txt").read_text(encoding="utf-8") == GOLDEN.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--sample", "0"], "argument --sample: sample 0 is outside 1 to"),
        (["--sample", "x"], "argument --sample: sample 'x' is not a whole number"),
        (["--sample", "5"], "sample 5 is not one of the 4 training samples"),
        (["--step", "0"], "argument --step: step 0 is outside 1 to"),
        (["--snapshot", "step.png"], "argument --snapshot"),
        (["--width", "3"], "argument --width"),
        (["--activation", "swish"], "argument --activation"),
    ],
)
def test_bad_flags_exit_2_with_one_line(flags: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        sys.exit(main(["explain", "--seed", "0", *flags]))
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and message in err, err


def test_a_diverged_run_says_so_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    flags = ["--activation", "relu", "--output", "linear", "--lr", "1e6", "--seed", "1", "--step", "1000"]
    assert main(["explain", *flags]) == 2
    err = capsys.readouterr().err
    assert err.startswith("tui-mlp: training diverged at epoch ") and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("flags", [["--optimizer", "adam", "--weight-decay", "0.1"], ["--optimizer", "momentum"]])
def test_ascii_is_7_bit(flags: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    more = ["--dataset", "gaussians", "--hidden", "3", "--activation", "leaky_relu", "--loss", "cross_entropy"]
    out = explain(["--seed", "0", "--ascii", *flags, *more], capsys)
    assert out.isascii() and "d[1] = dL/dz[1]" in out and "W[0] + DW[0] =" in out


def test_a_big_network_is_summarised(capsys: pytest.CaptureFixture[str]) -> None:
    out = explain(["--dataset", "moons", "--hidden", "200", "--seed", "0", "--loss", "sse"], capsys)
    assert "..." in out and max(map(len, out.splitlines())) <= 100
    assert np.isfinite(float(out.split("L = ½·Σ(a − y)² = ")[1].split()[0]))
