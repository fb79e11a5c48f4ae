"""Datasets, optimizers and the decision boundary in the app; the same runs as ``tui-mlp train``."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from app_helpers import SIZE, app_test, cli_run, make_app, region_text, result, settle, status_text, train_to_end

from tui_mlp import cli
from tui_mlp.app import MLPApp
from tui_mlp.core.datasets import DATASETS
from tui_mlp.render.fit import FitCurve

IRIS = Path(__file__).parent.parent / "data" / "iris.csv"
MOONS_FLAGS = dict(dataset="moons", hidden="8,8", activation="tanh", optimizer="adam", learning_rate=0.01)


@app_test
async def test_2d_run_with_adam_and_batches_typed_in_equals_the_cli() -> None:
    app = make_app(seed=0)
    async with app.run_test(size=SIZE) as pilot:
        for name, value in (
            ("dataset", "moons"),
            ("hidden", "8,8"),
            ("activation", "tanh"),
            ("optimizer", "adam"),
            ("learning_rate", "0.01"),
            ("batch_size", "16"),
            ("weight_decay", "0.001"),
            ("noise", "0.2"),
            ("epochs", "150"),
        ):
            app.query_one(f"#{name}").value = value
        await pilot.pause()
        app.query_one("#hidden").focus()
        await train_to_end(pilot)
        before, after = cli_run(
            *("--dataset", "moons", "--hidden", "8,8", "--activation", "tanh", "--optimizer", "adam"),
            *("--lr", "0.01", "--batch-size", "16", "--weight-decay", "0.001", "--noise", "0.2"),
            *("--epochs", "150", "--seed", "0"),
        )
        run = app.run_state
        assert run.train.n_inputs == 2 and run.test is not None and len(run.test.X) == 40
        assert np.array_equal(run.before.parameters(), before.parameters())
        assert np.array_equal(app.after_model.parameters(), after.parameters())
        described = run.summary(app.after_model)
        assert described["optimizer"] == "adam" and described["batch size"] == "16"


@app_test
async def test_float32_chosen_in_the_dtype_field_trains_like_the_cli() -> None:
    app = make_app(seed=0, epochs=200)
    async with app.run_test(size=SIZE) as pilot:
        assert app.query_one("#dtype").value == "float64"
        app.query_one("#dtype").value = "float32"
        await pilot.pause()
        app.query_one("#hidden").focus()
        await train_to_end(pilot)
        _, after = cli_run("--epochs", "200", "--seed", "0", "--dtype", "float32")
        assert app.after_model.dtype == np.float32
        assert np.array_equal(app.after_model.parameters(), after.parameters())
        assert app.run_state.summary()["dtype"] == "float32"


@app_test
async def test_csv_data_from_the_command_line_trains_like_the_cli() -> None:
    app = make_app(seed=1, data_file=str(IRIS), targets=("species",), hidden="8", epochs=100, optimizer="adam")
    async with app.run_test(size=SIZE) as pilot:
        select = app.query_one("#dataset")
        assert "iris.csv → species" in region_text(app, "#dataset-field")
        assert str(select.value).endswith("iris.csv")
        assert app.query_one("#noise").disabled and app.query_one("#samples").disabled
        assert not app.query_one("#boundary").display  # 4 inputs: no plane to paint
        await train_to_end(pilot)
        flags = ("--data", str(IRIS), "--target", "species", "--hidden", "8", "--epochs", "100", "--optimizer", "adam")
        _, after = cli_run(*flags, "--seed", "1")
        assert np.array_equal(app.after_model.parameters(), after.parameters())
        assert "train acc" in status_text(app) and "test acc" in status_text(app)


def test_the_command_line_configures_the_app(monkeypatch, capsys) -> None:
    made: list[MLPApp] = []
    monkeypatch.setattr(MLPApp, "run", lambda self: made.append(self))
    flags = ["--dataset", "moons", "--optimizer", "adam", "--lr", "0.01", "--hidden", "8,8", "--activation", "tanh"]
    assert cli.main([*flags, "--seed", "0", "--batch-size", "32", "--weight-decay", "0.01", "--noise", "0.3"]) == 0
    training, data, seed = made[0].settings.training, made[0].settings.data, made[0].settings.seed
    assert data.dataset == "moons" and training.optimizer == "adam" and training.learning_rate == 0.01
    assert training.hidden == (8, 8) and training.activation == "tanh" and seed == 0
    assert training.batch_size == 32 and training.weight_decay == 0.01 and data.noise == 0.3
    assert cli.main(["--data", str(IRIS), "--target", "species"]) == 0
    assert made[1].settings.data.csv_file == str(IRIS) and made[1].settings.data.targets == ("species",)
    assert cli.main(["--data", str(IRIS), "--target", "nope"]) == 1
    assert len(made) == 2
    error = capsys.readouterr().err.strip().splitlines()
    assert len(error) == 1 and "nope" in error[0]


@app_test
async def test_dataset_choices_and_generated_only_fields() -> None:
    app = make_app(seed=0)
    async with app.run_test(size=SIZE) as pilot:
        select = app.query_one("#dataset")
        assert [value for _, value in select._options if value is not select.BLANK] == list(DATASETS)
        assert app.query_one("#noise").disabled and app.query_one("#samples").disabled
        select.value = "circle"
        await pilot.pause()
        assert not app.query_one("#noise").disabled and not app.query_one("#samples").disabled
        app.query_one("#samples").value = "50"
        app.query_one("#epochs").value = "20"
        app.query_one("#hidden").focus()
        await train_to_end(pilot)
        run = app.run_state
        assert len(run.train.X) + len(run.test.X) == 50


@app_test
async def test_boundary_panel_for_2d_data_only() -> None:
    app = make_app(seed=0, epochs=50)
    async with app.run_test(size=SIZE) as pilot:
        boundary = app.query_one("#boundary")
        assert not boundary.display
        app.query_one("#dataset").value = "moons"
        await pilot.pause()
        assert boundary.display and boundary.region.width > 20 and boundary.region.height > 10
        assert "Train to see" in region_text(app, "#boundary")
        await train_to_end(pilot)
        assert boundary.model is app.after_model and boundary.node is None
        assert "x1" in region_text(app, "#boundary")  # the legend names the axes
        app.query_one("#before").focus()
        await pilot.press("b")
        assert not boundary.display
        await pilot.press("b")
        assert boundary.display
        app.query_one("#dataset").value = "seed"
        app.query_one("#hidden").focus()
        await train_to_end(pilot)
        assert not boundary.display


@app_test
async def test_boundary_below_100_columns_hides_and_b_shows_it() -> None:
    app = make_app(seed=0, dataset="moons", epochs=50)
    async with app.run_test(size=SIZE) as pilot:
        boundary = app.query_one("#boundary")
        assert boundary.display
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert not boundary.display
        await train_to_end(pilot)
        app.query_one("#after").focus()
        await pilot.press("b")
        await pilot.pause()
        assert boundary.display and boundary.region.right <= 80 and boundary.region.height >= 5
        assert "▲△ 1" in region_text(app, "#boundary")  # the legend


@app_test
async def test_sine_shows_its_fitted_curve_live() -> None:
    """A regression on one input: the boundary panel draws the After network's curve over
    the data, during training and after; a hidden node's focus changes nothing there."""
    app = make_app(seed=0, dataset="sine", hidden="8", activation="tanh", epochs=3000)
    async with app.run_test(size=SIZE) as pilot:
        boundary = app.query_one("#boundary")
        assert boundary.display and str(boundary.border_title) == "Fitted curve"
        assert "Train to see the fitted curve." in region_text(app, "#boundary")
        await pilot.press("enter")
        await pilot.pause()
        assert boundary.after is app.after_model
        await settle(pilot)
        drawn = region_text(app, "#boundary")
        assert isinstance(boundary.render(), FitCurve) and boundary.render().model is app.after_model
        assert "● train  ○ test  ⠒⠒ fit" in drawn
        assert sum(char in drawn for char in "⠁⠂⠄⡀⠈⠐⠠⢀⠉⠒⠤⣀") >= 4  # the curve, in braille dots
        app.query_one("#after").focus()
        await pilot.press("right", "down")
        assert boundary.node is None and str(boundary.border_title) == "Fitted curve"
        await pilot.press("b")
        assert not boundary.display
        await pilot.resize_terminal(80, 24)
        await pilot.press("b")
        await pilot.pause()
        assert boundary.display and "● train" in region_text(app, "#boundary")


