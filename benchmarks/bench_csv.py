"""Memory and time of loading a CSV table (``csvdata.load_csv``), as ratios to the file's size.

For tables near the limits (~50 MB), each load in a fresh subprocess: the peak
RSS above the process's baseline, tracemalloc's peak (it does not see the
anonymous memory maps the text is read from), and the seconds taken. Goal: the
peak under 5× the file; a file of one-digit numbers becomes an array of 4× its
size by itself.

Run: .venv/bin/python benchmarks/bench_csv.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

TABLES = {  # name: (rows, feature columns, the text of every feature cell)
    "numeric 100,000 × 60": (100_000, 59, "0.12345"),
    "wide 25,000 × 1,000, one digit": (25_000, 999, "7"),
    "wide 6,000 × 1,000, six digits": (6_000, 999, "0.1234"),
}

CHILD = """
import resource, sys, time, tracemalloc
from tui_mlp.core.csvdata import load_csv
path, mode = sys.argv[1:]
if mode == "trace":
    tracemalloc.start()
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
start = time.perf_counter()
load_csv(path, ["label"])
seconds = time.perf_counter() - start
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - base
print(tracemalloc.get_traced_memory()[1] if mode == "trace" else rss, seconds)
"""


def write_table(path: Path, rows: int, columns: int, cell: str) -> None:
    """A table of ``rows`` alike rows (two classes, alternating) under a header,
    written a row at a time: the child's peak RSS starts from this process's
    (Linux keeps it across exec), so this one must stay small."""
    body = ",".join([cell] * columns)
    with path.open("w") as file:
        file.write(",".join(f"x{j}" for j in range(columns)) + ",label\n")
        for k in range(rows):
            file.write(f"{body},{'ab'[k % 2]}\n")


def measure(path: Path, mode: str) -> tuple[int, float]:
    """(peak bytes, seconds) of loading ``path`` in a fresh Python."""
    out = subprocess.run([sys.executable, "-c", CHILD, str(path), mode], capture_output=True, text=True, check=True)
    peak, seconds = out.stdout.split()
    return int(peak), float(seconds)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        for name, shape in TABLES.items():
            path = Path(folder) / "table.csv"
            write_table(path, *shape)
            size = path.stat().st_size
            rss, seconds = measure(path, "rss")
            traced, _ = measure(path, "trace")
            print(
                f"{name:32} {size / 1e6:5.1f} MB  RSS {rss / size:4.2f}×  "
                f"tracemalloc {traced / size:4.2f}×  {seconds:5.2f} s"
            )


if __name__ == "__main__":
    main()
