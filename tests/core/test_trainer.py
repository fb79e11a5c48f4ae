"""``core.trainer.train``: divergence stop, cancel and pause from another
thread, progress cadence, mini-batches, and agreement with ``MLP.fit``.

Threads are synchronised with events and callbacks, never by sleeping until
training has (probably) reached some point."""

import itertools
import math
import threading
import time
import types

import numpy as np
import pytest

from tui_mlp.core import trainer
from tui_mlp.core.datasets import load_dataset
from tui_mlp.core.mlp import MLP
from tui_mlp.core.trainer import Progress, StopReason, TrainControl, train

SEED = load_dataset("seed")
XOR = load_dataset("xor")
JOIN_TIMEOUT = 30.0


def exploding_relu_net() -> MLP:
    return MLP([2, 8, 1], "relu", seed=0, output_activation="linear")


# --- divergence -------------------------------------------------------------


@pytest.mark.parametrize("batch_size", [None, 2, 1])
def test_divergence_stops_with_finite_parameters(batch_size):
    model = exploding_relu_net()
    result = train(model, XOR.X, XOR.y, 1000, 1e6, batch_size=batch_size, shuffle_seed=0)

    assert result.reason is StopReason.DIVERGED
    assert result.diverged_at == result.epochs_run + 1
    assert 1 < result.diverged_at < 1000
    assert np.isfinite(result.losses).all()
    assert np.isfinite(model.parameters()).all()
    assert math.isfinite(model.loss(XOR.X, XOR.y))
    assert "diverged at epoch" in result.describe()


def test_divergence_rolls_back_to_the_last_parameters_whose_loss_was_finite():
    model = exploding_relu_net()
    result = train(model, XOR.X, XOR.y, 1000, 1e6)

    # losses[-1] was measured on the parameters the run kept.
    assert model.loss(XOR.X, XOR.y) == result.losses[-1]
    replay = exploding_relu_net()
    replay.fit(XOR.X, XOR.y, result.epochs_run - 1, 1e6)
    np.testing.assert_array_equal(model.parameters(), replay.parameters())
    # fit stops the same way and reports only the finite losses
    np.testing.assert_array_equal(exploding_relu_net().fit(XOR.X, XOR.y, 1000, 1e6), result.losses)


def test_divergence_on_the_first_epoch_keeps_the_initial_parameters():
    model = MLP([1, 1], output_activation="linear")
    model.weights[0][...] = 1e200
    before = model.parameters().copy()
    result = train(model, [[1e200]], [[0.0]], 10, 0.1)
    assert (result.reason, result.diverged_at, result.epochs_run) == (StopReason.DIVERGED, 1, 0)
    assert math.isnan(result.final_loss)
    np.testing.assert_array_equal(model.parameters(), before)


# --- cancel and pause from another thread -----------------------------------


class TrainingThread:
    """``train`` running in a thread; ``first_progress`` is set on the first report."""

    def __init__(self, model: MLP, epochs: int, control: TrainControl, *, hold_first=None, **options):
        self.model, self.control, self.reports = model, control, []
        self.first_progress = threading.Event()
        self.hold_first = hold_first  # an Event the first report waits for
        self.result = None
        self.thread = threading.Thread(target=self._run, args=(epochs, options), name="test-train", daemon=True)

    def _run(self, epochs, options):
        self.result = train(
            self.model, SEED.X, SEED.y, epochs, 0.1, control=self.control, on_progress=self._report, **options
        )

    def _report(self, progress: Progress) -> None:
        self.reports.append(progress.epoch)
        if not self.first_progress.is_set():
            self.first_progress.set()
            if self.hold_first is not None:
                assert self.hold_first.wait(JOIN_TIMEOUT)

    def start(self):
        self.thread.start()
        assert self.first_progress.wait(JOIN_TIMEOUT), "no progress report"
        return self

    def join(self):
        self.thread.join(JOIN_TIMEOUT)
        assert not self.thread.is_alive(), "training did not stop"
        return self.result


