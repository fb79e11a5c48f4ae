"""The loss chart: loss per epoch drawn by plotext, for the app and as plain text."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from tui_mlp.core.metrics import format_loss

from .ascii import to_ascii
from .text import fitting

MAX_POINTS = 2000  # points handed to plotext; longer histories keep their min/max envelope
POINTS_PER_COLUMN = 4  # a column holds 2 braille dots across, each a stretch's min and max: more draws nothing
NO_TRAINING = "no training yet: the loss chart appears once training starts"


def plot_points(losses: np.ndarray, *, log: bool = False, most: int = MAX_POINTS) -> tuple[np.ndarray, np.ndarray]:
    """(epochs, losses) to draw: epochs count from 1; non-finite (and, on a log scale,
    non-positive) values are skipped; histories longer than ``most`` are downsampled to the
    first, the last and each stretch's minimum and maximum, never truncated."""
    values = np.asarray(losses, dtype=np.float64).ravel()
    epochs, values = _drawable(np.arange(1, values.size + 1), values, log=log)
    if values.size > most:
        index = _envelope(values, most // 2)
        epochs, values = epochs[index], values[index]
    return epochs, values


def _envelope(values: np.ndarray, buckets: int) -> np.ndarray:
    """Sorted indices of the first and last value and of each stretch's minimum and
    maximum, the stretches as ``np.array_split(..., buckets)`` cuts them (the
    first occurrence of a tie, as ``argmin``/``argmax`` pick it)."""
    size = values.size
    short, long = divmod(size, buckets)  # `long` stretches of short + 1 values, then the rest of short
    picks = [np.array([0, size - 1])]
    for start, count, length in ((0, long, short + 1), (long * (short + 1), buckets - long, short)):
        if count and length:
            block = values[start : start + count * length].reshape(count, length)
            offsets = start + np.arange(count) * length
            picks += [offsets + block.argmin(axis=1), offsets + block.argmax(axis=1)]
    return np.unique(np.concatenate(picks))


def y_ticks(
    values: np.ndarray, *, log: bool = False, count: int = 5
) -> tuple[list[float], list[str], tuple[float, float]]:
    """``count`` y ticks spanning ``values`` (evenly, or geometrically on a log
    scale), their labels, and the y limits. Labels are short and distinct at any
    magnitude (``0.52``, ``1.5e-09``), so they never crowd the plot out of its width."""
    low, high = float(values.min()), float(values.max())
    if not high > low:  # one value: a band around it
        low, high = (low / 2, high * 2) if log or low > 0 else (low - 0.5, high + 0.5)
        if not log and low > 0:
            low = 0.0
    ticks = np.geomspace(low, high, count) if log else np.linspace(low, high, count)
    step = (high - low) / max(count - 1, 1)
    decimals = max(0, 1 - math.floor(math.log10(step))) if step > 0 else 2
    if not log and decimals <= 4 and max(abs(low), abs(high)) < 1e6:
        labels = [f"{t:.{decimals}f}" for t in ticks]
    else:
        digits = next((d for d in range(2, 7) if len({f"{t:.{d}g}" for t in ticks}) == len(ticks)), 6)
        labels = [f"{t:.{digits}g}" for t in ticks]
    return ticks.tolist(), labels, (low, high)


LABELLED_HEIGHT = 10  # below this many rows the chart gives its title, axis labels and top frame line to the plot


def plot_losses(
    plt: Any,
    losses: np.ndarray,
    *,
    log: bool = False,
    marker: str = "braille",
    size: tuple[int, int] | None = None,
    test: Curve | None = None,
    at: int | None = None,
    others: Sequence[tuple[str, np.ndarray]] = (),
) -> None:
    """Configure ``plt`` (the plotext module, or a textual-plotext ``PlotextPlot.plt``)
    to draw loss per epoch; theme is left to the caller. Given the chart's ``size``
    (width, height), a short chart gives its title and axis-label rows and its frame's
    top line (and right edge) to the plot, the title is shortened to fit, and y ticks
    stay at most one to a row. ``test``: (epochs, losses) of the test split at the
    checkpoints, drawn beside the training curve with a legend; ``at``: a checkpoint's
    epoch, marked by a vertical line (a replay); ``others``: other runs' losses, labelled,
    in colours of their own.

    The curves are drawn where the training loss of the same parameters is: the loss
    at x = k is that of the network after k − 1 epochs (the loss before epoch k's update)."""
    plt.clear_data()
    width, height = size or (None, None)
    most = MAX_POINTS if width is None else min(MAX_POINTS, POINTS_PER_COLUMN * max(width, 1))
    epochs, values = plot_points(losses, log=log, most=most)
    test_epochs, test_values = _test_points(test, log=log)
    labelled = height is None or height >= LABELLED_HEIGHT
    framed = labelled or not values.size  # the whole frame, but a short plot takes its top line (and right side)
    plt.xaxes(True, framed)
    plt.yaxes(True, framed)
    plt.xlabel("epoch" if labelled else "")
    plt.ylabel(("loss (log scale)" if log else "loss") if labelled else "")
    plt.yscale("log" if log and values.size else "linear")  # plotext cannot build an empty log-scale plot
    if not values.size:
        plt.title(_fitting((NO_TRAINING, "no training yet"), width))
        return
    if labelled:
        numbers = f"last {format_loss(values[-1])}, lowest {format_loss(values.min())}"
        plt.title(_fitting((f"loss per epoch: {numbers}", numbers), width))
    if test_values.size:  # points where measured, under the training curve: the two often meet
        dots = "." if marker == "*" else "·"  # a mark of its own in plain text too
        plt.scatter(test_epochs.tolist(), test_values.tolist(), marker=dots, label="test")
    labels = {"label": "this run" if others else "train"} if test_values.size or others else {}
    plt.plot(epochs.tolist(), values.tolist(), marker=marker, **labels)
    values = np.concatenate([values, test_values])  # the y axis spans both
    for label, losses_of_other in others:
        other_epochs, other_values = plot_points(losses_of_other, log=log, most=most)
        plt.plot(other_epochs.tolist(), other_values.tolist(), marker=marker, label=label)
        values = np.concatenate([values, other_values])
        epochs = np.concatenate([epochs, other_epochs[-1:]])  # the x axis spans the longest
    if at is not None:
        plt.vertical_line(at + 1)
    last = int(epochs.max())
    ticks = sorted({int(t) for t in np.linspace(int(epochs[0]), last, 5).round()})
    plt.xticks(ticks, [f"{t:,}" for t in ticks])
    rows = None if height is None else height - (5 if labelled else 2)  # frame, tick labels (title, axis labels)
    count = 5 if rows is None else min(max(rows, 1), 5)
    y_positions, y_labels, limits = y_ticks(values, log=log, count=count)
    if limits != (values.min(), values.max()):  # plotext spans the data by itself
        plt.ylim(*(np.log10(limits) if log else limits))
    plt.yticks(y_positions, y_labels)


Curve = tuple[list[int], list[float]]  # (epochs, losses) at a run's checkpoints


def _test_points(test: Curve | None, *, log: bool) -> tuple[np.ndarray, np.ndarray]:
    """Where the test ``curve`` is drawn (see ``plot_losses``), without the values a scale cannot show."""
    epochs, values = (np.asarray(part, dtype=np.float64) for part in (test or ([], [])))
    return _drawable(epochs + 1, values, log=log)


def _drawable(epochs: np.ndarray, values: np.ndarray, *, log: bool) -> tuple[np.ndarray, np.ndarray]:
    """The points a scale can show: finite values (on a log scale, positive ones)."""
    keep = np.isfinite(values) & ((values > 0) if log else True)
    return epochs[keep], values[keep]


def _fitting(titles: tuple[str, ...], width: int | None) -> str:
    """The first of ``titles`` that fits ``width``; none if none does (plotext
    would drop it and leave its row blank)."""
    return titles[0] if width is None else fitting((*titles, ""), width - 6)


def loss_chart_text(
    losses: np.ndarray,
    width: int,
    height: int,
    *,
    log: bool = False,
    color: bool = False,
    ascii: bool = False,
    test: Curve | None = None,
    at: int | None = None,
) -> str:
    """The loss chart as ``width`` × ``height`` text (ANSI colours only with ``color``,
    7-bit characters only with ``ascii``; ``test`` and ``at`` as ``plot_losses`` takes
    them); a clear message before any training."""
    if not np.isfinite(np.asarray(losses, dtype=np.float64)).any():
        return NO_TRAINING[:width]
    import plotext  # here: the app plots with textual-plotext's own figure

    plotext.clear_figure()
    plotext.theme("pro" if color else "clear")
    plotext.limit_size(False, False)
    plotext.plotsize(width, height)
    marker = "*" if ascii else "braille"
    plot_losses(plotext, losses, log=log, marker=marker, size=(width, height), test=test, at=at)
    text = plotext.build()
    plotext.clear_figure()
    if not color:
        text = plotext.uncolorize(text)
    if ascii:
        text = to_ascii(text)
    return "\n".join(line.rstrip() for line in text.splitlines())
