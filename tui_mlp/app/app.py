"""The app: wires the control bar, the training worker, the panels and the exports."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

import numpy as np
from textual import events, on, work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Header, Select, Static

from tui_mlp.core import MLP, Progress
from tui_mlp.core.csvdata import DataError
from tui_mlp.core.datasets import DATASETS, Dataset
from tui_mlp.core.files import check_output_path, resolve_inside
from tui_mlp.core.optimizers import DEFAULT_MOMENTUM
from tui_mlp.core.params import ParamsError, check_fits, load_params, save_params, saved_scaling
from tui_mlp.core.problem import prepare_data
from tui_mlp.render.graph import node_label

from .commands import MLPCommands
from .exports import export_snapshot, timestamped
from .feed import CHECK_SECONDS
from .messages import NodeBlurred, NodeFocused, TrainingFinished, TrainingProgress, TrainRequested
from .run import Run, data_shape, evaluation_text, preview_data
from .screens.help import HelpScreen
from .screens.path_prompt import PathPrompt
from .signals import ExitGuard
from .widgets.boundary_view import BoundaryView
from .widgets.controls import CSV_PREFIX, ControlBar, Extras
from .widgets.loss_chart import LossChart
from .widgets.network_view import NetworkView
from .widgets.node_details import NodeDetails
from .widgets.status import RunStatus, StatusLine

MIN_WIDTH, MIN_HEIGHT = 60, 20
PAINT_TRIES = 8  # refreshes to wait for the panels to be painted before the worker goes on anyway


class MLPApp(App[None]):
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
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", tooltip="Cancel training; the partial result stays"),
        Binding("space", "pause", "Pause", tooltip="Pause or resume training (outside the text fields)"),
        Binding("w", "toggle_table", "Weights", tooltip="Switch the panels between graph and weight tables"),
        Binding("b", "toggle_boundary", "Boundary", tooltip="Show or hide the decision boundary (2-D data)"),
        Binding("l", "toggle_log", "Log loss", tooltip="Switch the loss chart between linear and log scale"),
        Binding("ctrl+s", "snapshot", "Snapshot", tooltip="Write before/after/loss to a timestamped .txt here"),
        Binding("f1,question_mark", "help", "Help", tooltip="Show every key"),
        Binding("ctrl+q", "quit", "Quit", tooltip="Quit tui-mlp", priority=True),
    ]

    def __init__(
        self,
        *,
        hidden: str = "5",
        epochs: int = 10_000,
        learning_rate: float = 0.1,
        activation: str = "sigmoid",
        dataset: str = "seed",
        seed: int | None = None,
        model: MLP | None = None,
        ascii: bool = False,
        optimizer: str = "gd",
        momentum: float = DEFAULT_MOMENTUM,
        batch_size: int | None = None,
        weight_decay: float = 0.0,
        noise: float | None = None,
        samples: int | None = None,
        test_split: float | None = None,
        output: str = "auto",
        loss: str = "auto",
        data_file: str | None = None,
        targets: tuple[str, ...] = (),
        scaling: tuple[np.ndarray, np.ndarray] | None = None,
        files: Path | None = None,
    ) -> None:
        """The keywords pre-fill the fields as the command line's flags of the same
        names do; ``data_file`` with ``targets`` adds a CSV table to the dataset
        choices and selects it; ``model`` (with the ``scaling`` its file kept) is
        where Train starts; ``momentum``, ``test_split``, ``output`` and ``loss``
        have no field and apply to every run. With ``files`` (a served app), every
        path typed for save, load and export must lie inside that folder."""
        super().__init__()
        self._fields = {
            "hidden": hidden,
            "activation": activation,
            "epochs": str(epochs),
            "learning_rate": f"{learning_rate:g}",
            "optimizer": optimizer,
            "batch_size": "" if batch_size is None else str(batch_size),
            "weight_decay": f"{weight_decay:g}",
            "seed": "" if seed is None else str(seed),
            "dataset": CSV_PREFIX + data_file if data_file else dataset,
            "noise": "" if noise is None else f"{noise:g}",
            "samples": "" if samples is None else str(samples),
        }
        self._extras = Extras(momentum, output, loss, test_split, data_file, tuple(targets))
        self._ascii = ascii
        self._loaded: tuple[MLP, str] | None = (model, "--load") if model is not None else None
        self._scaling = scaling
        self._files = files
        self.run_state: Run | None = None
        self.after_model: MLP | None = None
        self.losses = np.empty(0)
        self.timing = True  # False hides elapsed time and speed (deterministic snapshots)
        self.show_boundary: bool | None = None  # None: shown when the terminal is wide enough
        self._boundary_node: tuple[str, int, int] | None = None  # (panel, layer, index) of a focused hidden node
        self.exit_guard = ExitGuard(self, self._cancel_run)  # SIGTERM/SIGHUP/SIGINT end the app, always

    def compose(self) -> ComposeResult:
        yield Header()
        yield ControlBar(self._fields, self._extras)
        with Vertical(id="main"):
            with Horizontal(id="panels"):
                yield NetworkView("Before training", empty="No network yet.", ascii=self._ascii, id="before")
                yield NetworkView("After training", empty="Not trained yet.", ascii=self._ascii, id="after")
                yield BoundaryView(empty="Train to see the decision boundary.", ascii=self._ascii, id="boundary")
            with Horizontal(id="bottom"):
                yield LossChart(id="loss")
                yield NodeDetails(id="details")
            yield StatusLine(id="status", timing=self.timing)
        yield Static(
            f"The terminal is too small for tui-mlp.\nPlease make it at least {MIN_WIDTH}×{MIN_HEIGHT}.",
            id="too-small",
        )
        yield Footer()

    def on_mount(self) -> None:
        self.exit_guard.install()
        self.query_one("#hidden").focus()
        if self._loaded is not None:
            self._show_loaded(*self._loaded)
        self._place_boundary()
        # The modules and widgets live as long as the app: keep them out of the cyclic
        # garbage collector's full passes, which otherwise stall a key press for 50+ ms.
        self.call_after_refresh(gc.freeze)

    def on_unmount(self) -> None:
        self._cancel_run()  # however the app ends, a waiting or training worker stops
        self.exit_guard.uninstall()
        gc.unfreeze()  # what the app leaves behind is collected again

    # --- training -----------------------------------------------------------------

    @property
    def training(self) -> bool:
        """Whether a run is in progress (possibly paused)."""
        return self.run_state is not None and self.run_state.result is None

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and self.exit_guard.exiting:
            return  # keys still queued when an exit signal came: the exit goes first
        if isinstance(event, events.Key) and self.training:
            # Answering a key goes before training: the worker waits until its effect is painted.
            assert self.run_state is not None
            feed = self.run_state.feed
            feed.busy()
            self.call_after_refresh(lambda: self.call_after_refresh(feed.idle))
        await super().on_event(event)

    def on_train_requested(self, message: TrainRequested) -> None:
        if self.exit_guard.exiting:
            return
        cpu = time.thread_time()
        self._cancel_run()
        loaded, origin = self._loaded if self._loaded is not None else (None, "")
        try:
            run = Run.create(message.settings, loaded, origin, self._scaling)
        except (ValueError, DataError) as error:
            self.notify(str(error), title="Cannot train", severity="error")
            return
        self.run_state = run
        self.after_model = run.before.copy()
        self.query_one("#before", NetworkView).show(run.before)
        self._show_after(np.empty(0))
        self._place_boundary()
        self.query_one(StatusLine).show(RunStatus(run.origin, run.settings.epochs))
        self._train(run)
        self._when_drawn(run, cpu)  # the worker starts training once the new run is on screen

    def _when_drawn(self, run: Run, cpu: float) -> None:
        """Tell ``run``'s feed, once the panels are repainted, how much CPU drawing took since ``cpu``."""

        def check(tries: int) -> None:
            # A refresh can come before the widgets have asked to be repainted: wait for the panels
            # themselves, so that painting them does not compete with the worker for the CPU.
            if tries and not all(view.painted for view in self.query(NetworkView)):
                self.call_after_refresh(check, tries - 1)
            else:
                run.feed.drawn(time.thread_time() - cpu)

        self.call_after_refresh(check, PAINT_TRIES)

    @work(thread=True, exclusive=True, group="training")
    def _train(self, run: Run) -> None:
        """Train ``run.model`` in this worker thread, posting paced copies to the UI."""

        def report(progress: Progress) -> None:
            run.feed.yield_to_ui()
            new_losses = run.feed.offer(progress)
            if new_losses is not None:
                parameters = run.model.parameters().copy()
                self.post_message(
                    TrainingProgress(run, progress.epoch, progress.loss, progress.elapsed, new_losses, parameters)
                )

        run.feed.ready.wait()
        result = run.fit(
            control=run.control,
            on_progress=report,
            progress_every=run.settings.epochs,
            progress_seconds=CHECK_SECONDS,  # reports are paced by the feed
        )
        self.post_message(TrainingFinished(run, result, run.model.parameters().copy()))

    def on_training_progress(self, message: TrainingProgress) -> None:
        run = message.run
        if run is not self.run_state or run.result is not None:
            return
        cpu = time.thread_time()
        run.feed.busy()
        self._show_parameters(message.parameters, run.feed.receive(message.new_losses))
        state = "paused" if run.control.paused else "training"
        scores = evaluation_text(self.after_model, run.train, run.test)
        status = RunStatus(run.origin, run.settings.epochs, state, message.epoch, message.loss, message.elapsed, scores)
        self.query_one(StatusLine).show(status)
        self._when_drawn(run, cpu)

    def on_training_finished(self, message: TrainingFinished) -> None:
        run, result = message.run, message.result
        run.result = result
        if run is not self.run_state:
            return
        self._show_parameters(message.parameters, result.losses)
        scores = evaluation_text(self.after_model, run.train, run.test)
        status = RunStatus(
            run.origin, result.epochs, result.describe(), result.epochs_run, result.final_loss, result.elapsed, scores
        )
        self.query_one(StatusLine).show(status)

    def _show_parameters(self, parameters: np.ndarray, losses: np.ndarray) -> None:
        assert self.after_model is not None
        np.copyto(self.after_model.parameters(), parameters)
        self._show_after(losses)

    def _show_after(self, losses: np.ndarray) -> None:
        self.losses = losses
        self.query_one("#after", NetworkView).show(self.after_model)
        self.query_one(LossChart).show(losses)
        self._paint_boundary()

    def _cancel_run(self) -> None:
        if self.training:
            assert self.run_state is not None
            self.run_state.cancel()

    def action_cancel(self) -> None:
        """Cancel the run; its finished message reports "cancelled"."""
        if self.training:
            self._cancel_run()
            self.query_one(StatusLine).set_state("cancelling…")

    def action_pause(self) -> None:
        """Pause a running run, or resume a paused one."""
        if self.training:
            assert self.run_state is not None
            paused = self.run_state.control.toggle_pause()
            self.query_one(StatusLine).set_state("paused (space resumes)" if paused else "training")

    async def action_quit(self) -> None:
        self._cancel_run()
        self.exit()

    # --- views ----------------------------------------------------------------------

    def action_toggle_table(self) -> None:
        for view in self.query(NetworkView):
            view.show_table = not view.show_table

    def action_toggle_boundary(self) -> None:
        """Show or hide the decision-boundary panel (2-D data only)."""
        if not self._planar():
            self.notify("The decision boundary needs data with 2 inputs.", severity="warning")
            return
        self.show_boundary = not self.query_one(BoundaryView).display
        self._place_boundary()

    def _planar(self) -> bool:
        """Whether the data on screen (or chosen) has 2 inputs, so a boundary can be drawn."""
        if self.run_state is not None:
            return self.run_state.planar
        try:
            inputs = data_shape(self.query_one(ControlBar).data_spec())[0]
        except (ValueError, DataError):
            return False
        model = self._loaded[0] if self._loaded is not None else None
        return inputs == 2 and (model is None or model.layer_sizes[0] == 2)

    def _place_boundary(self) -> None:
        """Show the boundary panel for 2-D data (by default only at ≥ 100 columns) and paint it."""
        panels = self.query_one("#panels")
        panels.set_class(self._planar(), "-planar")
        panels.set_class(self.show_boundary is True, "-boundary-on")
        panels.set_class(self.show_boundary is False, "-boundary-off")
        self.call_after_refresh(self._paint_boundary)

    def _paint_boundary(self) -> None:
        """Paint the After network's boundary, or the focused hidden node's activation."""
        view = self.query_one(BoundaryView)
        data = self._data()
        if self.after_model is None or data is None or not self._planar():
            view.show(None, None)
            return
        if self._boundary_node is not None:
            panel, layer, index = self._boundary_node
            network = self.query_one(f"#{panel}", NetworkView)
            model = network.model
            if model is not None and 0 < layer < model.n_layers and index < model.layer_sizes[layer]:  # a hidden node
                name = node_label(model.layer_sizes, layer, index)
                title = f"{name} activation · {network.border_title}"
                view.show(model, data, (layer, index), title)
                return
        view.show(self.after_model, data)

    @on(Select.Changed, "#dataset")
    def _dataset_changed(self) -> None:
        if self.run_state is None:
            self._place_boundary()

    def action_toggle_log(self) -> None:
        chart = self.query_one(LossChart)
        chart.log = not chart.log

    def action_help(self) -> None:
        sections = [("Training and views", self.BINDINGS), ("In a network panel", NetworkView.BINDINGS)]
        self.push_screen(HelpScreen(sections))

    def on_node_focused(self, message: NodeFocused) -> None:
        view = self.query_one(f"#{message.panel_id}", NetworkView)
        data = self._data()
        if view.model is not None and data is not None:
            X = data[0].X
            self.query_one(NodeDetails).show(view.model, message.layer, message.index, X, str(view.border_title))
        node = (message.panel_id, message.layer, message.index)
        if node != self._boundary_node:
            self._boundary_node = node
            self._paint_boundary()

    def on_node_blurred(self, message: NodeBlurred) -> None:
        if self._boundary_node is not None and self._boundary_node[0] == message.panel_id:
            self._boundary_node = None
            self._paint_boundary()

    def _data(self) -> tuple[Dataset, Dataset | None] | None:
        """The current run's (train, test) data, else the data the dataset field names
        (None if the fields do not name data that can be built)."""
        if self.run_state is not None:
            return self.run_state.train, self.run_state.test
        try:
            spec = self.query_one(ControlBar).data_spec()
            return preview_data(spec) if self._scaling is None else prepare_data(spec, 0, self._scaling)
        except (ValueError, DataError):
            return None

    # --- files ----------------------------------------------------------------------

    def action_snapshot(self) -> None:
        """Write a text snapshot to a timestamped file in the working (or files) folder."""
        folder = self._files or Path.cwd()
        self.write_snapshot(folder / timestamped("tui-mlp", ".txt", folder))

    def write_snapshot(self, path: Path) -> Path | None:
        """Export before/after/loss to ``path`` (its suffix picks the format); notify either way."""
        if self.run_state is None or self.after_model is None:
            self.notify("Nothing to export yet: train a network first.", severity="warning")
            return None
        from tui_mlp.render.snapshot import SnapshotError  # here: it imports every renderer

        try:
            written = export_snapshot(path, self.run_state, self.after_model, self.losses, ascii=self._ascii)
        except (SnapshotError, OSError) as error:
            self.notify(str(error), title="Export failed", severity="error")
            return None
        self.notify(str(written), title="Snapshot written")
        return written

    def ask_export(self, suffix: str) -> None:
        """Ask where to export in format ``suffix``, then export."""
        prompt = PathPrompt(f"Export snapshot ({suffix})", timestamped("tui-mlp", suffix, self._files or Path()))
        self.push_screen(prompt, self._then("Export failed", self.write_snapshot, writing=True))

    def ask_save_params(self) -> None:
        """Ask where to save the After network's parameters, then save them."""
        prompt = PathPrompt("Save parameters", timestamped("tui-mlp-params", ".json", self._files or Path()))
        self.push_screen(prompt, self._then("Save failed", self.save_parameters, writing=True))

    def ask_load_params(self) -> None:
        """Ask for a parameter file and open its network."""
        self.push_screen(PathPrompt("Load parameters", "params.json"), self._then("Load failed", self.load_parameters))

    def _then(self, failed: str, act: Callable[[Path], object], writing: bool = False) -> Callable[[str | None], None]:
        """What to do with a typed path: check it (inside the files folder, if there is one;
        a writable target, if ``writing``), then ``act`` on it or say why not."""

        def checked(text: str | None) -> None:
            if text is None:
                return
            try:
                path = resolve_inside(self._files, text) if self._files else Path(text).expanduser()
                if writing:
                    check_output_path(path)
            except ValueError as error:
                self.notify(str(error), title=failed, severity="error")
                return
            act(path)

        return checked

    def save_parameters(self, path: Path) -> Path | None:
        """Save the After network (with how it was trained) to ``path``; notify either way."""
        if self.run_state is None or self.after_model is None:
            self.notify("Nothing to save yet: train a network first.", severity="warning")
            return None
        try:
            written = save_params(path, self.after_model, self.run_state.training_record())
        except ParamsError as error:
            self.notify(str(error), title="Save failed", severity="error")
            return None
        self.notify(str(written), title="Parameters saved")
        return written

    def load_parameters(self, path: Path) -> None:
        """Open the network in ``path``: it is drawn and the next Train starts from it."""
        try:
            model, training = load_params(path)
        except ParamsError as error:
            self.notify(str(error), title="Load failed", severity="error")
            return
        controls = self.query_one(ControlBar)
        chosen = controls.value("dataset")
        name = training.get("dataset")
        if isinstance(name, str) and name in DATASETS:
            controls.set_value("dataset", name)  # the data the file was trained on
        try:
            spec = controls.data_spec()
            check_fits(model, path, spec.label, data_shape(spec))
        except (ValueError, DataError, ParamsError) as error:
            controls.set_value("dataset", chosen)
            self.notify(str(error), title="Load failed", severity="error")
            return
        self._scaling = saved_scaling(training)
        self._show_loaded(model, str(path))

    def _show_loaded(self, model: MLP, origin: str) -> None:
        self._cancel_run()
        self.run_state = None
        self._loaded = (model, origin)
        controls = self.query_one(ControlBar)
        controls.set_value("hidden", ",".join(map(str, model.layer_sizes[1:-1])))
        controls.set_value("activation", model.activation)
        self.after_model = model.copy()
        self.query_one("#before", NetworkView).show(model)
        self._show_after(np.empty(0))
        self.query_one(StatusLine).note(f"Loaded {origin}: Train continues from this network.")
        self._place_boundary()
