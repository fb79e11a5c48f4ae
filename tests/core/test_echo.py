"""How messages count things and repeat what a person typed."""

from __future__ import annotations

import pytest

from tui_mlp.core.echo import counted


@pytest.mark.parametrize(
    ("count", "noun", "plural", "text"),
    [
        (1, "epoch", None, "1 epoch"),
        (0, "epoch", None, "0 epochs"),
        (10_000, "epoch", None, "10,000 epochs"),
        (1, "class", "classes", "1 class"),
        (3, "class", "classes", "3 classes"),
    ],
)
def test_counted_agrees_with_its_count(count: int, noun: str, plural: str | None, text: str) -> None:
    assert counted(count, noun, plural) == text
