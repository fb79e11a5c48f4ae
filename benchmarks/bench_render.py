"""Render time of NetworkDiagram at 160x50, against Rich rendering a plain table.

The baseline is a ``rich.table.Table`` covering the same 160x50 screen cells
(50 rows of 16 ten-column cells), rendered by the same Console in the same
run, so the ratio says how the diagram compares with Rich's ordinary work on
this machine. Goal: 784-256-10 under 100 ms.

    .venv/bin/python benchmarks/bench_render.py
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable

from rich.console import Console, RenderableType
from rich.table import Table

from tui_mlp.core import MLP
from tui_mlp.render.network import NetworkDiagram

WIDTH, HEIGHT = 160, 50
NETWORKS = ([4, 5, 2], [64, 128, 10], [784, 256, 10])
GOAL_MS = {"784-256-10": 100.0}


def best_ms(render: Callable[[], object], repeats: int = 15) -> float:
    """Fastest of ``repeats`` runs, in milliseconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        render()
        times.append(time.perf_counter() - start)
    return 1000 * min(times)


def renderer(renderable_factory: Callable[[], RenderableType]) -> Callable[[], object]:
    console = Console(file=io.StringIO(), width=WIDTH, height=HEIGHT, color_system="truecolor", force_terminal=True)

    def render() -> object:
        return console.render_lines(renderable_factory(), console.options.update(width=WIDTH, height=HEIGHT))

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


if __name__ == "__main__":
    main()
