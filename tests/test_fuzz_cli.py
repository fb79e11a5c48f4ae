"""Fuzzing every value-taking flag of ``tui-mlp train`` and of the app's command line.

Whatever a person types as a flag's value, the command line either accepts a
value that is genuinely valid (within the documented range, and the number the
person typed) or refuses it with exit status 2 and exactly one stderr line that
names the flag; never a traceback. Most cases go through the parse layer
(``build_parser().parse_args``, fast); fewer run the whole ``main()`` with one
epoch of training.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import currently_in_test_context, event, example, given, settings
from hypothesis import strategies as st

from tui_mlp.cli import build_parser, main
from tui_mlp.core.activations import HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS
from tui_mlp.core.datasets import DATASETS, MAX_SAMPLES
from tui_mlp.core.losses import LOSSES
from tui_mlp.core.mlp import MAX_LAYER_SIZE, MAX_LAYERS, parameter_count
from tui_mlp.core.optimizers import OPTIMIZERS
from tui_mlp.core.parse import MAX_EPOCHS, MAX_LEARNING_RATE, parse_epochs

IRIS = Path(__file__).parent / "data" / "iris.csv"
IRIS_COLUMNS = ("sepal_length", "sepal_width", "petal_length", "petal_width", "species")

PARSE_EXAMPLES = 300  # per flag, through `tui-mlp train`'s parser
APP_PARSE_EXAMPLES = 100  # per flag, through the app's (top-level) parser
MAIN_EXAMPLES = 25  # per flag, whole `main()` runs with one epoch

# --- what a person might type ------------------------------------------------

TRICKY = [
    "",
    " ",
    "\t",
    "\n",
    "inf",
    "-inf",
    "+inf",
    "nan",
    "NaN",
    "Infinity",
    "1e309",
    "-1e309",
    "1e-320",
    "4.9e-324",
    "0x10",
    "0b1",
    "0o7",
    "١٢",  # Arabic-Indic digits
    "٥",
    "５",  # fullwidth digit
    "½",
    "²",
    "5 ",
    " 5",
    "+5",
    "-5",
    "-0",
    "+0",
    "0",
    "5_0",
    "_5",
    "5_",
    "5__0",
    "_",
    "5.",
    ".5",
    "5e0",
    "5e-1",
    "1e6",
    "1e6 ",
    "1000001",
    "0.9",
    "0.90000001",
    "0.999",
    "0.9991",
    "10",
    "10.0000001",
    "3",
    "4",
    "100000",
    "100001",
    "10000",
    "10001",
    "10000000",
    "10000001",
    "4294967295",
    "4294967296",
    "-1",
    "1,2",
    "8,4",
    "8,8",
    "2,32",
    "100,100",
    "100,101",
    "8,,4",
    ",",
    "8,",
    ",8",
    " 8 , 4 ",
    ",".join(["1"] * (MAX_LAYERS - 2)),
    ",".join(["1"] * (MAX_LAYERS - 1)),
    "9" * 5000,
    "0" * 5000 + "5",
    "1" * 4300,
    "5\n",
    "\t5",
    "\u00a05\u00a0",
    "5\u2028",
    "5\x85",
    "--",
    "-",
    "--hidden",
    "-x",
    "-1e5",
    "-1 2",
    "=5",
    "relu",
    "RELU",
    "Leaky-ReLU",
    "leaky_relu ",
    "LEA\u212aY_RELU",  # Kelvin sign lower-cases to "k"
    "softmax",
    "sigmoid",
    "cross_entropy",
    "adam",
    "momentum",
    "auto",
    "seed",
    "random",
    " Random ",
    "full",
    "FULL",
    "８",
    "५",
    "0.５",
    "moons",
    "species",
    " species ",
    "SPECIES",
    "petal_width,species",
    "sepal_length,sepal_width",
    ",".join(IRIS_COLUMNS),
    "species,species",
    "a\nb",
    "\x1b[31mred\x1b[0m",
    "\r5",
    "5\r\n6",
    "%s %d {}",
    "'\"",
]

NO_NUL = st.characters(exclude_characters="\x00")
NO_NUL_WITH_SURROGATES = st.characters(codec=None, exclude_characters="\x00", categories=None)
SPACES = st.sampled_from(["", "", " ", "\t", "\n", "\u00a0", "\u3000", "\u2007"])
SIGNS = st.sampled_from(["", "", "+", "-", "--", "+-"])
SUFFIXES = st.sampled_from(["", "", " ", "\n", "_", "x", ",", "e", "e5", ".", "j"])

NUMBERS = st.one_of(
    st.integers(-(10**7), 10**12).map(str),
    st.integers(0, 10**13).map(lambda n: f"{n:_}"),
    st.floats().map(repr),
    st.floats().map(lambda x: f"{x:e}"),
    st.floats(0, 1).map(repr),
    st.floats(1e-7, 1e7).map(lambda x: f"{x:.3g}"),
    st.integers(0, 400).map(lambda e: f"1e{e}"),
    st.integers(0, 400).map(lambda e: f"1e-{e}"),
)


def decorated(core: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Numbers with spaces, signs and trailing junk around them."""
    return st.tuples(SPACES, SIGNS, core, SUFFIXES, SPACES).map("".join)


