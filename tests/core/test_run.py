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


def new_parameters(trace) -> list:
    return [p for layer in trace.layers for p in (layer.new_weights, layer.new_biases)]


def parameters(model: MLP) -> list:
    return [p for pair in zip(model.weights, model.biases) for p in pair]


@pytest.mark.parametrize("optimizer", ["gd", "momentum", "adam"])
@pytest.mark.parametrize("trained", [0, 3])
def test_the_next_step_traced_on_all_samples_is_the_step_training_takes(optimizer: str, trained: int) -> None:
    """What the backprop view shows: before training, and while paused with the optimizer's state."""
    run = Run.create(TrainingSpec(epochs=trained, optimizer=optimizer), DataSpec("seed"), 0)
    if trained:
        run.fit(keep_optimizer=True)
    trace = run.next_step(run.model, None)
    taken = Run.create(TrainingSpec(epochs=trained + 1, optimizer=optimizer), DataSpec("seed"), 0)
    taken.fit()
    for expected, got in zip(parameters(taken.model), new_parameters(trace), strict=True):
        assert expected.tobytes() == got.tobytes()


def test_the_next_step_of_one_sample_traces_that_sample_alone() -> None:
    run = Run.create(TrainingSpec(), DataSpec("seed"), 0)
    trace = run.next_step(run.model, 2)
    assert trace.X.tolist() == [run.train.X[2].tolist()] and trace.y.tolist() == [run.train.y[2].tolist()]
    with pytest.raises(ValueError, match="sample 5 is not one of the 4 training samples"):
        run.next_step(run.model, 4)
