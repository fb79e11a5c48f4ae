"""The node cursor and details pane; snapshots, exports and parameter files."""

from __future__ import annotations

import os

import numpy as np
from app_helpers import SIZE, app_test, make_app, region_text, train_to_end

from tui_mlp.app import MLPApp
from tui_mlp.core import MLP
from tui_mlp.core.params import load_params, save_params


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
        assert "h3" in text and f"{bias:+.4f}" in text
        assert f"{app.after_model.weights[0][0, 2]:+.3f}" in text  # incoming from x1
        assert f"{app.after_model.weights[1][2, 1]:+.3f}" in text  # outgoing to y2
        hidden = app.after_model.activations(app.run_state.train.X)[1][:, 2]
        for value in hidden:
            assert f"{value:.4f}" in text
        await pilot.press("right", "right", "down", "down", "down")
        assert view.cursor == (2, 1)
        assert "y2" in details(app)
        await pilot.press("left", "left", "left", "up", "up")
        assert view.cursor[0] == 0 and view.cursor[1] >= 0


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
            assert "loaded from" in str(other.query_one("#status").render())


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
        assert any("does not fit 'xor' (2 inputs, 1 output" in n.message for n in app._notifications)


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
