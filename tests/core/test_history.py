"""A run's history: which epochs it keeps, how many, how much memory, and that a
checkpoint is exactly the network a run stopped there would have."""

from __future__ import annotations

import numpy as np
import pytest

from tui_mlp.core import MLP
from tui_mlp.core.history import MAX_BYTES, MAX_CHECKPOINTS, History, capacity, schedule
from tui_mlp.core.mlp import parameter_count
from tui_mlp.core.run import Run
from tui_mlp.core.specs import DataSpec, TrainingSpec
from tui_mlp.core.trainer import TrainControl


def test_a_short_run_keeps_every_epoch() -> None:
    assert schedule(10, 255) == list(range(11))


def test_a_long_run_keeps_every_epoch_at_first_then_further_apart_and_always_the_last() -> None:
    kept = schedule(10_000, 255)
    assert len(kept) == 255 and kept[:20] == list(range(20)) and kept[-1] == 10_000
    gaps = np.diff(kept)
    assert (gaps >= 1).all() and (np.diff(gaps) >= -1).all()  # never closer together later (up to rounding)
    assert kept[-3:] == [9497, 9745, 10000]


@pytest.mark.parametrize(
    ("sizes", "count", "megabytes"),
    [([4, 5, 2], 256, 0.07), ([784, 256, 10], 41, 63.67)],
)
def test_a_million_epochs_keep_a_bounded_count_within_the_memory_budget(
    sizes: list[int], count: int, megabytes: float
) -> None:
    parameters = np.zeros(parameter_count(sizes))
    history = History.planned(10**6, parameters)
    assert capacity(parameters.nbytes) == count
    assert len(history.due) == count and history.due[0] == 0 and history.due[-1] == 10**6
    for epoch in history.due:
        history.offer(epoch, parameters)
    history.finish(10**6, parameters)
    assert len(history) == count <= MAX_CHECKPOINTS
    assert history.nbytes == count * parameters.nbytes <= MAX_BYTES
    assert round(history.nbytes / 2**20, 2) == megabytes


def test_a_network_whose_start_and_end_exceed_the_budget_keeps_none() -> None:
    assert capacity(MAX_BYTES // 2) == 2 and schedule(1000, 2) == [0, 1000]
    assert capacity(MAX_BYTES // 2 + 1) == 0 and schedule(1000, 0) == []
    history = History.planned(1000, np.zeros(MAX_BYTES // 8))
    history.offer(0, np.zeros(1))
    history.finish(1000, np.zeros(1))
    assert len(history) == 0 and history.nbytes == 0


def test_the_checkpoints_are_the_networks_a_run_stopped_there_has_bit_for_bit() -> None:
    """Mini-batches (shuffled each epoch) and Adam: the state a checkpoint skips over matters."""
    training = TrainingSpec(hidden=(6,), epochs=400, batch_size=16, optimizer="adam")
    run = Run.create(training, DataSpec("moons"), seed=3)
    run.fit()
    assert run.history is not None and len(run.history) == 256 and run.history.epochs[-1] == 400
    for epoch in (0, 1, 7, run.history.epochs[200], 400):
        index = run.history.epochs.index(epoch)
        stopped = Run.create(
            TrainingSpec(hidden=(6,), epochs=epoch, batch_size=16, optimizer="adam"), DataSpec("moons"), 3
        )
        stopped.fit()
        assert run.checkpoint(index).parameters().tobytes() == stopped.model.parameters().tobytes()
    assert run.checkpoint(-1).parameters().tobytes() == run.model.parameters().tobytes()


def test_a_cancelled_run_keeps_its_last_epoch() -> None:
    control = TrainControl()
    run = Run.create(TrainingSpec(epochs=10_000), DataSpec("seed"), seed=0)

    def cancel_at_3001(progress) -> None:
        if progress.epoch >= 3001:
            control.cancel()

    run.fit(control=control, on_progress=cancel_at_3001, progress_every=3001, progress_seconds=1e9)
    assert run.result is not None and run.result.epochs_run == 3001
    assert run.history is not None and run.history.epochs[-1] == 3001 and 3001 not in run.history.due
    assert len(run.history) == len([epoch for epoch in run.history.due if epoch < 3001]) + 1 <= 256
    assert run.checkpoint(-1).parameters().tobytes() == run.model.parameters().tobytes()


def test_a_diverged_run_keeps_the_parameters_it_restored() -> None:
    run = Run.create(
        TrainingSpec(
            hidden=(8,), epochs=200, learning_rate=1e6, optimizer="gd", loss="mse", activation="relu", output="linear"
        ),
        DataSpec("sine"),
        1,
    )
    run.fit()
    assert run.result is not None and run.result.diverged_at is not None
    assert np.isfinite(run.checkpoint(-1).parameters()).all()
    assert run.checkpoint(-1).parameters().tobytes() == run.model.parameters().tobytes()


def test_nearest_picks_the_closest_checkpoint_and_the_earlier_on_a_tie() -> None:
    history = History([0, 1, 2, 10, 20])
    for epoch in range(21):
        history.offer(epoch, np.zeros(1))
    assert history.epochs == [0, 1, 2, 10, 20]
    assert [history.nearest(e) for e in (0, 2, 5, 6, 6.5, 15, 16, 99, -3)] == [0, 2, 2, 2, 3, 3, 4, 4, 0]
    with pytest.raises(IndexError):
        History([0]).nearest(3)


def test_the_test_curve_is_the_test_loss_at_each_checkpoint() -> None:
    run = Run.create(TrainingSpec(hidden=(4,), epochs=30), DataSpec("moons"), seed=2)
    run.fit()
    epochs, losses = run.test_curve()
    assert run.test is not None and run.history is not None and epochs == run.history.epochs == list(range(31))
    assert losses[0] == run.before.loss(run.test.X, run.test.y)
    assert losses[-1] == run.model.loss(run.test.X, run.test.y)


def test_a_summed_loss_has_its_test_curve_scaled_to_the_training_size() -> None:
    run = Run.create(TrainingSpec(hidden=(4,), epochs=3, loss="sse"), DataSpec("moons"), seed=2)
    run.fit()
    assert run.test is not None and not run.before.loss_function.mean
    _, losses = run.test_curve()
    scale = len(run.train.X) / len(run.test.X)
    assert losses[0] == scale * run.before.loss(run.test.X, run.test.y)


def test_data_without_a_test_split_has_no_test_curve() -> None:
    run = Run.create(TrainingSpec(epochs=3), DataSpec("seed"), seed=0)
    run.fit()
    assert run.test_curve() == ([], [])
    assert isinstance(run.checkpoint(0), MLP)
