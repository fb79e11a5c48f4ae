"""Shared helpers for the app tests."""

from __future__ import annotations

import asyncio
import functools
from collections import Counter
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from tui_mlp import cli
from tui_mlp.app import MLPApp
from tui_mlp.core import MLP
from tui_mlp.core.parse import parse_hidden
from tui_mlp.core.run import Loaded
from tui_mlp.core.specs import DataSpec, Settings, TrainingSpec

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
    run = cli.build_run(args, *cli.specs_from(args, parser))
    run.fit()
    return run.before, run.model


def make_app(
    *,
    seed: int | None = None,
    hidden: str = "5",
    dataset: str = "seed",
    data_file: str | None = None,
    targets: tuple[str, ...] = (),
    samples: int | None = None,
    noise: float | None = None,
    model: MLP | None = None,
    ascii: bool = False,
    files: Path | None = None,
    **training: Any,
) -> MLPApp:
    """The app with its fields filled in as the keywords say (``hidden`` as typed, the
    rest as ``TrainingSpec`` names them); ``model`` as if given with ``--load``."""
    training_spec = TrainingSpec(hidden=parse_hidden(hidden), **training)
    data = DataSpec(dataset, data_file, tuple(targets), samples, noise)
    loaded = Loaded(model, "net.json", {}) if model is not None else None
    return MLPApp(Settings(training_spec, data, seed), loaded, ascii=ascii, files=files)


def reporting(label: str, counts: Counter[str]) -> Callable[..., Iterator[None]]:
    """A module fixture that prints ``counts`` once the module's tests are done."""

    @pytest.fixture(scope="module", autouse=True)
    def report(request: pytest.FixtureRequest) -> Iterator[None]:
        yield
        if counts:
            with request.config.pluginmanager.get_plugin("capturemanager").global_and_fixture_disabled():
                print(f"\n{label}: {dict(counts)}")

    return report
