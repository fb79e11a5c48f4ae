"""The one ``Run``: what it says about a loaded network, and a run of no epochs."""

from __future__ import annotations

import math

import pytest

from tui_mlp.core import MLP
from tui_mlp.core.metrics import accuracy, format_loss
from tui_mlp.core.run import Loaded, Run
from tui_mlp.core.specs import DataSpec, TrainingSpec


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


def test_a_run_of_no_epochs_ends_with_the_networks_loss_and_scores() -> None:
    run = Run.create(TrainingSpec(epochs=0), DataSpec("moons"), seed=4)
    assert math.isnan(run.final_loss)  # not ended yet
    run.fit()
    loss = run.before.loss(run.train.X, run.train.y)
    assert run.final_loss == loss and run.record()["final_loss"] == loss and run.record()["epochs"] == 0
    summary = run.summary(run.model)
    assert summary["final loss"] == format_loss(loss) and summary["epochs"] == "0 of 0"
    assert summary["train accuracy"] == f"{accuracy(run.before, run.train):.3f}"