def test_cancel_from_another_thread_stops_early():
    control = TrainControl()
    run = TrainingThread(MLP([4, 5, 2], seed=0), 10_000_000, control, progress_every=100).start()
    control.cancel()
    result = run.join()

    assert result.reason is StopReason.CANCELLED
    assert 100 <= result.epochs_run < 10_000_000
    assert len(result.losses) == result.epochs_run and np.isfinite(result.losses).all()
    assert run.reports[-1] == result.epochs_run  # a final report for the partial run
    # the parameters are exactly those of fit over the epochs that ran
    replay = MLP([4, 5, 2], seed=0)
    np.testing.assert_array_equal(replay.fit(SEED.X, SEED.y, result.epochs_run, 0.1), result.losses)
    np.testing.assert_array_equal(run.model.parameters(), replay.parameters())
    assert result.describe() == f"cancelled after {result.epochs_run:,} of 10,000,000 epochs"


def paused_run(epochs: int) -> tuple[TrainingThread, TrainControl]:
    """A run paused from this thread right after its first epoch's report."""
    control, release = TrainControl(), threading.Event()
    run = TrainingThread(
        MLP([4, 5, 2], seed=0), epochs, control, hold_first=release, progress_every=1, progress_seconds=math.inf
    ).start()
    control.pause()
    release.set()
    return run, control


def assert_stays_paused(run: TrainingThread) -> None:
    """Nothing advances while paused (this waits to see nothing happen)."""
    params = run.model.parameters().copy()
    run.thread.join(0.3)
    assert run.thread.is_alive()
    assert run.reports == [1]
    np.testing.assert_array_equal(run.model.parameters(), params)


def test_pause_then_resume_from_another_thread():
    run, control = paused_run(2000)
    assert control.paused
    assert_stays_paused(run)
    control.resume()
    result = run.join()

    assert not control.paused
    assert result.reason is StopReason.DONE and result.epochs_run == 2000
    assert run.reports == list(range(1, 2001))
    np.testing.assert_array_equal(result.losses, MLP([4, 5, 2], seed=0).fit(SEED.X, SEED.y, 2000, 0.1))


def test_cancel_while_paused():
    run, control = paused_run(2000)
    assert_stays_paused(run)
    control.cancel()
    result = run.join()
    assert (result.reason, result.epochs_run) == (StopReason.CANCELLED, 1)


def test_a_run_paused_before_it_starts_takes_one_epoch_a_step():
    control = TrainControl()
    control.pause()
    run = TrainingThread(MLP([4, 5, 2], seed=0), 100, control, progress_every=1000, progress_seconds=math.inf)
    run.thread.start()
    run.thread.join(0.3)
    assert run.thread.is_alive() and run.reports == []
    np.testing.assert_array_equal(run.model.parameters(), MLP([4, 5, 2], seed=0).parameters())
    for epoch in (1, 2, 3):
        control.step()
        assert run.first_progress.wait(JOIN_TIMEOUT)
        deadline = time.monotonic() + JOIN_TIMEOUT
        while run.reports[-1:] != [epoch] and time.monotonic() < deadline:
            time.sleep(0.01)
        assert run.reports == list(range(1, epoch + 1))  # each step reports where it paused, at once
        assert control.paused
    replay = MLP([4, 5, 2], seed=0)
    replay.fit(SEED.X, SEED.y, 3, 0.1)
    np.testing.assert_array_equal(run.model.parameters(), replay.parameters())
    control.resume()
    assert run.join().epochs_run == 100


def test_steps_asked_for_while_one_runs_are_all_taken():
    control = TrainControl()
    control.pause()
    control.step()
    control.step()
    result = train(MLP([4, 5, 2], seed=0), SEED.X, SEED.y, 1, 0.1, control=control)  # ends after one
    assert result.epochs_run == 1 and control.steps == 1


def test_toggle_pause_and_pause_after_cancel():
    control = TrainControl()
    assert control.toggle_pause() is True and control.paused
    assert control.toggle_pause() is False and not control.paused
    control.cancel()
    control.pause()  # a cancelled run must never be left waiting
    assert not control.paused


def test_cancel_before_start_runs_no_epoch():
    control = TrainControl()
    control.cancel()
    model = MLP([4, 5, 2], seed=0)
    before = model.parameters().copy()
    result = train(model, SEED.X, SEED.y, 100, 0.1, control=control)
    assert (result.reason, result.epochs_run) == (StopReason.CANCELLED, 0)
    np.testing.assert_array_equal(model.parameters(), before)


