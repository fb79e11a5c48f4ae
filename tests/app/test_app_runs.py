"""The runs of a session: every run kept and listed (F5), overlaid in the chart, compared
side by side (and as B − A), trained again from its settings; the oldest runs'
checkpoints go first when they would take too much memory."""

from __future__ import annotations

import numpy as np
from app_helpers import app_test, make_app, region_text, settle
from textual.widgets import DataTable, Input

from tui_mlp.app.screens.runs import RunsScreen
from tui_mlp.app.session import SESSION_CHECKPOINT_BYTES, Session
from tui_mlp.core.history import History


async def two_runs(pilot, second_hidden: str = "6", second_seed: str = "1") -> None:
    """Train the fields' run, then one with other hidden sizes and seed."""
    await pilot.press("enter")
    await settle(pilot)
    app = pilot.app
    app.query_one("#hidden", Input).value = second_hidden
    app.query_one("#seed", Input).value = second_seed
    await pilot.press("enter")
    await settle(pilot)


def table_rows(app) -> list[list[str]]:
    table = app.screen.query_one(DataTable)
    return [[str(cell) for cell in table.get_row_at(index)] for index in range(table.row_count)]


@app_test
async def test_f5_lists_every_run_with_its_settings_and_scores_the_current_marked() -> None:
    app = make_app(seed=1, dataset="moons", hidden="4", epochs=200)
    async with app.run_test(size=(120, 40)) as pilot:
        await two_runs(pilot)
        first, second = app.session.runs
        assert (first.number, second.number) == (1, 2) and app.run_state is second
        await pilot.press("f5")
        assert isinstance(app.screen, RunsScreen)
        rows = table_rows(app)
        scores = dict(first.scores())
        assert rows[0][:8] == [" 1", "", "2-4-1", "sigmoid", "adam", "0.01", "200", f"{first.final_loss:.4g}"]
        assert rows[0][8:10] == [f"{scores['train accuracy']:.3f}", f"{scores['test accuracy']:.3f}"]
        assert rows[0][-1] == "done" and rows[1][0] == "▶2" and rows[1][2] == "2-6-1"
        await pilot.press("right", "right", "right", "right", "right", "right", "right", "o")  # final loss, ascending
        losses = [float(row[7]) for row in table_rows(app)]
        assert losses == sorted(losses)
        await pilot.press("o")  # again: descending
        assert [float(row[7]) for row in table_rows(app)] == sorted(losses, reverse=True)


@app_test
async def test_space_overlays_a_run_in_the_loss_chart() -> None:
    app = make_app(seed=1, dataset="moons", hidden="4", epochs=200)
    async with app.run_test(size=(120, 40)) as pilot:
        await two_runs(pilot)
        await pilot.press("f5", "space")  # the cursor starts on run 1
        assert app.overlay == {1} and table_rows(app)[0][1] == "●"
        await pilot.press("escape")
        ((label, losses),) = app.others
        assert label == "run 1" and np.array_equal(losses, app.session.runs[0].result.losses)
        chart = region_text(app, "#loss")
        assert "this run" in chart and "run 1" in chart
        await pilot.press("f5", "space", "escape")
        assert app.overlay == frozenset() and app.others == ()


@app_test
async def test_compare_shows_run_a_before_and_b_after_and_their_difference() -> None:
    app = make_app(seed=1, dataset="moons", hidden="4", epochs=200)
    async with app.run_test(size=(120, 40)) as pilot:
        await two_runs(pilot, second_hidden="4", second_seed="2")  # the same shape, another start
        first, second = app.session.runs
        await pilot.press("f5", "c")
        assert app.compare == 1
        assert app.query_one("#before").border_title == "Run 1 (A) · epoch 200"
        assert app.query_one("#after").border_title == "Run 2 (B) · epoch 200"
        np.testing.assert_array_equal(app.before.parameters(), first.model.parameters())
        await pilot.press("f3", "d")
        difference = second.model.parameters() - first.model.parameters()
        drawn = app.query_one("#after").model
        assert drawn.parameters().tobytes() == difference.tobytes()
        assert app.query_one("#after").border_title == "Run 2 − run 1 · epoch 200"
        assert (
            app.after_model.parameters().tobytes() == second.model.parameters().tobytes()
        )  # the boundary's, the Node pane's
        assert app.query_one("#boundary").after is app.after_model
        await pilot.press("comma")  # a replay moves both: A at the checkpoint nearest B's
        epoch = second.history.epochs[-2]
        assert app.query_one("#before").border_title == f"Run 1 (A) · epoch {epoch}"
        assert app.before.parameters().tobytes() == first.at_epoch(epoch)[0].parameters().tobytes()
        await pilot.press("d", "right_curly_bracket", "f5", "down", "c")  # c on the current run: back to before/after
        assert app.compare is None and app.query_one("#before").border_title == "Before training"
        assert app.before is second.before


