"""Images drawn as images (``render.images``): hidden units' weights as pictures of the
input image, one colour scale for the layer, and a sample with its class probabilities."""

from __future__ import annotations

import numpy as np
import pytest
from rich.segment import Segment

from tui_mlp.core import MLP
from tui_mlp.core.datasets import Dataset
from tui_mlp.core.run import Run, picture
from tui_mlp.core.specs import DataSpec, TrainingSpec
from tui_mlp.render.images import LEVELS, WeightImages, colour, levels, sample_picture
from tui_mlp.render.images import picture as draw
from tui_mlp.render.snapshot import snapshot_renderable
from tui_mlp.render.text import render_text


def test_levels_keep_the_sign_and_scale_by_the_largest() -> None:
    assert levels(np.array([-2.0, -1.0, 0.0, 0.5, 2.0]), 2.0).tolist() == [
        -LEVELS,
        -LEVELS // 2,
        0,
        LEVELS // 4,
        LEVELS,
    ]
    assert levels(np.array([1.0, np.nan]), 0.0).tolist() == [0, 0]  # no scale: all background


def test_a_cell_holds_two_pixels_the_upper_in_front() -> None:
    rows = draw(np.array([[LEVELS, 0], [-LEVELS, LEVELS]]))
    assert [[s.text for s in row] for row in rows] == [["▀", "▀"]]
    first = rows[0][0].style
    assert (
        first.color.triplet == colour(LEVELS).get_truecolor()
        and first.bgcolor.triplet == colour(-LEVELS).get_truecolor()
    )


def test_ascii_draws_a_pixel_a_cell_in_shades() -> None:
    rows = draw(np.array([[LEVELS, 0], [-LEVELS // 2, 1]]), ascii=True)
    assert ["".join(s.text for s in row) for row in rows] == ["@ ", "= "]


def model_64(units: int = 6) -> MLP:
    model = MLP([64, units, 10], seed=0, output_activation="softmax", loss="cross_entropy")
    model.weights[0][...] = 0.0
    model.weights[0][:8, 2] = 1.0  # unit h3 looks at the top row
    model.weights[0][0, 0] = -3.0  # the layer's scale: 3
    return model


def test_each_unit_is_its_weights_as_the_image_and_the_focused_one_is_enlarged() -> None:
    text = render_text(WeightImages(model_64(), (8, 8), focus=2, height=40, ascii=True), 60)
    lines = text.splitlines()
    # h3's top row of pixels at 1/3 of the layer's scale, its other rows blank
    assert lines[:3] == ["-" * 8 + " h3", " " * 8 + " bias +0.00", " " * 8 + " scale ±3"]
    assert lines[8].startswith("@" + " " * 7 + " " + " " * 8 + " " + "-" * 8)  # h1: one pixel at full scale
    assert lines[16] == "h1       h2       h3       h4       h5       h6"
    assert lines[-1] == "# positive  # negative  brighter = larger |w|, one scale: ±3"
    enlarged = render_text(WeightImages(model_64(), (8, 8), focus=2, height=40), 60).splitlines()
    assert enlarged[0].startswith("▀" * 16 + " h3") and len(enlarged) == 8 + 5 + 1  # 2x: 16 columns, 8 lines


def test_units_that_do_not_fit_are_counted() -> None:
    text = render_text(WeightImages(model_64(40), (8, 8), height=12), 40)
    assert "… 32 more units (enlarge the panel)" in text
    assert text.count("h") >= 8


def test_a_sample_shows_its_probabilities_the_target_marked() -> None:
    rows = sample_picture(np.arange(64.0), (8, 8), np.array([0.1, 0.9]), ("cat", "dog"), target=0).rows
    text = ["".join(s.text for s in row) for row in rows]
    assert len(text) == 4 + 2
    assert text[4] == "cat █          0.10 ←" and text[5] == "dog █████████  0.90"
    assert all(isinstance(s, Segment) for row in rows for s in row)


@pytest.mark.parametrize(("features", "shape"), [(64, (8, 8)), (784, (28, 28)), (16, (4, 4)), (4, None), (63, None)])
def test_a_square_number_of_features_from_4x4_is_an_image(features: int, shape: tuple[int, int] | None) -> None:
    data = Dataset("t", np.zeros((3, features)), np.eye(3), "", "multiclass", ("a", "b", "c"))
    assert data.image_shape == shape
    model = MLP([features, 4, 3], seed=0)
    assert picture(model, data) == ("image" if shape else None)
    assert picture(MLP([features, 3], seed=0), data) is None  # no hidden layer, nothing to picture


def test_digits_are_8x8_images() -> None:
    train, _ = DataSpec("digits").prepare(0)
    assert train.image_shape == (8, 8) and picture(None, train) == "image"


def test_a_snapshot_of_digits_draws_the_weights_as_images() -> None:

    run = Run.create(TrainingSpec(hidden=(6,), epochs=5), DataSpec("digits"), 0)
    run.fit()
    data = (run.train, run.test)
    text = render_text(snapshot_renderable(run.before, run.model, run.result.losses, run.summary(), data=data), 160)
    assert "Weights as images" in text and "h1       h2       h3       h4       h5       h6" in text
    colour_text = render_text(
        snapshot_renderable(run.before, run.model, run.result.losses, {}, data=data, color=True), 160
    )
    assert "▀" in colour_text


def test_the_units_that_fit_are_the_most_important() -> None:
    model = model_64(40)
    model.weights[1][...] = 0.0  # importance from the incoming weights alone: h3 (8), h1 (3), then ties by index
    model.weights[0][:, 30] = 0.5  # h31: 64 × 0.5 = 32, the most important
    labels = render_text(WeightImages(model, (8, 8), height=7), 36).splitlines()[4]
    assert labels.split() == ["h1", "h2", "h3", "h31"]


def test_the_bars_stand_beside_the_image_where_the_width_holds_both() -> None:
    args = (np.arange(64.0), (8, 8), np.array([0.1, 0.9]), ("cat", "dog"))
    rows = sample_picture(*args, target=1, width=30).rows
    text = ["".join(s.text for s in row) for row in rows]
    assert text == ["▀" * 8 + " cat █          0.10", "▀" * 8 + " dog █████████  0.90 ←", *["▀" * 8 + " "] * 2]
    assert len(sample_picture(*args, target=1, width=29).rows) == 4 + 2  # 30 columns needed: under it
