"""Replay: a cursor through the run's checkpoints. After, the node details, the boundary,
the status line and the chart's marker show the network at that epoch; Before stays
the start; leaving the replay (or playing to its end) returns to live."""

from __future__ import annotations

import asyncio

import numpy as np
import pytest
from app_helpers import app_test, make_app, region_text, settle, status_text, train_to_end

from tui_mlp.app import replay as cursor
from tui_mlp.app.widgets.loss_chart import LossChart

EPOCHS = [0, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610, 987]


def test_steps_move_through_the_checkpoints_and_past_the_last_go_live() -> None:
    finished = [*EPOCHS, 1000]  # a finished run: its last checkpoint is live
    assert cursor.step(finished, None, -1, 1000) == 15
    assert cursor.step(finished, 15, 1, 1000) is None
    assert cursor.step(finished, 0, -1, 1000) == 0
    assert cursor.step(EPOCHS, None, -1, 1000) == 15  # still training at 1000: the last kept is 987
    assert cursor.step([], None, -1, 0) is None


def test_jumps_move_a_tenth_of_the_epochs_at_least_one_checkpoint() -> None:
    finished = [*EPOCHS, 1000]
    assert cursor.jump(finished, 0, 100, 1000) == 10  # epoch 89 is nearest to 100
    assert cursor.jump(finished, 1, 0.4, 1000) == 2  # less than a checkpoint's gap: one on anyway
    assert cursor.jump(finished, None, -100, 1000) == 15  # 987 is nearest 900
    assert cursor.jump(finished, 14, 100, 1000) == 15  # 710: 610 is nearest, but on means on
    assert cursor.jump(finished, 15, 100, 1000) is None  # the last: live
    assert cursor.jump(finished, 2, -100, 1000) == 0


def test_speeds_double_and_halve_within_their_range() -> None:
    assert cursor.faster(16, 1) == 32 and cursor.faster(16, -1) == 8
    assert cursor.faster(64, 1) == 64 and cursor.faster(1, -1) == 1


def after_title(app) -> str:
    return app.query_one("#after").border_title


@app_test
async def test_the_replay_cursor_shows_each_checkpoint_and_returns_to_live() -> None:
    app = make_app(seed=1, dataset="moons", hidden="4", epochs=400)
    async with app.run_test(size=(120, 40)) as pilot:
        await train_to_end(pilot)
        run = app.run_state
        history = run.history
        final = app.after_model.parameters().copy()
        assert len(history) == 256 and history.epochs[-1] == 400
        np.testing.assert_array_equal(history.parameters[-1], final)
        await pilot.press("f3", "comma")  # back one checkpoint from the finished run
        assert app.replay == 254
        epoch = history.epochs[254]
        assert app.after_model.parameters().tobytes() == history.parameters[254].tobytes()
        assert after_title(app) == f"After epoch {epoch:,} (replay)"
        assert app.query_one(LossChart).at == epoch
        loss = app.after_model.loss(run.train.X, run.train.y)
        assert f"epoch {epoch:,} / 400 · loss {loss:.4g}" in status_text(app)
        assert "replay" in status_text(app)
        assert "After epoch" in app.query_one("#details").border_title
        await pilot.press("left_curly_bracket")
        assert app.replay == 0 and app.after_model.parameters().tobytes() == run.before.parameters().tobytes()
        await pilot.press("greater_than_sign")  # 40 epochs on: the checkpoint nearest epoch 40
        assert history.epochs[app.replay] == 40
        await pilot.press("full_stop")
        assert history.epochs[app.replay] == 41
        await pilot.press("right_curly_bracket")
        assert app.replay is None and after_title(app) == "After training"
        np.testing.assert_array_equal(app.after_model.parameters(), final)
        assert app.query_one(LossChart).at is None and "replay" not in status_text(app)
        assert "done: 400 epochs" in status_text(app)


