"""The live loss chart: a plotext plot of the loss per epoch."""

from __future__ import annotations

import numpy as np
from textual.reactive import reactive, var
from textual_plotext import PlotextPlot

from tui_mlp.render.chart import plot_losses


class LossChart(PlotextPlot):
    """The ``losses`` so far, one per epoch; ``log`` switches the scale; ``ascii`` plots
    ``*`` points rather than braille dots."""

    losses: var[np.ndarray] = var(np.empty(0), always_update=True)
    log: reactive[bool] = reactive(False)

    def __init__(self, *, ascii: bool = False, id: str) -> None:
        super().__init__(id=id)
        self.marker = "*" if ascii else "braille"
        self.border_title = "Loss"

    def replot(self) -> None:
        self.plt.clear_figure()
        size = (self.content_size.width, self.content_size.height)
        plot_losses(self.plt, self.losses, log=self.log, marker=self.marker, size=size)
        self.refresh()

    def watch_losses(self) -> None:
        self.replot()

    def watch_log(self) -> None:
        self.replot()

    def on_resize(self) -> None:
        self.replot()