@app_test
async def test_focusing_a_hidden_node_paints_its_activation() -> None:
    app = make_app(seed=0, epochs=300, **MOONS_FLAGS)
    async with app.run_test(size=SIZE) as pilot:
        await train_to_end(pilot)
        boundary = app.query_one("#boundary")
        whole = app.export_screenshot()
        app.query_one("#after").focus()
        await pilot.pause()
        assert boundary.node is None  # an input node: the network's output stays
        await pilot.press("right", "down")
        assert boundary.node == (1, 1) and boundary.model is app.after_model
        assert "h1_2 activation · After training" in str(boundary.border_title)
        assert app.export_screenshot() != whole
        await pilot.press("right")
        assert boundary.node == (2, 1)
        await pilot.press("right")  # the output node: the decision boundary again
        assert boundary.node is None
        await pilot.press("left")
        app.query_one("#hidden").focus()
        await pilot.pause()
        assert boundary.node is None and str(boundary.border_title) == "Decision boundary"


@pytest.mark.parametrize(
    ("dataset", "expected", "absent"),
    [
        ("moons", ("train acc ", "test acc "), "test loss"),
        ("sine", ("test loss ",), "acc"),
        ("seed", ("train acc 1.000",), "test acc"),
    ],
)
@app_test
async def test_scores_in_the_status_line(dataset: str, expected: tuple[str, ...], absent: str) -> None:
    app = make_app(
        seed=0,
        dataset=dataset,
        epochs=2_000 if dataset == "seed" else 100,
        learning_rate=0.5 if dataset == "seed" else 0.01,
    )
    async with app.run_test(size=SIZE) as pilot:
        await train_to_end(pilot)
        status = status_text(app)
        for part in expected:
            assert part in status
        assert absent not in status


