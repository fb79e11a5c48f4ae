"""Snapshot export: every format written and readable, bad paths refused cleanly."""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

from tui_mlp.core import MLP, train
from tui_mlp.core.datasets import load_dataset
from tui_mlp.core.run import Run
from tui_mlp.core.specs import DataSpec, TrainingSpec
from tui_mlp.render import palette
from tui_mlp.render.chart import NO_TRAINING, loss_chart_text, plot_losses, plot_points
from tui_mlp.render.snapshot import SnapshotError, View, snapshot_renderable, write_snapshot
from tui_mlp.render.text import render_text

SETTINGS = {"layers": "4-5-2", "learning rate": "0.1", "epochs": "300", "seed": "0"}


@pytest.fixture(scope="module")
def run() -> tuple[MLP, MLP, np.ndarray]:
    before = MLP([4, 5, 2], seed=0)
    after = before.copy()
    data = load_dataset("seed")
    losses = train(after, data.X, data.y, epochs=300, learning_rate=0.1).losses
    return before, after, losses


@pytest.mark.parametrize("suffix", [".txt", ".ansi", ".svg", ".html"])
def test_each_format_is_written_and_readable(tmp_path: Path, run: tuple, suffix: str) -> None:
    before, after, losses = run
    path = write_snapshot(tmp_path / f"snap{suffix}", before, after, losses, SETTINGS, width=160)
    text = path.read_text(encoding="utf-8")
    assert sorted(os.listdir(tmp_path)) == [f"snap{suffix}"]
    weight = f"{after.weights[0][0, 0]:+.2f}"
    if suffix == ".txt":
        assert "\x1b" not in text
        assert weight in text and "learning rate: 0.1" in text
        assert max(len(line) for line in text.splitlines()) <= 160
    elif suffix == ".ansi":
        assert "\x1b[" in text
    elif suffix == ".svg":
        assert ET.fromstring(text).tag.endswith("svg")
    else:
        assert weight in text and "Before training" in text and "After training" in text


@pytest.mark.parametrize("width", [60, 100, 160])
def test_no_line_wider_than_width(run: tuple, width: int) -> None:
    before, after, losses = run
    text = render_text(snapshot_renderable(before, after, losses, SETTINGS, width=width), width)
    assert max(len(line) for line in text.splitlines()) <= width


def test_ascii_snapshot_is_pure_ascii(run: tuple) -> None:
    before, after, losses = run
    assert render_text(snapshot_renderable(before, after, losses, SETTINGS, ascii=True), 160).isascii()


def test_untrained_snapshot_says_so() -> None:
    model = MLP([4, 5, 2], seed=0)
    text = render_text(snapshot_renderable(model, None, np.array([]), SETTINGS), 160)
    assert "not trained yet" in text and NO_TRAINING in text


def test_missing_folder_is_one_clear_error(tmp_path: Path, run: tuple) -> None:
    path = tmp_path / "missing" / "snap.txt"
    with pytest.raises(SnapshotError) as caught:
        write_snapshot(path, *run, SETTINGS)
    message = str(caught.value)
    assert str(path) in message and "\n" not in message
    assert os.listdir(tmp_path) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores folder permissions")
def test_read_only_folder_leaves_nothing(tmp_path: Path, run: tuple) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(SnapshotError, match="locked"):
            write_snapshot(folder / "snap.svg", *run, SETTINGS)
        assert os.listdir(folder) == []
    finally:
        folder.chmod(0o700)


def test_unknown_suffix_is_refused(tmp_path: Path, run: tuple) -> None:
    with pytest.raises(SnapshotError, match=r"\.png"):
        write_snapshot(tmp_path / "snap.png", *run, SETTINGS)
    assert os.listdir(tmp_path) == []


def test_big_network_snapshot_is_quick_and_elided(tmp_path: Path) -> None:
    import time

    before = MLP([4, 300, 2], seed=0)
    start = time.perf_counter()
    path = write_snapshot(tmp_path / "big.txt", before, before.copy(), np.linspace(1, 0.1, 5000), SETTINGS)
    assert time.perf_counter() - start < 3
    assert "more" in path.read_text(encoding="utf-8")


def test_long_history_is_downsampled_not_truncated() -> None:
    losses = np.linspace(2.0, 1.0, 100_000)
    losses[77_777] = 0.25  # a dip in the middle must survive
    losses[10] = np.nan
    epochs, values = plot_points(losses)
    assert len(values) <= 2002
    assert epochs[0] == 1 and epochs[-1] == 100_000
    assert 0.25 in values and np.isfinite(values).all()


