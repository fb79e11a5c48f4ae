"""The one ``Run``: what it says about a loaded network, and a run of no epochs."""

from __future__ import annotations

import pytest

from tui_mlp.core import MLP
from tui_mlp.core.run import Loaded


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/home/someone/nets/p.json", "p.json"),
        ("p.json", "p.json"),
        ("nets/a\nb.json", "'a\\nb.json'"),
        ("/x/" + "n" * 60 + ".json", "nnnnnnnnnnnnnn…nnnnnnnnn.json"),
    ],
)
def test_a_loaded_file_is_named_by_its_last_part_on_one_line_and_not_at_length(path: str, name: str) -> None:
    loaded = Loaded(MLP([4, 5, 2]), path, {})
    assert loaded.name == name
