"""Element-wise work on big batches, in cache-sized blocks, on every core.

The matmuls of a pass already run on every core (BLAS threads); NumPy's element-wise
ufuncs run on one, but release the GIL while they work. ``in_blocks(function, x,
out, tmp)`` cuts these same-shaped arrays into matching contiguous blocks (whole columns of
Fortran-order arrays, whole rows of C-order ones) of about ``BLOCK_BYTES`` each; the
calling thread and a few daemon worker threads take blocks until none is left. A
block is small enough to stay in cache across the function's several passes (an
activation is a few ufuncs in a row), which pays even on one core.

``function`` must treat every element on its own, as the element-wise activations
and their derivatives do: then each element goes through the same operations as in
one call over the whole arrays, and the result is the same to the bit. Arrays of
fewer than ``MIN_ELEMENTS`` go straight to ``function`` (a thread's wake-up costs
more than it would save), as does everything with ``split=False``.

The workers start at the first big call, wait on a queue holding nothing, and being
daemon threads never keep the process from exiting. A forked child starts afresh.
"""

from __future__ import annotations

import operator
import os
import queue
import threading
from collections.abc import Callable

import numpy as np

MIN_ELEMENTS = 1 << 19  # 524,288 numbers: below this (1797 × 128 digits: 230,016) one call is as quick
BLOCK_BYTES = 1 << 18  # 256 KiB of each array a block: a few such arrays fit in a core's L2 cache
MAX_WORKERS = 7  # besides the calling thread


def in_blocks(
    function: Callable[[np.ndarray, np.ndarray, np.ndarray], object],
    x: np.ndarray,
    out: np.ndarray,
    tmp: np.ndarray,
    split: bool = True,
) -> None:
    """``function(x, out, tmp)`` (an activation's (z, a, tmp), a derivative's (a, δ, tmp)),
    run block by block across the cores when the arrays are big and ``split`` (only for
    functions that treat every element on its own)."""
    if x.size < MIN_ELEMENTS or not split:
        function(x, out, tmp)
        return
    job = _Job(function, (x, out, tmp))
    for _ in range(min(len(_pool()), job.left - 1)):
        _tasks.put(job)
    job.work()  # the calling thread takes blocks too,
    job.finished.wait()  # then waits for the blocks workers took (not for workers that took none)
    if job.error is not None:
        raise job.error


class _Job:
    """One ``in_blocks`` call: its blocks, handed out one at a time to whoever asks."""

    def __init__(self, function: Callable[..., object], arrays: tuple[np.ndarray, ...]) -> None:
        first = arrays[0]
        self.function, self.arrays = function, arrays
        self.by_columns = first.ndim == 2 and first.flags.f_contiguous and not first.flags.c_contiguous
        lines = first.shape[1] if self.by_columns else first.shape[0]
        self.step = max(1, BLOCK_BYTES * lines // max(first.nbytes, 1))  # lines a block
        self.starts = iter(range(0, lines, self.step))
        self.left = len(range(0, lines, self.step))  # blocks not done yet
        self.lock = threading.Lock()
        self.finished = threading.Event()  # set when no block is left
        self.error: BaseException | None = None
        self.errstate = np.geterr()  # workers compute under the caller's floating-point error settings

    def work(self) -> None:
        """Run ``function`` on blocks until none is left to take (an error drops those not taken)."""
        step, by_columns, arrays = self.step, self.by_columns, self.arrays
        while True:
            with self.lock:
                start = next(self.starts, None)
            if start is None:
                return
            block = slice(start, start + step)
            done = 1
            try:
                self.function(*(array[:, block] if by_columns else array[block] for array in arrays))
            except BaseException as error:
                with self.lock:
                    self.error = self.error or error
                    done += operator.length_hint(self.starts)
                    self.starts = iter(())
            with self.lock:
                self.left -= done
                if not self.left:
                    self.finished.set()

    def help(self) -> None:
        """``work`` in a worker thread, under the caller's error settings."""
        np.seterr(**self.errstate)
        self.work()


_tasks: queue.SimpleQueue[_Job] = queue.SimpleQueue()
_workers: list[threading.Thread] | None = None  # None until the first big call
_start_lock = threading.Lock()


def _pool() -> list[threading.Thread]:
    """The worker threads, started on first use: one fewer than the cores this process may use."""
    global _workers
    if _workers is None:
        with _start_lock:
            if _workers is None:
                cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
                started = []
                for _ in range(min(cores - 1, MAX_WORKERS)):
                    thread = threading.Thread(target=_serve, args=(_tasks,), name="tui-mlp-blocks", daemon=True)
                    thread.start()
                    started.append(thread)
                _workers = started
    return _workers


def _serve(tasks: queue.SimpleQueue[_Job]) -> None:
    while True:
        tasks.get().help()


def _forget_workers() -> None:
    """In a forked child: the parent's workers do not exist here; start new ones when needed."""
    global _tasks, _workers, _start_lock
    _tasks, _workers, _start_lock = queue.SimpleQueue(), None, threading.Lock()


def workers() -> int:
    """How many worker threads help the calling thread (starting them if need be)."""
    return len(_pool())


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_workers)