@app_test
async def test_2d_snapshot_includes_the_boundary(tmp_path) -> None:
    app = make_app(seed=0, epochs=100, **MOONS_FLAGS)
    async with app.run_test(size=SIZE) as pilot:
        await train_to_end(pilot)
        await pilot.press("f2", "b")  # at 120 columns the 2-8-8-1 nets would be cut: the boundary waits for b
        assert app.query_one("#boundary").display
        written = app.files.export(tmp_path / "moons.txt")
        text = written.read_text()
        assert "Decision boundary" in text and "test acc" in text and "optimizer: adam" in text
        assert result(app).epochs_run == 100
        await settle(pilot)


@app_test
async def test_digits_chosen_with_the_keys_train_like_the_cli_and_the_status_shows_the_scores() -> None:
    app = make_app(seed=0, hidden="16")
    async with app.run_test(size=SIZE) as pilot:
        assert app.query_one("#epochs").value == "10000"  # the seed data's auto number
        app.query_one("#dataset").focus()
        await pilot.press("enter", "end", "enter")  # open the list, its last choice, take it
        await pilot.pause()
        assert app.query_one("#dataset").value == "digits"
        assert app.query_one("#epochs").value == "300" and app.query_one("#epochs").placeholder == "300"
        assert app.query_one("#noise").disabled and app.query_one("#samples").disabled
        boundary = app.query_one("#boundary")  # 64 inputs: no plane, but an 8x8 image of each unit's weights
        assert boundary.display and boundary.border_title == "Weights as images"
        app.query_one("#hidden").focus()
        await train_to_end(pilot)
        assert result(app).reason.value == "done" and result(app).epochs_run == 300
        _, after = cli_run("--dataset", "digits", "--hidden", "16", "--seed", "0")
        assert np.array_equal(app.after_model.parameters(), after.parameters())
        status = status_text(app)
        assert "train acc 0.999 · test acc 0.953 · done: 300 epochs" in status
        drawn = region_text(app, "#after")
        assert "more" in drawn and "px" in drawn  # 64 inputs, elided, called by their pixels
