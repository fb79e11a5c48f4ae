"""The stack's floor for start-up time: only the widgets the app issue asks for, no tui-mlp code."""

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Button, Footer, Header, Input, Select, Static
from textual_plotext import PlotextPlot


class RequiredWidgetsApp(App[None]):
    """Header, the five required fields and Train, two panels, a plotext chart, a status line, Footer."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("space", "pause", "Pause"),
        Binding("w", "table", "Weights"),
        Binding("ctrl+s", "snapshot", "Snapshot"),
        Binding("f1", "help", "Help"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(classes="bar"):
            yield Input("5", placeholder="Enter the number of hidden layer neurons", compact=True)
            yield Input("10000", compact=True)
            yield Input("0.1", compact=True)
            yield Select([("sigmoid", "sigmoid"), ("tanh", "tanh")], value="sigmoid", allow_blank=False, compact=True)
            yield Select([("seed", "seed"), ("xor", "xor")], value="seed", allow_blank=False, compact=True)
            yield Button("Train", compact=True)
        with Horizontal():
            yield Static("Before training")
            yield Static("After training")
        yield PlotextPlot()
        yield Static("epoch 0 / 10,000")
        yield Footer()
