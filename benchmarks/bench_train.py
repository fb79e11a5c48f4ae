"""Training speed of ``MLP.fit``, as ratios against baselines measured in the same run,
in float64 and float32. Each time is the median of several runs; the engine's runs and
its baseline's alternate, so that both see the same load on a shared machine.

1. µs per epoch on the seed data (hidden 5, 64, 512, float64) against a plain, naive
   NumPy loop doing the same maths (goal: ≤ 0.7× on the seed network).
2. GFLOP/s training a big layer (8192 samples × 256 → 1024 → 10, sigmoid, summed
   squared error) in float64 and float32, each as a fraction of this machine's matmul
   peak (a 2048×2048 product) in its own dtype (goal: ≥ 0.60).
3. A digits-shaped network (1797 × 64 → 128 → 10, sigmoid hidden, softmax and
   cross-entropy, full batch, gradient descent) against a plain NumPy loop in the
   same dtype (goal: ≤ 0.8×).
4. Milliseconds to trace one step on one sample of a 784-256-10 network
   (``MLP.trace``; goal: < 20 ms).

Run: .venv/bin/python benchmarks/bench_train.py
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable

import tui_mlp.core  # noqa: F401  (before NumPy, as the app and the CLI do: it sets OpenBLAS's thread timeout)

# isort: split
import numpy as np

from tui_mlp.core import MLP
from tui_mlp.core.datasets import load_dataset
from tui_mlp.core.optimizers import make_optimizer

DTYPES = (np.float64, np.float32)
REPEATS = 7


def seconds(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def medians(repeats: int, *runs: Callable[[], object]) -> list[float]:
    """The median wall time of each of ``runs``, in seconds, over ``repeats`` rounds that run each once."""
    times: list[list[float]] = [[] for _ in runs]
    for _ in range(repeats):
        for run, spent in zip(runs, times):
            spent.append(seconds(run))
    return [statistics.median(spent) for spent in times]


def naive_fit(weights: list[np.ndarray], biases: list[np.ndarray], X, y, epochs: int, lr: float) -> np.ndarray:
    """The textbook loop: sigmoid layers, E = ½·Σ(ŷ−y)², fresh arrays every epoch."""
    losses = np.empty(epochs)
    for epoch in range(epochs):
        activations = [X]
        for w, b in zip(weights, biases):
            activations.append(1 / (1 + np.exp(-(activations[-1] @ w + b))))
        out = activations[-1]
        losses[epoch] = 0.5 * np.sum((out - y) ** 2)
        backward_and_step(weights, biases, activations, (out - y) * out * (1 - out), lr)
    return losses


def plain_softmax_fit(weights: list[np.ndarray], biases: list[np.ndarray], X, Y, epochs: int, lr: float) -> np.ndarray:
    """The plain loop in X's dtype: sigmoid hidden layers, a softmax output, L = −Σ Y·log P / n
    (its gradient at the logits (P − Y) / n), backward, gradient descent; fresh arrays every epoch."""
    n, losses = len(X), np.empty(epochs)
    for epoch in range(epochs):
        activations = [X]
        for w, b in zip(weights[:-1], biases[:-1]):
            activations.append(1 / (1 + np.exp(-(activations[-1] @ w + b))))
        logits = activations[-1] @ weights[-1] + biases[-1]
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        total = exp.sum(axis=1, keepdims=True)
        losses[epoch] = -np.sum(Y * (logits - np.log(total))) / n
        backward_and_step(weights, biases, activations, (exp / total - Y) / n, lr)
    return losses


def backward_and_step(weights: list[np.ndarray], biases: list[np.ndarray], activations, delta, lr: float) -> None:
    """Backpropagate the output layer's ``delta`` through sigmoid hidden layers, updating each
    layer by gradient descent as its gradient is known (fresh arrays at every step)."""
    for i in range(len(weights) - 1, -1, -1):
        grad_w = activations[i].T @ delta
        grad_b = delta.sum(axis=0)
        if i:
            delta = (delta @ weights[i].T) * activations[i] * (1 - activations[i])
        weights[i] -= lr * grad_w
        biases[i] -= lr * grad_b


def copies(model: MLP) -> tuple[list[np.ndarray], list[np.ndarray]]:
    return [w.copy() for w in model.weights], [b.copy() for b in model.biases]


def seed_network_ratios(epochs: int = 2000) -> None:
    data = load_dataset("seed")
    for hidden in (5, 64, 512):
        model = MLP([4, hidden, 2], seed=0)
        naive = naive_fit(*copies(model), data.X, data.y, 50, 0.1)
        assert np.allclose(naive, model.copy().fit(data.X, data.y, 50, 0.1), rtol=1e-10), "the two loops disagree"
        fit_time, naive_time = medians(
            REPEATS,
            lambda m=model: m.copy().fit(data.X, data.y, epochs, 0.1),
            lambda m=model: naive_fit(*copies(m), data.X, data.y, epochs, 0.1),
        )
        print(
            f"seed data, 4-{hidden}-2: fit {fit_time / epochs * 1e6:7.2f} µs/epoch, "
            f"naive {naive_time / epochs * 1e6:7.2f} µs/epoch, ratio {fit_time / naive_time:.2f}× (goal ≤ 0.7×)"
        )


def big_layer_fractions(epochs: int = 3, n: int = 2048) -> None:
    """An epoch of the big layer in each dtype against that dtype's matmul peak (an n×n product),
    the two measured in alternating rounds so that both see the same load."""
    rng = np.random.default_rng(0)
    samples, sizes = 8192, [256, 1024, 10]
    X = rng.standard_normal((samples, sizes[0]))
    y = rng.random((samples, sizes[-1]))
    square = rng.standard_normal((2, n, n))
    # forward: 2·n·(256·1024 + 1024·10); weight gradients: the same again; delta into the hidden layer: 2·n·1024·10
    flops = 2 * samples * (sizes[0] * sizes[1] + sizes[1] * sizes[2]) * 2 + 2 * samples * sizes[1] * sizes[2]
    for dtype in DTYPES:
        model, Xd, yd, (a, b) = MLP(sizes, seed=0, dtype=dtype), X.astype(dtype), y.astype(dtype), square.astype(dtype)
        product, fit = medians(5, lambda a=a, b=b: a @ b, lambda m=model, X=Xd, y=yd: m.fit(X, y, epochs, 1e-4))
        peak, achieved, name = 2 * n**3 / product / 1e9, flops / (fit / epochs) / 1e9, np.dtype(dtype).name
        print(
            f"big layer 8192×256→1024→10, {name}: {fit / epochs * 1e3:6.1f} ms/epoch, {achieved:5.1f} GFLOP/s; "
            f"{name} matmul peak {peak:5.1f} GFLOP/s; fraction {achieved / peak:.2f} (goal ≥ 0.60)"
        )


def digits_shaped_ratios(epochs: int = 50) -> None:
    digits = load_dataset("digits")
    X = (digits.X - digits.X.mean(axis=0)) / (digits.X.std(axis=0) + 1e-9)
    for dtype in DTYPES:
        model = MLP([64, 128, 10], seed=0, output_activation="softmax", loss="cross_entropy", dtype=dtype)
        Xd, Yd = X.astype(dtype), digits.y.astype(dtype)
        plain = plain_softmax_fit(*copies(model), Xd, Yd, 20, 0.5)
        close = 1e-10 if dtype is np.float64 else 1e-4
        assert np.allclose(plain, model.copy().fit(Xd, Yd, 20, 0.5), rtol=close), "the two loops disagree"
        fit_time, plain_time = medians(
            REPEATS,
            lambda m=model, X=Xd, Y=Yd: m.copy().fit(X, Y, epochs, 0.5),
            lambda m=model, X=Xd, Y=Yd: plain_softmax_fit(*copies(m), X, Y, epochs, 0.5),
        )
        print(
            f"digits-shaped 1797×64→128→10, {np.dtype(dtype).name}: fit {fit_time / epochs * 1e3:5.2f} ms/epoch, "
            f"plain {plain_time / epochs * 1e3:5.2f} ms/epoch, ratio {fit_time / plain_time:.2f}× (goal ≤ 0.8×)"
        )


def trace_time() -> None:
    rng = np.random.default_rng(0)
    model = MLP([784, 256, 10], seed=0)
    x, y = rng.random(784), rng.random(10)
    adam = make_optimizer("adam", model.parameters().size, 0.01)
    (spent,) = medians(10, lambda: model.trace(x, y, adam))
    print(f"trace of one sample, 784-256-10 with Adam: {spent * 1e3:.1f} ms (goal < 20 ms)")


if __name__ == "__main__":
    print(f"OPENBLAS_THREAD_TIMEOUT={os.environ.get('OPENBLAS_THREAD_TIMEOUT', 'unset')}")
    seed_network_ratios()
    big_layer_fractions()
    digits_shaped_ratios()
    trace_time()
