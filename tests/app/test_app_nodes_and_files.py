"""The node cursor and details pane; snapshots, exports and parameter files."""

from __future__ import annotations

import fnmatch
import io
import os
from pathlib import Path

import numpy as np
from app_helpers import SIZE, app_test, make_app, region_text, settle, status_text, train_to_end
from rich.console import Console
from textual.widgets import HelpPanel

from tui_mlp.app import MLPApp
from tui_mlp.app.commands import EXPORT_FORMATS
from tui_mlp.app.files import timestamped
from tui_mlp.app.widgets.node_details import node_facts, node_title
from tui_mlp.core import MLP, StopReason
from tui_mlp.core.datasets import load_dataset
from tui_mlp.core.params import load_params, save_params
from tui_mlp.core.run import Loaded


def details(app: MLPApp) -> str:
    return region_text(app, "#details")


@app_test
async def test_arrows_move_the_node_cursor_and_the_details_follow() -> None:
    app = make_app(seed=0, epochs=200)
    async with app.run_test(size=SIZE) as pilot:
        await train_to_end(pilot)
        app.query_one("#after").focus()
        await pilot.pause()
        assert "x1" in details(app) and "Input" in details(app)
        await pilot.press("right", "down", "down")
        view = app.query_one("#after")
        assert view.cursor == (1, 2)
        text = details(app)
        bias = app.after_model.biases[0][2]
        assert "h3" in text and f"{bias:+.3f}" in text
        assert f"{app.after_model.weights[0][0, 2]:+.3f}" in text  # incoming from x1
        assert f"{app.after_model.weights[1][2, 1]:+.3f}" in text  # outgoing to y2
        hidden = app.after_model.activations(app.run_state.train.X)[1][:, 2]
        for value in hidden[:3]:  # the samples in view
            assert f"{value:+.3f}" in text
        await pilot.press("right", "right", "down", "down", "down")
        assert view.cursor == (2, 1)
        assert "y2" in details(app)
        await pilot.press("left", "left", "left", "up", "up")
        assert view.cursor[0] == 0 and view.cursor[1] >= 0


def node_text(name: str, width: int = 70) -> list[str]:
    """The node pane's lines for hidden node h1 of a 3-neuron network on dataset ``name``."""
    data = load_dataset(name, 0)
    console = Console(width=width, record=True, file=io.StringIO())
    model = MLP([data.n_inputs, 3, data.n_outputs], seed=0)
    console.print(node_title(model, 1, 0, data), *node_facts(model, 1, 0, data))
    return [line.rstrip() for line in console.export_text().splitlines()]


def test_the_node_pane_writes_every_number_alike_and_names_each_samples_target() -> None:
    """Output, target (the class name where the data names its classes) and inputs per sample."""
    lines = node_text("gaussians")
    assert lines[1:4] == ["bias +0.000", "in   x1 +0.300 x2 -1.059", "out  y1 +0.213 y2 +0.459 y3 +0.087"]
    assert lines[4:6] == [" #   output  target  inputs", " 1   +0.369  a       +0.031 +0.517"]
    assert lines[-1] == "… 176 more"
    assert node_text("seed")[5:9] == [  # whole-number data stays whole: one format for all of it
        " 1  +0.743  0 0     1 0 0 1",
        " 2  +0.332  0 1     0 1 1 0",
        " 3  +0.541  1 0     1 1 0 1",
        " 4  +0.732  1 1     0 0 1 1",
    ]
    assert node_text("sine")[5] == " 1   +0.417  -0.076  -0.995"
    assert node_text("moons")[5] == " 1   +0.347  0       -0.641 +0.416"


def test_a_narrow_node_pane_wraps_the_inputs_and_cuts_no_heading_or_number() -> None:
    lines = node_text("moons", width=27)  # the pane at its narrowest, with a scroll bar
    assert lines[4:7] == [" #   output  target  inputs", " 1   +0.347  0       -0.641", "                     +0.416"]


