"""FitCurve: a regression network's fitted curve over its one input, with the data."""

from __future__ import annotations

import numpy as np
import pytest

from tui_mlp.core import MLP
from tui_mlp.core.datasets import Dataset, load_dataset
from tui_mlp.core.run import picture
from tui_mlp.render.fit import FitCurve
from tui_mlp.render.snapshot import snapshot_renderable
from tui_mlp.render.text import render_text


def identity_net() -> MLP:
    """y1 = x1: one linear neuron with weight 1 and no bias."""
    model = MLP([1, 1, 1], activation="linear", output_activation="linear", loss="mse")
    model.weights[0][...] = 1.0
    model.weights[1][...] = 1.0
    model.biases[0][...] = 0.0
    model.biases[1][...] = 0.0
    return model


def points(pairs: list[tuple[float, float]], name: str) -> Dataset:
    X = np.array([[x] for x, _ in pairs])
    y = np.array([[y] for _, y in pairs])
    return Dataset(name, X, y, "hand-made points", task="regression")


TRAIN = points([(-1.0, -1.0), (0.0, 0.5), (1.0, 1.0)], "tiny")
TEST = points([(0.5, -0.5)], "tiny (test)")


def test_the_identity_fit_over_four_points_exactly() -> None:
    """The axes span -1.2…1.2 both ways; the line y = x runs corner to corner, drawn over
    the points it passes (-1, -1) and (1, 1); (0, 0.5) and the test point (0.5, -0.5) show."""
    text = render_text(FitCurve(identity_net(), TRAIN, TEST, width=24, height=8, title="Fitted curve"), 24)
    assert text.splitlines() == [
        "Fitted curve",
        "                    ⣀⠤⠒⠉",
        "            ●   ⣀⠤⠒⠉",
        "            ⣀⠤⠒⠉",
        "        ⣀⠤⠒⠉",
        "    ⣀⠤⠒⠉         ○",
        "⣀⠤⠒⠉",
        "● train  ○ test  ⠒⠒ fit",
    ]
    ascii = render_text(FitCurve(identity_net(), TRAIN, TEST, width=24, height=8, ascii=True), 24)
    assert ascii.splitlines() == [
        "                     ***",
        "                 ****",
        "            O ***",
        "          ****",
        "       ***       o",
        "   ****",
        "***",
        "O train  o test  ** fit",
    ]


def test_the_legend_names_the_axes_when_there_is_room() -> None:
    text = render_text(FitCurve(identity_net(), TRAIN, TEST, width=60, height=5), 60)
    assert text.splitlines()[-1] == "● train  ○ test  ⠒⠒ fit  x1 -1.2…1.2  y1 -1.2…1.2"


def test_a_curve_far_off_the_data_is_not_drawn_and_nan_draws_nothing() -> None:
    far = identity_net()
    far.biases[1][...] = 100.0
    lines = render_text(FitCurve(far, TRAIN, width=24, height=8), 24).splitlines()
    assert not any("⠁" in line or "⡠" in line for line in lines[:-1])
    broken = identity_net()
    broken.weights[1][...] = np.nan
    lines = render_text(FitCurve(broken, TRAIN, width=24, height=8), 24).splitlines()
    assert {char for line in lines[:-1] for char in line} <= {" ", "●"}


def test_what_can_be_pictured() -> None:
    sine, moons, seed = (load_dataset(name) for name in ("sine", "moons", "seed"))
    assert picture(None, sine) == "curve" and picture(MLP([1, 4, 1]), sine, sine) == "curve"
    assert picture(MLP([1, 4, 2]), sine) is None and picture(MLP([2, 4, 1]), sine) is None
    assert picture(None, moons) == "plane" and picture(MLP([2, 3, 1]), moons) == "plane"
    assert picture(None, seed) is None and picture(None, load_dataset("xor")) == "plane"
    one_input_classes = Dataset("c", sine.X, (sine.y > 0).astype(float), "classes on one input")
    assert picture(None, one_input_classes) is None
    assert "needs one input" in render_text(FitCurve(MLP([2, 3, 1]), moons, width=60, height=3), 60)


@pytest.mark.parametrize("width", [100, 160])
def test_a_regression_snapshot_has_the_fitted_curve(width: int) -> None:
    model = identity_net()
    text = render_text(snapshot_renderable(model, model, np.ones(3), {}, width=width, data=(TRAIN, TEST)), width)
    assert "Fitted curve" in text and "● train  ○ test  ⠒⠒ fit" in text and "⡠⠔" in text
    assert max(map(len, text.splitlines())) <= width
