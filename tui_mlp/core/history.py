"""A run's history: its parameters at a bounded set of epochs (checkpoints), to replay.

Which epochs (``schedule``): the start (epoch 0), every epoch at first, then further
and further apart (geometrically: early training changes fastest), and the last.
How many: at most ``MAX_CHECKPOINTS``, and at most ``MAX_BYTES`` of parameters in all,
so a big network keeps fewer (784-256-10: 41; the seed network: 256), and one whose
start and end alone would not fit keeps none. Whatever ends a run, its last epoch is
kept too (``finish``). The losses of every epoch
are the ``TrainResult``'s, as before.

The trainer ``offer``s the parameters after every epoch, from its thread; the app
reads the checkpoints from another. A checkpoint is appended whole (its parameters
before its epoch), so a reader sees only complete ones. The checkpoints are rows of
one block, taken before training allocates its buffers: copies made one by one
among the trainer's freed temporaries kept 2.5× their size resident (measured).
"""

from __future__ import annotations

import bisect

import numpy as np

MAX_CHECKPOINTS = 256  # enough to scrub smoothly through a chart a few hundred columns wide
MAX_BYTES = 64 * 2**20  # beside the run's own arrays; a 784-256-10 network takes 1.6 MB a checkpoint


def capacity(parameter_bytes: int) -> int:
    """How many checkpoints a network whose parameters take ``parameter_bytes`` keeps:
    MAX_CHECKPOINTS within MAX_BYTES; none if that is fewer than the start and the end."""
    most = min(MAX_CHECKPOINTS, MAX_BYTES // max(parameter_bytes, 1))
    return most if most >= 2 else 0


def schedule(epochs: int, most: int) -> list[int]:
    """The epochs of a run of ``epochs`` epochs to keep, at most ``most`` of them: 0 and
    ``epochs``, and between them every epoch at first, then the rounded points of a
    geometric series from 1 to ``epochs``, as many as fit (none if ``most`` < 2)."""
    if most < 2:
        return []
    if epochs + 1 <= most:
        return list(range(epochs + 1))
    if most == 2:
        return [0, epochs]

    def points(count: int) -> np.ndarray:
        return np.unique(np.rint(np.geomspace(1, epochs, count)).astype(np.int64))

    low, high = 2, 64 * most  # the most series points whose rounding leaves ≤ most − 1 epochs
    while low < high:
        middle = (low + high + 1) // 2
        low, high = (middle, high) if len(points(middle)) <= most - 1 else (low, middle - 1)
    return [0, *points(low).tolist()]


class History:
    """The checkpoints of one run: ``epochs[i]`` (after that many epochs) and
    ``parameters[i]`` (a copy of the flat parameter vector then). With no epochs ``due``,
    it keeps none."""

    def __init__(self, due: list[int]) -> None:
        self.due = due  # the epochs to keep, ascending (see ``schedule``)
        self.epochs: list[int] = []
        self.parameters: list[np.ndarray] = []  # rows of ``_block``
        self._next = 0  # index into ``due`` of the next epoch to keep
        self._block: np.ndarray | None = None

    def _reserve(self, parameters: np.ndarray) -> np.ndarray:
        """The block the checkpoints are copied into (a row for each epoch due, and one for an
        end that comes early; pages are taken as rows are written)."""
        if self._block is None:
            self._block = np.empty((len(self.due) + 1, parameters.size), parameters.dtype)
        return self._block

    @classmethod
    def planned(cls, epochs: int, parameters: np.ndarray) -> History:
        """The history of a run of ``epochs`` epochs that trains ``parameters`` (a run that ends
        early keeps its last epoch instead of the planned last: the count stays within capacity)."""
        history = cls(schedule(epochs, capacity(parameters.nbytes)))
        if history.due:
            history._reserve(parameters)
        return history

    def offer(self, epoch: int, parameters: np.ndarray) -> None:
        """Keep a copy of ``parameters`` if ``epoch`` (epochs done) is one to keep."""
        due = self.due
        while self._next < len(due) and due[self._next] < epoch:
            self._next += 1
        if self._next < len(due) and due[self._next] == epoch:
            self._keep(epoch, parameters)
            self._next += 1

    def finish(self, epoch: int, parameters: np.ndarray) -> None:
        """Training ended with ``parameters``, those after ``epoch`` epochs: keep them if not yet
        kept, and drop any later checkpoint (a run that diverged went back to earlier parameters)."""
        if not self.due:
            return
        while self.epochs and self.epochs[-1] > epoch:
            self.epochs.pop()
            self.parameters.pop()
        if not self.epochs or self.epochs[-1] != epoch:
            self._keep(epoch, parameters)

    def _keep(self, epoch: int, parameters: np.ndarray) -> None:
        row = self._reserve(parameters)[len(self.parameters)]
        np.copyto(row, parameters)
        self.parameters.append(row)
        self.epochs.append(epoch)  # last: a reader counting epochs finds their parameters there

    def __len__(self) -> int:
        return len(self.epochs)

    def kept(self) -> list[int]:
        """The epochs kept so far, as a list of its own (the trainer may be appending)."""
        return list(self.epochs)

    @property
    def nbytes(self) -> int:
        """The memory the kept parameters take."""
        return sum(kept.nbytes for kept in self.parameters[: len(self.epochs)])

    def nearest(self, epoch: float) -> int:
        """The index of the checkpoint nearest to ``epoch`` (see ``nearest``)."""
        return nearest(self.kept(), epoch)


def nearest(epochs: list[int], epoch: float) -> int:
    """The index in the ascending ``epochs`` of the one nearest to ``epoch`` (the earlier on a
    tie); IndexError if there is none."""
    if not epochs:
        raise IndexError("no checkpoint kept yet")
    after = bisect.bisect_left(epochs, epoch)
    if after == len(epochs):
        return after - 1
    if after and epoch - epochs[after - 1] <= epochs[after] - epoch:
        return after - 1
    return after
