"""The engine in float32: every array of a network and its training stays float32, the
gradients are float64's within float32's rounding, training reaches the same place, and
float64 (the default) is unchanged.

The gradient tolerance: |g32 − g64| ≤ RTOL·|g64| + ATOL·max|g64|, entry by entry, where g64
is the float64 gradient of the same network (its float32 parameters and data, widened).
float32 rounds to u = 2⁻²⁴ ≈ 6e-8; a gradient entry is a few chained dot products over
at most a few thousand terms, whose rounding error is about √k·u (k·u at worst) of the
terms' size. RTOL = 1e-4 (≈ 1700 u) bounds it relative to the entry; ATOL = 1e-6 of the
largest entry (≈ 17 u) covers entries that are small because their terms cancel, whose
error is relative to the terms, not to the entry. Measured: at most 0.2 of this bound on
small random networks, 0.04 on a 64-128-10 network over the 1,797 digits.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from test_mlp_gradients import OUTPUT_LOSS_TARGETS, finite_difference_gradients, make_targets

from tui_mlp.core.activations import HIDDEN_ACTIVATIONS
from tui_mlp.core.datasets import load_dataset
from tui_mlp.core.mlp import MLP, check_dtype
from tui_mlp.core.optimizers import OPTIMIZERS
from tui_mlp.core.run import Run
from tui_mlp.core.specs import DataSpec, TrainingSpec
from tui_mlp.core.trainer import Trainer

RTOL, ATOL = 1e-4, 1e-6  # see the module's docstring
KINK_MARGIN = 1e-4  # relu-like pre-activations closer than this to 0 may fall on either side in float32
SEED = load_dataset("seed")


def assert_within_float32_rounding(g32: list[np.ndarray], g64: list[np.ndarray]) -> None:
    flat32, flat64 = np.concatenate([g.ravel() for g in g32]), np.concatenate([g.ravel() for g in g64])
    bound = RTOL * np.abs(flat64) + ATOL * np.abs(flat64).max()
    worst = np.max(np.abs(flat32 - flat64) - bound)
    assert worst <= 0, f"an entry is {worst:.3g} past the bound"


def twins(
    hidden: str, output: str, loss: str, kind: str, seed: int
) -> tuple[MLP, MLP, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """A float32 network, its float64 twin (the same numbers, widened), and data in both."""
    rng = np.random.default_rng(seed)
    sizes = [int(rng.integers(1, 9)) for _ in range(int(rng.integers(2, 5)))] + [int(rng.integers(2, 6))]
    n = int(rng.integers(1, 40))
    X32 = rng.normal(0.0, 1.0, (n, sizes[0])).astype(np.float32)
    y32 = make_targets(kind, rng, n, sizes[-1]).astype(np.float32)
    net32 = MLP(sizes, hidden, seed, output_activation=output, loss=loss, dtype=np.float32)
    net64 = net32.copy(np.float64)
    if hidden in ("relu", "leaky_relu"):
        outputs = net64.activations(X32)
        z = [outputs[i] @ net64.weights[i] + net64.biases[i] for i in range(net64.n_layers - 1)]
        assume(all(np.abs(layer).min() > KINK_MARGIN for layer in z))
    return net32, net64, X32, y32, X32.astype(np.float64), y32.astype(np.float64)


@pytest.mark.parametrize("hidden", HIDDEN_ACTIVATIONS)
@pytest.mark.parametrize(("output", "loss", "kind"), OUTPUT_LOSS_TARGETS)
@settings(max_examples=8, deadline=None)
@given(seed=st.integers(0, 2**16))
def test_float32_gradients_are_float64s_within_rounding(
    hidden: str, output: str, loss: str, kind: str, seed: int
) -> None:
    """Against the float64 gradient of the same network and against float64 central differences."""
    net32, net64, X32, y32, X64, y64 = twins(hidden, output, loss, kind, seed)
    dW32, db32 = net32.gradients(X32, y32)
    assert all(g.dtype == np.float32 for g in [*dW32, *db32])
    dW64, db64 = net64.gradients(X64, y64)
    assert_within_float32_rounding([*dW32, *db32], [*dW64, *db64])
    assert_within_float32_rounding([*dW32, *db32], finite_difference_gradients(net64, X64, y64))


@pytest.mark.parametrize("hidden", HIDDEN_ACTIVATIONS)
def test_digits_shaped_gradients_are_float64s_within_rounding(hidden: str) -> None:
    digits = load_dataset("digits")
    X = ((digits.X - digits.X.mean(axis=0)) / (digits.X.std(axis=0) + 1e-9)).astype(np.float32)
    net32 = MLP([64, 128, 10], hidden, 0, output_activation="softmax", loss="cross_entropy", dtype=np.float32)
    dW32, db32 = net32.gradients(X, digits.y)
    dW64, db64 = net32.copy(np.float64).gradients(X.astype(np.float64), digits.y)
    assert_within_float32_rounding([*dW32, *db32], [*dW64, *db64])


@pytest.mark.parametrize("hidden", HIDDEN_ACTIVATIONS)
@pytest.mark.parametrize(
    ("output", "loss"),
    [("sigmoid", "sse"), ("softmax", "cross_entropy"), ("sigmoid", "cross_entropy"), ("linear", "mse")],
)
@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_every_array_stays_float32_through_training(hidden: str, output: str, loss: str, optimizer: str) -> None:
    model = MLP([4, 6, 3, 2], hidden, 1, output_activation=output, loss=loss, dtype=np.float32)
    trainer = Trainer(model, SEED.X, SEED.y, 0.01, optimizer=optimizer, weight_decay=0.01, batch_size=3)
    result = trainer.run(20)
    buffers = trainer._buffers[3]
    state = [value for value in vars(trainer.optimizer).values() if isinstance(value, np.ndarray)]
    passes = [*buffers.a1, *buffers.a, *buffers.z, *buffers.delta, *buffers.tmp, buffers.y, buffers.grad]
    arrays = [model.parameters(), trainer.backup, trainer.X, trainer.y, *passes, *state]
    assert {array.dtype for array in arrays} == {np.dtype(np.float32)}
    assert type(result.final_loss) is float and type(model.loss(SEED.X, SEED.y)) is float
    trace = model.trace(SEED.X, SEED.y, trainer.optimizer)
    assert type(trace.loss) is float
    assert {array.dtype for layer in trace.layers for array in vars(layer).values()} == {np.dtype(np.float32)}
    assert model.forward(SEED.X).dtype == np.float32 and model.copy().dtype == np.float32


def test_the_same_seed_gives_the_float64_network_rounded() -> None:
    net64, net32 = MLP([4, 5, 2], seed=3), MLP([4, 5, 2], seed=3, dtype="float32")
    np.testing.assert_array_equal(net32.parameters(), net64.parameters().astype(np.float32))
    np.testing.assert_array_equal(net64.copy(np.float32).parameters(), net32.parameters())
    assert repr(net32) == "MLP(4-5-2, sigmoid → sigmoid, loss=sse, dtype=float32)"


@pytest.mark.parametrize("dtype", [np.float16, "int32", complex, "nonsense"])
def test_other_dtypes_are_refused(dtype: object) -> None:
    with pytest.raises(ValueError, match="is not one of float64, float32"):
        MLP([2, 2, 1], dtype=dtype)
    assert check_dtype("float32") == np.float32 and check_dtype(np.float64) == np.float64


def test_the_seed_network_trains_to_the_same_loss_in_float32() -> None:
    losses64 = MLP([4, 5, 2], seed=0).fit(SEED.X, SEED.y, 10_000, 0.1)
    losses32 = MLP([4, 5, 2], seed=0, dtype=np.float32).fit(SEED.X, SEED.y, 10_000, 0.1)
    assert f"{losses64[-1]:.6f}" == "0.003145"
    assert losses32[-1] == pytest.approx(losses64[-1], rel=1e-3)


@pytest.mark.parametrize(("optimizer", "loss"), [("auto", "auto"), ("gd", "sse")])
def test_moons_train_to_the_same_accuracy_in_float32(optimizer: str, loss: str) -> None:
    runs = {}
    for dtype in ("float64", "float32"):
        spec = TrainingSpec(hidden=(16,), epochs=2000, optimizer=optimizer, loss=loss, dtype=dtype)
        runs[dtype] = run = Run.create(spec, DataSpec("moons"), seed=0)
        run.fit()
        assert run.model.dtype == dtype and run.summary()["dtype"] == dtype
    assert runs["float32"].final_loss == pytest.approx(runs["float64"].final_loss, rel=0.03)
    assert runs["float32"].scores() == runs["float64"].scores()