@app_test
async def test_play_runs_through_the_checkpoints_to_live() -> None:
    app = make_app(seed=0, epochs=100)
    async with app.run_test(size=(120, 40)) as pilot:
        await train_to_end(pilot)
        await pilot.press("f3", *["plus"] * 3, "r")  # 16 → 32 → 64 → 64: the most, a second
        assert app.speed == 64 and app.playing and app.replay is not None
        seen = set()
        for _ in range(400):
            if not app.playing:
                break
            seen.add(app.replay)
            await asyncio.sleep(0.01)
        assert not app.playing and app.replay is None  # played to the end: live again
        assert len(seen) > 10
        await pilot.press("r")  # again: from the start (the press waits while it plays on)
        assert app.playing and app.replay is not None and app.replay < 50
        await pilot.press("r")  # stop where it is
        assert not app.playing and app.replay is not None


@app_test
async def test_reports_of_training_do_not_move_a_replay_but_extend_the_chart() -> None:
    app = make_app(seed=0, epochs=1_000_000)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        for _ in range(500):
            await pilot.pause()
            if len(app.losses) > 2000:
                break
            await asyncio.sleep(0.01)
        await pilot.press("f3", "comma")
        index, shown = app.replay, app.after_model.parameters().copy()
        assert index is not None and app.run_state.history.epochs[index] < len(app.losses)
        losses = len(app.losses)
        for _ in range(500):
            await pilot.pause()
            if len(app.losses) > losses:
                break
            await asyncio.sleep(0.01)
        assert len(app.losses) > losses and app.replay == index
        np.testing.assert_array_equal(app.after_model.parameters(), shown)
        await pilot.press("right_curly_bracket")
        assert app.replay is None and "training" in status_text(app)
        await pilot.press("escape")
        await settle(pilot)


@app_test
async def test_the_chart_draws_the_test_loss_at_the_checkpoints() -> None:
    app = make_app(seed=1, dataset="moons", hidden="4", epochs=300)
    async with app.run_test(size=(120, 40)) as pilot:
        await train_to_end(pilot)
        run = app.run_state
        epochs, losses = app.test_curve
        assert epochs == run.history.epochs
        assert losses[-1] == pytest.approx(run.model.loss(run.test.X, run.test.y), rel=1e-12)
        chart = region_text(app, "#loss")
        assert "train" in chart and "test" in chart


@app_test
async def test_replay_keys_before_any_run_say_why_they_do_nothing() -> None:
    app = make_app(seed=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f3", "comma", "r")
        await pilot.pause()
        assert app.replay is None and not app.playing
        assert any("Train first" in str(n.message) for n in app._notifications)


def test_load_opens_a_history_file_ended_and_ready_to_replay(tmp_path) -> None:
    from tui_mlp import cli
    from tui_mlp.app import MLPApp
    from tui_mlp.core.history_file import save_history
    from tui_mlp.core.run import Run
    from tui_mlp.core.specs import DataSpec, TrainingSpec

    run = Run.create(TrainingSpec(hidden=(4,), epochs=120), DataSpec("moons"), seed=5)
    run.fit()
    path = save_history(tmp_path / "run.json", run)
    parser = cli.build_parser()
    args = parser.parse_args(["--load", str(path)])
    start = cli.app_start(args, parser)
    assert start.loaded is None and start.replayed is not None and start.settings.seed == 5

    async def check() -> None:
        app = MLPApp(start.settings, replayed=start.replayed)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            assert app.after_model.parameters().tobytes() == run.model.parameters().tobytes()
            assert len(app.losses) == 120 and app.test_curve[0] == run.history.epochs
            assert "done: 120 epochs" in status_text(app) and "loaded from run.json" in status_text(app)
            await pilot.press("f3", "left_curly_bracket")
            assert app.after_model.parameters().tobytes() == run.before.parameters().tobytes()
            assert after_title(app) == "After epoch 0 (replay)"

    asyncio.run(check())
