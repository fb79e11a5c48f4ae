"""Export, save and load in the app: what the keys and the command palette call.

Each action tells the person how it went in a notification. A path typed into a
served app (``folder`` given) must lie inside that folder; see ``core.files``.
The engine's file code is imported by the actions that use it, not with the app.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from textual.app import App

from tui_mlp.core.choices import DATASET_NAMES
from tui_mlp.core.errors import DataError, ParamsError
from tui_mlp.core.files import atomic_write, check_output_path, describe_os_error, resolve_inside

from .screens.path_prompt import PathPrompt
from .session import data_shape
from .widgets.boundary_view import BoundaryView
from .widgets.controls import ControlBar
from .widgets.loss_chart import LossChart
from .widgets.network_view import NetworkView


def timestamped(stem: str, suffix: str, folder: Path = Path()) -> str:
    """A new file's name in ``folder``, like ``tui-mlp-20250131-142501.txt`` (sorts by
    time); another one within the same second is ``…-142501-2.txt``, not a replacement
    of the first."""
    name = f"{stem}-{datetime.now():%Y%m%d-%H%M%S}"
    candidates = itertools.chain([name], (f"{name}-{number}" for number in itertools.count(2)))
    return next(candidate + suffix for candidate in candidates if not (folder / (candidate + suffix)).exists())


class Files:
    """The app's file actions; ``folder`` confines the paths typed (a served app).
    ``app`` is the MLPApp: its run, networks and losses are what is written."""

    def __init__(self, app: App[Any], folder: Path | None = None) -> None:
        self.app = app
        self.folder = folder

    @property
    def _here(self) -> Path:
        return self.folder or Path.cwd()

    def snapshot(self) -> Path | None:
        """Write a text snapshot to a timestamped file in the working (or files) folder."""
        return self.export(self._here / timestamped("tui-mlp", ".txt", self._here))

    def screenshot(self) -> Path | None:
        """Save the screen as it is, as SVG, to a timestamped file in the working (or files) folder."""
        path = self._here / timestamped("tui-mlp-screenshot", ".svg", self._here)
        try:
            written = atomic_write(path, self.app.export_screenshot())
        except OSError as error:
            self.app.notify(describe_os_error(path, error), title="Screenshot failed", severity="error")
            return None
        self.app.notify(str(written), title="Screenshot saved")
        return written

    def export(self, path: Path) -> Path | None:
        """Export before/after/loss to ``path`` (its suffix picks the format) as the screen
        shows them: the loss chart's scale, graphs or weight tables, the boundary panel or not."""
        app, run = self.app, self.app.run_state
        if run is None or app.after_model is None:
            app.notify("Nothing to export yet: train a network first.", severity="warning")
            return None
        from tui_mlp.render.snapshot import SnapshotError, View, write_snapshot  # here: it imports every renderer

        settings = run.summary(app.after_model) | {"start": run.origin}
        view = View(
            log=app.query_one(LossChart).log,
            tables=app.query_one("#after", NetworkView).show_table,
            boundary=app.query_one(BoundaryView).display,
            replay=app.replay_epoch,
        )
        try:
            written = write_snapshot(
                path,
                run.before,
                app.after_model,
                app.losses,
                settings,
                ascii=app.ascii,
                data=(run.train, run.test),
                view=view,
                test=app.test_curve,
            )
        except (SnapshotError, OSError) as error:
            app.notify(str(error), title="Export failed", severity="error")
            return None
        app.notify(str(written), title="Snapshot written")
        return written

    def save(self, path: Path) -> Path | None:
        """Save the After network (with how it was trained) to ``path``."""
        from tui_mlp.core.params import save_params

        app, run = self.app, self.app.run_state
        if run is None or app.after_model is None:
            app.notify("Nothing to save yet: train a network first.", severity="warning")
            return None
        try:
            written = save_params(path, app.after_model, run.record())
        except ParamsError as error:
            app.notify(str(error), title="Save failed", severity="error")
            return None
        app.notify(str(written), title="Parameters saved")
        return written

    def load(self, path: Path) -> None:
        """Open the network in ``path`` on the data it was trained on, if it is a built-in
        dataset; it is drawn, and the next Train starts from it."""
        from tui_mlp.core.params import check_fits
        from tui_mlp.core.run import Loaded

        app = self.app
        try:
            loaded = Loaded.read(path)
        except ParamsError as error:
            app.notify(str(error), title="Load failed", severity="error")
            return
        controls = app.query_one(ControlBar)
        chosen = controls.value("dataset")
        name = loaded.training.get("dataset")
        if isinstance(name, str) and name in DATASET_NAMES:
            controls.set_value("dataset", name)  # the data the file was trained on
        try:
            spec = controls.data_spec()
            check_fits(loaded.model, path, spec.label, data_shape(spec))
        except (ValueError, DataError, ParamsError) as error:
            controls.set_value("dataset", chosen)
            app.notify(str(error), title="Load failed", severity="error")
            return
        app.open(loaded)

    def save_runs(self, path: Path) -> list[Path]:
        """Save every run of the session that has ended as a history file (``core.history_file``):
        ``runs.json`` gives ``runs-1.json``, ``runs-2.json``, … by run number."""
        from tui_mlp.core.history_file import save_history

        app = self.app
        ended = [run for run in app.session.runs if run.result is not None]
        if not ended:
            app.notify("No run has ended yet: train a network first.", severity="warning")
            return []
        written = []
        try:
            for run in ended:
                target = self._sibling(path, f"{path.stem}-{run.number}{path.suffix}")
                written.append(save_history(target, run))
        except (ValueError, ParamsError) as error:
            app.notify(str(error), title="Save failed", severity="error")
            return written
        names = ", ".join(target.name for target in written)
        app.notify(f"{len(written)} run(s) in {names} (tui-mlp --load opens one)", title="Runs saved")
        return written

    def export_losses(self, path: Path) -> Path | None:
        """Write the current run's loss curves to ``path`` as CSV (``history_file.curves_csv``)."""
        from tui_mlp.core.history_file import curves_csv

        app, run = self.app, self.app.run_state
        if run is None or run.result is None:
            app.notify("No run has ended yet: train a network first.", severity="warning")
            return None
        try:
            written = atomic_write(path, curves_csv(run))
        except OSError as error:
            app.notify(describe_os_error(path, error), title="Export failed", severity="error")
            return None
        app.notify(str(written), title="Loss curves written")
        return written

    def _sibling(self, path: Path, name: str) -> Path:
        """The file ``name`` beside ``path``, checked as a typed path is (inside the files folder)."""
        target = path.with_name(name)
        if self.folder:
            target = resolve_inside(self.folder, os.path.relpath(target, os.path.realpath(self.folder)))
        check_output_path(target)
        return target

    def ask_save_runs(self) -> None:
        """Ask where to save the session's runs, then save each as a history file."""
        prompt = PathPrompt(
            "Save the runs (history files)", timestamped("tui-mlp-runs", ".json", self.folder or Path())
        )
        self.app.push_screen(prompt, self._then("Save failed", self.save_runs, writing=True))

    def ask_export_losses(self) -> None:
        """Ask where to write the current run's loss curves (CSV), then write them."""
        prompt = PathPrompt("Export loss curves (CSV)", timestamped("tui-mlp-losses", ".csv", self.folder or Path()))
        self.app.push_screen(prompt, self._then("Export failed", self.export_losses, writing=True))

    def ask_export(self, suffix: str) -> None:
        """Ask where to export in format ``suffix``, then export."""
        prompt = PathPrompt(f"Export snapshot ({suffix})", timestamped("tui-mlp", suffix, self.folder or Path()))
        self.app.push_screen(prompt, self._then("Export failed", self.export, writing=True))

    def ask_save(self) -> None:
        """Ask where to save the After network's parameters, then save them."""
        prompt = PathPrompt("Save parameters", timestamped("tui-mlp-params", ".json", self.folder or Path()))
        self.app.push_screen(prompt, self._then("Save failed", self.save, writing=True))

    def ask_load(self) -> None:
        """Ask for a parameter file and open its network."""
        self.app.push_screen(PathPrompt("Load parameters", "params.json"), self._then("Load failed", self.load))

    def _then(self, failed: str, act: Callable[[Path], object], writing: bool = False) -> Callable[[str | None], None]:
        """What to do with a typed path: check it (inside the files folder, if there is one;
        a writable target, if ``writing``), then ``act`` on it or say why not."""

        def checked(text: str | None) -> None:
            if text is None:
                return
            try:
                path = resolve_inside(self.folder, text) if self.folder else Path(text).expanduser()
                if writing:
                    check_output_path(path)
            except ValueError as error:
                self.app.notify(str(error), title=failed, severity="error")
                return
            act(path)

        return checked
