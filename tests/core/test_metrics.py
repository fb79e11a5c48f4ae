"""How losses and scores are written: one format for losses everywhere but the seed's end line."""

from __future__ import annotations

import math

import pytest

from tui_mlp.core.metrics import format_loss, format_score, format_scores, format_seed_loss


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (math.nan, "–"),
        (0.0031452, "0.003145"),
        (9.8171e-06, "9.817e-06"),
        (0.52431, "0.5243"),
        (12345.6, "1.235e+04"),
        (0.0, "0"),
        (math.inf, "inf"),
    ],
)
def test_a_loss_has_four_significant_digits_and_none_is_a_dash(value: float, text: str) -> None:
    assert format_loss(value) == text


def test_scores_write_losses_like_every_other_loss() -> None:
    found = [("train accuracy", 1.0), ("test accuracy", 0.96666), ("test loss", 9.8171e-06)]
    assert format_scores(found) == ["Train accuracy: 1.000", "Test accuracy: 0.967", "Test loss: 9.817e-06"]
    assert format_scores(found, short=True) == ["train acc 1.000", "test acc 0.967", "test loss 9.817e-06"]
    assert format_score("test loss", math.nan) == "–"


@pytest.mark.parametrize(("value", "text"), [(0.0031452, "0.003145"), (9.8171e-06, "0.000010"), (3e12, "3.000000e+12")])
def test_the_seed_scripts_end_line_keeps_six_decimals(value: float, text: str) -> None:
    assert format_seed_loss(value) == text
