"""``--ascii``: the rule that turns any text into 7-bit ASCII, cell for cell."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from rich.cells import cell_len

from tui_mlp.core import MLP
from tui_mlp.core.run import Run
from tui_mlp.core.specs import DataSpec, TrainingSpec
from tui_mlp.render.ascii import to_ascii
from tui_mlp.render.snapshot import FORMATS, View, write_snapshot


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("╭─ Loss ─╮", "+- Loss -+"),
        ("│┌┐└┘┤├┬┴┼═║", "|+++++++++-|"),
        ("╱╲╳", "/\\X"),
        ("⠀⠉⣀⢤", " ..."),
        ("epoch 3 · loss 0.5…", "epoch 3 | loss 0.5."),
        ("▼ ▲ → ← ↑ ↓ ▶h3 ⋮ 92 more", "v ^ > < ^ v >h3 : 92 more"),
        ("✗ 4×5 — ● ○ ≤0.5", "x 4x5 - O o <0.5"),
        ("█▓▒░ ▁▃▇▔▏", "##:. _  -|"),
        ("⭘ tui-mlp", "o tui-mlp"),
        ("é ½ 中", "e ? ? "),
        ("🔎Search", "> Search"),
        ("plain", "plain"),
        ("a ×\nb\tc\x1b[0m", "a x\nb\tc\x1b[0m"),
    ],
)
def test_every_character_becomes_ascii_as_wide_as_it_was(text: str, expected: str) -> None:
    assert to_ascii(text) == expected
    assert cell_len(to_ascii(text)) == cell_len(text)


@pytest.mark.parametrize("suffix", FORMATS)
@pytest.mark.parametrize("tables", [False, True])
def test_ascii_exports_are_ascii_in_every_format(tmp_path: Path, suffix: str, tables: bool) -> None:
    """The whole file: the drawings, the boundary, the chart, the settings (4×4 → 2)."""
    run = Run.create(TrainingSpec(hidden=(5,), epochs=30), DataSpec("moons"), seed=0)
    run.fit()
    settings = run.summary(run.model) | {"data": "seed 4×4 → 2 · ½·Σ(ŷ−y)²"}
    path = write_snapshot(
        tmp_path / f"s{suffix}",
        run.before,
        run.model,
        run.result.losses,
        settings,
        ascii=True,
        data=(run.train, run.test),
        view=View(log=True, tables=tables),
    )
    text = path.read_text(encoding="utf-8")
    assert text.isascii()
    if suffix == ".txt":
        assert ("weights 1: 2 -> 5" in text) == tables
        assert "\ndata: seed 4x4 > 2 | ?|?(y-y)2\n" in text


def test_the_seed_snapshot_without_ascii_keeps_its_glyphs(tmp_path: Path) -> None:
    model = MLP([4, 5, 2], seed=0)
    text = write_snapshot(tmp_path / "s.txt", model, model, np.array([1.0, 0.5]), {"data": "4×4 → 2"}).read_text()
    assert "data: 4×4 → 2" in text and "─" in text
