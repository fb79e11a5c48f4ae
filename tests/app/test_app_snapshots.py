"""Snapshot tests of the main screens at 120x40 (fixed seed, no clock on screen)."""

from __future__ import annotations

from app_helpers import make_app
from textual.pilot import Pilot
from textual.widgets import Input

from tui_mlp.app import MLPApp

SIZE = (120, 40)


def steady_app(**settings) -> MLPApp:
    app = make_app(seed=0, **settings)
    app.timing = False
    return app


async def _steady_cursor(pilot: Pilot) -> None:
    """The text cursor shown, not blinking: whether it is on when the picture is taken
    would depend on how long the steps before took."""
    for field in pilot.app.query(Input):
        field.cursor_blink = False
    await pilot.pause()


async def _train(pilot: Pilot) -> None:
    await pilot.press("enter")
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await _steady_cursor(pilot)


async def _train_and_focus_node(pilot: Pilot) -> None:
    await _train(pilot)
    pilot.app.query_one("#after").focus()
    await pilot.press("right", "down", "down")


async def _backprop(pilot: Pilot) -> None:
    """The backprop view of a new run paused before its first epoch, going back, on h2."""
    await pilot.press("f3", "g", "s")
    while not (pilot.app.run_state and pilot.app.run_state.control.paused):
        await pilot.pause()
    await pilot.press("n", "n", "n", "n", "right", "down")
    await _steady_cursor(pilot)


async def _help(pilot: Pilot) -> None:
    await pilot.press("f1")


async def _bad_input(pilot: Pilot) -> None:
    await pilot.press("ctrl+a", "4", ",", ",", "2", "enter")
    await _steady_cursor(pilot)


async def _replay(pilot: Pilot) -> None:
    """A finished moons run replayed at a checkpoint three jumps back from the end."""
    await _train(pilot)
    await pilot.press("f3", "less_than_sign", "less_than_sign", "less_than_sign")
    await _steady_cursor(pilot)


async def _runs(pilot: Pilot) -> None:
    """Two moons runs (seeds 0 and 1) in the Runs screen, run 1 drawn in the chart too."""
    await _train(pilot)
    pilot.app.query_one("#seed", Input).value = "1"
    await pilot.press("f4")
    await _train(pilot)
    await pilot.press("f5", "space")
    await _steady_cursor(pilot)


async def _compare(pilot: Pilot) -> None:
    """Run 1 (A) against run 2 (B), then B − A."""
    await _runs(pilot)
    await pilot.press("c", "f3", "d")
    await _steady_cursor(pilot)


def test_replay(snap_compare) -> None:
    app = steady_app(dataset="moons", hidden="4", epochs=300)
    assert snap_compare(app, terminal_size=SIZE, run_before=_replay)


def test_runs_screen(snap_compare) -> None:
    app = steady_app(dataset="moons", hidden="4", epochs=300)
    assert snap_compare(app, terminal_size=SIZE, run_before=_runs)


def test_two_runs_compared(snap_compare) -> None:
    app = steady_app(dataset="moons", hidden="4", epochs=300)
    assert snap_compare(app, terminal_size=SIZE, run_before=_compare)


def test_start_screen(snap_compare) -> None:
    assert snap_compare(steady_app(), terminal_size=SIZE)


def test_trained(snap_compare) -> None:
    assert snap_compare(steady_app(), terminal_size=SIZE, run_before=_train)


def test_node_focused(snap_compare) -> None:
    assert snap_compare(steady_app(), terminal_size=SIZE, run_before=_train_and_focus_node)


def test_backprop_view(snap_compare) -> None:
    assert snap_compare(steady_app(), terminal_size=SIZE, run_before=_backprop)


def test_help_screen(snap_compare) -> None:
    assert snap_compare(steady_app(), terminal_size=SIZE, run_before=_help)


def test_bad_input(snap_compare) -> None:
    assert snap_compare(steady_app(), terminal_size=SIZE, run_before=_bad_input)


def test_too_small(snap_compare) -> None:
    assert snap_compare(steady_app(), terminal_size=(50, 15))


def test_boundary_with_a_focused_hidden_node(snap_compare) -> None:
    app = steady_app(
        dataset="moons", hidden="8,8", activation="tanh", optimizer="adam", learning_rate=0.01, epochs=2000
    )
    assert snap_compare(app, terminal_size=SIZE, run_before=_train_and_focus_node)
