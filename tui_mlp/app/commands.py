"""Command-palette entries: export the view and save or load parameters."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import partial
from typing import Any

from textual.app import App, SystemCommand
from textual.command import DiscoveryHit, Hit, Hits, Provider

from .files import Files

EXPORT_FORMATS = {".txt": "plain text", ".svg": "SVG", ".html": "HTML", ".ansi": "ANSI colour text"}


class MLPCommands(Provider):
    """Exports (text, SVG, HTML, ANSI) and parameter files, each asking for a path."""

    def _commands(self) -> list[tuple[str, str, Callable[[], None]]]:
        files: Files = self.app.files  # type: ignore[attr-defined]
        commands = [
            (
                f"Export snapshot as {name}",
                f"Before, after and loss as a {suffix} file",
                partial(files.ask_export, suffix),
            )
            for suffix, name in EXPORT_FORMATS.items()
        ]
        commands += [
            ("Save parameters", "Write the After network to a JSON parameter file", files.ask_save),
            ("Load parameters", "Open a saved network from a JSON parameter file", files.ask_load),
            ("Save runs", "Write every run of the session with its checkpoints (history files)", files.ask_save_runs),
            ("Export loss curves", "Write the run's training and test losses as CSV", files.ask_export_losses),
        ]
        return commands

    async def discover(self) -> Hits:
        for name, help_text, callback in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)


def with_screenshot(
    app: App[Any], commands: Iterable[SystemCommand], save: Callable[[], None]
) -> Iterator[SystemCommand]:
    """Textual's system ``commands`` with its Screenshot replaced by one that calls ``save``
    (Textual's own saves to ~/Downloads, which may not exist, nor be in a served app's folder)."""
    for command in commands:
        if command.title != "Screenshot":
            yield command
    yield SystemCommand(
        "Screenshot",
        "Save an SVG of the screen to a timestamped file here (where ctrl+s writes)",
        lambda: app.set_timer(0.1, save),  # once the palette has closed
    )
