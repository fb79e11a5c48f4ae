"""The app: composes the panels, binds the keys and holds the state the panels follow.

State lives in reactive attributes (``var``: they repaint nothing themselves) that the
panels are bound to (``data_bind``):
``before`` and ``after_model`` (the networks), ``losses``, ``data`` (what the
points and node details come from), ``focused_node``, ``sample`` (the chosen training
sample), ``status`` and ``show_boundary``. Handlers only set them; no panel is repainted by hand.
Training runs in ``live``, files in ``files``, the loaded network in ``session``.
``replay`` is a cursor through the run's checkpoints (``replay``): while it is
on one, After, the node details, the boundary and the status line show that
checkpoint, and reports of training only extend the chart.

The first frame needs only Textual and the widgets: the data the panels preview
(NumPy, the engine) and the loss chart's plot (plotext) come just after it, the
renderers with the first network.
"""

from __future__ import annotations

import gc
import sys
import time
from collections.abc import Callable, Iterable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import events, on
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.reactive import var
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Header, Select, Static

from tui_mlp.core.errors import DataError, ParamsError
from tui_mlp.core.specs import Settings

from . import replay as cursor
from .ascii import AsciiCapableApp
from .commands import MLPCommands, with_screenshot
from .files import Files
from .keys import APP_KEYS, BACKPROP_KEYS, REPLAY_KEYS
from .messages import ChainRule, NodeBlurred, NodeFocused, TrainingReport, TrainRequested
from .screens.help import HelpScreen
from .screens.runs import Choice, RunsScreen
from .session import Session, loaded_note
from .signals import ExitGuard
from .widgets.boundary_view import BoundaryView
from .widgets.controls import ControlBar
from .widgets.loss_chart import LossChart
from .widgets.network_view import AFTER_TITLE, BEFORE_TITLE, NetworkView
from .widgets.node_details import NodeDetails, samples_drawn
from .widgets.panels import Panels
from .widgets.status import RunStatus, StatusLine

if TYPE_CHECKING:
    import numpy as np
    from rich.console import RenderableType

    from tui_mlp.core import MLP
    from tui_mlp.core.datasets import Dataset
    from tui_mlp.core.run import Loaded

    from .live import LiveRun, LiveTraining, Shown

MIN_WIDTH, MIN_HEIGHT = 60, 20
START_TEXT = "Press Enter or Train to build a network and train it."
NO_PICTURE = "The boundary panel needs data with 2 inputs, or 1 input and 1 numeric target."
TOO_SMALL = f"The terminal is too small for tui-mlp.\nPlease make it at least {MIN_WIDTH}×{MIN_HEIGHT}."