@app_test
async def test_ctrl_s_writes_every_weight_and_bias_of_both_panels(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    app = make_app(seed=0)
    async with app.run_test(size=SIZE) as pilot:
        await train_to_end(pilot)
        app.query_one("#before").focus()
        await pilot.press("ctrl+s")
        files = list(tmp_path.glob("tui-mlp-*.txt"))
        assert len(files) == 1
        text = files[0].read_text()
        for model in (app.run_state.before, app.after_model):
            for array in (*model.weights, *model.biases):
                for value in array.ravel():
                    assert f"{value:+.2f}" in text
        assert [n.message for n in app._notifications] == [str(files[0])]


@app_test
async def test_exports_show_what_the_screen_shows(tmp_path, monkeypatch) -> None:
    """ctrl+s and the SVG export follow the view: the loss chart's log scale, weight tables
    or graphs, and the boundary panel shown or hidden."""
    monkeypatch.chdir(tmp_path)
    app = make_app(seed=0, dataset="moons", epochs=200)
    async with app.run_test(size=SIZE) as pilot:
        await train_to_end(pilot)
        app.query_one("#before").focus()

        async def snapshot() -> str:
            written = app.files.export(tmp_path / f"view-{len(list(tmp_path.iterdir()))}.txt")
            assert app.files.export(written.with_suffix(".svg")) is not None
            return written.read_text(encoding="utf-8")

        shown = await snapshot()
        assert "loss (log scale)" not in shown and "Decision boundary" in shown
        assert "weights 1: 2 → 5" not in shown and "Before training" in shown
        await pilot.press("l", "w", "b")
        assert not app.query_one("#boundary").display
        changed = await snapshot()
        assert "loss (log scale)" in changed and "Decision boundary" not in changed
        assert changed.count("weights 1: 2 → 5") == 2 and changed.count("weights 2: 5 → 1") == 2
        svg = (tmp_path / "view-2.svg").read_text(encoding="utf-8")
        assert "loss&#160;(log&#160;scale)" in svg and "weights&#160;1:&#160;2&#160;→&#160;5" in svg
        await pilot.press("ctrl+s")
        (written,) = tmp_path.glob("tui-mlp-*.txt")
        assert written.read_text(encoding="utf-8") == changed


@app_test
async def test_export_to_an_unwritable_place_notifies_and_goes_on(tmp_path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    app = make_app(seed=0, epochs=100)
    async with app.run_test(size=SIZE) as pilot:
        await train_to_end(pilot)
        for suffix in (".txt", ".svg", ".html", ".ansi"):
            assert app.files.export(blocker / f"x{suffix}") is None
        assert app.files.save(blocker / "p.json") is None
        await pilot.pause()
        errors = [n for n in app._notifications if n.severity == "error"]
        assert len(errors) == 5
        await train_to_end(pilot)  # the app goes on
        assert app.run_state.result is not None


@app_test
async def test_palette_exports_svg_and_saves_and_loads_parameters(tmp_path) -> None:
    app = make_app(seed=0, epochs=100)
    async with app.run_test(size=SIZE) as pilot:
        await train_to_end(pilot)
        for command, path in (("Export snapshot as SVG", tmp_path / "v.svg"), ("Save parameters", tmp_path / "p.json")):
            await pilot.press("ctrl+p")
            await pilot.press(*command)
            await pilot.pause()
            await pilot.press("enter")
            await pilot.pause()
            app.screen.query_one("#path").value = str(path)
            await pilot.press("enter")
            await pilot.pause()
            assert path.exists(), command
        assert "<svg" in (tmp_path / "v.svg").read_text()
        model, training = load_params(tmp_path / "p.json")
        assert np.array_equal(model.parameters(), app.after_model.parameters())
        assert training["seed"] == 0

        other = make_app(seed=1, hidden="3", epochs=50)
        async with other.run_test(size=SIZE) as pilot2:
            other.files.load(tmp_path / "p.json")
            await pilot2.pause()
            assert other.query_one("#hidden").value == "5"
            assert np.array_equal(other.query_one("#before").model.parameters(), model.parameters())
            await train_to_end(pilot2)
            assert np.array_equal(other.run_state.before.parameters(), model.parameters())
            assert "loaded from p.json" in str(other.query_one("#status").render())


@app_test
async def test_opening_a_file_names_it_and_says_what_train_does(tmp_path) -> None:
    folder = tmp_path / ("long-folder-name-" * 4)
    folder.mkdir()
    path = folder / "net.json"
    save_params(path, MLP((4, 3, 2), "tanh", seed=0))
    app = MLPApp(loaded=Loaded.read(path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert status_text(app) == "Loaded net.json (4-3-2, tanh): Train goes on training it."


def message_text(app: MLPApp, selector: str) -> str:
    """The words of a message below the fields (wrapped to the terminal), on one line."""
    return " ".join(str(app.query_one(selector).render()).split()) if app.query_one(selector).display else ""


@app_test
async def test_fields_that_no_longer_describe_the_loaded_network_say_so_before_train() -> None:
    app = make_app(model=MLP((4, 5, 2), seed=3), epochs=20)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert message_text(app, "#note") == ""
        await pilot.press("backspace", "8")
        new = "⚠ Train starts a new network from the seed, not net.json"
        assert message_text(app, "#note") == f"{new} (Hidden neurons 5): set that again to go on training it"
        app.query_one("#activation").value = "tanh"
        await pilot.pause()
        assert "(Hidden neurons 5, Activation sigmoid): set those again" in message_text(app, "#note")
        app.query_one("#hidden").focus()
        await train_to_end(pilot)
        assert message_text(app, "#note") == ""  # said; the person chose
        assert app.run_state.before.layer_sizes == (4, 8, 2) and "· seed " in status_text(app)
        app.query_one("#activation").value = "sigmoid"
        app.query_one("#hidden").focus()
        await pilot.press("backspace", "5")
        assert message_text(app, "#note") == ""
        await train_to_end(pilot)
        assert "loaded from net.json" in status_text(app)


@app_test
async def test_a_loaded_float32_network_trains_on_in_float32() -> None:
    app = make_app(model=MLP((4, 5, 2), seed=3, dtype="float32"), epochs=20)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.query_one("#dtype").value == "float32"
        await train_to_end(pilot)
        assert "loaded from net.json" in status_text(app)
        assert app.run_state.model.dtype == app.after_model.dtype == np.float32


@app_test
async def test_loading_a_network_that_does_not_fit_its_data_changes_nothing(tmp_path) -> None:
    """The file names xor (2 inputs, 1 output) but holds a 4-5-2 network: refused, and
    the dataset field, the panels and the status stay as they were."""
    path = tmp_path / "p.json"
    save_params(path, MLP((4, 5, 2), seed=0), {"dataset": "xor"})
    app = make_app(seed=0, dataset="moons", epochs=20)
    async with app.run_test(size=SIZE) as pilot:
        await train_to_end(pilot)
        before = app.query_one("#before").model.parameters().copy()
        status = str(app.query_one("#status").render())
        app.files.load(path)
        await pilot.pause()
        assert app.query_one("#dataset").value == "moons"
        assert np.array_equal(app.query_one("#before").model.parameters(), before)
        assert str(app.query_one("#status").render()) == status
        assert any("does not fit 'xor' (2 inputs, 1 output)" in n.message for n in app._notifications)


async def type_path(pilot, command: str, path: str) -> None:
    """Answer ``path`` to the question a palette ``command`` asks (asked directly: typing
    the command's name into the palette each time is slow, and tested above)."""
    app = pilot.app
    ask = {
        "Save parameters": app.files.ask_save,
        "Export snapshot as plain text": lambda: app.files.ask_export(".txt"),
        "Load parameters": app.files.ask_load,
    }[command]
    ask()
    await pilot.pause()
    app.screen.query_one("#path").value = path
    await pilot.press("enter")
    await pilot.pause()


def errors(app: MLPApp) -> list[str]:
    return [n.message for n in app._notifications if n.severity == "error"]


@app_test
async def test_a_served_app_keeps_every_file_inside_its_folder(tmp_path) -> None:
    """``--files`` (what ``serve`` gives its apps): no absolute path, no ``..``, no link out,
    no special file; nothing outside the folder is written, read or even tested for existence."""
    folder, outside = tmp_path / "files", tmp_path / "outside"
    folder.mkdir()
    outside.mkdir()
    secret = outside / "secret.json"
    save_params(secret, MLP((4, 5, 2), seed=1))
    secret.chmod(0o600)
    kept = secret.read_bytes()
    (folder / "out").symlink_to(outside)
    (folder / "zero").symlink_to("/dev/zero")
    os.mkfifo(folder / "fifo")
    app = make_app(seed=0, epochs=50, files=folder)
    async with app.run_test(size=SIZE) as pilot:
        await train_to_end(pilot)
        refused = {
            str(secret): "not an absolute one",
            "../outside/secret.json": "'..' is not allowed",
            "out/secret.json": "leads outside the working folder",
            "~/secret.json": "'~' is not a home folder here",
        }
        for command in ("Save parameters", "Export snapshot as plain text", "Load parameters"):
            for typed, reason in refused.items():
                await type_path(pilot, command, typed)
                assert reason in errors(app)[-1], (command, typed, errors(app)[-1])
                assert str(outside) not in errors(app)[-1] or typed == str(secret)
        await type_path(pilot, "Load parameters", "zero")
        assert errors(app)[-1] == "zero: leads outside the working folder"
        for command in ("Load parameters", "Save parameters"):
            await type_path(pilot, command, "fifo")  # would block a read forever, or be replaced by a file
            assert errors(app)[-1] == "fifo: not a regular file (a FIFO)"
        assert secret.read_bytes() == kept and oct(secret.stat().st_mode & 0o777) == "0o600"
        assert sorted(p.name for p in outside.iterdir()) == ["secret.json"]

        await type_path(pilot, "Save parameters", "nets/p.json")  # a missing folder inside: refused too
        assert "does not exist" in errors(app)[-1]
        await type_path(pilot, "Save parameters", "p.json")
        await type_path(pilot, "Export snapshot as plain text", "v.txt")
        await pilot.press("ctrl+s")
        assert (folder / "p.json").exists() and (folder / "v.txt").exists()
        assert len(list(folder.glob("tui-mlp-*.txt"))) == 1
        assert np.array_equal(load_params(folder / "p.json")[0].parameters(), app.after_model.parameters())
        await type_path(pilot, "Load parameters", "p.json")
        assert "Loaded" in str(app.query_one("#status").render())


def test_the_files_the_app_names_itself_are_ignored_by_git() -> None:
    """ctrl+s, the exports and saves default to timestamped names in the working folder:
    run in the repository, they must not show up as untracked files."""
    root = Path(__file__).resolve().parents[2]
    patterns = [line.lstrip("/") for line in (root / ".gitignore").read_text().splitlines() if line.startswith("/")]
    names = [timestamped("tui-mlp", suffix) for suffix in EXPORT_FORMATS]
    names += [timestamped("tui-mlp-params", ".json"), timestamped("tui-mlp-screenshot", ".svg")]
    for name in names:
        assert any(fnmatch.fnmatch(name, pattern) for pattern in patterns), name


async def palette(pilot, command: str) -> None:
    """Run ``command`` from the command palette, typed as a person would."""
    await pilot.press("ctrl+p")
    await pilot.press(*command)
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause(0.3)  # Screenshot waits for the palette to close


@app_test
async def test_the_palettes_screenshot_is_saved_where_ctrl_s_writes(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "files"
    folder.mkdir()
    for app, where in ((make_app(seed=0), tmp_path), (make_app(seed=0, files=folder), folder)):
        async with app.run_test(size=(80, 24)) as pilot:
            await palette(pilot, "Screenshot")
            (shot,) = where.glob("tui-mlp-screenshot-*.svg")
            assert shot.read_text().startswith("<svg") and "Hidden&#160;neurons" in shot.read_text()
            assert [(n.title, n.message) for n in app._notifications] == [("Screenshot saved", str(shot))]
    assert list(tmp_path.glob("*.svg")) == [next(tmp_path.glob("tui-mlp-screenshot-*.svg"))]


@app_test
async def test_escape_closes_the_keys_panel_before_it_cancels_training() -> None:
    app = make_app(seed=0, epochs=10_000_000)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await palette(pilot, "Keys")
        assert app.screen.query(HelpPanel)
        await pilot.press("escape")
        await pilot.pause()
        assert not app.screen.query(HelpPanel) and app.training
        await pilot.press("escape")
        await settle(pilot)
        assert app.run_state.result.reason is StopReason.CANCELLED
