"""Fuzzing the app's text fields: whatever is typed, the app neither crashes nor
trains with an invalid value, and a bad value gets a message naming its field.

Starting an app is slow, so each hypothesis example is one app session that
tries a whole list of strings (typed into the field by setting its value and
pressing Enter). A string that starts a run must be valid: the run's setting is
checked against an independent reading of the text. A string that does not
must mark its field invalid and name it in the messages, with the panels, the
loss curve and the current run untouched.
"""

from __future__ import annotations

import math
import os
import re
from collections import Counter
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from app_helpers import SIZE, app_test, make_app, reporting, settle
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from textual.widget import Widget
from textual.widgets import Input, Label, Select

from tui_mlp.app import MLPApp
from tui_mlp.app.widgets.controls import ControlBar
from tui_mlp.core.mlp import MAX_LAYER_SIZE

SESSIONS = int(os.environ.get("TUI_MLP_FUZZ_SESSIONS", "1"))  # hypothesis examples (= app sessions) per test
STRINGS = (50, 70)  # strings tried per session
TRIED: Counter[str] = Counter()  # strings tried per field, reported at the end

# --- what a person (or a cat on the keyboard) might type ----------------------

SPECIAL = [
    "inf", "-inf", "+inf", "Infinity", "nan", "NaN", "-nan", "1e309", "-1e309", "1e-400", "0", "-0", "+0",
    "0.0", "1_000", "1__0", "_1", "0x10", "0b1", "1e3", "1E3", "1.", ".5", "5.", "--1", "+-1", "1 000",
    " 5 ", "\t7\n", "5\x00", "\x1b[A", "٣", "５", "²", "1,", ",1", "1,,1", "8,4", " 8 , 4 ", "2**32",
    "4294967295", "4294967296", "10000000", "10000001", "1e6", "1000000.0000001", "9" * 400, "١٢٣",
]  # fmt: skip
numbers = st.one_of(
    st.integers(-(2**70), 2**70).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.floats(allow_nan=True, allow_infinity=True).map(lambda x: f"{x:e}"),
    st.from_regex(r"\A[ \t]{0,2}[+-]?[ ]?[0-9_]{0,12}(\.[0-9]{0,6})?([eE][+-]?[0-9]{1,4})?[ \t]{0,2}\Z"),
    st.lists(st.integers(-5, 70_000).map(str), min_size=1, max_size=12).map(",".join),
)
anything = st.text(st.characters(codec=None, exclude_categories=("Cs",)), max_size=40)
controls = st.text(st.characters(min_codepoint=0, max_codepoint=0x9F), max_size=20)
long_text = st.one_of(
    st.text(min_size=500, max_size=3_000),
    st.integers(1, 50).map(lambda n: "7" * 100 * n),
    st.integers(1, 200).map(lambda n: ",".join(["3"] * n)),
)
typed = st.one_of(st.sampled_from(SPECIAL), numbers, numbers, anything, controls, long_text)
string_lists = st.lists(typed, min_size=STRINGS[0], max_size=STRINGS[1])


# --- independent readings of a valid value -------------------------------------


def _whole(text: str) -> int | None:
    text = text.strip().replace("_", "")
    return int(text) if re.fullmatch(r"[+-]?\d+", text) else None


def _hidden(text: str) -> tuple[int, ...] | None:
    sizes = [_whole(part) for part in text.split(",")]
    if not sizes or any(s is None or not 1 <= s <= MAX_LAYER_SIZE for s in sizes):
        return None
    return tuple(sizes)  # type: ignore[arg-type]


def _epochs(text: str) -> int | None:
    n = _whole(text)
    return n if n is not None and 1 <= n <= 10_000_000 else None


def _rate(text: str) -> float | None:
    try:
        rate = float(text.strip())
    except ValueError:
        return None
    return rate if math.isfinite(rate) and 0 < rate <= 1e6 else None


def _seed(text: str) -> int | None:
    if not text.strip():
        return None  # blank: a random seed, checked separately
    n = _whole(text)
    return n if n is not None and 0 <= n < 2**32 else None


READINGS: dict[str, tuple[Callable[[str], Any], str]] = {
    "hidden": (_hidden, "hidden"),
    "epochs": (_epochs, "epochs"),
    "learning_rate": (_rate, "learning_rate"),
    "seed": (_seed, "seed"),
}


