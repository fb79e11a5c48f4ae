"""Render time of NetworkDiagram at 160x50, against Rich rendering a plain table.

The baseline is a ``rich.table.Table`` covering the same 160x50 screen cells
(50 rows of 16 ten-column cells), rendered by the same Console in the same
run, so the ratio says how the diagram compares with Rich's ordinary work on
this machine. Goal: 784-256-10 under 100 ms.

Also a live decision-boundary frame: DecisionBoundary of a 2-8-8-1 net on the
circle dataset at 60x30 cells, in colour (one batched forward pass over the
half-block grid). Goal: under 20 ms.

And the digits weight-image panel: WeightImages of a 64-128-10 net (128 hidden units
as 8×8 pictures, one focused) at 60x48 cells, in colour. Goal: under 30 ms.

    .venv/bin/python benchmarks/bench_render.py
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable

from rich.console import Console, RenderableType
from rich.table import Table

from tui_mlp.core import MLP, train
from tui_mlp.core.datasets import load_dataset, split
from tui_mlp.render.boundary import DecisionBoundary
from tui_mlp.render.images import WeightImages
from tui_mlp.render.network import NetworkDiagram

WIDTH, HEIGHT = 160, 50
NETWORKS = ([4, 5, 2], [64, 128, 10], [784, 256, 10])
GOAL_MS = {"784-256-10": 100.0, "boundary": 20.0, "images": 30.0}
IMAGES_WIDTH, IMAGES_HEIGHT = 60, 48
BOUNDARY_WIDTH, BOUNDARY_HEIGHT = 60, 30


def best_ms(render: Callable[[], object], repeats: int = 15) -> float:
    """Fastest of ``repeats`` runs, in milliseconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        render()
        times.append(time.perf_counter() - start)
    return 1000 * min(times)


def renderer(
    renderable_factory: Callable[[], RenderableType], width: int = WIDTH, height: int = HEIGHT
) -> Callable[[], object]:
    console = Console(file=io.StringIO(), width=width, height=height, color_system="truecolor", force_terminal=True)

    def render() -> object:
        return console.render_lines(renderable_factory(), console.options.update(width=width, height=height))

    return render


def plain_table() -> Table:
    table = Table(show_header=False, box=None, padding=0)
    for _ in range(WIDTH // 10):
        table.add_column(width=10, no_wrap=True)
    for row in range(HEIGHT):
        table.add_row(*(f"{row * 16 + col:>9} " for col in range(WIDTH // 10)))
    return table


def main() -> None:
    baseline = best_ms(renderer(plain_table))
    print(f"baseline: rich Table {HEIGHT}x{WIDTH // 10} cells at {WIDTH}x{HEIGHT}: {baseline:.2f} ms")
    for sizes in NETWORKS:
        name = "-".join(map(str, sizes))
        model = MLP(sizes, seed=0)
        elapsed = best_ms(renderer(lambda m=model: NetworkDiagram(m, height=HEIGHT)))
        goal = (
            f"  (goal < {GOAL_MS[name]:.0f} ms: {'met' if elapsed < GOAL_MS[name] else 'MISSED'})"
            if name in GOAL_MS
            else ""
        )
        print(f"{name:>12}: {elapsed:7.2f} ms  = {elapsed / baseline:5.2f} x table{goal}")
    train_set, test_set = split(load_dataset("circle", seed=0), 0.2, seed=0)
    model = MLP([2, 8, 8, 1], "tanh", seed=0)
    train(model, train_set.X, train_set.y, epochs=300, learning_rate=0.05)  # a mid-training frame
    frame = renderer(
        lambda: DecisionBoundary(model, train_set, test_set, title="Decision boundary"), BOUNDARY_WIDTH, BOUNDARY_HEIGHT
    )
    report(f"boundary {BOUNDARY_WIDTH}x{BOUNDARY_HEIGHT} (circle, 2-8-8-1)", best_ms(frame), baseline, "boundary")
    digits = MLP([64, 128, 10], seed=0)
    frame = renderer(lambda: WeightImages(digits, (8, 8), focus=3), IMAGES_WIDTH, IMAGES_HEIGHT)
    report(f"weight images {IMAGES_WIDTH}x{IMAGES_HEIGHT} (64-128-10)", best_ms(frame), baseline, "images")


def report(what: str, elapsed: float, baseline: float, goal_name: str) -> None:
    goal = GOAL_MS[goal_name]
    print(
        f"{what}: {elapsed:7.2f} ms  = {elapsed / baseline:5.2f} x table"
        f"  (goal < {goal:.0f} ms: {'met' if elapsed < goal else 'MISSED'})"
    )


if __name__ == "__main__":
    main()