def test_log_scale_skips_non_positive() -> None:
    epochs, values = plot_points(np.array([1.0, 0.0, -1.0, 0.5]), log=True)
    assert epochs.tolist() == [1, 4] and values.tolist() == [1.0, 0.5]


def test_chart_text_has_the_size_asked_and_no_escapes() -> None:
    text = loss_chart_text(np.linspace(1, 0, 50), 70, 12)
    lines = text.splitlines()
    assert len(lines) <= 12 and max(map(len, lines)) <= 70 and "\x1b" not in text
    assert loss_chart_text(np.array([]), 70, 12) == NO_TRAINING


def test_full_disk_is_one_clear_error_and_keeps_the_old_file(
    tmp_path: Path, run: tuple, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "snap.txt"
    target.write_text("old")

    def full(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("tui_mlp.core.files.os.fsync", full)
    with pytest.raises(SnapshotError) as refused:
        write_snapshot(target, *run, SETTINGS)
    assert str(refused.value) == f"cannot write snapshot {target}: No space left on device"
    assert target.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["snap.txt"]


def luminance(hex_colour: str) -> float:
    """WCAG relative luminance of ``#rrggbb``."""
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_html_and_svg_exports_use_the_screens_dark_theme(tmp_path: Path, run: tuple) -> None:
    """The weight colours are made for a dark screen: on it, the strongest weight's label
    stands out (WCAG AAA contrast), where on white it was the palest."""
    before, after, losses = run
    html = write_snapshot(tmp_path / "s.html", before, after, losses, SETTINGS).read_text(encoding="utf-8")
    background = re.search(r"body \{\s*color: (#\w{6});\s*background-color: (#\w{6});", html)
    assert background is not None and background.groups() == ("#e0e0e0", "#121212")
    strongest = max((w for layer in after.weights for w in layer.ravel()), key=abs)
    spans = re.findall(rf'<span class="(r\d+)">[^<]*{re.escape(f"{strongest:+.2f}")}', html)
    assert spans, "the strongest weight's label is in the page"
    colours = {re.search(rf"\.{span} \{{color: (#\w{{6}})", html).group(1) for span in spans}
    assert colours == {palette.POSITIVE[3] if strongest > 0 else palette.NEGATIVE[3]}
    assert contrast(colours.pop(), "#121212") >= 7
    svg = write_snapshot(tmp_path / "s.svg", before, after, losses, SETTINGS).read_text(encoding="utf-8")
    assert 'fill="#121212"' in svg and 'fill="#ffffff"' not in svg


def test_the_view_picks_the_scale_and_the_drawing(run: tuple) -> None:
    before, after, losses = run
    plain = render_text(snapshot_renderable(before, after, losses, SETTINGS), 160)
    viewed = render_text(snapshot_renderable(before, after, losses, SETTINGS, view=View(log=True, tables=True)), 160)
    assert "loss (log scale)" not in plain and "weights 1: 4 → 5" not in plain
    assert "loss (log scale)" in viewed and viewed.count("weights 1: 4 → 5") == 2
    assert viewed.splitlines()[0].split() == ["Before", "training", "After", "training"]


@pytest.mark.parametrize(("width", "ascii"), [(160, False), (80, False), (80, True)])
def test_a_digits_network_of_64_inputs_is_drawn_elided(width: int, ascii: bool) -> None:
    run = Run.create(TrainingSpec(hidden=(64,), epochs=5), DataSpec("digits"), seed=0)
    losses = run.fit().losses
    data = (run.train, run.test)
    renderable = snapshot_renderable(
        run.before, run.model, losses, run.summary(run.model), width=width, ascii=ascii, data=data
    )
    text = render_text(renderable, width)
    assert max(map(len, text.splitlines())) <= width
    assert "px" in text and " more" in text and "test accuracy: " in text
    assert text.isascii() == ascii


def test_a_chart_squeezed_to_nothing_still_draws() -> None:
    """A terminal resized to a sliver gives the chart no columns: the curve keeps its ends."""
    import plotext

    plotext.clear_figure()
    plot_losses(plotext, np.linspace(1, 0, 60_000), size=(0, 3))  # (it raised ZeroDivisionError)
    plotext.clear_figure()
    epochs, values = plot_points(np.linspace(1, 0, 60_000), most=4)
    assert epochs.tolist() == [1, 30_000, 30_001, 60_000] and values[0] == 1.0
