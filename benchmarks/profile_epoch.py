"""Where a full-batch training epoch's time goes, per dtype: matmuls, the activations'
element-wise work (forward and derivative), the loss, the update (the optimizer's change,
θ ← θ + Δθ, the backup copy and the finite check) and the rest (Python, glue).

It times the engine's own code, not a copy of it: ``np.matmul`` as ``core.mlp`` sees
it, the network's activation functions, its loss and the trainer's optimizer are
wrapped in timers for the measured epochs.

Run: .venv/bin/python benchmarks/profile_epoch.py
"""

from __future__ import annotations

import statistics
import time
import types
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import tui_mlp.core  # noqa: F401  (before NumPy, as the app and the CLI do: it sets OpenBLAS's thread timeout)

# isort: split
import numpy as np

from tui_mlp.core import mlp as mlp_module
from tui_mlp.core.datasets import load_dataset
from tui_mlp.core.mlp import MLP
from tui_mlp.core.trainer import Trainer

PHASES = ("matmul", "activation", "derivative", "loss", "update")


class Clock:
    """Seconds spent in each phase."""

    def __init__(self) -> None:
        self.spent = dict.fromkeys(PHASES, 0.0)

    def timed(self, phase: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.spent[phase] += time.perf_counter() - start

        return run


def instrumented(model: MLP, trainer: Trainer, clock: Clock) -> Callable[[], None]:
    """Wrap the model's and trainer's pieces in ``clock``'s timers; returns an undo."""
    saved = (mlp_module.np, mlp_module.in_blocks, model._loss)
    mlp_module.np = types.SimpleNamespace(**{**vars(np), "matmul": clock.timed("matmul", np.matmul)})
    # the activations run through in_blocks (on big batches block by block, in several threads):
    # timed around the whole call, by the function it runs
    forwards = {f.forward for f in model.activation_functions}
    timers = {phase: clock.timed(phase, saved[1]) for phase in ("activation", "derivative")}
    mlp_module.in_blocks = lambda function, *arrays, **how: timers[
        "activation" if function in forwards else "derivative"
    ](function, *arrays, **how)
    model._loss = replace(model._loss, function=clock.timed("loss", model._loss.function))
    change, finite, restore_params = trainer.optimizer.change, trainer.finite, trainer.params
    trainer.optimizer.change = clock.timed("update", change)
    trainer.finite = clock.timed("update", finite)

    def undo() -> None:
        mlp_module.np, mlp_module.in_blocks, model._loss = saved
        del trainer.optimizer.change, trainer.finite
        assert trainer.params is restore_params

    return undo


def profile(name: str, model: MLP, X: np.ndarray, y: np.ndarray, epochs: int, repeats: int = 5) -> None:
    """Median per-epoch time of each phase over ``repeats`` runs of ``epochs`` epochs."""
    trainer = Trainer(model, X, y, 1e-3, optimizer="gd")
    trainer.run(2)  # warm up: buffers allocated
    totals, phases = [], {phase: [] for phase in PHASES}
    for _ in range(repeats):
        clock = Clock()
        undo = instrumented(model, trainer, clock)
        start = time.perf_counter()
        trainer.run(epochs)
        totals.append((time.perf_counter() - start) / epochs)
        undo()
        for phase in PHASES:
            phases[phase].append(clock.spent[phase] / epochs)
        # each copy of the epoch: the params ← params + Δθ and backup copy sit in "rest"
    total = statistics.median(totals)
    parts = {phase: statistics.median(times) for phase, times in phases.items()}
    parts["rest"] = max(0.0, total - sum(parts.values()))
    cells = "  ".join(f"{phase} {seconds * 1e3:6.2f} ({seconds / total:4.0%})" for phase, seconds in parts.items())
    print(f"{name:<34} {total * 1e3:7.2f} ms/epoch:  {cells}")


def main() -> None:
    rng = np.random.default_rng(0)
    digits = load_dataset("digits")
    X_digits = (digits.X - digits.X.mean(axis=0)) / (digits.X.std(axis=0) + 1e-9)
    X_big, y_big = rng.standard_normal((8192, 256)), rng.random((8192, 10))
    dtypes = [np.float64]
    if "dtype" in MLP.__init__.__code__.co_varnames:
        dtypes.append(np.float32)
    for dtype in dtypes:
        extra = {} if dtype is np.float64 else {"dtype": dtype}
        digits_net = MLP([64, 128, 10], seed=0, output_activation="softmax", loss="cross_entropy", **extra)
        profile(f"digits 1797×64→128→10 {np.dtype(dtype).name}", digits_net, X_digits, digits.y, 50)
        big_net = MLP([256, 1024, 10], seed=0, **extra)
        profile(f"big 8192×256→1024→10 {np.dtype(dtype).name}", big_net, X_big, y_big, 3)


if __name__ == "__main__":
    main()