def from_argv_bytes(raw: bytes) -> str:
    """An argument as Python sees argv bytes that are not UTF-8 (surrogate escapes)."""
    return raw.decode("utf-8", "surrogateescape")


NAMES = sorted({*OUTPUT_ACTIVATIONS, *LOSSES, *DATASETS, *OPTIMIZERS, "auto", *IRIS_COLUMNS})

VALUES = st.one_of(
    st.sampled_from(TRICKY),
    st.sampled_from(NAMES),
    decorated(st.sampled_from(NAMES)),
    decorated(NUMBERS),
    st.lists(decorated(st.integers(-3, 20_000).map(str)), min_size=1, max_size=40).map(",".join),
    st.text(NO_NUL, max_size=40),
    st.text(NO_NUL_WITH_SURROGATES, max_size=20),
    st.text(NO_NUL, min_size=500, max_size=3000),
    st.binary(max_size=40).filter(lambda b: b"\x00" not in b).map(from_argv_bytes),
    st.sampled_from(TRICKY).map(str.upper),
)

# --- what each flag accepts (the documented ranges) --------------------------


def typed_int(text: str) -> int:
    """The whole number ``text`` spells (underscores allowed, as ``1_000``)."""
    return int(text.strip().replace("_", ""))


def in_range(low: float, high: float) -> Callable[[str, Any], None]:
    def check(text: str, value: Any) -> None:
        assert type(value) is float
        assert math.isfinite(value) and low <= value <= high
        assert value == float(text.strip())

    return check


def whole(low: int, high: int | None, word: str | None = None) -> Callable[[str, Any], None]:
    """A whole number from ``low`` to ``high`` written with the digits 0-9, or ``word`` (any case) for None."""

    def check(text: str, value: Any) -> None:
        if word is not None and text.strip().lower() == word:
            assert value is None
            return
        assert type(value) is int
        assert value >= low and (high is None or value <= high)
        assert text.isascii() or not any(char.isdigit() for char in text if not char.isascii())
        assert value == typed_int(text)

    return check


def learning_rate(text: str, value: Any) -> None:
    if text.strip().lower() == "auto":
        assert value is None  # chosen for the data and optimizer
        return
    assert type(value) is float
    assert math.isfinite(value) and 0 < value <= MAX_LEARNING_RATE
    assert value == float(text.strip())


def hidden_sizes(text: str, value: Any) -> None:
    assert isinstance(value, tuple) and 1 <= len(value) <= MAX_LAYERS - 2
    assert all(type(size) is int and 1 <= size <= MAX_LAYER_SIZE for size in value)
    assert value == tuple(typed_int(part) for part in text.split(","))


def activation(text: str, value: Any) -> None:
    assert value in HIDDEN_ACTIVATIONS
    assert value == text.strip().lower().replace("-", "_")


def columns(text: str, value: Any) -> None:
    assert isinstance(value, tuple) and value
    assert all(isinstance(name, str) and name and name == name.strip() for name in value)
    assert value == tuple(part.strip() for part in text.split(","))


