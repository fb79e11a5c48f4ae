"""Shared helpers for the app tests."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Coroutine
from typing import Any

from textual.pilot import Pilot

from tui_mlp import cli
from tui_mlp.app import MLPApp
from tui_mlp.core import MLP

SIZE = (120, 40)


def app_test(test: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Run an async test in its own event loop (no async pytest plugin needed)."""

    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return run


async def train_to_end(pilot: Pilot) -> None:
    """Press Enter (the hidden field is focused at start) and wait for the run to finish."""
    await pilot.press("enter")
    await settle(pilot)


async def settle(pilot: Pilot, timeout: float | None = None) -> None:
    """Wait for the training worker to end (within ``timeout`` seconds, if given) and
    its last messages to be handled."""
    await pilot.pause()
    await asyncio.wait_for(pilot.app.workers.wait_for_complete(), timeout)
    await pilot.pause()


def result(app: MLPApp):
    assert app.run_state is not None and app.run_state.result is not None
    return app.run_state.result


def screen_text(app: MLPApp) -> str:
    """What the terminal shows now, as plain text."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def region_text(app: MLPApp, selector: str) -> str:
    """What the terminal shows inside the widget ``selector``."""
    region = app.query_one(selector).region
    strips = app.screen._compositor.render_strips()[region.y : region.bottom]
    return "\n".join(strip.crop(region.x, region.right).text for strip in strips)


def status_text(app: MLPApp) -> str:
    return str(app.query_one("#status").render())


def cli_run(*flags: str) -> tuple[MLP, MLP]:
    """(initial, trained) networks exactly as ``tui-mlp train FLAGS`` builds and trains them."""
    parser = cli.build_parser()
    args = parser.parse_args(["train", *flags])
    training, data = cli._specs(args, parser)
    run = cli.prepare(args, training, data)
    before = run.model.copy()
    training.train(run.model, run.train, run.seed)
    return before, run.model
