"""The baseline for start-up time: a Textual app with one Static."""

from textual.app import App, ComposeResult
from textual.widgets import Static


class BareApp(App[None]):
    """A Textual app with one Static."""

    def compose(self) -> ComposeResult:
        yield Static("hello")