def image_shape(text: str, value: Any) -> None:
    assert isinstance(value, tuple) and len(value) == 2
    assert all(type(side) is int and side >= 1 for side in value) and value[0] * value[1] <= MAX_LAYER_SIZE
    assert value == tuple(typed_int(part) for part in text.split(","))


def choice(allowed: tuple[str, ...]) -> Callable[[str, Any], None]:
    def check(text: str, value: Any) -> None:
        assert value in allowed and value == text

    return check


FLAGS: dict[str, tuple[str, Callable[[str, Any], None]]] = {
    "--hidden": ("hidden", hidden_sizes),
    "--layers": ("layers", hidden_sizes),
    "--epochs": ("epochs", whole(0, MAX_EPOCHS)),
    "--lr": ("lr", learning_rate),
    "--activation": ("activation", activation),
    "--seed": ("seed", whole(0, 2**32 - 1, "random")),
    "--momentum": ("momentum", in_range(0.0, 0.999)),
    "--batch-size": ("batch_size", whole(1, MAX_SAMPLES, "full")),
    "--weight-decay": ("weight_decay", in_range(0.0, 10.0)),
    "--samples": ("samples", whole(4, MAX_SAMPLES)),
    "--noise": ("noise", in_range(0.0, 10.0)),
    "--test-split": ("test_split", in_range(0.0, 0.9)),
    "--target": ("target", columns),
    "--image-shape": ("image_shape", image_shape),
    "--width": ("width", whole(40, 1000)),
    "--output": ("output", choice(("auto", *OUTPUT_ACTIVATIONS))),
    "--loss": ("loss", choice(("auto", *LOSSES))),
    "--dataset": ("dataset", choice(tuple(DATASETS))),
    "--optimizer": ("optimizer", choice(("auto", *OPTIMIZERS))),
}
APP_FLAGS = [flag for flag in FLAGS if flag != "--width"]  # --width is train's (snapshots)


# --- running the command line in-process -------------------------------------


def run(function: Callable[[], Any]) -> tuple[Any, str, str]:
    """(exit status or return value, stdout, stderr) of ``function``, SystemExit caught."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            result = function()
        except SystemExit as stop:
            result = stop.code
    return result, out.getvalue(), err.getvalue()


def note_outcome(outcome: str) -> None:
    """Count outcomes in hypothesis's statistics (--hypothesis-show-statistics)."""
    if currently_in_test_context():
        event(outcome)


def assert_refused(status: Any, err: str, flag: str) -> None:
    assert status == 2, (status, err)
    assert "Traceback" not in err
    assert err.endswith("\n") and len(err.splitlines()) == 1, repr(err)
    assert flag in err, err


PARSER = build_parser()


def parse(argv: list[str]) -> tuple[Any, str, str]:
    return run(lambda: PARSER.parse_args(argv))


def check_parse(argv: list[str], flag: str, text: str) -> Any:
    """Parse ``argv``; assert accepted-and-valid or refused-and-named. Returns the value or None."""
    result, out, err = parse(argv)
    assert not out
    if not isinstance(result, argparse.Namespace):
        assert_refused(result, err, flag)
        note_outcome("refused")
        return None
    assert not err, err
    dest, valid = FLAGS[flag]
    value = getattr(result, dest)
    valid(text, value)
    note_outcome("accepted")
    return value


@pytest.mark.parametrize("flag", list(FLAGS))
@settings(max_examples=PARSE_EXAMPLES, deadline=None)
@given(text=VALUES)
@example(text="")
@example(text="١٢")
@example(text="1e309")
@example(text="nan")
def test_train_flag_parses_or_refuses_in_one_line(flag: str, text: str) -> None:
    check_parse(["train", flag, text], flag, text)


@pytest.mark.parametrize("flag", APP_FLAGS)
@settings(max_examples=APP_PARSE_EXAMPLES, deadline=None)
@given(text=VALUES)
def test_app_flag_parses_or_refuses_in_one_line(flag: str, text: str) -> None:
    check_parse([flag, text], flag, text)


@settings(max_examples=PARSE_EXAMPLES, deadline=None)
@given(text=VALUES)
@example(text="-0\r")
@example(text="--")
def test_parse_epochs_agrees_with_the_flag(text: str) -> None:
    """The app's field and the flag share one parser: same value or a ValueError. The value is
    joined to the flag with "=": argparse takes a separate "-0\r" for an unknown option."""
    value = check_parse(["train", f"--epochs={text}"], "--epochs", text)
    try:
        parsed = parse_epochs(text)
    except ValueError as error:
        assert value is None
        assert "\n" not in str(error)
    else:
        assert parsed == value


