"""Bad input in any field: a message beside it, nothing starts, nothing on screen changes."""

from __future__ import annotations

import numpy as np
import pytest
from app_helpers import SIZE, app_test, make_app, screen_text, train_to_end

BAD_HIDDEN = ["", "abc", "0", "-3", "2.5", "4,,2", "100000", "10000,10000,10000", ",".join(["2"] * 40)]
BAD_OTHER = [
    ("epochs", "0"),
    ("epochs", "ten"),
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
