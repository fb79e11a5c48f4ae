"""Bad input in any field: a message below the fields, nothing starts, nothing on screen changes
or moves; empty fields mean their defaults."""

from __future__ import annotations

import numpy as np
import pytest
from app_helpers import SIZE, app_test, make_app, region_text, screen_text, train_to_end

from tui_mlp.app.widgets.controls import ControlBar
from tui_mlp.core.specs import DataSpec, Settings, TrainingSpec

BAD_HIDDEN = ["", "abc", "0", "-3", "2.5", "4,,2", "100000", "10000,10000,10000", ",".join(["2"] * 40)]
BAD_OTHER = [
    ("epochs", "-1"),
    ("epochs", "ten"),
    ("epochs", "８"),
    ("epochs", "99999999999"),
    ("learning_rate", "-1"),
    ("learning_rate", "nan"),
    ("learning_rate", "fast"),
    ("seed", "-1"),
    ("seed", "x"),
    ("batch_size", "0"),
    ("batch_size", "2.5"),
    ("batch_size", "all"),
    ("weight_decay", "-0.1"),
    ("weight_decay", "11"),
    ("weight_decay", "lots"),
]
BAD_GENERATED = [("noise", "-1"), ("noise", "inf"), ("samples", "3"), ("samples", "many")]
FIXES = {
    "hidden": "3",
    "epochs": "200",
    "learning_rate": "0.2",
    "seed": "4",
    "batch_size": "2",
    "weight_decay": "0.01",
    "noise": "0.2",
    "samples": "60",
}


async def _enter_bad_value(field: str, text: str, dataset: str = "seed") -> None:
    app = make_app(seed=0, epochs=300, dataset=dataset)
    async with app.run_test(size=SIZE) as pilot:
        await train_to_end(pilot)
        shown = app.after_model.parameters().copy()
        losses = app.losses
        first = app.run_state
        app.query_one(f"#{field}").value = text
        app.query_one(f"#{field}").focus()
        await pilot.press("enter")
        await pilot.pause()
        assert app.run_state is first, "a new run started"
        assert app.query_one(f"#{field}-field").has_class("-invalid")
        assert "✗" in screen_text(app)
        assert np.array_equal(app.query_one("#after").model.parameters(), shown)
        assert app.losses is losses
        # Fixing the value clears the message and training starts again.
        app.query_one(f"#{field}").value = FIXES[field]
        await pilot.pause()
        assert not app.query_one(f"#{field}-field").has_class("-invalid")
        await train_to_end(pilot)
        assert app.run_state is not first


@pytest.mark.parametrize("text", BAD_HIDDEN)
@app_test
async def test_bad_hidden_size(text: str) -> None:
    await _enter_bad_value("hidden", text)


@pytest.mark.parametrize(("field", "text"), BAD_OTHER)
@app_test
async def test_bad_other_fields(field: str, text: str) -> None:
    await _enter_bad_value(field, text)


@pytest.mark.parametrize(("field", "text"), BAD_GENERATED)
@app_test
async def test_bad_generated_data_fields(field: str, text: str) -> None:
    await _enter_bad_value(field, text, dataset="circle")


@app_test
async def test_message_names_the_problem() -> None:
    app = make_app(seed=0)
    async with app.run_test(size=SIZE) as pilot:
        app.query_one("#hidden").value = "4,,2"
        await pilot.press("enter")
        text = screen_text(app)
        assert "has an empty size between commas" in text
        assert app.run_state is None
        assert "No network yet." in text


@app_test
async def test_the_message_floats_below_the_fields_and_nothing_moves() -> None:
    app = make_app(seed=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        panels = app.query_one("#panels").region
        app.query_one("#hidden").value = "५"
        await pilot.press("enter")
        await pilot.pause()
        assert app.query_one("#panels").region == panels
        errors = app.query_one("#errors")
        assert errors.region.y == app.query_one("#fields").region.bottom
        message = "✗ Hidden neurons: size '५' is not a whole number: write its digits as 0-9"
        assert " ".join(region_text(app, "#errors").split()) == message
        app.query_one("#hidden").value = "5"
        await pilot.pause()
        assert not errors.display and app.query_one("#panels").region == panels


@app_test
async def test_empty_fields_mean_their_defaults_and_the_words_in_the_hints_can_be_typed() -> None:
    app = make_app(seed=0, epochs=500, learning_rate=0.5, weight_decay=0.1, batch_size=2, dataset="circle")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        bar = app.query_one(ControlBar)
        for name in ("epochs", "learning_rate", "weight_decay", "noise", "samples"):
            bar.set_value(name, "")
        bar.set_value("batch_size", "FULL")
        bar.set_value("seed", " Random")
        await pilot.pause()
        settings = bar.read()
        assert settings == Settings(TrainingSpec(), DataSpec("circle"), None)
        hints = {name: app.query_one(f"#{name}").placeholder for name in ("epochs", "batch_size", "seed", "samples")}
        assert hints == {"epochs": "10000", "batch_size": "full", "seed": "random", "samples": "default"}
        assert app.query_one("#weight_decay").tooltip == "L2 weight decay, 0 to 10 (0: none); empty: 0"
        bar.set_value("hidden", "")
        assert bar.read() is None  # the one field that asks: the network's size
