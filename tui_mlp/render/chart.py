"""The loss chart: loss per epoch drawn by plotext, for the app and as plain text."""

from __future__ import annotations

from typing import Any

import numpy as np
import plotext

MAX_POINTS = 2000  # points handed to plotext; longer histories keep their min/max envelope
NO_TRAINING = "no training yet: the loss chart appears once training starts"
_FRAME_TO_ASCII = str.maketrans("┌┐└┘─│┤├┬┴┼", "++++-||++++")


def plot_points(losses: np.ndarray, *, log: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """(epochs, losses) to draw: epochs count from 1; non-finite (and, on a log scale,
    non-positive) values are skipped; long histories are downsampled to the first,
    the last and each stretch's minimum and maximum, never truncated."""
    values = np.asarray(losses, dtype=np.float64).ravel()
    epochs = np.arange(1, values.size + 1)
    keep = np.isfinite(values) & ((values > 0) if log else True)
    epochs, values = epochs[keep], values[keep]
    if values.size > MAX_POINTS:
        buckets = np.array_split(np.arange(values.size), MAX_POINTS // 2)
        picks = {0, values.size - 1}
        for bucket in buckets:
            stretch = values[bucket]
            picks.update((int(bucket[np.argmin(stretch)]), int(bucket[np.argmax(stretch)])))
        index = np.array(sorted(picks))
        epochs, values = epochs[index], values[index]
    return epochs, values


def plot_losses(plt: Any, losses: np.ndarray, *, log: bool = False, marker: str = "braille") -> None:
    """Configure ``plt`` (the plotext module, or a textual-plotext ``PlotextPlot.plt``)
    to draw loss per epoch; size and theme are left to the caller."""
    plt.clear_data()
    epochs, values = plot_points(losses, log=log)
    plt.xlabel("epoch")
    plt.ylabel("loss (log scale)" if log else "loss")
    plt.yscale("log" if log else "linear")
    if not values.size:
        plt.title(NO_TRAINING)
        return
    plt.title(f"loss per epoch: last {values[-1]:.6f}, lowest {values.min():.6f}")
    plt.plot(epochs.tolist(), values.tolist(), marker=marker)
    last = int(epochs[-1])
    ticks = sorted({int(t) for t in np.linspace(int(epochs[0]), last, 5).round()})
    plt.xticks(ticks, [f"{t:,}" for t in ticks])


def loss_chart_text(
    losses: np.ndarray, width: int, height: int, *, log: bool = False, color: bool = False, ascii: bool = False
) -> str:
    """The loss chart as ``width`` × ``height`` text (ANSI colours only with ``color``,
    7-bit characters only with ``ascii``); a clear message before any training."""
    if not np.isfinite(np.asarray(losses, dtype=np.float64)).any():
        return NO_TRAINING[:width]
    plotext.clear_figure()
    plotext.theme("pro" if color else "clear")
    plotext.limit_size(False, False)
    plotext.plotsize(width, height)
    plot_losses(plotext, losses, log=log, marker="*" if ascii else "braille")
    text = plotext.build()
    plotext.clear_figure()
    if not color:
        text = plotext.uncolorize(text)
    if ascii:
        text = text.translate(_FRAME_TO_ASCII)
    return "\n".join(line.rstrip() for line in text.splitlines())
