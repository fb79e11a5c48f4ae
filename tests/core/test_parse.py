"""The shared parsers for settings a person types (command line and app)."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui_mlp.core import parse as parsing
from tui_mlp.core.activations import HIDDEN_ACTIVATIONS
from tui_mlp.core.mlp import MAX_LAYER_SIZE, MAX_LAYERS
from tui_mlp.core.parse import (
    MAX_DIGITS,
    MAX_EPOCHS,
    parse_activation,
    parse_auto_learning_rate,
    parse_batch_size,
    parse_columns,
    parse_epochs,
    parse_hidden,
    parse_learning_rate,
    parse_momentum,
    parse_noise,
    parse_port,
    parse_samples,
    parse_seed,
    parse_test_split,
    parse_weight_decay,
    parse_width,
)
from tui_mlp.core.specs import DataSpec, TrainingSpec, auto_epochs

PARSERS = [parse_hidden, parse_epochs, parse_learning_rate, parse_seed, parse_activation]
EVERY_PARSER = [getattr(parsing, name) for name in dir(parsing) if name.startswith("parse_")]


@pytest.mark.parametrize(
    ("parse", "text", "expected"),
    [
        (parse_hidden, "5", (5,)),
        (parse_hidden, "8,4", (8, 4)),
        (parse_hidden, " 8 , 4 ,2 ", (8, 4, 2)),
        (parse_hidden, "+3", (3,)),
        (parse_hidden, "1_000", (1000,)),
        (parse_hidden, str(MAX_LAYER_SIZE), (MAX_LAYER_SIZE,)),
        (parse_hidden, ",".join(["1"] * (MAX_LAYERS - 2)), (1,) * (MAX_LAYERS - 2)),
        (parse_epochs, "10000", 10_000),
        (parse_epochs, "1", 1),
        (parse_epochs, "0", 0),  # evaluate a network without training it
        (parse_epochs, "10_000", 10_000),
        (parse_epochs, str(MAX_EPOCHS), MAX_EPOCHS),
        (parse_learning_rate, "0.1", 0.1),
        (parse_learning_rate, " 1e-3 ", 1e-3),
        (parse_learning_rate, "1e6", 1e6),
        (parse_seed, "0", 0),
        (parse_seed, "42", 42),
        (parse_seed, str(2**32 - 1), 2**32 - 1),
        (parse_seed, "random", None),
        (parse_seed, " Random ", None),
        (parse_batch_size, "full", None),
        (parse_batch_size, "FULL", None),
        (parse_batch_size, "32", 32),
        (parse_activation, "sigmoid", "sigmoid"),
        (parse_activation, " TANH ", "tanh"),
        (parse_activation, "leaky-relu", "leaky_relu"),
        (parse_activation, "Leaky_ReLU", "leaky_relu"),
    ],
)
def test_good_input_is_parsed(parse, text, expected):
    value = parse(text)
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize(
    ("parse", "text", "message"),
    [
        (parse_hidden, "", "enter a size"),
        (parse_hidden, "   ", "enter a size"),
        (parse_hidden, "abc", "'abc' is not a whole number"),
        (parse_hidden, "0", "size 0 is outside 1 to"),
        (parse_hidden, "-3", "-3"),
        (parse_hidden, "2.5", "'2.5' is not a whole number"),
        (parse_hidden, "4,,2", "'4,,2' has an empty size between commas"),
        (parse_hidden, "4,", "empty size"),
        (parse_hidden, "99999999", "size 99999999 is outside 1 to 10,000"),
        (parse_hidden, ",".join(["1"] * (MAX_LAYERS - 1)), f"at most {MAX_LAYERS - 2} hidden layers"),
        (parse_hidden, "1e3", "not a whole number"),
        (parse_epochs, "-1", "-1"),
        (parse_epochs, "-0_1", "epochs -1 is outside 0 to 10,000,000"),
        (parse_epochs, str(MAX_EPOCHS + 1), "outside"),
        (parse_epochs, "", "epochs is empty"),
        (parse_epochs, "ten", "not a whole number"),
        (parse_learning_rate, "nan", "must be above 0"),
        (parse_learning_rate, "inf", "must be above 0"),
        (parse_learning_rate, "-inf", "must be above 0"),
        (parse_learning_rate, "-1", "must be above 0"),
        (parse_learning_rate, "0", "must be above 0"),
        (parse_learning_rate, "1e-400", "must be above 0"),  # rounds to 0.0
        (parse_learning_rate, "1e7", "at most 1e\\+06"),
        (parse_learning_rate, "abc", "'abc' is not a number"),
        (parse_learning_rate, "", "is not a number"),
        (parse_seed, "-1", "-1"),
        (parse_seed, "-4294967296", "4294967296"),
        (parse_seed, str(2**32), "larger than 4294967295"),
        (parse_seed, "x", "not a whole number"),
        (parse_seed, "randomly", "'randomly' is not a whole number"),
        (parse_batch_size, "all", "'all' is not a whole number"),
        (parse_activation, "softmax", "not one of sigmoid, tanh, relu, leaky_relu, linear"),
        (parse_activation, "", "not one of"),
    ],
)
def test_bad_input_is_refused_with_a_message(parse, text, message):
    with pytest.raises(ValueError, match=message):
        parse(text)


def test_defaults_are_the_seed_scripts_and_parse_back():
    defaults, data = TrainingSpec(), DataSpec()
    assert parse_hidden(",".join(map(str, defaults.hidden))) == defaults.hidden == (5,)
    assert defaults.epochs is None and parse_epochs(str(auto_epochs(data.dataset))) == 10_000  # auto: the seed's
    assert defaults.learning_rate is None and parse_auto_learning_rate("Auto") is None  # 0.1 on the seed data
    assert parse_auto_learning_rate("0.1") == parse_learning_rate("0.1") == 0.1
    assert parse_activation(defaults.activation) == "sigmoid"
    assert data.dataset == "seed"


@pytest.mark.parametrize("name", HIDDEN_ACTIVATIONS)
def test_every_hidden_activation_parses(name):
    assert parse_activation(name.upper()) == name


@pytest.mark.parametrize("parse", PARSERS)
@given(text=st.text())
def test_arbitrary_text_gives_a_value_or_a_value_error(parse, text):
    try:
        value = parse(text)
    except ValueError as error:
        assert str(error)
        assert "\n" not in str(error).strip()
    else:
        if parse is parse_learning_rate:
            assert math.isfinite(value) and value > 0


@given(sizes=st.lists(st.integers(1, MAX_LAYER_SIZE), min_size=1, max_size=MAX_LAYERS - 2))
def test_hidden_sizes_round_trip(sizes):
    assert parse_hidden(",".join(map(str, sizes))) == tuple(sizes)


@pytest.mark.parametrize(
    ("parse", "low", "high"),
    [
        (parse_epochs, 0, MAX_EPOCHS),
        (parse_seed, 0, 2**32 - 1),
    ],
)
@given(number=st.integers())
def test_integers_are_accepted_exactly_within_range(parse, low, high, number):
    if low <= number <= high:
        assert parse(str(number)) == number
    else:
        digits = str(abs(number))
        with pytest.raises(ValueError, match=digits if len(digits) <= MAX_DIGITS else "is too (large|small)$"):
            parse(str(number))


LONG_INPUTS = [
    (parse_epochs, "1" * 5000, "epochs 11111111…11111111 is too large"),
    (parse_epochs, "-" + "1" * 5000, "epochs -1111111…11111111 is too small"),
    (parse_epochs, "0" * 5000 + "5", "epochs 00000000…00000005 has too many digits"),
    (parse_epochs, "1" * MAX_DIGITS, f"epochs {'1' * MAX_DIGITS} is outside 0 to 10,000,000"),
    (parse_epochs, "1" * (MAX_DIGITS + 1), "epochs 11111111…11111111 is too large"),
    (parse_seed, "4" * 5000, "seed 44444444…44444444 is too large"),
    (parse_hidden, "8," + "9" * 5000, "size 99999999…99999999 is too large"),
    (parse_hidden, "8,,4" + "4" * 5000, "'8,,4444…4444444' has an empty size between commas"),
    (parse_samples, "2" * 5000, "samples 22222222…22222222 is too large"),
    (parse_batch_size, "3" * 5000, "batch size 33333333…33333333 is too large"),
    (parse_port, "6" * 5000, "port 66666666…66666666 is too large"),
    (parse_width, "7_" * 5000, "width 77777777…77777777 is too large"),
    (parse_epochs, "1x" * 5000, "epochs '1x1x1x1…x1x1x1x' is not a whole number"),
    (parse_learning_rate, "1" * 5000, "learning rate 11111111…11111111 must be above 0 and at most 1e+06"),
    (
        parse_learning_rate,
        "0." + "0" * 5000 + "1",
        "learning rate 0.000000…00000001 must be above 0 and at most 1e+06",
    ),
    (parse_learning_rate, "x" * 5000, "learning rate 'xxxxxxx…xxxxxxx' is not a number"),
    (parse_noise, "1" * 5000, "noise 11111111…11111111 is outside [0, 10]"),
    (parse_momentum, "9" * 5000 + ".5", "momentum 99999999…999999.5 is outside [0, 0.999]"),
    (parse_weight_decay, "-" + "1" * 5000, "weight decay -1111111…11111111 is outside [0, 10]"),
    (parse_test_split, "5" * 5000, "test split 55555555…55555555 is outside [0, 0.9]"),
    (
        parse_activation,
        "relu" * 5000,
        "activation 'relurel…elurelu' is not one of sigmoid, tanh, relu, leaky_relu, linear",
    ),
    (parse_columns, "a," * 5000, "'a,a,a,a…,a,a,a,' has an empty column name"),
]


@pytest.mark.parametrize(
    ("parse", "text", "message"),
    LONG_INPUTS,
    ids=[f"{parse.__name__}-{i}" for i, (parse, _, _) in enumerate(LONG_INPUTS)],
)
def test_long_input_gets_a_short_message(parse, text, message):
    with pytest.raises(ValueError) as refused:
        parse(text)
    assert str(refused.value) == message


@pytest.mark.parametrize("parse", EVERY_PARSER)
@given(text=st.text(min_size=100, max_size=6000) | st.from_regex(r"[+-]?[0-9_]{21,6000}(\.[0-9]*)?", fullmatch=True))
def test_long_input_is_refused_in_a_short_line(parse, text):
    try:
        parse(text)
    except ValueError as error:
        assert "\n" not in str(error) and len(str(error)) <= 100, str(error)


@pytest.mark.parametrize("parse", [parse_noise, parse_test_split, parse_momentum, parse_weight_decay])
def test_minus_zero_is_zero(parse):
    """Found by the CLI fuzzer: ``--noise -0`` passed the range check and NumPy then refused
    a scale of -0.0 with "scale < 0", a message naming no flag."""
    assert math.copysign(1.0, parse("-0")) == 1.0


@pytest.mark.parametrize(
    ("parse", "text", "message"),
    [
        (parse_epochs, "８", "epochs '８' is not a whole number: write its digits as 0-9"),
        (parse_hidden, "५", "size '५' is not a whole number: write its digits as 0-9"),
        (parse_hidden, "8,٤", "size '٤' is not a whole number: write its digits as 0-9"),
        (parse_seed, "４２", "seed '４２' is not a whole number: write its digits as 0-9"),
        (parse_learning_rate, "0.５", "learning rate '0.５' is not a number: write its digits as 0-9"),
        (parse_weight_decay, "１e-3", "weight decay '１e-3' is not a number: write its digits as 0-9"),
    ],
)
def test_only_ascii_digits_are_numbers(parse, text, message):
    """Python's int(), float() and \\d also read other scripts' digits; a setting takes 0-9 only."""
    with pytest.raises(ValueError) as refused:
        parse(text)
    assert str(refused.value) == message
