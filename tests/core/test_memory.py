"""The memory a run needs, estimated from its shapes, and the memory this process can have."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tui_mlp.cli import build_parser, specs_from
from tui_mlp.core import memory
from tui_mlp.core.history import capacity, schedule
from tui_mlp.core.memory import (
    LIMIT_VARIABLE,
    available_bytes,
    estimate_bytes,
    format_bytes,
    require_memory,
)
from tui_mlp.core.mlp import parameter_count
from tui_mlp.core.specs import DataSpec, TrainingSpec

MOONS = DataSpec("moons", samples=1000).prepare(0)  # 800 training and 200 test samples
SIZES = (2, 300, 300, 1)
PARAMETER_BYTES = 8 * parameter_count(SIZES)

# The peak resident size of this process image (VmHWM): ru_maxrss would include the parent's size at
# fork time, which after the app tests is larger than the run being measured.
MEASURE = """
import sys
from tui_mlp.cli import main
status = main(sys.argv[1:])
peak = next(line for line in open("/proc/self/status") if line.startswith("VmHWM:")).split()[1]
print(int(peak) * 1024, status, file=sys.stderr)
"""


def estimate(**training: object) -> int:
    """The estimate for ``training``'s settings; plain gradient descent unless they say otherwise."""
    return estimate_bytes(SIZES, TrainingSpec(hidden=SIZES[1:-1], **({"optimizer": "gd"} | training)), *MOONS)


@pytest.mark.skipif(sys.platform != "linux", reason="reads the peak from /proc/self/status")
@pytest.mark.parametrize(
    "flags",
    [
        "--dataset moons --hidden 1000",
        "--dataset moons --hidden 1000,1000",
        "--dataset moons --hidden 1000,1000 --batch-size 100 --optimizer adam --weight-decay 0.01",
        "--dataset gaussians --hidden 1500 --activation leaky_relu --test-split 0.5",
        "--dataset moons --hidden 1000,1000 --batch-size 100 --optimizer adam --dtype float32",
    ],
)
def test_the_estimate_is_close_to_the_peak_a_run_reaches(flags: str) -> None:
    argv = ["train", "--samples", "8000", "--epochs", "2", "--seed", "0", *flags.split()]
    args = build_parser().parse_args(argv)
    training, data = specs_from(args, args.command_parser)
    train, test = data.prepare(0)
    expected = estimate_bytes((train.n_inputs, *training.hidden, train.n_outputs), training, train, test)
    done = subprocess.run([sys.executable, "-c", MEASURE, *argv], capture_output=True, text=True, timeout=120)
    peak, status = map(int, done.stderr.split())
    assert status == 0
    assert 0.9 <= expected / peak <= 1.3, (expected, peak)


def test_optimizers_and_weight_decay_add_parameter_sized_arrays() -> None:
    assert estimate(optimizer="momentum") - estimate() == PARAMETER_BYTES
    assert estimate(optimizer="adam") - estimate() == 3 * PARAMETER_BYTES
    assert estimate(weight_decay=0.1) - estimate() == 2 * PARAMETER_BYTES


def test_float32_halves_the_network_and_its_passes_and_copies_the_training_data() -> None:
    base = memory.BASELINE_BYTES + sum(array.nbytes for part in MOONS for array in (part.X, part.y))
    copy = (MOONS[0].X.nbytes + MOONS[0].y.nbytes) // 2  # the trainer's float32 copy of the training data
    history = 2 * memory.FLOAT * 10_000  # the loss history stays float64 (10,000 epochs: auto)
    float64 = estimate(optimizer="adam") - base - history - checkpoints(8)
    float32 = estimate(optimizer="adam", dtype="float32") - base - copy - history - checkpoints(4)
    assert float32 * 2 == float64


def checkpoints(item: int, epochs: int = 10_000) -> int:
    """The bytes of the checkpoints of ``epochs`` epochs of the network of SIZES, ``item`` bytes a number."""
    parameters = item * parameter_count(SIZES)
    return len(schedule(epochs, capacity(parameters))) * parameters


def test_the_checkpoints_count_within_their_budget() -> None:
    """A float32 network keeps twice as many, in the same memory."""
    assert checkpoints(8) == 91 * PARAMETER_BYTES and round(checkpoints(8) / 2**20, 1) == 63.5
    assert checkpoints(4) == 183 * PARAMETER_BYTES // 2 and checkpoints(8, epochs=3) == 4 * PARAMETER_BYTES
    assert estimate(epochs=3) + 87 * PARAMETER_BYTES + 2 * 8 * (10_000 - 3) == estimate()  # and the loss history


def test_a_batch_size_needs_less_but_scores_still_take_every_sample() -> None:
    scoring = memory.pass_bytes(SIZES, 800, backward=False)
    assert scoring == 8 * 800 * (3 + 301 + 301 + 4)  # inputs with their ones; outputs, targets, logits, loss
    data = sum(array.nbytes for part in MOONS for array in (part.X, part.y))
    batched = estimate(batch_size=32)
    assert batched < estimate()
    assert batched == memory.BASELINE_BYTES + data + 2 * PARAMETER_BYTES + checkpoints(8) + scoring  # scores: the peak
    assert estimate(batch_size=16) == batched


