"""The backprop view: the step training takes next from the current network, phase by
phase, for one training sample or all of them (``render.backprop`` draws it)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.console import RenderableType
from rich.text import Text
from textual.binding import BindingType
from textual.reactive import reactive, var

from tui_mlp.render.text import fitting

from ..keys import BACKPROP_KEYS
from ..messages import ChainRule
from .network_view import NetworkView

if TYPE_CHECKING:
    from tui_mlp.core.run import Run
    from tui_mlp.core.trace import Trace

EMPTY = "s: build the network in the fields and show its first training step (Enter trains it all)."


class BackpropView(NetworkView):
    """``model`` (the run's network as far as it has trained) and the step ``run`` takes next
    from it: traced on training sample ``sample`` (or all of them), drawn at ``phase``. Its node
    cursor's neuron's equations go to the Node pane (a ``ChainRule`` message)."""

    BINDINGS: ClassVar[list[BindingType]] = BACKPROP_KEYS

    run: var[Run | None] = var(None, init=False)
    sample: reactive[int] = reactive(0)  # the app's chosen sample (``]``, ``[``)
    all_samples: reactive[bool] = reactive(False)  # ``a``: all samples at once instead
    phase: reactive[int] = reactive(0)
    update: reactive[bool] = reactive(False)

    def __init__(self, *, ascii: bool = False, id: str) -> None:
        super().__init__("Backprop", empty=EMPTY, ascii=ascii, id=id)
        self._traced: tuple[object, Trace] | None = None  # (what it traced, the trace)

    @property
    def chosen(self) -> int | None:
        """The training sample traced (None: all), within the run's samples (a new run may have fewer)."""
        if self.all_samples or self.run is None:
            return None
        return min(self.sample, len(self.run.train.X) - 1)

    def trace(self) -> Trace | None:
        """The next step from ``model`` on the chosen samples (None if there is no run of it)."""
        model, run = self.model, self.run
        if model is None or run is None or model.layer_sizes != run.before.layer_sizes:
            return None
        sample = self.chosen
        key = (self._version, sample)
        if self._traced is None or self._traced[0] != key:
            self._traced = key, run.next_step(model, sample)
        return self._traced[1]

    def watch_run(self) -> None:
        self._version += 1
        self.redraw()

    def _chosen(self) -> None:
        self.redraw()

    watch_all_samples = watch_phase = watch_update = _chosen

    def watch_sample(self) -> None:
        """Another sample chosen: that one, not all of them."""
        if self.all_samples:
            self.all_samples = False  # (which redraws)
        else:
            self.redraw()

    def _drawing(self) -> RenderableType:
        trace, model = self.trace(), self.model
        if trace is None or model is None:
            self.border_title = "Backprop"
            return Text(self._empty, style="dim")
        from tui_mlp.render.backprop import backprop_diagram, phases  # the renderers: once there is a network

        steps = phases(model)
        index = self.phase % len(steps)  # (a new network may have fewer layers)
        phase = steps[index]
        self.border_title = self._title(phase.describe(model), f"{index + 1}/{len(steps)}")
        focus = self.cursor if self.has_focus else self.node
        width, height = self._drawing_size()
        key = ("backprop", self._version, self.chosen, phase, self.update, focus, width, height)
        names = self.names
        return self._cache.drawing(
            key,
            lambda: backprop_diagram(
                model,
                trace,
                phase,
                update=self.update,
                title=self._caption(trace),
                focus=focus,
                ascii=self._ascii,
                width=width,
                height=height,
                names=names,
            ),
        )

    def _title(self, described: tuple[str, ...], step: str) -> str:
        """``Backprop · sample 2/4 · 3/8 backward: Output`` (``step``: ``3/8``), shortened to the panel's width."""
        samples = len(self.run.train.X) if self.run is not None else 0
        which = "all" if self.chosen is None else f"{self.chosen + 1}/{samples}"
        forms = [f"Backprop · sample {which} · {step} {text}" for text in described]
        forms += [f"{which} · {text}" for text in described]
        return fitting(forms, max(self.size.width - 4, 0))

    def _caption(self, trace: Trace) -> str:
        """The samples' inputs and targets and the loss: ``x 0 1 1 0 → y 1 0 · L 0.1234``."""
        from tui_mlp.render.backprop import num

        if len(trace.X) > 1:
            return f"all {len(trace.X)} samples, L {num(trace.loss)}"
        inputs = " ".join(num(v) for v in trace.X[0])
        targets = " ".join(num(v) for v in trace.y[0])
        return f"x {inputs} {'->' if self._ascii else '→'} y {targets}, L {num(trace.loss)}"

    def redraw(self) -> None:
        """Trace and draw the step, while the view is shown (hidden, it waits for ``on_show``)."""
        if not self.display:
            return
        super().redraw()
        trace = self.trace()
        if self.has_focus and trace is not None and self.model is not None:
            from tui_mlp.render.backprop import chain_rule

            layer, index = self.cursor
            self.post_message(
                ChainRule(chain_rule(self.model, trace, layer, index, names=self.names, ascii=self._ascii))
            )

    def on_show(self) -> None:
        self.redraw()

    def action_phase(self, by: int) -> None:
        if self.model is not None:
            from tui_mlp.render.backprop import phases

            self.phase = (self.phase + by) % len(phases(self.model))

    def action_all_samples(self) -> None:
        self.all_samples = not self.all_samples

    def action_toggle_update(self) -> None:
        self.update = not self.update
