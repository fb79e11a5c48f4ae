"""The sample browser: ``]`` and ``[`` choose a training sample; for images of classes the
Node pane draws it with its target, the network's prediction and a bar per class, and the
backprop view steps on the same sample."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from app_helpers import app_test, make_app, region_text, train_to_end

from tui_mlp.app import MLPApp
from tui_mlp.app.widgets.backprop_view import BackpropView
from tui_mlp.core.specs import DataSpec, Settings, TrainingSpec
from tui_mlp.render.text import render_text

NEXT, PREVIOUS = "right_square_bracket", "left_square_bracket"


def sample_lines(app: MLPApp) -> list[str]:
    """What the Node pane's sample part says, all of it (the pane scrolls), at the pane's width."""
    details = app.query_one("#details")
    return render_text(details.query_one("#sample").content, details.scrollable_content_region.width).splitlines()


def expected(app: MLPApp, sample: int) -> tuple[list[str], list[str]]:
    """The two lines over the chosen sample and the end of each class's line, from the After network."""
    train, model = app.run_state.train, app.after_model
    probabilities = model.forward(train.X[sample : sample + 1])[0]
    target, predicted = int(train.labels()[sample]), int(np.argmax(probabilities))
    head = [
        f"sample {sample + 1} of {len(train.X)} (train) · ]/[",
        f"target {train.classes[target]}, predicted {train.classes[predicted]} ({probabilities[predicted]:.2f})",
    ]
    ends = [f" {p:.2f}" + (" ←" if k == target else "") for k, p in enumerate(probabilities)]
    return head, ends


@app_test
async def test_the_keys_browse_the_training_samples_in_the_node_pane() -> None:
    app = make_app(seed=0, dataset="digits", hidden="16", epochs=20)
    async with app.run_test(size=(120, 40)) as pilot:
        await train_to_end(pilot)
        await pilot.press("f3", "right")  # h1 of the After panel
        await pilot.pause()
        count = len(app.run_state.train.X)
        assert count == 1438  # 1,797 less a fifth held out
        for keys, sample in [((), 0), ((NEXT, NEXT), 2), ((PREVIOUS,) * 3, count - 1), ((NEXT,), 0)]:
            await pilot.press(*keys)
            await pilot.pause()
            assert app.sample == sample
            head, ends = expected(app, sample)
            lines = sample_lines(app)
            assert lines[:2] == head
            bars = lines[2:]
            assert len(bars) == 10  # beside the 8×8 image, which takes the first 4
            for k, (line, end) in enumerate(zip(bars, ends)):
                assert line[9:].startswith(f"{k} ") and line.rstrip().endswith(end), line
                assert line[:8] == (" " * 8 if k >= 4 else "▀" * 8)
            shown = region_text(app, "#details")
            assert head[0] in shown and head[1] in shown  # on screen, with the node under them
            assert region_text(app, "#details").splitlines()[1].startswith("│ h1  Hidden (sigmoid)")


@pytest.mark.parametrize("size", [(80, 24), (200, 60)])
@app_test
async def test_the_sample_is_named_whole_at_every_size(size: tuple[int, int]) -> None:
    app = make_app(seed=0, dataset="digits", hidden="8", epochs=5)
    async with app.run_test(size=size) as pilot:
        await train_to_end(pilot)
        await pilot.press("f3", "right", NEXT)
        await pilot.pause()
        shown = " ".join(region_text(app, "#details").replace("│", " ").split())
        head, _ = expected(app, 1)
        assert head[0] in shown and head[1] in shown, shown  # wrapped at 80×24, never cut


@app_test
async def test_the_backprop_view_steps_on_the_chosen_sample() -> None:
    app = make_app(seed=0, dataset="digits", hidden="8", epochs=5)
    async with app.run_test(size=(120, 40)) as pilot:
        await train_to_end(pilot)
        await pilot.press("f3", "right", NEXT, NEXT, "g")
        await pilot.pause()
        view = app.query_one(BackpropView)
        count = len(app.run_state.train.X)
        assert app.focused is view and f"sample 3/{count}" in view.border_title
        await pilot.press(NEXT)
        assert app.sample == 3 and f"sample 4/{count}" in view.border_title
        await pilot.press("a")
        assert "sample all" in view.border_title
        await pilot.press(PREVIOUS)  # another sample: that one, not all
        assert app.sample == 2 and f"sample 3/{count}" in view.border_title
        await pilot.press("g", "f3")
        await pilot.pause()
        assert sample_lines(app)[0] == f"sample 3 of {count} (train) · ]/["


@app_test
async def test_without_images_the_keys_wait_for_the_backprop_view() -> None:
    app = make_app(seed=0, dataset="moons", hidden="4", epochs=5)
    async with app.run_test(size=(120, 40)) as pilot:
        await train_to_end(pilot)
        await pilot.press("f3", "right", NEXT)
        await pilot.pause()
        assert app.sample == 0 and not app.query_one("#details #sample").display
        await pilot.press("g", NEXT)
        assert app.sample == 1 and "sample 2/" in app.query_one(BackpropView).border_title


@app_test
async def test_an_image_shape_draws_a_table_as_2x8_images(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    lines = [",".join([f"p{i}" for i in range(16)] + ["label"])]
    lines += [",".join(map(str, row)) + f",{'abc'[i % 3]}" for i, row in enumerate(rng.integers(0, 5, (60, 16)))]
    table = tmp_path / "pixels.csv"
    table.write_text("\n".join(lines) + "\n")
    data = DataSpec(csv_file=str(table), targets=("label",), image_shape=(2, 8))
    app = MLPApp(Settings(TrainingSpec(hidden=(3,), epochs=5), data, seed=0))
    async with app.run_test(size=(120, 40)) as pilot:
        await train_to_end(pilot)
        assert app.run_state.train.image_shape == (2, 8)
        await pilot.press("f3", "right", NEXT)
        await pilot.pause()
        assert "h1       h2       h3" in region_text(app, "#boundary")  # tiles 8 pixels wide, not 4
        bars = sample_lines(app)[2:]
        assert [line[:8] for line in bars] == ["▀" * 8, " " * 8, " " * 8]  # 2 rows of pixels: one line
        assert app.query_one("ControlBar").data_spec().image_shape == (2, 8)
        app.query_one("#dataset").value = "moons"  # the shape goes with its own table only
        assert app.query_one("ControlBar").data_spec().image_shape is None