@app_test
async def test_e_puts_a_runs_settings_and_seed_in_the_fields() -> None:
    app = make_app(seed=1, dataset="moons", hidden="4", epochs=200)
    async with app.run_test(size=(120, 40)) as pilot:
        await two_runs(pilot)
        await pilot.press("f5", "e")
        await pilot.pause()
        assert not isinstance(app.screen, RunsScreen)
        fields = {name: app.query_one(f"#{name}").value for name in ("hidden", "seed", "epochs", "learning_rate")}
        assert fields == {"hidden": "4", "seed": "1", "epochs": "200", "learning_rate": "0.01"}
        assert app.query_one("#optimizer").value == "adam"
        await pilot.press("f4", "enter")
        await settle(pilot)
        third = app.session.runs[2]
        assert third.model.parameters().tobytes() == app.session.runs[0].model.parameters().tobytes()


@app_test
async def test_d_without_a_comparison_says_how_to_start_one() -> None:
    app = make_app(seed=1)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f3", "d")
        assert not app.difference
        assert any("F5" in str(note.message) for note in app._notifications)


class Kept:
    """A stand-in for a run: its history and whether its checkpoints were let go."""

    def __init__(self, megabytes: int) -> None:
        self.history: History | None = History([0])
        self.history.offer(0, np.zeros(megabytes * 2**20 // 8))
        self.number = 0

    def forget_checkpoints(self) -> None:
        self.history = None


def test_the_oldest_runs_checkpoints_go_first_when_the_session_would_exceed_its_budget() -> None:
    session = Session()
    runs = [session.add(Kept(64)) for _ in range(4)]  # 64 MB each: three fit beside a new run's 64
    assert [run.number for run in runs] == [1, 2, 3, 4]
    assert all(run.history is not None for run in runs)
    fifth = session.add(Kept(64))
    assert runs[0].history is None and all(run.history is not None for run in runs[1:])
    assert fifth.number == 5 and SESSION_CHECKPOINT_BYTES == 256 * 2**20


@app_test
async def test_the_palette_saves_every_run_as_a_history_file_and_the_losses_as_csv(tmp_path) -> None:
    from tui_mlp.core.history_file import load_history

    app = make_app(seed=1, dataset="moons", hidden="4", epochs=200, files=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await two_runs(pilot)
        first, second = app.session.runs
        first.forget_checkpoints()  # as the session's memory budget does
        written = app.files.save_runs(tmp_path / "runs.json")
        assert [path.name for path in written] == ["runs-1.json", "runs-2.json"]
        saved = load_history(tmp_path / "runs-2.json")
        assert saved.history.epochs == second.history.epochs
        assert saved.checkpoint(-1).parameters().tobytes() == second.model.parameters().tobytes()
        only_end = load_history(tmp_path / "runs-1.json")  # its checkpoints were let go: its end stays
        assert only_end.history.epochs == [200]
        assert only_end.checkpoint(0).parameters().tobytes() == first.model.parameters().tobytes()
        csv = app.files.export_losses(tmp_path / "losses.csv")
        assert csv is not None and csv.read_text().splitlines()[1].startswith("1,")
        assert len(csv.read_text().splitlines()) == 201


@app_test
async def test_a_runs_file_beside_the_typed_one_may_not_lead_out_of_the_files_folder(tmp_path) -> None:
    inside, outside = tmp_path / "inside", tmp_path / "outside"
    inside.mkdir()
    outside.mkdir()
    (inside / "runs-1.json").symlink_to(outside / "stolen.json")
    app = make_app(seed=1, epochs=20, files=inside)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        await settle(pilot)
        assert app.files.save_runs(inside / "runs.json") == []
        assert not (outside / "stolen.json").exists()
        await pilot.pause()
        assert [str(note.message) for note in app._notifications] == ["runs-1.json: leads outside the working folder"]
