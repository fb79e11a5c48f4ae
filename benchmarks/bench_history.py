"""What a run's history costs: headless training with its checkpoints against the same
training keeping none, interleaved in one process (``core.history``; the goal: ≤ 5 %).

Run: .venv/bin/python benchmarks/bench_history.py
"""

from __future__ import annotations

import statistics
import time
from unittest import mock

import tui_mlp.core  # noqa: F401  (before NumPy, as the app and the command line load it)
from tui_mlp.core.history import History
from tui_mlp.core.run import Run
from tui_mlp.core.specs import DataSpec, TrainingSpec

ROUNDS = 7
SUBJECTS = {
    "seed 4-5-2, 10,000 epochs": (TrainingSpec(epochs=10_000), DataSpec("seed")),
    "digits 64-64-10, 300 epochs": (TrainingSpec(hidden=(64,), epochs=300), DataSpec("digits")),
    "gaussians 2-256-256-3, 2,000 samples, 200 epochs": (
        TrainingSpec(hidden=(256, 256), epochs=200),
        DataSpec("gaussians", samples=2000),
    ),
}


def fit_seconds(training: TrainingSpec, data: DataSpec, keep: bool) -> tuple[float, int]:
    """Seconds to train, and the checkpoints kept (``keep`` False: a history that keeps none)."""
    run = Run.create(training, data, seed=0)
    if keep:
        start = time.perf_counter()
        run.fit()
    else:
        with mock.patch.object(History, "planned", lambda epochs, parameters: History([])):
            start = time.perf_counter()
            run.fit()
    seconds = time.perf_counter() - start
    assert run.history is not None
    return seconds, len(run.history)


def main() -> None:
    for name, (training, data) in SUBJECTS.items():
        kept, bare, count = [], [], 0
        for _ in range(ROUNDS):
            seconds, count = fit_seconds(training, data, keep=True)
            kept.append(seconds)
            bare.append(fit_seconds(training, data, keep=False)[0])
        with_history, without = statistics.median(kept), statistics.median(bare)
        print(
            f"{name}: with {count} checkpoints {with_history * 1000:.1f} ms, keeping none {without * 1000:.1f} ms, "
            f"ratio {with_history / without:.3f}x (goal <= 1.05x)"
        )


if __name__ == "__main__":
    main()