# --- one session over many strings ------------------------------------------------


def _field_title(app: MLPApp, name: str) -> tuple[Widget, str]:
    """The field around input ``name`` and the title it shows (its border title or its label)."""
    field = app.query_one(f"#{name}-field")
    if field.border_title:
        return field, str(field.border_title)
    return field, str(field.query_one(Label).content)


async def _fuzz_field(name: str, texts: list[str], dataset: str = "seed") -> None:
    app = make_app(seed=0, hidden="3", epochs=40, learning_rate=0.5, dataset=dataset)
    async with app.run_test(size=SIZE) as pilot:
        field_input = app.query_one(f"#{name}", Input)
        field, title = _field_title(app, name)
        initial = field_input.value
        await pilot.press("enter")  # a first run, so the panels have something to keep
        await settle(pilot)
        for text in texts:
            TRIED[name] += 1
            run, losses = app.run_state, app.losses
            after = app.query_one("#after").model.parameters().copy()
            before = app.query_one("#before").model.parameters().copy()
            field_input.value = text
            field_input.focus()
            await pilot.press("enter")
            await pilot.pause()
            assert app.is_running
            if app.run_state is not run:  # a run started: the value must be valid and the one used
                new = app.run_state
                reading = READINGS.get(name)
                if reading is not None and not (name == "seed" and not text.strip()):
                    expected = reading[0](text)
                    assert expected is not None, f"{name}={text!r} started a run"
                    assert getattr(new.settings, reading[1]) == expected
                assert not field.has_class("-invalid")
                new.cancel()  # long runs (e.g. epochs 9,999,999) are not the point here
                await settle(pilot)
                continue
            # Refused: a message naming the field; nothing on screen changed.
            reading = READINGS.get(name)
            if reading is not None:
                assert reading[0](text) is None or (name == "hidden"), f"valid {name}={text!r} refused"
            assert field.has_class("-invalid"), f"{name}={text!r}: field not marked"
            messages = str(app.query_one("#errors").render())
            lines = [line for line in messages.splitlines() if line.startswith("✗")]
            assert any(title in line for line in lines), f"{name}={text!r}: no message names {title!r}: {messages}"
            assert app.losses is losses
            assert np.array_equal(app.query_one("#after").model.parameters(), after)
            assert np.array_equal(app.query_one("#before").model.parameters(), before)
            assert not any(w.is_running for w in app.workers)
        # Afterwards a valid value still trains.
        field_input.value = {"hidden": "2", "epochs": "30", "learning_rate": "0.3", "seed": "5"}.get(name, initial)
        field_input.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert app.run_state is not None and app.run_state.result is not None
        assert not field.has_class("-invalid")


FUZZ = settings(
    max_examples=SESSIONS,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
    phases=(Phase.explicit, Phase.generate),  # no shrinking: a failure reports its whole list of strings
)


@pytest.mark.parametrize("name", list(READINGS))
@FUZZ
@given(texts=string_lists)
def test_fuzz_text_field(name: str, texts: list[str]) -> None:
    app_test(_fuzz_field)(name, texts)


@FUZZ
@given(texts=string_lists)
def test_fuzz_every_other_text_field(texts: list[str]) -> None:
    """Text fields added later (not in READINGS) get the same treatment, without a value check."""

    async def fuzz_others() -> None:
        fields: dict[str, str] = {}  # input id -> a dataset under which it is enabled
        app = make_app(seed=0)
        async with app.run_test(size=SIZE) as pilot:
            datasets = [str(value) for _, value in app.query_one("#dataset", Select)._options]
            for dataset in datasets:
                app.query_one("#dataset", Select).value = dataset
                await pilot.pause()
                for widget in app.query_one(ControlBar).query(Input):
                    if widget.id not in READINGS and not widget.disabled:
                        fields.setdefault(str(widget.id), dataset)
        for name, dataset in fields.items():
            await _fuzz_field(name, texts, dataset)

    app_test(fuzz_others)()


report_tried = reporting(
    "fuzzed app fields (strings tried)", TRIED
)  # printed after the file's tests (pytest -s shows it)