# --- progress ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("epochs", "every", "expected"),
    [
        (10, 3, [3, 6, 9, 10]),
        (9, 3, [3, 6, 9]),
        (5, 1, [1, 2, 3, 4, 5]),
        (5, 1000, [5]),
        (0, 1, []),
    ],
)
def test_progress_every_n_epochs_plus_a_final_report(epochs, every, expected):
    reports = []

    def record(progress):
        reports.append((progress.epoch, progress.epochs, progress.loss, progress.losses.copy()))

    result = train(
        MLP([4, 5, 2], seed=0),
        SEED.X,
        SEED.y,
        epochs,
        0.1,
        on_progress=record,
        progress_every=every,
        progress_seconds=math.inf,
    )
    assert [r[0] for r in reports] == expected
    for epoch, total, loss, losses in reports:
        assert total == epochs
        assert loss == result.losses[epoch - 1]
        np.testing.assert_array_equal(losses, result.losses[:epoch])


@pytest.fixture
def ticking_clock(monkeypatch):
    """``time.perf_counter`` for the trainer: each call is one second later."""
    ticks = itertools.count()
    monkeypatch.setattr(trainer, "time", types.SimpleNamespace(perf_counter=lambda: float(next(ticks))))


@pytest.mark.parametrize(
    ("every", "seconds", "expected"),
    [
        (1000, 2.5, [3, 6, 9, 10]),  # time comes first
        (2, 2.5, [2, 4, 6, 8, 10]),  # epochs come first
        (1000, 0.0, list(range(1, 11))),
    ],
)
def test_progress_every_t_seconds_or_n_epochs_whichever_first(ticking_clock, every, seconds, expected):
    reports = []
    train(
        MLP([4, 5, 2], seed=0),
        SEED.X,
        SEED.y,
        10,
        0.1,
        on_progress=reports.append,
        progress_every=every,
        progress_seconds=seconds,
    )
    assert [p.epoch for p in reports] == expected
    assert [p.elapsed for p in reports[:-1]] == [float(p.epoch) for p in reports[:-1]]


def test_progress_losses_are_read_only():
    reports = []
    train(MLP([4, 5, 2], seed=0), SEED.X, SEED.y, 3, 0.1, on_progress=reports.append, progress_every=1)
    assert [p.epoch for p in reports] == [1, 2, 3]
    for progress in reports:
        with pytest.raises(ValueError, match="read-only"):
            progress.losses[0] = 0.0


# --- mini-batches -----------------------------------------------------------


def test_mini_batches_converge_on_the_seed_data():
    model = MLP([4, 5, 2], seed=0)
    result = train(model, SEED.X, SEED.y, 10_000, 0.1, batch_size=2, shuffle_seed=0)
    assert result.reason is StopReason.DONE and result.epochs_run == 10_000
    assert model.loss(SEED.X, SEED.y) < 0.01


def mini_batch_run(shuffle_seed, batch_size=2):
    model = MLP([4, 5, 2], seed=0)
    losses = train(model, SEED.X, SEED.y, 50, 0.5, batch_size=batch_size, shuffle_seed=shuffle_seed).losses
    return losses, model.parameters().copy()


def test_mini_batches_are_reproducible_with_a_shuffle_seed():
    losses, params = mini_batch_run(3)
    again_losses, again_params = mini_batch_run(3)
    np.testing.assert_array_equal(losses, again_losses)
    np.testing.assert_array_equal(params, again_params)
    other_losses, other_params = mini_batch_run(4)
    assert not np.array_equal(losses, other_losses)
    assert not np.array_equal(params, other_params)


@pytest.mark.parametrize("batch_size", [4, 100])
def test_a_batch_as_large_as_the_data_is_full_batch(batch_size):
    losses, params = mini_batch_run(0, batch_size)
    model = MLP([4, 5, 2], seed=0)
    np.testing.assert_array_equal(losses, model.fit(SEED.X, SEED.y, 50, 0.5))
    np.testing.assert_array_equal(params, model.parameters())


