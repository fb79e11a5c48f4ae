"""The control bar: the network, training and data settings, and Train.

Compact one-line fields with small labels in a grid (2 rows at ≥ 140 columns,
3 at ≥ 100, 4 below), each validated inline with the shared ``parse_*``
functions that the command line uses.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Grid, Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Select, Static

from tui_mlp.core.activations import HIDDEN_ACTIVATIONS
from tui_mlp.core.csvdata import DataError
from tui_mlp.core.datasets import DATASETS
from tui_mlp.core.optimizers import DEFAULT_MOMENTUM, OPTIMIZERS
from tui_mlp.core.problem import FIXED_DATASETS, DataSpec, TrainingSpec
from tui_mlp.core.settings import (
    parse_activation,
    parse_batch_size,
    parse_epochs,
    parse_hidden,
    parse_learning_rate,
    parse_noise,
    parse_samples,
    parse_seed,
    parse_weight_decay,
)

from ..messages import TrainRequested
from ..run import RunSettings, data_label, data_shape

HIDDEN_PROMPT = "Enter the number of hidden layer neurons"
CSV_PREFIX = "csv:"  # the dataset choice of a CSV file is CSV_PREFIX + its path


def _optional(parse: Callable[[str], Any]) -> Callable[[str], Any]:
    """``parse``, but empty text means None (the default)."""

    def parse_or_none(text: str) -> Any:
        return parse(text) if text.strip() else None

    return parse_or_none


@dataclass(frozen=True)
class FieldSpec:
    label: str
    parse: Callable[[str], Any]
    tooltip: str
    placeholder: str = ""


# field id -> how it is shown and parsed; every parser raises ValueError with a user-facing message.
FIELDS: dict[str, FieldSpec] = {
    "hidden": FieldSpec(
        "Hidden neurons", parse_hidden, f"{HIDDEN_PROMPT}: 5, or 8,4 for two hidden layers", HIDDEN_PROMPT
    ),
    "activation": FieldSpec("Activation", parse_activation, "The hidden layers' activation function"),
    "epochs": FieldSpec("Epochs", parse_epochs, "How many passes over the training data"),
    "learning_rate": FieldSpec("Learning rate", parse_learning_rate, "Step size of each update"),
    "optimizer": FieldSpec("Optimizer", str, "gd: plain gradient descent (the seed's); momentum; adam"),
    "batch_size": FieldSpec("Batch", _optional(parse_batch_size), "Mini-batch size; empty: the full batch", "full"),
    "weight_decay": FieldSpec("L2 decay", parse_weight_decay, "L2 weight decay, 0 to 10 (0: none)"),
    "seed": FieldSpec("Seed", _optional(parse_seed), "Random seed; empty: a new random one each run", "random"),
    "dataset": FieldSpec("Dataset", str, "The data to learn (2-D ones show a decision boundary)"),
    "noise": FieldSpec(
        "Noise", _optional(parse_noise), "Noise level of a generated dataset; empty: its default", "default"
    ),
    "samples": FieldSpec(
        "Samples", _optional(parse_samples), "Samples of a generated dataset; empty: its default", "default"
    ),
}
SELECTS = {"activation": HIDDEN_ACTIVATIONS, "optimizer": OPTIMIZERS, "dataset": tuple(DATASETS)}
GENERATED_ONLY = ("noise", "samples")  # disabled for the fixed datasets and CSV files


@dataclass(frozen=True)
class Extras:
    """Settings the command line can give that have no field of their own."""

    momentum: float = DEFAULT_MOMENTUM
    output: str = "auto"
    loss: str = "auto"
    test_split: float | None = None
    csv_file: str | None = None
    targets: tuple[str, ...] = ()


class Field(Horizontal):
    """A small label and its one-line control; the label turns red while the value is invalid."""

    def __init__(self, name: str, control: Widget) -> None:
        spec = FIELDS[name]
        super().__init__(Label(spec.label, classes="label"), control, id=f"{name}-field")
        control.tooltip = spec.tooltip


class ControlBar(Vertical):
    """Validates every field inline and posts ``TrainRequested`` with valid settings."""

    def __init__(self, values: dict[str, str], extras: Extras = Extras()) -> None:
        super().__init__()
        self._initial = values
        self.extras = extras

    def _choices(self, name: str) -> list[tuple[str, str]]:
        choices = [(choice, choice) for choice in SELECTS[name]]
        if name == "dataset" and self.extras.csv_file:
            spec = DataSpec(csv_file=self.extras.csv_file, targets=self.extras.targets)
            choices.append((data_label(spec), CSV_PREFIX + self.extras.csv_file))
        return choices

    def compose(self) -> ComposeResult:
        with Grid(id="fields"):
            for name, spec in FIELDS.items():
                value = self._initial.get(name, "")
                if name in SELECTS:
                    control: Widget = Select(self._choices(name), value=value, allow_blank=False, id=name, compact=True)
                else:
                    control = Input(value, placeholder=spec.placeholder, id=name, compact=True)
                yield Field(name, control)
            yield Button("Train ⏎", id="train", variant="primary", compact=True, tooltip="Build a network and train it")
        yield Static(id="errors")

    def on_mount(self) -> None:
        self._enable_generated()

    def value(self, name: str) -> str:
        """The raw text of field ``name``."""
        widget = self.query_one(f"#{name}")
        return str(widget.value) if isinstance(widget, Select) else widget.value

    def set_value(self, name: str, value: str) -> None:
        """Replace the text (or choice) of field ``name``."""
        self.query_one(f"#{name}").value = value

    def data_spec(self, noise: float | None = None, samples: int | None = None) -> DataSpec:
        """The data the dataset field names (with ``noise`` and ``samples`` for generated ones)."""
        choice = self.value("dataset")
        if choice.startswith(CSV_PREFIX):
            return DataSpec(
                csv_file=choice.removeprefix(CSV_PREFIX), targets=self.extras.targets, test_split=self.extras.test_split
            )
        if choice in FIXED_DATASETS:
            noise = samples = None
        return DataSpec(choice, samples=samples, noise=noise, test_split=self.extras.test_split)

    @property
    def generated(self) -> bool:
        """Whether the chosen dataset is generated (takes noise and samples)."""
        choice = self.value("dataset")
        return not choice.startswith(CSV_PREFIX) and choice not in FIXED_DATASETS

    def read(self) -> RunSettings | None:
        """Validate every field; show the messages and return None if any is bad."""
        parsed: dict[str, Any] = {}
        errors: dict[str, str] = {}
        for name, spec in FIELDS.items():
            if name in GENERATED_ONLY and not self.generated:
                parsed[name] = None
                continue
            try:
                parsed[name] = spec.parse(self.value(name))
            except ValueError as error:
                errors[name] = str(error)
        if errors:
            self._show_errors(errors)
            return None
        extras = self.extras
        training = TrainingSpec(
            hidden=parsed["hidden"],
            activation=parsed["activation"],
            output=extras.output,
            loss=extras.loss,
            epochs=parsed["epochs"],
            learning_rate=parsed["learning_rate"],
            optimizer=parsed["optimizer"],
            momentum=extras.momentum,
            batch_size=parsed["batch_size"],
            weight_decay=parsed["weight_decay"],
        )
        settings = RunSettings(training, self.data_spec(parsed["noise"], parsed["samples"]), parsed["seed"])
        try:
            shape = data_shape(settings.data)
        except (ValueError, DataError) as error:
            errors["dataset"] = str(error)
        else:
            try:
                settings.layer_sizes(shape)
            except ValueError as error:
                errors["hidden"] = str(error)
        self._show_errors(errors)
        return None if errors else settings

    def _show_errors(self, errors: dict[str, str]) -> None:
        for name in FIELDS:
            self.query_one(f"#{name}-field").set_class(name in errors, "-invalid")
        lines = [f"✗ {FIELDS[name].label}: {message}" for name, message in errors.items()]
        self.query_one("#errors", Static).update("\n".join(lines))
        self.set_class(bool(errors), "-invalid")

    def _enable_generated(self) -> None:
        for name in GENERATED_ONLY:
            self.query_one(f"#{name}", Input).disabled = not self.generated

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
    @on(Select.Changed)
    def _revalidate(self, event: Input.Changed | Select.Changed) -> None:
        """Clear a field's message as soon as its text becomes valid."""
        if event.control.id == "dataset":
            self._enable_generated()
        if self.has_class("-invalid"):
            self.read()
