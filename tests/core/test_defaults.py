"""The defaults learn: every built-in dataset, at every hidden size the issue names, gets
clearly above chance on its defaults, and a stuck run is said to be stuck."""

from __future__ import annotations

import numpy as np
import pytest

from tui_mlp.core.datasets import DATASETS
from tui_mlp.core.diagnosis import diagnose
from tui_mlp.core.run import Run
from tui_mlp.core.specs import DataSpec, TrainingSpec, auto_learning_rate

ABOVE_CHANCE = 0.08  # train accuracy at least this above the most common class's share


@pytest.mark.parametrize("hidden", [2, 8, 64, 300])
@pytest.mark.parametrize("name", list(DATASETS))
def test_every_dataset_learns_on_its_defaults(name: str, hidden: int) -> None:
    run = Run.create(TrainingSpec(hidden=(hidden,)), DataSpec(name), seed=0)
    result = run.fit()
    assert result.reason.value == "done"
    train = run.train
    if train.is_classification:
        chance = np.bincount(train.labels()).max() / len(train.X)
        assert dict(run.scores())["train accuracy"] >= chance + ABOVE_CHANCE
    else:
        assert dict(run.scores())["test loss"] < 0.5 * np.var(run.test.y)
    assert run.stuck() is None


def test_the_seed_data_keeps_the_seed_scripts_settings() -> None:
    run = Run.create(TrainingSpec(), DataSpec("seed"), seed=0)
    spec = run.training
    assert (spec.output, spec.loss, spec.optimizer, spec.learning_rate, spec.epochs) == (
        "sigmoid",
        "sse",
        "gd",
        0.1,
        10_000,
    )
    assert f"{run.fit().final_loss:.6f}" == "0.003145"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("xor", ("sigmoid", "cross_entropy", "adam", 0.01)),
        ("moons", ("sigmoid", "cross_entropy", "adam", 0.01)),
        ("gaussians", ("softmax", "cross_entropy", "adam", 0.01)),
        ("sine", ("linear", "mse", "adam", 0.01)),
    ],
)
def test_other_data_gets_a_mean_loss_and_adam(name: str, expected: tuple) -> None:
    spec = Run.create(TrainingSpec(), DataSpec(name), seed=0).training
    assert (spec.output, spec.loss, spec.optimizer, spec.learning_rate) == expected


def test_chosen_settings_are_kept_and_the_rate_follows_the_optimizer() -> None:
    spec = Run.create(TrainingSpec(optimizer="gd", learning_rate=0.3), DataSpec("moons"), seed=0).training
    assert (spec.optimizer, spec.learning_rate) == ("gd", 0.3)
    assert Run.create(TrainingSpec(optimizer="gd"), DataSpec("moons"), seed=0).training.learning_rate == 1.0
    assert auto_learning_rate("momentum", "sse", 0.9) == pytest.approx(0.01)
    assert auto_learning_rate("gd", "sse") == 0.1


def test_the_old_defaults_get_stuck_on_spiral_and_say_why() -> None:
    """The issue's case: spiral, 300 hidden, the summed loss at gd 0.1 saturates the outputs."""
    old = TrainingSpec(hidden=(300,), loss="sse", optimizer="gd", learning_rate=0.1, epochs=300)
    run = Run.create(old, DataSpec("spiral"), seed=3)
    run.fit()
    stuck = run.stuck()
    assert stuck is not None
    assert str(stuck) == (
        "stuck: train accuracy 0.500 is chance (0.500) and the loss flat since epoch 151; "
        "100% of the outputs are saturated at 0 or 1, where the gradient vanishes: "
        "try a smaller learning rate, a mean loss (cross_entropy or mse), the adam optimizer or tanh"
    )
    assert stuck.brief == "stuck at chance (outputs saturated): try a smaller learning rate, a mean loss, adam or tanh"
    assert run.summary(trained=run.model)["warning"] == str(stuck)


def test_a_run_is_not_judged_too_early_or_when_its_loss_still_falls() -> None:
    run = Run.create(TrainingSpec(hidden=(8,), epochs=50), DataSpec("spiral"), seed=3)
    losses = np.full(50, 1.0)
    assert diagnose(run.model, run.train, losses) is None  # fewer than MIN_EPOCHS
    falling = np.linspace(1.0, 0.5, 400)
    assert diagnose(run.model, run.train, falling) is None  # at chance, but still learning
    assert diagnose(run.model, run.train, np.full(400, 1.0)) is not None  # an untrained net: chance, flat
