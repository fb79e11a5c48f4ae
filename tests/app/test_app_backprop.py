"""The backprop view (``g``): the next training step of the current network, phase by
phase, on one sample or all; ``s`` takes that step for real, and the After panel, the
loss chart and the status line move by exactly it."""

from __future__ import annotations

import asyncio

import numpy as np
import pytest
from app_helpers import app_test, make_app, region_text, screen_text, status_text

from tui_mlp.app.widgets.backprop_view import BackpropView
from tui_mlp.core.run import Run
from tui_mlp.core.specs import DataSpec, TrainingSpec


async def wait_for_epoch(pilot, epoch: int) -> None:
    """Until the status line reports ``epoch`` epochs done (the worker's paused report)."""
    for _ in range(200):
        await pilot.pause()
        status = pilot.app.status
        if not isinstance(status, str) and status.epoch == epoch:
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"no report of epoch {epoch}: {status_text(pilot.app)}")


async def open_backprop(pilot) -> BackpropView:
    await pilot.press("f3", "g", "s")  # leave the fields, show the view, a new run paused at epoch 0
    await wait_for_epoch(pilot, 0)
    view = pilot.app.query_one(BackpropView)
    assert view.display and pilot.app.focused is view
    assert not pilot.app.query_one("#before").display
    return view


@app_test
async def test_s_takes_one_real_step_and_after_moves_by_exactly_the_traced_change() -> None:
    app = make_app(seed=0, optimizer="adam")
    async with app.run_test(size=(120, 40)) as pilot:
        view = await open_backprop(pilot)
        assert "paused before epoch 1" in status_text(app)
        for epoch in (1, 2, 3):
            await pilot.press("a")  # all samples: the full-batch step training takes
            await pilot.pause()
            trace = view.trace()
            assert trace is not None and len(trace.X) == 4
            await pilot.press("a", "s")
            await wait_for_epoch(pilot, epoch)
            for layer, (w, b) in enumerate(zip(app.after_model.weights, app.after_model.biases)):
                assert w.tobytes() == trace.layers[layer].new_weights.tobytes()
                assert b.tobytes() == trace.layers[layer].new_biases.tobytes()
            assert len(app.losses) == epoch and app.losses[-1] == pytest.approx(trace.loss, rel=1e-12)
            assert f"epoch {epoch} / 10,000" in status_text(app) and "paused" in status_text(app)
        # the same as a run trained three epochs headless
        headless = Run.create(TrainingSpec(epochs=3, optimizer="adam"), DataSpec("seed"), 0)
        headless.fit()
        np.testing.assert_array_equal(app.after_model.parameters(), headless.model.parameters())


@app_test
async def test_phases_samples_and_the_chain_rule_in_the_node_pane() -> None:
    app = make_app(seed=0)
    async with app.run_test(size=(120, 40)) as pilot:
        view = await open_backprop(pilot)
        assert "sample 1/4 · 1/6 forward: Hidden (sigmoid)" in view.border_title
        assert " z=" in region_text(app, "#backprop") and " δ=" not in region_text(app, "#backprop")
        await pilot.press("n", "n", "n")
        assert "4/6 backward: Output (sigmoid)" in view.border_title
        assert " δ=" in region_text(app, "#backprop") and "|∂L/∂w|" in region_text(app, "#backprop")
        await pilot.press("u")
        assert "|Δw|" in region_text(app, "#backprop")
        await pilot.press("right", "down")  # h2
        await pilot.pause()
        details = region_text(app, "#details")
        assert "h2" in details and "δ = ∂L/∂z = f′(z)·Σ w·δ" in details
        await pilot.press("right_square_bracket")
        assert "sample 2/4" in view.border_title
        x, y = app.run_state.train.X[1], app.run_state.train.y[1]
        caption = f"x {' '.join(f'{v:.4g}' for v in x)} → y {' '.join(f'{v:.4g}' for v in y)}"
        assert caption in region_text(app, "#backprop")
        await pilot.press("left_square_bracket", "left_square_bracket")
        assert "sample 4/4" in view.border_title
        await pilot.press("a")
        assert "sample all" in view.border_title and "all 4 samples" in region_text(app, "#backprop")
        await pilot.press("p", "p", "p", "p")
        assert "6/6 update" in view.border_title
        await pilot.press("g")
        await pilot.pause()
        assert not view.display and app.query_one("#before").display


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (200, 60)])
@app_test
async def test_the_view_names_its_sample_and_phase_at_every_size(size: tuple[int, int]) -> None:
    app = make_app(seed=0)
    async with app.run_test(size=size) as pilot:
        view = await open_backprop(pilot)
        await pilot.press("n", "n", "n")
        text = screen_text(app)
        assert "1/4 · " in text and "backward" in text.replace("back O", "backward")
        assert "seed 0" in status_text(app)
        assert "y1 δ=" in region_text(app, "#backprop") or "y1 Σδ=" in region_text(app, "#backprop")
        assert view.region.width >= 30


@app_test
async def test_in_ascii_mode_the_view_and_its_equations_are_ascii() -> None:
    app = make_app(seed=0, ascii=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_backprop(pilot)
        await pilot.press("n", "n", "n", "right")
        await pilot.pause()
        assert region_text(app, "#backprop").isascii()
        assert region_text(app, "#details").isascii()


@app_test
async def test_s_while_training_pauses_after_the_next_epoch() -> None:
    app = make_app(seed=0, epochs=5_000_000)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        await asyncio.sleep(0.3)
        await pilot.press("f3", "s")
        for _ in range(200):
            await pilot.pause()
            if "paused" in status_text(app):
                break
            await asyncio.sleep(0.02)
        run = app.run_state
        assert run is not None and run.control.paused
        epoch = app.status.epoch
        assert epoch == len(app.losses) > 0
        np.testing.assert_array_equal(app.after_model.parameters(), run.model.parameters())
        await pilot.press("escape")
