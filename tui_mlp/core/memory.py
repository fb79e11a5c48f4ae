"""How much memory a training run needs, estimated from its shapes before the
big buffers are allocated, and how much this process can have.

The estimate counts the arrays training keeps, in the network's dtype (see ``mlp.Buffers``,
``trainer.train`` and ``optimizers``) and the pages they really touch, so it
is close to the peak resident size a run reaches; it is checked against the
memory available before a run starts, so that a run too big for the machine is
refused with one line instead of dying in NumPy or being killed by the kernel.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .history import capacity, schedule
from .mlp import parameter_count

if TYPE_CHECKING:
    from .datasets import Dataset
    from .specs import TrainingSpec

FLOAT = 8  # bytes of a float64: the loss history, the data, a float64 network's numbers
BASELINE_BYTES = 64 * 2**20  # the interpreter, NumPy and the libraries `tui-mlp train` loads
LIMIT_VARIABLE = "TUI_MLP_MEMORY_LIMIT"  # a number of bytes that replaces what the machine reports (tests)
ADVICE = "fewer samples, smaller hidden layers or a batch size"  # what makes a run need less
OPTIMIZER_STATE = {"gd": 0, "momentum": 1, "adam": 3}  # parameter-sized arrays each optimizer keeps


def pass_bytes(sizes: Sequence[int], rows: int, *, backward: bool, leaky: bool = False, item: int = FLOAT) -> int:
    """The buffers ``mlp.Buffers`` fills for ``rows`` samples, of ``item`` bytes a number: each layer's
    input with its column of ones, the outputs, targets and loss temporaries and, for a ``backward`` pass
    (or a leaky ReLU's forward), the deltas and their scratch arrays."""
    inputs = sum(size + 1 for size in sizes[:-1])
    outputs = 4 * sizes[-1]  # outputs, targets, logits, a loss temporary
    scratch = sum(sizes[1:]) * (2 if backward else int(leaky))
    return item * rows * (inputs + outputs + scratch)


def estimate_bytes(
    sizes: Sequence[int],
    training: TrainingSpec,
    train: Dataset,
    test: Dataset | None,
    *,
    networks: int = 2,
    concurrent_scores: bool = False,
    baseline: int = BASELINE_BYTES,
) -> int:
    """The peak memory of training a network of layer ``sizes`` on ``train`` as ``training`` says and
    scoring it on ``train`` and ``test``.

    ``networks`` is how many parameter sets the caller keeps besides the trainer's own (the command
    line: the network and its starting copy); with ``concurrent_scores`` the scores are computed while
    training runs (the app), not after it; ``baseline`` is the process's memory before the run.
    """
    training = training.resolved(train)  # the optimizer ``auto`` picks for this data
    item = np.dtype(training.dtype).itemsize  # bytes of one of the network's numbers
    samples, parameters = len(train.X), item * parameter_count(sizes)
    leaky = training.activation == "leaky_relu"
    batch = min(training.batch_size or samples, samples)
    # the trainer's backup, gradient and ones, the optimizer's state, weight decay's factors and penalty
    kept = 3 + OPTIMIZER_STATE[training.optimizer] + (2 if training.weight_decay else 0)
    fitting = (
        kept * parameters
        + pass_bytes(sizes, batch, backward=True, leaky=leaky, item=item)
        + pass_bytes(sizes, samples % batch, backward=True, leaky=leaky, item=item)  # a last, smaller mini-batch
        + 2 * FLOAT * training.epochs  # the loss history and its final copy
    )
    scoring = pass_bytes(sizes, max(samples, len(test.X) if test else 0), backward=False, leaky=leaky, item=item)
    working = fitting + scoring if concurrent_scores else max(fitting, scoring)
    data = sum(array.nbytes for part in (train, test) if part for array in (part.X, part.y))
    if item != FLOAT:  # the trainer's copy of the training data in the network's dtype
        data += (train.X.nbytes + train.y.nbytes) * item // FLOAT
    checkpoints = len(schedule(training.epochs, capacity(parameters))) * parameters  # kept after training
    return baseline + data + (networks * parameters + checkpoints) + working


def available_bytes() -> int | None:
    """The memory this process can have in all: what it holds now plus what the machine (MemAvailable) and
    its cgroup (``memory.max``) still allow; the physical memory where neither can be read; ``None`` if
    nothing is known. ``TUI_MLP_MEMORY_LIMIT`` (bytes) replaces all of this."""
    override = os.environ.get(LIMIT_VARIABLE)
    if override is not None:
        return _limit_from_environment(override)
    room = [found for found in (_meminfo_available(), _cgroup_room()) if found is not None]
    if room:
        return _resident_bytes() + min(room)
    return _physical_bytes()


def require_memory(needed: int) -> None:
    """ValueError with one line naming both figures if ``needed`` bytes are more than ``available_bytes()``."""
    available = available_bytes()
    if available is not None and needed > available:
        raise ValueError(
            f"this run needs about {format_bytes(needed)} of memory; {format_bytes(available)} is available ({ADVICE})"
        )


def format_bytes(count: int) -> str:
    """``16.2 GB`` from a gigabyte up, ``350 MB`` below (decimal units)."""
    if count >= 10**9:
        return f"{count / 10**9:.1f} GB"
    return f"{max(1, round(count / 10**6))} MB"


def _limit_from_environment(text: str) -> int:
    if not text.strip().isdigit():
        raise ValueError(f"{LIMIT_VARIABLE}={text!r} is not a number of bytes")
    return int(text)


def _read(path: Path) -> str | None:
    try:
        return path.read_text()
    except (OSError, ValueError):
        return None


def _meminfo_available(meminfo: Path = Path("/proc/meminfo")) -> int | None:
    """MemAvailable from /proc/meminfo in bytes (Linux), or None."""
    for line in (_read(meminfo) or "").splitlines():
        name, _, value = line.partition(":")
        fields = value.split()
        if name == "MemAvailable" and fields and fields[0].isdigit():
            return int(fields[0]) * 1024  # kB
    return None


def _cgroup_room(root: Path = Path("/sys/fs/cgroup"), membership: Path = Path("/proc/self/cgroup")) -> int | None:
    """The least room left under a cgroup v2 ``memory.max`` on this process's cgroup and its parents
    (``memory.current`` less reclaimable file pages), or None without a limit."""
    line = next((line for line in (_read(membership) or "").splitlines() if line.startswith("0::")), None)
    if line is None:
        return None
    group = root / line.removeprefix("0::").strip().lstrip("/")
    rooms = []
    for folder in (group, *group.parents):
        limit, current = _read(folder / "memory.max"), _read(folder / "memory.current")
        if limit and current and limit.strip().isdigit() and current.strip().isdigit():
            rooms.append(int(limit) - int(current) + _inactive_file(folder))
        if folder == root:
            break
    return max(0, min(rooms)) if rooms else None


def _inactive_file(folder: Path) -> int:
    """Page-cache bytes the kernel can reclaim in this cgroup (``inactive_file`` of memory.stat)."""
    for line in (_read(folder / "memory.stat") or "").splitlines():
        name, _, value = line.partition(" ")
        if name == "inactive_file" and value.strip().isdigit():
            return int(value)
    return 0


def _resident_bytes(statm: Path = Path("/proc/self/statm")) -> int:
    """This process's resident size (Linux), or 0."""
    fields = (_read(statm) or "").split()
    return int(fields[1]) * os.sysconf("SC_PAGE_SIZE") if len(fields) > 1 and fields[1].isdigit() else 0


def _physical_bytes() -> int | None:
    """The machine's physical memory, or None where the system does not say."""
    try:
        return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None
