"""Training in the worker: same result as headless, cancel, pause, divergence, restarts."""

from __future__ import annotations

import re

import numpy as np
import pytest
from app_helpers import (
    SIZE,
    app_test,
    cli_run,
    make_app,
    region_text,
    result,
    screen_text,
    settle,
    status_text,
    train_to_end,
)
from textual.app import App, ComposeResult

from tui_mlp.app.widgets.status import RunStatus, StatusLine, fit_parts
from tui_mlp.core import MLP, StopReason, train
from tui_mlp.core.datasets import load_dataset

LONG = 10_000_000  # epochs: a run that is still going when the test acts


def headless(seed: int, hidden: tuple[int, ...], epochs: int, rate: float, activation: str = "sigmoid") -> MLP:
    """What ``tui-mlp train --seed`` computes for these settings."""
    sizes = ",".join(map(str, hidden))
    flags = ("--seed", str(seed), "--hidden", sizes, "--epochs", str(epochs), "--lr", f"{rate}")
    return cli_run(*flags, "--activation", activation)[1]


def test_headless_helper_is_the_plain_seed_training() -> None:
    data = load_dataset("seed", 3)
    model = MLP((4, 8, 4, 2), "tanh", seed=3)
    train(model, data.X, data.y, 300, 0.5)
    assert np.array_equal(headless(3, (8, 4), 300, 0.5, "tanh").parameters(), model.parameters())


@app_test
async def test_full_run_equals_headless_training() -> None:
    app = make_app(seed=3, hidden="8,4", epochs=2_000, learning_rate=0.5, activation="tanh")
    async with app.run_test(size=SIZE) as pilot:
        await train_to_end(pilot)
        assert result(app).reason is StopReason.DONE
        expected = headless(3, (8, 4), 2_000, 0.5, "tanh")
        assert np.array_equal(app.after_model.parameters(), expected.parameters())
        assert np.array_equal(app.run_state.before.parameters(), MLP((4, 8, 4, 2), "tanh", seed=3).parameters())
        assert np.array_equal(app.query_one("#after").model.parameters(), expected.parameters())
        assert "done: 2,000 epochs" in status_text(app)
        assert "seed 3" in status_text(app)
        assert len(app.losses) == 2_000


@app_test
async def test_seed_network_default_settings_equal_headless() -> None:
    app = make_app(seed=0)
    async with app.run_test(size=SIZE) as pilot:
        await train_to_end(pilot)
        assert np.array_equal(app.after_model.parameters(), headless(0, (5,), 10_000, 0.1).parameters())


@app_test
async def test_without_seed_a_random_seed_is_shown_and_reproducible() -> None:
    app = make_app(epochs=500)
    async with app.run_test(size=SIZE) as pilot:
        await train_to_end(pilot)
        seed = app.run_state.seed
        assert f"seed {seed}" in status_text(app)
        assert np.array_equal(app.after_model.parameters(), headless(seed, (5,), 500, 0.1).parameters())


@app_test
async def test_escape_cancels_and_keeps_the_partial_result() -> None:
    app = make_app(seed=0, epochs=LONG)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("escape")
        await settle(pilot)
        run = result(app)
        assert run.reason is StopReason.CANCELLED
        assert 0 < run.epochs_run < LONG
        assert "cancelled after" in status_text(app)
        assert not np.array_equal(app.after_model.parameters(), app.run_state.before.parameters())


@app_test
async def test_space_pauses_and_resumes_but_types_in_fields() -> None:
    app = make_app(seed=0, epochs=LONG)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("end", "space")
        assert app.query_one("#hidden").value == "5 "
        assert app.run_state is None
        await pilot.press("backspace", "enter")
        await pilot.pause()
        app.query_one("#before").focus()
        await pilot.press("space")
        assert app.run_state.control.paused
        assert "paused" in status_text(app)
        await pilot.press("space")
        assert not app.run_state.control.paused
        assert "training" in status_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert result(app).reason is StopReason.CANCELLED


@app_test
async def test_a_new_run_cancels_the_old_one() -> None:
    app = make_app(seed=0, epochs=LONG)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        first = app.run_state
        app.query_one("#epochs").value = "300"
        await pilot.click("#train")
        await settle(pilot)
        assert first.control.cancelled and first.result.reason is StopReason.CANCELLED
        assert app.run_state is not first
        assert result(app).reason is StopReason.DONE and result(app).epochs_run == 300
        assert np.array_equal(app.after_model.parameters(), headless(0, (5,), 300, 0.1).parameters())


@app_test
async def test_divergence_stops_and_keeps_the_last_finite_network() -> None:
    # Sigmoid outputs cannot diverge; a loaded network with linear outputs can.
    model = MLP((4, 5, 2), "relu", seed=0, output_activation="linear")
    app = make_app(model=model, activation="relu", learning_rate=1000.0)
    async with app.run_test(size=SIZE) as pilot:
        await train_to_end(pilot)
        run = result(app)
        assert run.reason is StopReason.DIVERGED
        assert f"diverged at epoch {run.diverged_at}" in status_text(app)
        assert np.isfinite(app.after_model.parameters()).all()
        assert "loaded from net.json" in status_text(app)