# --- whole runs ----------------------------------------------------------------

# Extra flags a value needs to be usable at all: --samples and --noise apply
# to generated datasets, --target to a CSV table.
CONTEXT = {
    "--samples": ["--dataset", "moons"],
    "--noise": ["--dataset", "moons"],
    "--test-split": ["--dataset", "moons", "--samples", "20"],
    "--target": ["--data", str(IRIS)],
    "--image-shape": ["--dataset", "digits"],  # an image of 64 pixels: 8,8 or 2,32 runs, 4,4 is refused
}
MAIN_FLAGS = [flag for flag in FLAGS if flag != "--epochs"]  # --epochs: parse layer only (9999999 would be slow)


@pytest.mark.parametrize("flag", MAIN_FLAGS)
@settings(max_examples=MAIN_EXAMPLES, deadline=None)
@given(text=VALUES)
@example(text="5")
@example(text=" 5")
@example(text="5_0")
def test_train_runs_or_refuses_in_one_line(flag: str, text: str) -> None:
    seed = [] if flag == "--seed" else ["--seed", "0"]
    argv = ["train", flag, text, "--epochs", "1", *seed, *CONTEXT.get(flag, [])]
    if flag == "--hidden" or flag == "--layers":
        parsed = check_parse(argv, flag, text)
        if parsed is not None and parameter_count((4, *parsed, 2)) > 10**6:
            return  # a valid but big network: too slow for a fuzz case (see test_too_big_network_names_the_flag)
    status, out, err = run(lambda: main(argv))
    assert "Traceback" not in err + out
    if status == 0:
        assert not err, err
        value = getattr(PARSER.parse_args(argv), FLAGS[flag][0])
        FLAGS[flag][1](text, value)
        return
    if flag == "--target" and status == 1:
        # a column the table does not have is the file's refusal: one line naming the file
        assert err.endswith("\n") and len(err.splitlines()) == 1, repr(err)
        assert str(IRIS) in err
        return
    assert_refused(status, err, flag)


@settings(max_examples=MAIN_EXAMPLES, deadline=None)
@given(epochs=st.integers(-5, 60).map(str) | VALUES)
def test_train_epochs_runs_or_refuses(epochs: str) -> None:
    """Whole runs for --epochs, with accepted values bounded so runs stay short."""
    argv = ["train", "--epochs", epochs, "--seed", "0"]
    value = check_parse(argv, "--epochs", epochs)
    if value is not None and value > 60:
        return
    status, out, err = run(lambda: main(argv))
    if value is None:
        assert_refused(status, err, "--epochs")
    else:
        assert status == 0 and not err, err
        assert f"{value:,} epochs" in out


def test_width_below_the_minimum_names_the_flag() -> None:
    status, _, err = run(lambda: main(["train", "--width", "39", "--epochs", "1"]))
    assert_refused(status, err, "--width")


# --- bugs found by fuzzing (strict xfail: they pass once fixed) ---------------


def test_width_has_an_upper_bound() -> None:
    # no --snapshot: today this is accepted (exit 0) in a moment; with --snapshot it would not end
    status, _, err = run(lambda: main(["train", "--width", "1000000000", "--epochs", "1", "--seed", "0"]))
    assert_refused(status, err, "--width")


@pytest.mark.parametrize("flag", ["--layers", "--hidden"])
def test_too_big_network_names_the_flag(flag: str) -> None:
    status, _, err = run(lambda: main(["train", flag, "10000,10000", "--epochs", "1", "--seed", "0"]))
    assert_refused(status, err, flag)


def test_loss_that_does_not_suit_the_output_names_a_flag() -> None:
    argv = ["train", "--output", "linear", "--loss", "cross_entropy", "--epochs", "1", "--seed", "0"]
    status, _, err = run(lambda: main(argv))
    assert status == 2 and len(err.splitlines()) == 1, err
    assert "--loss" in err or "--output" in err, err
