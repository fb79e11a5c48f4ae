"""The live loss chart: a plotext plot of the loss per epoch."""

from __future__ import annotations

import numpy as np
from textual.reactive import reactive
from textual_plotext import PlotextPlot

from tui_mlp.render.chart import plot_losses


class LossChart(PlotextPlot):
    """Loss per epoch, redrawn whenever ``show`` gets new losses; ``log`` switches the scale."""

    log: reactive[bool] = reactive(False)

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id)
        self.border_title = "Loss"
        self.losses = np.empty(0)

    def show(self, losses: np.ndarray) -> None:
        """Plot ``losses`` (one per epoch so far)."""
        self.losses = losses
        self.plt.clear_figure()
        plot_losses(self.plt, losses, log=self.log, size=(self.content_size.width, self.content_size.height))
        self.refresh()

    def watch_log(self) -> None:
        self.show(self.losses)

    def on_resize(self) -> None:
        self.show(self.losses)
