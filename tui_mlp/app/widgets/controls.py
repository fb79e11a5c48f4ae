"""The control bar: hidden sizes, epochs, learning rate, activation, dataset, seed and Train."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Container, Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Button, Input, Select, Static

from tui_mlp.core.activations import HIDDEN_ACTIVATIONS
from tui_mlp.core.datasets import DATASETS, load_dataset
from tui_mlp.core.settings import (
    parse_activation,
    parse_epochs,
    parse_hidden,
    parse_learning_rate,
    parse_seed,
)

from ..messages import TrainRequested
from ..run import RunSettings

HIDDEN_PROMPT = "Enter the number of hidden layer neurons"


def _seed_or_random(text: str) -> int | None:
    return parse_seed(text) if text.strip() else None


# field id -> (title, parser); every parser raises ValueError with a user-facing message.
FIELDS: dict[str, tuple[str, Callable[[str], Any]]] = {
    "hidden": (HIDDEN_PROMPT, parse_hidden),
    "epochs": ("Epochs", parse_epochs),
    "learning_rate": ("Learning rate", parse_learning_rate),
    "activation": ("Activation", parse_activation),
    "dataset": ("Dataset", str),
    "seed": ("Seed", _seed_or_random),
}


class Field(Container):
    """A bordered, titled slot for one control; turns red while its value is invalid."""

    def __init__(self, title: str, *children: Widget, id: str) -> None:
        super().__init__(*children, id=id)
        self.border_title = title


class ControlBar(Vertical):
    """Validates every field inline and posts ``TrainRequested`` with valid settings."""

    def __init__(
        self, *, hidden: str, epochs: int, learning_rate: float, activation: str, dataset: str, seed: int | None
    ) -> None:
        super().__init__()
        self._initial = {
            "hidden": hidden,
            "epochs": str(epochs),
            "learning_rate": f"{learning_rate:g}",
            "activation": activation,
            "dataset": dataset,
            "seed": "" if seed is None else str(seed),
        }

    def compose(self) -> ComposeResult:
        values = self._initial
        with Horizontal(id="first-row"):
            yield Field(
                HIDDEN_PROMPT,
                Input(values["hidden"], placeholder="e.g. 5, or 8,4 for two layers", id="hidden", compact=True),
                id="hidden-field",
            )
            yield Button("Train", id="train", variant="primary")
        with Horizontal(id="second-row"):
            for name in ("epochs", "learning_rate"):
                yield Field(FIELDS[name][0], Input(values[name], id=name, compact=True), id=f"{name}-field")
            for name, choices in (("activation", HIDDEN_ACTIVATIONS), ("dataset", tuple(DATASETS))):
                select = Select(
                    [(choice, choice) for choice in choices],
                    value=values[name],
                    allow_blank=False,
                    id=name,
                    compact=True,
                )
                yield Field(FIELDS[name][0], select, id=f"{name}-field")
            yield Field("Seed", Input(values["seed"], placeholder="random", id="seed", compact=True), id="seed-field")
        yield Static(id="errors")

    def value(self, name: str) -> str:
        """The raw text of field ``name``."""
        widget = self.query_one(f"#{name}")
        return str(widget.value) if isinstance(widget, Select) else widget.value

    def set_value(self, name: str, value: str) -> None:
        """Replace the text (or choice) of field ``name``."""
        self.query_one(f"#{name}").value = value

    def read(self) -> RunSettings | None:
        """Validate every field; show the messages and return None if any is bad."""
        parsed: dict[str, Any] = {}
        errors: dict[str, str] = {}
        for name, (_, parse) in FIELDS.items():
            try:
                parsed[name] = parse(self.value(name))
            except ValueError as error:
                errors[name] = str(error)
        if not errors:
            settings = RunSettings(**parsed)
            try:
                settings.layer_sizes(load_dataset(settings.dataset, settings.seed))
            except ValueError as error:
                errors["hidden"] = str(error)
        self._show_errors(errors)
        return None if errors else settings

    def _show_errors(self, errors: dict[str, str]) -> None:
        for name in FIELDS:
            self.query_one(f"#{name}-field").set_class(name in errors, "-invalid")
        lines = [f"✗ {FIELDS[name][0]}: {message}" for name, message in errors.items()]
        self.query_one("#errors", Static).update("\n".join(lines))
        self.set_class(bool(errors), "-invalid")

    def submit(self) -> None:
        """Post ``TrainRequested`` if every field is valid."""
        settings = self.read()
        if settings is not None:
            self.post_message(TrainRequested(settings))

    @on(Input.Submitted)
    @on(Button.Pressed, "#train")
    def _submit(self, event: Input.Submitted | Button.Pressed) -> None:
        event.stop()
        self.submit()

    @on(Input.Changed)
    def _revalidate(self, event: Input.Changed) -> None:
        """Clear a field's message as soon as its text becomes valid."""
        if self.has_class("-invalid"):
            self.read()
