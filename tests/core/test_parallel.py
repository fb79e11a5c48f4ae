"""The activations' element-wise work in blocks across threads (``core.parallel``): the
same numbers to the bit as one call over the whole arrays, and no blocks or threads for
small batches. Most tests force the thresholds low, so that small, quick networks are
cut into many blocks (one column or row each) shared with the worker threads."""

from __future__ import annotations

import threading
import warnings

import numpy as np
import pytest

from tui_mlp.core import parallel
from tui_mlp.core.datasets import load_dataset
from tui_mlp.core.mlp import MLP
from tui_mlp.core.trainer import train

ROWS, SIZES, EPOCHS = 203, [5, 37, 19, 4], 15  # 203 rows: blocks that are no multiple of a vector's width
NETWORKS = {
    "sse": {},
    "softmax": {"output_activation": "softmax", "loss": "cross_entropy"},
    "mse": {"output_activation": "tanh", "loss": "mse"},
}


def one_line_blocks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """From now on every array goes through the blocks, one column (Fortran order) or row
    (C order) a block; returns the list of the threads that ran each block, filled as they run."""
    monkeypatch.setattr(parallel, "MIN_ELEMENTS", 1)
    monkeypatch.setattr(parallel, "BLOCK_BYTES", 1)
    ran: list[str] = []
    original = parallel._Job.__init__

    def counting(job: parallel._Job, function, arrays) -> None:
        def block(*parts: np.ndarray) -> None:
            ran.append(threading.current_thread().name)  # list.append is atomic
            function(*parts)

        original(job, block, arrays)

    monkeypatch.setattr(parallel._Job, "__init__", counting)
    return ran


def trained(activation: str, dtype: type, network: dict[str, str]) -> MLP:
    rng = np.random.default_rng(7)
    X = rng.standard_normal((ROWS, SIZES[0]))
    y = np.eye(SIZES[-1])[rng.integers(0, SIZES[-1], ROWS)]
    model = MLP(SIZES, activation, seed=3, dtype=dtype, **network)
    result = train(model, X, y, EPOCHS, 0.05, optimizer="momentum")
    assert result.epochs_run == EPOCHS
    return model


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu", "leaky_relu"])
@pytest.mark.parametrize("network", NETWORKS)
def test_blocks_train_to_the_same_parameters_to_the_bit(monkeypatch, activation, dtype, network):
    whole = trained(activation, dtype, NETWORKS[network])
    ran = one_line_blocks(monkeypatch)
    split = trained(activation, dtype, NETWORKS[network])
    assert split.parameters().dtype == dtype
    np.testing.assert_array_equal(split.parameters(), whole.parameters())
    # an epoch: forward and derivative over the hidden layers' 37 + 19 columns, and over the
    # output's 203 rows (C order) unless it is a softmax, which is not element-wise: one call
    per_epoch = 2 * (37 + 19) + (0 if network == "softmax" else 2 * ROWS)
    assert len(ran) == EPOCHS * per_epoch


def test_workers_take_blocks(monkeypatch):
    if parallel.workers() == 0:
        pytest.skip("one core: the calling thread does every block")
    monkeypatch.setattr(parallel, "MIN_ELEMENTS", 1)
    monkeypatch.setattr(parallel, "BLOCK_BYTES", 1)
    by_worker = threading.Event()
    threads = []

    def block(column: np.ndarray, out: np.ndarray, tmp: np.ndarray) -> None:
        threads.append(threading.current_thread())
        if threading.current_thread() is threading.main_thread():
            by_worker.wait(30)  # hold the calling thread until a worker has taken a block
        else:
            by_worker.set()
        np.multiply(column, 2.0, out=out)

    values, doubled = np.ones((3, 8), order="F"), np.zeros((3, 8), order="F")
    parallel.in_blocks(block, values, doubled, np.empty_like(values))
    np.testing.assert_array_equal(doubled, 2.0)
    assert by_worker.is_set()
    assert len(threads) == 8
    assert {thread.name for thread in threads} == {"MainThread", "tui-mlp-blocks"}


def test_small_batches_make_no_blocks(monkeypatch):
    ran = []
    original = parallel._Job.__init__
    monkeypatch.setattr(parallel._Job, "__init__", lambda job, *args: ran.append(args) or original(job, *args))
    data = load_dataset("seed")
    losses = MLP([4, 5, 2], seed=0).fit(data.X, data.y, 10_000, 0.1)
    assert f"{losses[-1]:.6f}" == "0.003145"
    assert ran == []
    # the threshold: an 8,192 × 64 hidden layer (524,288 numbers) is split, 8,191 × 64 is not
    model = MLP([3, 64, 1], seed=0)
    model.forward(np.zeros((8191, 3)))
    assert ran == []
    model.forward(np.zeros((8192, 3)))
    assert [arrays[0].shape for _, arrays in ran] == [(8192, 64)]


def test_default_blocks_give_the_unsplit_numbers(monkeypatch):
    """At the shipped settings: an 8,192 × 64 layer is 16 blocks of 4 columns (256 KiB)."""
    rng = np.random.default_rng(1)
    X, y = rng.standard_normal((8192, 10)), rng.random((8192, 3))
    split = MLP([10, 64, 3], seed=1)
    train(split, X, y, 5, 1e-3)
    monkeypatch.setattr(parallel, "MIN_ELEMENTS", 1 << 62)
    whole = MLP([10, 64, 3], seed=1)
    train(whole, X, y, 5, 1e-3)
    np.testing.assert_array_equal(split.parameters(), whole.parameters())
    job = parallel._Job(np.negative, (np.empty((8192, 64), order="F"),))
    assert (job.by_columns, job.step, job.left) == (True, 4, 16)


def exp(x: np.ndarray, out: np.ndarray, tmp: np.ndarray) -> None:
    np.exp(x, out=out)


def test_workers_compute_under_the_callers_error_settings(monkeypatch):
    monkeypatch.setattr(parallel, "MIN_ELEMENTS", 1)
    monkeypatch.setattr(parallel, "BLOCK_BYTES", 1)
    huge = np.full((4, 64), 1e4, order="F")
    out = np.empty_like(huge)
    with warnings.catch_warnings(record=True) as caught, np.errstate(over="ignore"):
        warnings.simplefilter("always")
        parallel.in_blocks(exp, huge, out, out)
    assert caught == []
    np.testing.assert_array_equal(out, np.inf)
    with np.errstate(over="raise"), pytest.raises(FloatingPointError, match="overflow"):
        parallel.in_blocks(exp, huge, out, out)


def test_an_error_in_a_block_is_raised_by_the_call(monkeypatch):
    monkeypatch.setattr(parallel, "MIN_ELEMENTS", 1)
    monkeypatch.setattr(parallel, "BLOCK_BYTES", 1)

    def fails_on_a_block(x: np.ndarray, out: np.ndarray, tmp: np.ndarray) -> None:
        if (x == 5.0).any():
            raise ValueError("block 5")
        np.negative(x, out=out)

    values = np.tile(np.arange(40.0), (3, 1)).copy(order="F")  # column j holds j
    with pytest.raises(ValueError, match="block 5"):
        parallel.in_blocks(fails_on_a_block, values, np.empty_like(values), values)
    out = np.empty_like(values)  # the blocks and the workers are free for the next call
    parallel.in_blocks(fails_on_a_block, values[:, 6:], out[:, 6:], values[:, 6:])
    np.testing.assert_array_equal(out[:, 6:], -values[:, 6:])