def test_the_app_scores_while_training_and_keeps_more_networks() -> None:
    training = TrainingSpec(hidden=SIZES[1:-1], optimizer="gd")
    cli = estimate_bytes(SIZES, training, *MOONS)
    app = estimate_bytes(SIZES, training, *MOONS, networks=5, concurrent_scores=True)
    assert app - cli == 3 * PARAMETER_BYTES + memory.pass_bytes(SIZES, 800, backward=False)


def test_the_biggest_runs_of_the_issue_are_estimated_as_measured() -> None:
    train, test = DataSpec("moons", samples=100_000).prepare(0)
    wide = estimate_bytes((2, 3000, 3000, 1), TrainingSpec(hidden=(3000, 3000), epochs=1, optimizer="gd"), train, test)
    assert format_bytes(wide) == "12.0 GB"  # 11.6 GB measured
    widest = estimate_bytes((2, 10_000, 1), TrainingSpec(hidden=(10_000,), epochs=1, optimizer="gd"), train, test)
    assert format_bytes(widest) == "19.3 GB"


@pytest.mark.parametrize(
    ("count", "text"), [(16_249_000_000, "16.2 GB"), (1_000_000_000, "1.0 GB"), (350_400_000, "350 MB"), (10, "1 MB")]
)
def test_sizes_are_written_for_people(count: int, text: str) -> None:
    assert format_bytes(count) == text


def test_a_run_over_the_limit_is_refused_naming_both_figures(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(LIMIT_VARIABLE, "11300000000")
    require_memory(11_300_000_000)
    with pytest.raises(ValueError) as refused:
        require_memory(16_200_000_001)
    assert str(refused.value) == (
        "this run needs about 16.2 GB of memory; 11.3 GB is available "
        "(fewer samples, smaller hidden layers or a batch size)"
    )


def test_a_limit_that_is_not_a_number_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(LIMIT_VARIABLE, "2G")
    with pytest.raises(ValueError, match=r"^TUI_MLP_MEMORY_LIMIT='2G' is not a number of bytes$"):
        available_bytes()


def test_meminfo_gives_the_available_memory(tmp_path: Path) -> None:
    meminfo = tmp_path / "meminfo"
    meminfo.write_text("MemTotal:       24684096 kB\nMemFree:        100 kB\nMemAvailable:   11034996 kB\n")
    assert memory._meminfo_available(meminfo) == 11034996 * 1024
    meminfo.write_text("MemTotal:       24684096 kB\nMemAvailable:\n")
    assert memory._meminfo_available(meminfo) is None
    assert memory._meminfo_available(tmp_path / "missing") is None


def test_the_tightest_cgroup_limit_on_the_way_up_counts(tmp_path: Path) -> None:
    membership = tmp_path / "cgroup"
    membership.write_text("0::/user.slice/session.scope\n")
    outer, inner = tmp_path / "user.slice", tmp_path / "user.slice" / "session.scope"
    inner.mkdir(parents=True)
    (inner / "memory.max").write_text("max\n")  # no limit of its own
    (inner / "memory.current").write_text("300000000\n")
    (outer / "memory.max").write_text("1000000000\n")
    (outer / "memory.current").write_text("800000000\n")
    (outer / "memory.stat").write_text("anon 500000000\nfile 300000000\ninactive_file 100000000\n")
    assert memory._cgroup_room(tmp_path, membership) == 300_000_000  # 1 GB less 800 MB, 100 MB of it reclaimable
    (inner / "memory.max").write_text("400000000\n")
    assert memory._cgroup_room(tmp_path, membership) == 100_000_000
    membership.write_text("12:memory:/docker/abc\n")  # cgroup v1 only
    assert memory._cgroup_room(tmp_path, membership) is None


def test_available_memory_is_what_the_process_holds_plus_the_least_room(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(LIMIT_VARIABLE, raising=False)
    monkeypatch.setattr(memory, "_resident_bytes", lambda: 50_000_000)
    monkeypatch.setattr(memory, "_physical_bytes", lambda: 32_000_000_000)
    monkeypatch.setattr(memory, "_meminfo_available", lambda: 8_000_000_000)
    monkeypatch.setattr(memory, "_cgroup_room", lambda: 2_000_000_000)
    assert available_bytes() == 2_050_000_000
    monkeypatch.setattr(memory, "_cgroup_room", lambda: None)
    assert available_bytes() == 8_050_000_000
    monkeypatch.setattr(memory, "_meminfo_available", lambda: None)
    assert available_bytes() == 32_000_000_000  # neither: the physical memory


def test_a_batch_bigger_than_the_data_is_the_full_batch_and_each_epoch_keeps_its_loss() -> None:
    assert estimate(batch_size=10**6) == estimate()
    assert estimate(epochs=10**6) - estimate(epochs=10**4) == 2 * 8 * (10**6 - 10**4)
