"""Training speed of ``MLP.fit``, as ratios against baselines measured in the same run.

1. µs per epoch on the seed data (hidden 5, 64, 512) against a plain, naive
   NumPy loop doing the same maths (goal: ≤ 0.7× on the seed network).
2. GFLOP/s training a big layer (8192 samples × 256 → 1024 → 10) as a
   fraction of this machine's float64 matmul peak (goal: ≥ 50%).
3. Milliseconds to trace one step on one sample of a 784-256-10 network
   (``MLP.trace``; goal: < 20 ms).

Run: .venv/bin/python benchmarks/bench_train.py
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from tui_mlp.core import MLP
from tui_mlp.core.datasets import load_dataset
from tui_mlp.core.optimizers import make_optimizer


def best_of(repeats: int, run: Callable[[], object]) -> float:
    """Shortest wall time of ``repeats`` runs, in seconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def naive_fit(weights: list[np.ndarray], biases: list[np.ndarray], X, y, epochs: int, lr: float) -> np.ndarray:
    """The textbook loop: sigmoid layers, E = ½·Σ(ŷ−y)², fresh arrays every epoch."""
    losses = np.empty(epochs)
    for epoch in range(epochs):
        activations = [X]
        for w, b in zip(weights, biases):
            activations.append(1 / (1 + np.exp(-(activations[-1] @ w + b))))
        out = activations[-1]
        losses[epoch] = 0.5 * np.sum((out - y) ** 2)
        delta = (out - y) * out * (1 - out)
        for i in range(len(weights) - 1, -1, -1):
            grad_w = activations[i].T @ delta
            grad_b = delta.sum(axis=0)
            if i:
                delta = (delta @ weights[i].T) * activations[i] * (1 - activations[i])
            weights[i] -= lr * grad_w
            biases[i] -= lr * grad_b
    return losses


def seed_network_ratios(epochs: int = 2000) -> None:
    data = load_dataset("seed")
    for hidden in (5, 64, 512):
        model = MLP([4, hidden, 2], seed=0)
        fit_time = best_of(5, lambda m=model: m.copy().fit(data.X, data.y, epochs, 0.1))
        naive_time = best_of(
            5,
            lambda m=model: naive_fit(
                [w.copy() for w in m.weights], [b.copy() for b in m.biases], data.X, data.y, epochs, 0.1
            ),
        )
        twin = model.copy()
        naive = naive_fit(twin.weights, twin.biases, data.X, data.y, 50, 0.1)
        assert np.allclose(naive, model.copy().fit(data.X, data.y, 50, 0.1), rtol=1e-10), "the two loops disagree"
        print(
            f"seed data, 4-{hidden}-2: fit {fit_time / epochs * 1e6:7.2f} µs/epoch, "
            f"naive {naive_time / epochs * 1e6:7.2f} µs/epoch, ratio {fit_time / naive_time:.2f}× (goal ≤ 0.7×)"
        )


def matmul_peak(n: int = 2048) -> float:
    """float64 GFLOP/s of a large square matmul."""
    a, b = np.random.default_rng(0).standard_normal((2, n, n))
    seconds = best_of(5, lambda: a @ b)
    return 2 * n**3 / seconds / 1e9


def big_layer_fraction(epochs: int = 5) -> None:
    rng = np.random.default_rng(0)
    n, sizes = 8192, [256, 1024, 10]
    X = rng.standard_normal((n, sizes[0]))
    y = rng.random((n, sizes[-1]))
    model = MLP(sizes, seed=0)
    seconds = best_of(3, lambda: model.fit(X, y, epochs, 1e-4)) / epochs
    # forward: 2·n·(256·1024 + 1024·10); weight gradients: the same again; delta into the hidden layer: 2·n·1024·10
    flops = 2 * n * (sizes[0] * sizes[1] + sizes[1] * sizes[2]) * 2 + 2 * n * sizes[1] * sizes[2]
    peak = matmul_peak()
    achieved = flops / seconds / 1e9
    print(
        f"big layer 8192×256→1024→10: {seconds * 1e3:.1f} ms/epoch, {achieved:.1f} GFLOP/s; "
        f"matmul peak {peak:.1f} GFLOP/s; fraction {achieved / peak:.2f} (goal ≥ 0.50)"
    )


def trace_time() -> None:
    rng = np.random.default_rng(0)
    model = MLP([784, 256, 10], seed=0)
    x, y = rng.random(784), rng.random(10)
    adam = make_optimizer("adam", model.parameters().size, 0.01)
    seconds = best_of(10, lambda: model.trace(x, y, adam))
    print(f"trace of one sample, 784-256-10 with Adam: {seconds * 1e3:.1f} ms (goal < 20 ms)")


if __name__ == "__main__":
    seed_network_ratios()
    big_layer_fraction()
    trace_time()