@pytest.mark.parametrize(
    ("loss", "output"),
    [("sse", "sigmoid"), ("mse", "sigmoid"), ("cross_entropy", "softmax"), ("cross_entropy", "sigmoid")],
)
@pytest.mark.parametrize("batch_size", [1, 3])
def test_mini_batch_epoch_loss_combines_the_batch_losses(loss, output, batch_size):
    """sse: the sum of the batch losses; mean losses: their mean weighted by batch size."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(7, 3))  # 7 samples: batches of 3, 3 and 1
    y = np.eye(3)[rng.integers(0, 3, 7)]
    model = MLP([3, 4, 3], "tanh", seed=0, output_activation=output, loss=loss)
    by_hand = model.copy()
    lr, epochs = 0.3, 4

    result = train(model, X, y, epochs, lr, batch_size=batch_size, shuffle_seed=11)

    shuffle = np.random.default_rng(11)
    expected = []
    for _ in range(epochs):
        order, total = shuffle.permutation(7), 0.0
        for lo in range(0, 7, batch_size):
            batch = order[lo : lo + batch_size]
            value = by_hand.loss(X[batch], y[batch])
            total += value if loss == "sse" else value * len(batch) / 7
            dW, db = by_hand.gradients(X[batch], y[batch])
            for param, grad in zip([*by_hand.weights, *by_hand.biases], [*dW, *db]):
                param -= lr * grad
        expected.append(total)
    np.testing.assert_allclose(result.losses, expected, rtol=1e-12)
    np.testing.assert_allclose(model.parameters(), by_hand.parameters(), rtol=1e-12, atol=1e-14)


# --- fit, results and arguments ----------------------------------------------


@pytest.mark.parametrize("activation", ["sigmoid", "relu"])
def test_fit_equals_train_to_the_bit(activation):
    a, b = MLP([4, 8, 8, 2], activation, seed=2), MLP([4, 8, 8, 2], activation, seed=2)
    losses = a.fit(SEED.X, SEED.y, 300, 0.2)
    result = train(b, SEED.X, SEED.y, 300, 0.2)
    np.testing.assert_array_equal(losses, result.losses)
    np.testing.assert_array_equal(a.parameters(), b.parameters())
    assert result.reason is StopReason.DONE and result.diverged_at is None
    assert result.final_loss == losses[-1] and result.epochs == 300
    assert result.describe() == "done: 300 epochs"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"epochs": -1}, "epochs"),
        ({"learning_rate": 0.0}, "learning rate"),
        ({"learning_rate": -0.1}, "learning rate"),
        ({"learning_rate": math.nan}, "learning rate"),
        ({"learning_rate": math.inf}, "learning rate"),
        ({"batch_size": 0}, "batch size"),
    ],
)
def test_bad_training_arguments_are_refused(options, message):
    arguments = {"epochs": 10, "learning_rate": 0.1} | options
    model = MLP([4, 5, 2], seed=0)
    before = model.parameters().copy()
    with pytest.raises(ValueError, match=message):
        train(model, SEED.X, SEED.y, **arguments)
    np.testing.assert_array_equal(model.parameters(), before)


def test_one_epoch_is_counted_in_the_singular() -> None:
    done = train(MLP([4, 2, 2], seed=0), SEED.X, SEED.y, 1, 0.1)
    assert done.describe() == "done: 1 epoch"
    control = TrainControl()
    control.cancel()
    assert train(MLP([4, 2, 2], seed=0), SEED.X, SEED.y, 1, 0.1, control=control).describe() == (
        "cancelled after 0 of 1 epoch"
    )


def test_zero_epochs_leave_the_network_and_report_nothing() -> None:
    model = MLP([4, 2, 2], seed=0)
    start = model.parameters().copy()
    reports: list[Progress] = []
    result = train(model, SEED.X, SEED.y, 0, 0.1, on_progress=reports.append)
    assert result.losses.shape == (0,) and result.epochs_run == 0 and reports == []
    assert result.reason is StopReason.DONE and math.isnan(result.final_loss)
    assert result.describe() == "evaluated, not trained (0 epochs)"
    assert np.array_equal(model.parameters(), start)