@app_test
async def test_the_log_scale_stays_on_for_the_next_run() -> None:
    """A new run starts with an empty chart; on the log scale plotext could not build it (crash)."""
    app = make_app(seed=0, epochs=300)
    async with app.run_test(size=SIZE) as pilot:
        await train_to_end(pilot)
        app.query_one("#before").focus()
        await pilot.press("l")
        assert app.query_one("#loss").log
        app.query_one("#hidden").focus()
        await train_to_end(pilot)
        assert app.is_running and app._exception is None
        chart = region_text(app, "#loss")
        assert "loss (log scale)" in chart and "last 0.5243" in chart


@app_test
async def test_the_status_line_shows_no_loss_until_there_is_one_and_losses_as_the_chart_does() -> None:
    class Status(App[None]):
        def compose(self) -> ComposeResult:
            yield StatusLine(id="status", timing=False)

    app = Status()
    async with app.run_test(size=SIZE) as pilot:
        line = app.query_one(StatusLine)
        line.status = RunStatus("seed 1", 200_000)
        await pilot.pause()
        assert str(line.render()) == "epoch 0 / 200,000 · loss – · training · seed 1"
        line.status = RunStatus("seed 1", 200_000, "done: 200,000 epochs", 200_000, 9.8171e-06)
        await pilot.pause()
        assert str(line.render()) == "epoch 200,000 / 200,000 · loss 9.817e-06 · done: 200,000 epochs · seed 1"


@app_test
async def test_a_finished_run_shows_the_same_loss_in_the_status_and_the_chart() -> None:
    app = make_app(seed=0, epochs=300)
    async with app.run_test(size=SIZE) as pilot:
        await train_to_end(pilot)
        assert "loss 0.5243 ·" in status_text(app)
        assert "last 0.5243, lowest 0.5243" in region_text(app, "#loss")


@app_test
async def test_the_footer_offers_resume_while_paused_and_help_lists_space_once() -> None:
    app = make_app(seed=0, epochs=LONG)
    async with app.run_test(size=SIZE) as pilot:
        footer = lambda: region_text(app, "Footer")  # noqa: E731
        await pilot.press("enter")
        app.query_one("#before").focus()
        await pilot.pause()
        assert "space Pause" in footer()
        await pilot.press("space")
        await pilot.pause()
        assert app.run_state.control.paused
        assert "space Resume" in footer() and "Pause" not in footer()
        await pilot.press("space")
        await pilot.pause()
        assert not app.run_state.control.paused and "space Pause" in footer()
        await pilot.press("space")
        await pilot.pause()
        assert "space Resume" in footer()
        app.query_one("#hidden").focus()
        await pilot.press("enter")  # a new run, not paused
        app.query_one("#before").focus()
        await pilot.pause()
        assert not app.run_state.control.paused and "space Pause" in footer()
        await pilot.press("escape", "f1")
        help_text = screen_text(app)
        assert help_text.count("Pause or resume training") == 1 and "Resume the paused" not in help_text
        await pilot.press("escape")
        await settle(pilot)


@app_test
async def test_zero_epochs_evaluate_the_network_and_it_can_be_saved(tmp_path) -> None:
    app = make_app(seed=1, epochs=0)
    async with app.run_test(size=SIZE) as pilot:
        await train_to_end(pilot)
        run = app.run_state
        assert np.array_equal(app.after_model.parameters(), run.before.parameters())
        loss = run.before.loss(run.train.X, run.train.y)
        assert status_text(app).startswith(
            f"epoch 0 / 0 · loss {loss:.4g} · train acc 0.250 · evaluated, not trained (0 epochs) · seed 1"
        )
        assert "no training yet" in region_text(app, "#loss")
        assert app.files.save(tmp_path / "p.json") == tmp_path / "p.json"


@pytest.mark.parametrize("width", [80, 120, 200])
@app_test
async def test_the_seed_is_always_on_the_status_line_and_a_stuck_run_says_so(width: int) -> None:
    app = make_app(seed=3, hidden="300", dataset="spiral", epochs=300, loss="sse", optimizer="gd", learning_rate=0.1)
    async with app.run_test(size=(width, 40)) as pilot:
        await train_to_end(pilot)
        line = status_text(app)
        assert len(line) <= width - 2 and "seed 3" in line and "stuck at chance" in line
        assert line.startswith("epoch 300 / 300 · loss 40 · ")
        if width >= 120:
            assert "train acc 0.500 · test acc 0.500" in line
        if width >= 200:
            assert "stuck at chance (outputs saturated): try a smaller learning rate, a mean loss, adam or tanh" in line


def test_status_parts_shorten_in_order_and_keep_what_has_one_form() -> None:
    parts = [("a",), ("long middle", "mid", ""), ("seed 1",), ("9 s", "")]
    assert fit_parts(parts, [3, 1, 1], 80) == "a · long middle · seed 1 · 9 s"
    assert fit_parts(parts, [3, 1, 1], 26) == "a · long middle · seed 1"
    assert fit_parts(parts, [3, 1, 1], 18) == "a · mid · seed 1"
    assert fit_parts(parts, [3, 1, 1], 5) == "a · seed 1"


@app_test
async def test_at_80_columns_the_scores_shorten_and_the_state_and_seed_stay() -> None:
    app = make_app(seed=3, hidden="8", dataset="spiral", epochs=300)
    async with app.run_test(size=(80, 24)) as pilot:
        await train_to_end(pilot)
        line = status_text(app)
        assert re.fullmatch(r"epoch 300 / 300 · loss \S+ · train \d\.\d{3} · test \d\.\d{3} · done · seed 3", line), (
            line
        )
