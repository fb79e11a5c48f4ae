"""DecisionBoundary: a golden drawing of a hand-set tiny net, and properties of any drawing.

The colour-free text must match ``tests/render/golden/boundary_*.txt`` exactly.
When the drawing changes on purpose, regenerate the files and review the diff:

    UPDATE_GOLDEN=1 .venv/bin/pytest tests/render/test_boundary.py
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from tui_mlp.core import MLP
from tui_mlp.core.datasets import Dataset, load_dataset
from tui_mlp.render.boundary import ASCII, UNICODE, DecisionBoundary, unique_rows
from tui_mlp.render.snapshot import snapshot_renderable
from tui_mlp.render.text import render_text

GOLDEN = Path(__file__).parent / "golden"
WIDTH, HEIGHT = 48, 12


def diagonal_net() -> MLP:
    """Output sigmoid(6·sigmoid(3(x1 + x2)) - 3): class 1 above the line x1 + x2 = 0.
    Hidden neuron h2 = sigmoid(2(x1 - x2)) leads nowhere (its weight to y1 is 0)."""
    model = MLP([2, 2, 1], seed=0)
    model.weights[0][...] = [[3.0, 2.0], [3.0, -2.0]]
    model.biases[0][...] = 0.0
    model.weights[1][...] = [[6.0], [0.0]]
    model.biases[1][...] = -3.0
    return model


def points(rows: list[tuple[float, float, int]], name: str) -> Dataset:
    X = np.array([(a, b) for a, b, _ in rows], dtype=np.float64)
    y = np.array([[k] for _, _, k in rows], dtype=np.float64)
    return Dataset(name, X, y, "hand-made points", classes=("0", "1"))


TRAIN = points([(0.5, 0.5, 1), (1.0, -0.2, 1), (-0.5, -0.5, 0), (-1.0, 0.3, 0)], "tiny")
TEST = points([(0.2, 0.9, 1), (-0.7, -0.9, 0)], "tiny (test)")


def draw(width: int = WIDTH, height: int = HEIGHT, **options: object) -> str:
    options.setdefault("title", "Decision boundary")
    return render_text(DecisionBoundary(diagonal_net(), TRAIN, TEST, width=width, height=height, **options), width)


def draw_colour(renderable: DecisionBoundary, width: int) -> list[str]:
    """The lines as a truecolour terminal gets them, escape codes stripped."""
    console = Console(file=io.StringIO(), width=width, color_system="truecolor", force_terminal=True)
    lines = console.render_lines(renderable, console.options, pad=False)
    return ["".join(segment.text for segment in line) for line in lines]


@pytest.mark.parametrize(("name", "options"), [("boundary_tiny", {}), ("boundary_tiny_ascii", {"ascii": True})])
def test_tiny_net_matches_golden(name: str, options: dict) -> None:
    text = draw(**options)
    path = GOLDEN / f"{name}.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"drawing changed; see the module docstring to regenerate {path}"


def test_golden_reads_as_a_diagonal_boundary() -> None:
    """Upper right is class 1 (shaded), lower left class 0 (blank or dotted)."""
    lines = (GOLDEN / "boundary_tiny.txt").read_text(encoding="utf-8").splitlines()
    plane = lines[1:-1]
    assert set(plane[0][-3:]) <= set(UNICODE.weak[1] + UNICODE.sure[1])
    assert plane[-1][:3].strip(" " + UNICODE.weak[0]) == ""
    assert "x1 " in lines[-1] and "x2 " in lines[-1]


def test_training_and_test_points_each_appear() -> None:
    for ascii in (False, True):
        chars = ASCII if ascii else UNICODE
        plane = "".join(draw(ascii=ascii).splitlines()[1:-1])
        for k in (0, 1):
            assert plane.count(chars.train[k]) == 2
            assert plane.count(chars.test[k]) == 1


def test_points_appear_in_colour_too() -> None:
    lines = draw_colour(DecisionBoundary(diagonal_net(), TRAIN, TEST, width=WIDTH, height=HEIGHT), WIDTH)
    plane = "".join(lines[:-1])
    assert plane.count("●") == 2 and plane.count("▲") == 2 and plane.count("○") == 1 and plane.count("△") == 1
    assert "▀" in plane


def test_node_mode_differs_from_output_mode() -> None:
    output = draw()
    node = draw(node=(1, 1))
    assert node != output
    assert "h2 (sigmoid)" in node.splitlines()[-1]
    colour = draw_colour(DecisionBoundary(diagonal_net(), TRAIN, node=(1, 1), width=WIDTH, height=HEIGHT), WIDTH)
    assert colour != draw_colour(DecisionBoundary(diagonal_net(), TRAIN, width=WIDTH, height=HEIGHT), WIDTH)


def test_node_mode_uses_one_batched_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    model = diagonal_net()
    calls: list[int] = []
    original = MLP.activations

    def counted(self: MLP, X: np.ndarray) -> list[np.ndarray]:
        calls.append(len(X))
        return original(self, X)

    monkeypatch.setattr(MLP, "activations", counted)
    render_text(DecisionBoundary(model, TRAIN, TEST, node=(1, 0), width=WIDTH, height=HEIGHT), WIDTH)
    assert len(calls) == 1 and calls[0] == WIDTH * (HEIGHT - 1)


def test_bad_node_is_refused() -> None:
    with pytest.raises(ValueError, match="node"):
        DecisionBoundary(diagonal_net(), TRAIN, node=(1, 5))


def test_non_2d_data_says_why() -> None:
    data = load_dataset("seed")
    model = MLP([4, 5, 2], seed=0)
    text = render_text(DecisionBoundary(model, data, width=70, height=5), 70)
    assert "decision boundary needs 2 inputs; this data has 4" in text
    assert len(text.splitlines()) <= 5


def test_multiclass_has_a_glyph_per_class() -> None:
    data = load_dataset("gaussians", seed=0, samples=30)
    model = MLP([2, 6, 3], "tanh", seed=0, output_activation="softmax", loss="cross_entropy")
    text = render_text(DecisionBoundary(model, data, width=50, height=16), 50)
    legend = text.splitlines()[-1]
    assert all(f"{UNICODE.train[k]}{UNICODE.test[k]} {name}" in legend for k, name in enumerate("abc"))


sizes = st.tuples(st.integers(1, 90), st.integers(1, 30))


@settings(max_examples=40, deadline=None)
@given(sizes, st.booleans(), st.booleans(), st.sampled_from([None, (1, 0), (2, 0)]))
def test_fills_exactly_width_by_height(size: tuple[int, int], ascii: bool, colour: bool, node: tuple | None) -> None:
    width, height = size
    boundary = DecisionBoundary(diagonal_net(), TRAIN, TEST, node=node, ascii=ascii, width=width, height=height)
    console = Console(
        file=io.StringIO(), width=width, color_system="truecolor" if colour else None, force_terminal=colour
    )
    lines = console.render_lines(boundary, console.options, pad=False)
    assert len(lines) == height
    assert all(sum(len(segment.text) for segment in line) == width for line in lines)


@settings(max_examples=25, deadline=None)
@given(sizes, st.booleans())
def test_ascii_mode_is_pure_ascii(size: tuple[int, int], colour: bool) -> None:
    width, height = size
    boundary = DecisionBoundary(diagonal_net(), TRAIN, TEST, ascii=True, width=width, height=height)
    text = render_text(boundary, width, color=colour)
    assert text.isascii()


def test_size_comes_from_rich_when_not_given() -> None:
    console = Console(file=io.StringIO(), width=44, color_system=None)
    lines = console.render_lines(DecisionBoundary(diagonal_net(), TRAIN), console.options.update(height=9))
    assert len(lines) == 9 and all(sum(len(s.text) for s in line) == 44 for line in lines)


def test_snapshot_with_2d_data_has_the_boundary() -> None:
    before = diagonal_net()
    after = before.copy()
    losses = np.linspace(1, 0.1, 20)
    for width in (160, 80):
        snapshot = snapshot_renderable(before, after, losses, {"seed": "0"}, width=width, data=(TRAIN, TEST))
        text = render_text(snapshot, width)
        assert "Decision boundary" in text and "Settings" in text
        assert max(len(line) for line in text.splitlines()) <= width
    ascii = snapshot_renderable(before, after, losses, {}, ascii=True, data=(TRAIN, None))
    assert render_text(ascii, 160).isascii()
    without = render_text(snapshot_renderable(before, after, losses, {"seed": "0"}), 160)
    assert "Decision boundary" not in without


def test_snapshot_with_other_data_is_unchanged() -> None:
    data = load_dataset("seed")
    model = MLP([4, 5, 2], seed=0)
    plain = render_text(snapshot_renderable(model, model, np.ones(3), {}), 160)
    assert render_text(snapshot_renderable(model, model, np.ones(3), {}, data=(data, None)), 160) == plain


def test_unique_rows_finds_what_numpy_unique_finds() -> None:
    rows = np.random.default_rng(0).integers(-1, 3, size=(500, 5))
    kinds, which = unique_rows(rows)
    np.testing.assert_array_equal(kinds[which], rows)
    assert sorted(map(tuple, kinds.tolist())) == sorted(map(tuple, np.unique(rows, axis=0).tolist()))
