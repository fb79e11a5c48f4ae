"""The help screen: every key the app answers to, grouped by where it works."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

# Keys handled by widgets rather than by bindings we declare.
GENERAL_KEYS = [
    ("tab / shift+tab", "Move between the fields, the Train button and the panels"),
    ("enter", "In a field or on Train: build a new network and train it"),
    ("ctrl+p", "Command palette: export SVG/HTML/ANSI, save or load parameters"),
]


class HelpScreen(ModalScreen[None]):
    """A table of keys; any of the help keys or Escape closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,f1,question_mark,q", "dismiss", "Close help")]

    def __init__(self, sections: Sequence[tuple[str, Sequence[Binding]]]) -> None:
        super().__init__()
        self._sections = sections

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help") as scroll:
            scroll.border_title = "Keys"
            scroll.border_subtitle = "Escape closes"
            yield Static(self._table())

    def _table(self) -> Table:
        table = Table(box=None, show_header=False, padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        table.add_row("[b]Everywhere[/b]", "")
        for keys, what in GENERAL_KEYS:
            table.add_row(keys, what)
        for title, bindings in self._sections:
            table.add_row("", "")
            table.add_row(f"[b]{title}[/b]", "")
            listed: set[str] = set()
            for binding in bindings:  # a key with a binding for each state (space: pause, resume) is listed once
                if binding.key not in listed:
                    listed.add(binding.key)
                    keys = " / ".join(self.app.get_key_display(Binding(key, "")) for key in binding.key.split(","))
                    table.add_row(keys, binding.tooltip or binding.description)
        return table