class MLPApp(AsciiCapableApp):
    """Build a small MLP, train it in a worker thread and watch it learn."""

    TITLE = "tui-mlp"
    SUB_TITLE = "train a small neural network"
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {MLPCommands}
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [
        (0, "-too-narrow"),
        (MIN_WIDTH, "-narrow"),
        (100, "-wide"),
        (140, "-very-wide"),
    ]
    VERTICAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-too-short"), (MIN_HEIGHT, "-short"), (32, "-tall")]
    BINDINGS: ClassVar[list[BindingType]] = APP_KEYS + REPLAY_KEYS

    run_state: var[LiveRun | None] = var(None, init=False)
    before: var[MLP | None] = var(None, init=False)
    after_model: var[MLP | None] = var(None, init=False)
    losses: var[np.ndarray | tuple[()]] = var((), always_update=True, init=False)  # (): none yet
    data: var[tuple[Dataset, Dataset | None] | None] = var(None, always_update=True, init=False)
    focused_node: var[tuple[str, int, int] | None] = var(None, init=False)
    sample: var[int] = var(0, init=False)  # the chosen training sample (from 0): Node pane and backprop view
    equations: var[RenderableType | None] = var(None, init=False)  # the backprop view's neuron, worked out
    status: var[RunStatus | str] = var(START_TEXT, init=False)
    show_boundary: var[bool | None] = var(None, init=False)  # None: shown from 100 columns
    paused: var[bool] = var(False, bindings=True, init=False)  # the footer offers Resume instead of Pause
    replay: var[int | None] = var(None, init=False)  # the checkpoint After shows; None: live
    replay_epoch: var[int | None] = var(None, init=False)  # its epoch, marked in the chart
    after_title: var[str] = var(AFTER_TITLE, init=False)
    test_curve: var[tuple[list[int], list[float]] | None] = var(None, init=False)  # test loss at the checkpoints
    playing: var[bool] = var(False, init=False)
    speed: var[int] = var(cursor.DEFAULT_SPEED, init=False)  # checkpoints a second while playing
    overlay: var[frozenset[int]] = var(frozenset(), init=False)  # runs (by number) drawn in the chart too
    others: var[tuple[tuple[str, np.ndarray], ...]] = var((), init=False)  # their labelled loss curves
    compare: var[int | None] = var(None, init=False)  # the run Before shows (A), After being the current (B)
    difference: var[bool] = var(False, init=False)  # while comparing: After shows B − A
    difference_model: var[tuple[MLP, str] | None] = var(None, init=False)  # that network and its title
    before_title: var[str] = var(BEFORE_TITLE, init=False)

    def __init__(
        self,
        settings: Settings | None = None,
        loaded: Loaded | None = None,
        *,
        ascii: bool = False,
        files: Path | None = None,
        replayed: LiveRun | None = None,
    ) -> None:
        """``settings`` fill the fields; ``loaded`` is where Train starts; with ``files`` (a
        served app), every path typed for save, load and export must lie inside that folder;
        ``replayed``: a run read from a history file, shown ended, ready to replay."""
        super().__init__()
        self.settings = settings or Settings()
        self.session = Session(loaded)
        self.ascii = ascii
        self.files = Files(self, files)
        self._frozen_renderers = False  # see _freeze
        self.timing = True  # False hides elapsed time and speed (deterministic snapshots)
        self.exit_guard = ExitGuard(self, self._cancel_run)  # SIGTERM/SIGHUP/SIGINT end the app, always
        self._live: Shown | None = None  # what the latest report showed (a replay goes back to it)
        self._player: Timer | None = None
        self._replayed = replayed

    def compose(self) -> ComposeResult:
        self._size_classes()
        yield Header()
        yield ControlBar(self.settings)
        with Vertical(id="main"):
            panels = Panels(ascii=self.ascii, id="panels")
            yield panels.data_bind(
                MLPApp.before,
                MLPApp.data,
                MLPApp.show_boundary,
                MLPApp.sample,
                after=MLPApp.after_model,
                focused=MLPApp.focused_node,
                run=MLPApp.run_state,
                after_title=MLPApp.after_title,
                before_title=MLPApp.before_title,
                difference=MLPApp.difference_model,
            )
            with Horizontal(id="bottom"):
                chart = LossChart(ascii=self.ascii, id="loss")
                yield chart.data_bind(MLPApp.losses, MLPApp.others, test=MLPApp.test_curve, at=MLPApp.replay_epoch)
                yield NodeDetails(id="details").data_bind(
                    MLPApp.before,
                    MLPApp.data,
                    MLPApp.equations,
                    MLPApp.after_title,
                    MLPApp.before_title,
                    MLPApp.sample,
                    after=MLPApp.after_model,
                    focused=MLPApp.focused_node,
                )
            yield StatusLine(id="status", timing=self.timing).data_bind(MLPApp.status)
        yield Static(TOO_SMALL, id="too-small")
        yield Footer()

    def _size_classes(self) -> None:
        """Give the screen its breakpoints' classes before the widgets are first styled:
        Textual adds them on the screen's first Resize, after the first frame, and then
        restyles and lays out every widget again."""
        classes = {name: False for _, name in self.HORIZONTAL_BREAKPOINTS + self.VERTICAL_BREAKPOINTS}
        for length, breakpoints in (
            (self.size.width, self.HORIZONTAL_BREAKPOINTS),
            (self.size.height, self.VERTICAL_BREAKPOINTS),
        ):
            classes[max(point for point in breakpoints if length >= point[0])[1]] = True
        self.screen.update_classes(classes)

    async def on_mount(self) -> None:
        """Show the loaded network, or, once the first frame is on screen, preview the data the
        dataset field names (this loads NumPy). The app takes keys after that, as if the data
        had been there from the start."""
        self.exit_guard.install()
        self.query_one("#hidden").focus()
        if self._replayed is not None:
            self._show_ended(self._replayed)
        elif self.session.loaded is not None:
            self.open(self.session.loaded)  # (NumPy is loaded: the network is in memory)
        else:
            await self.screen.wait_for_refresh()
            self._preview()
        self.call_after_refresh(self._freeze)

    def _freeze(self) -> None:
        """The modules and widgets live as long as the app: keep them out of the cyclic garbage
        collector's full passes, which otherwise stall a key press for 50+ ms. At start, and
        once more after the first network is drawn, with the renderers it loaded."""
        gc.freeze()
        self._frozen_renderers = "tui_mlp.render.network" in sys.modules

    @cached_property
    def live(self) -> LiveTraining:
        """The training worker's control; its module loads the engine, on first use."""
        from .live import LiveTraining

        return LiveTraining(self, lambda: all(view.painted for view in self.query(NetworkView)))

    def on_unmount(self) -> None:
        self._cancel_run()  # however the app ends, a waiting or training worker stops
        self.exit_guard.uninstall()
        gc.unfreeze()  # what the app leaves behind is collected again

    # --- training -----------------------------------------------------------------

    @property
    def training(self) -> bool:
        """Whether a run is in progress (possibly paused)."""
        return self.run_state is not None and self.run_state.in_progress

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key):
            if self.exit_guard.exiting:
                return  # keys still queued when an exit signal came: the exit goes first
            if self.training and self.run_state is not None:
                self.live.key_pressed(self.run_state)  # answering a key goes before training
        await super().on_event(event)

    def on_train_requested(self, message: TrainRequested) -> None:
        if self.exit_guard.exiting:
            return
        cpu = time.thread_time()
        self._cancel_run()
        try:
            run = self.session.new_run(message.settings)
        except (ValueError, DataError, ParamsError) as error:
            self.notify(str(error), title="Cannot train", severity="error")
            return
        self._current(run)
        self.before, self.after_model, self.losses = run.before, run.before.copy(), ()
        self.data = run.train, run.test
        self.status = RunStatus(run.origin, run.training.epochs)
        if message.paused:
            run.control.pause()
            self.status = RunStatus(run.origin, run.training.epochs, "paused before epoch 1 (s steps)")
        self.live.start(run, cpu)  # the worker starts training once the new run is on screen
        if not self._frozen_renderers:
            self.call_after_refresh(self._freeze)

    @on(TrainingReport)
    def _report(self, message: TrainingReport) -> None:
        if (shown := self.live.report(message, self.run_state)) is not None:
            assert self.run_state is not None
            self._live, self.losses, self.test_curve = shown, shown.losses, self.run_state.test_curve()
            if self.replay is None:
                self.after_model, self.status = shown.model, shown.status
                self._pair()

    def _show_ended(self, run: LiveRun) -> None:
        """Show ``run``, which has ended (read from a history file), as the current run."""
        from .live import ended

        self._current(self.session.add(run))
        self._live = ended(run, run.model.parameters())
        self.before, self.data, self.test_curve = run.before, (run.train, run.test), run.test_curve()
        self.after_model, self.losses, self.status = self._live.model, self._live.losses, self._live.status

    def _current(self, run: LiveRun | None) -> None:
        """``run`` is now the current run (None: none), live, with no checkpoint tested yet."""
        self.run_state, self._live, self.playing, self.replay, self.test_curve = run, None, False, None, None
        self.compare, self.difference, self.before_title = None, False, BEFORE_TITLE
        self.watch_overlay()

    def _cancel_run(self) -> None:
        if self.run_state is not None:
            self.run_state.cancel()

    def action_cancel(self) -> None:
        """Close the Keys panel (from the command palette) if it is open, else cancel the run;
        its finished message reports "cancelled"."""
        if self.screen.query("HelpPanel"):  # by name: its module imports Markdown (20 ms at start)
            self.action_hide_help_panel()
            return
        self.status = self.live.cancel(self.run_state, self.status)

    def action_pause(self) -> None:
        """Pause a running run, or resume a paused one."""
        self.status = self.live.toggle_pause(self.run_state, self.status)

    action_resume = action_pause  # the same key, offered as what it does while paused

    def action_step(self) -> None:
        """One epoch of the run in progress, then a pause; without one, a new run from the
        fields, paused before its first epoch (the backprop view shows that step)."""
        if self.training and self.run_state is not None:
            self.status = self.live.step(self.run_state, self.status)
        else:
            self.query_one(ControlBar).submit(paused=True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Space is Pause while training runs, Resume while it is paused; ``]`` and ``[`` choose a
        sample where one is shown: images in the Node pane, or the backprop view."""
        if action in ("pause", "resume"):
            return self.paused == (action == "resume")
        if action == "sample":
            return self.data is not None and (samples_drawn(self.data[0]) or self.query_one(Panels).backprop)
        return True

    def watch_status(self) -> None:  # the footer's Pause/Resume follows once a key's effect is painted
        self.call_after_refresh(lambda: setattr(self, "paused", self.live.paused(self.run_state)))

    async def action_quit(self) -> None:
        self._cancel_run()
        self.exit()

    # --- what the panels show -------------------------------------------------------

    def open(self, loaded: Loaded) -> None:
        """Show the ``loaded`` network; the next Train starts from it."""
        self._cancel_run()
        self.session.loaded = loaded
        self._current(None)
        self.query_one(ControlBar).show_loaded(loaded)
        self.before, self.after_model, self.losses = loaded.model, loaded.model.copy(), ()
        self._preview()
        self.status = loaded_note(loaded)

    def _preview(self) -> None:
        """Before a run exists, the panels show the data the dataset field names."""
        self.data = self.session.preview(self.query_one(ControlBar).data_spec())

    @on(Select.Changed, "#dataset")
    def _dataset_changed(self) -> None:
        if self.run_state is None:
            self._preview()

    def on_node_focused(self, message: NodeFocused) -> None:
        self.focused_node = (message.panel_id, message.layer, message.index)

    def on_chain_rule(self, message: ChainRule) -> None:
        self.equations = message.equations

    def on_node_blurred(self, message: NodeBlurred) -> None:
        if self.focused_node is not None and self.focused_node[0] == message.panel_id:
            self.focused_node = None

    # --- keys -----------------------------------------------------------------------

    def action_sample(self, by: int) -> None:
        """The training sample ``by`` after (before, if negative) the chosen one, round the end."""
        if self.data is not None:
            count = len(self.data[0].X)
            self.sample = (min(self.sample, count - 1) + by) % count

    def watch_data(self) -> None:
        self.refresh_bindings()  # (whether ``]`` and ``[`` show a sample)

    def action_toggle_table(self) -> None:
        self.query_one(Panels).toggle_tables()

    def action_backprop(self) -> None:
        """Show or hide the backprop view (in place of Before and the boundary; hidden, Textual
        moves its focus on to the Before panel)."""
        panels = self.query_one(Panels)
        panels.backprop = not panels.backprop
        self.refresh_bindings()

    def action_toggle_boundary(self) -> None:
        """Show or hide the decision-boundary panel (2-D data, or a fitted curve on 1-D regression)."""
        if not self.query_one(Panels).pictured:
            self.notify(NO_PICTURE, severity="warning")
            return
        self.show_boundary = not self.query_one(BoundaryView).display

    def action_toggle_log(self) -> None:
        chart = self.query_one(LossChart)
        chart.log = not chart.log

    def action_help(self) -> None:
        sections = [("Training and views", APP_KEYS), ("Replay", REPLAY_KEYS)]
        sections += [("In a network panel", NetworkView.BINDINGS), ("In the backprop view (g)", BACKPROP_KEYS)]
        self.push_screen(HelpScreen(sections))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Textual's palette commands, its Screenshot saving where ctrl+s does."""
        return with_screenshot(self, super().get_system_commands(screen), self.files.screenshot)

    def action_snapshot(self) -> None:
        """Write a text snapshot to a timestamped file in the working (or files) folder."""
        self.files.snapshot()

    # --- replay ---------------------------------------------------------------------

    def _checkpoints(self) -> list[int]:
        """The epochs of the current run's checkpoints so far (none before it trains)."""
        history = self.run_state.history if self.run_state is not None else None
        return history.kept() if history is not None else []

    def _move_replay(self, to: Callable[[list[int], int | None, int], int | None]) -> None:
        """Move the replay cursor where ``to`` (checkpoint epochs, cursor, live epoch) says."""
        if not (epochs := self._checkpoints()):
            self.notify("Train first: a run keeps checkpoints to replay as it trains.", severity="warning")
            return
        self.replay = to(epochs, self.replay, len(self.losses))

    def action_replay(self, by: int) -> None:
        self._move_replay(lambda epochs, at, live: cursor.step(epochs, at, by, live))

    def action_replay_jump(self, direction: int) -> None:
        span = self.run_state.training.epochs if self.run_state is not None else 0
        self._move_replay(lambda epochs, at, live: cursor.jump(epochs, at, direction * cursor.JUMP * span, live))

    def action_replay_first(self) -> None:
        self._move_replay(lambda epochs, at, live: cursor.step(epochs, 0, 0, live))

    def action_replay_live(self) -> None:
        self.playing, self.replay = False, None

    def action_play(self) -> None:
        """Play the checkpoints from the start (or from the cursor), or stop playing."""
        if self.playing:
            self.playing = False
        elif self._checkpoints():
            self.replay = 0 if self.replay is None else self.replay
            self.playing = True
        else:
            self._move_replay(lambda epochs, at, live: at)  # says why not

    def action_play_speed(self, by: int) -> None:
        self.speed = cursor.faster(self.speed, by)
        self.notify(f"Replay at {self.speed} checkpoints a second", timeout=1.5)

    def _play_tick(self) -> None:
        self.replay = cursor.step(self._checkpoints(), self.replay, 1, len(self.losses))
        if self.replay is None:  # caught up with live
            self.playing = False

    def watch_playing(self, playing: bool) -> None:
        self._restart_player(playing)

    def watch_speed(self) -> None:
        self._restart_player(self.playing)

    def _restart_player(self, playing: bool) -> None:
        if self._player is not None:
            self._player.stop()
            self._player = None
        if playing:
            self._player = self.set_interval(1 / self.speed, self._play_tick)

    def watch_replay(self, index: int | None) -> None:
        """After, the node details, the boundary and the status show checkpoint ``index``, or live."""
        run = self.run_state
        if index is None or run is None:
            self.after_title, self.replay_epoch = AFTER_TITLE, None
            if self._live is not None:
                self.after_model, self.status = self._live.model, self._live.status
        else:
            from .live import at_checkpoint

            shown = at_checkpoint(run, index, self.losses)
            self.after_title = f"After epoch {shown.status.epoch:,} (replay)"  # first: the panels below name it
            self.after_model, self.status, self.replay_epoch = shown.model, shown.status, shown.status.epoch
        self._pair()

    # --- runs of the session ----------------------------------------------------------

    def action_runs(self) -> None:
        """The Runs screen: every run of the session."""

        def overlaid(numbers: frozenset[int]) -> None:
            self.overlay = numbers

        runs = RunsScreen(
            self.session.runs, self.run_state, self.overlay, overlaid, ascii=self.ascii, timing=self.timing
        )
        self.push_screen(runs, self._chosen_run)

    def _numbered(self, number: int | None) -> LiveRun | None:
        runs = self.session.runs
        return runs[number - 1] if number is not None and 0 < number <= len(runs) else None

    def _chosen_run(self, choice: Choice | None) -> None:
        """Train a chosen run again (its settings into the fields) or compare it with the current one."""
        if choice is None or (run := self._numbered(choice.number)) is None:
            return
        if choice.action == "rerun":
            self.query_one(ControlBar).fill(Settings(run.training, run.data, run.seed))
            self.notify(f"Run {run.number}'s settings and seed are in the fields: Enter trains them again.")
        elif run is self.run_state:
            self.compare = None
        elif self.run_state is None or (run.train.n_inputs, run.train.n_outputs) != (
            self.run_state.train.n_inputs,
            self.run_state.train.n_outputs,
        ):
            self.notify("Compare runs on data of the same shape (inputs and outputs).", severity="warning")
        else:
            self.compare = run.number

    def watch_overlay(self) -> None:
        """The chart draws the overlaid runs' losses beside the current run's."""
        shown = [self._numbered(number) for number in sorted(self.overlay)]
        self.others = tuple(
            (f"run {run.number}", run.result.losses)
            for run in shown
            if run is not None and run is not self.run_state and run.result is not None
        )

    def watch_compare(self) -> None:
        self.watch_replay(self.replay)

    def watch_difference(self) -> None:
        self.watch_replay(self.replay)

    def action_difference(self) -> None:
        if self.compare is None:
            self.notify("d shows B − A while two runs are compared (F5, then c).", severity="warning")
        else:
            self.difference = not self.difference

    def _pair(self) -> None:
        """While comparing: Before shows run A at the checkpoint nearest After's epoch, and After
        run B, or with ``difference`` B − A (networks of the same shape); else Before is the start."""
        run, other = self.run_state, self._numbered(self.compare)
        self.difference_model = None
        if run is None or other is None or self.after_model is None:
            if self.before_title != BEFORE_TITLE and run is not None:
                self.before, self.before_title = run.before, BEFORE_TITLE
            return
        epoch = self.replay_epoch if self.replay_epoch is not None else len(self.losses)
        a, at = other.at_epoch(epoch)
        self.before_title = f"Run {other.number} (A) · epoch {at:,}"
        self.before = a
        self.after_title = f"Run {run.number} (B) · epoch {epoch:,}"
        if self.difference and a.layer_sizes == self.after_model.layer_sizes:
            difference = run.with_parameters(self.after_model.parameters() - a.parameters())
            self.difference_model = difference, f"Run {run.number} − run {other.number} · epoch {epoch:,}"
