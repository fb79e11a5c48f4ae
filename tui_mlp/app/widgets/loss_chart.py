"""The live loss chart: a plotext plot of the loss per epoch."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.reactive import reactive, var
from textual.widget import Widget

if TYPE_CHECKING:
    import numpy as np
    from textual_plotext import Plot, PlotextPlot


class LossChart(Widget):
    """The ``losses`` so far, one per epoch, and the ``test`` losses at the checkpoints;
    ``at``: a replayed checkpoint's epoch, marked; ``log`` switches the scale; ``ascii`` plots
    ``*`` points rather than braille dots. The plot (plotext, NumPy) is mounted inside
    the panel once the first frame is on screen."""

    losses: var[np.ndarray | tuple[()]] = var((), always_update=True)  # (): none yet
    test: var[tuple[list[int], list[float]] | None] = var(None)
    others: var[tuple[tuple[str, np.ndarray], ...]] = var(())  # other runs' losses, labelled
    at: var[int | None] = var(None)
    log: reactive[bool] = reactive(False)

    def __init__(self, *, ascii: bool = False, id: str) -> None:
        super().__init__(id=id)
        self.marker = "*" if ascii else "braille"
        self.border_title = "Loss"
        self._plot: PlotextPlot | None = None

    def on_mount(self) -> None:
        self.call_after_refresh(self._mount_plot)

    async def _mount_plot(self) -> None:
        if not self.is_attached:
            return  # the app ended first
        from textual_plotext import PlotextPlot

        self._plot = PlotextPlot()
        await self.mount(self._plot)
        self.replot()

    @property
    def plt(self) -> Plot:
        """The plotext figure (once mounted)."""
        assert self._plot is not None, "the plot is mounted after the first frame"
        return self._plot.plt

    def replot(self) -> None:
        if self._plot is None:
            return  # not yet mounted: _mount_plot plots
        from tui_mlp.render.chart import plot_losses

        self.plt.clear_figure()
        size = (self.content_size.width, self.content_size.height)
        shown = dict(test=self.test, at=self.at, others=self.others)
        plot_losses(self.plt, self.losses, log=self.log, marker=self.marker, size=size, **shown)
        self._plot.refresh()

    def watch_losses(self) -> None:
        self.replot()

    def watch_log(self) -> None:
        self.replot()

    def watch_test(self) -> None:
        self.replot()

    def watch_at(self) -> None:
        self.replot()

    def watch_others(self) -> None:
        self.replot()

    def on_resize(self) -> None:
        self.replot()
