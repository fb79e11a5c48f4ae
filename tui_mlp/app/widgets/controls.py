"""The control bar: the network, training and data settings, and Train.

Compact one-line fields with small labels in a grid (2 rows at ≥ 140 columns,
3 at ≥ 100, 4 below). Each field stands for one attribute of the run's
``Settings`` and is validated inline with the ``parse_*`` function the command
line uses; reading the bar gives the settings it started from with the fields'
values put in (``dataclasses.replace``), so what has no field is kept.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Grid, Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Select, Static

from tui_mlp.core.choices import DATASET_NAMES, DTYPES, HIDDEN_ACTIVATIONS, OPTIMIZERS
from tui_mlp.core.errors import DataError
from tui_mlp.core.parse import (
    FULL_BATCH,
    RANDOM_SEED,
    parse_activation,
    parse_auto_learning_rate,
    parse_batch_size,
    parse_epochs,
    parse_hidden,
    parse_noise,
    parse_samples,
    parse_seed,
    parse_weight_decay,
)
from tui_mlp.core.specs import (
    AUTO,
    AUTO_EPOCHS_RULE,
    AUTO_OPTIMIZER_RULE,
    AUTO_RATE_RULE,
    FIXED_DATASETS,
    DataSpec,
    Settings,
    auto_epochs,
)

from ..messages import TrainRequested
from ..session import data_shape, unlike

if TYPE_CHECKING:
    from tui_mlp.core.run import Loaded

HIDDEN_PROMPT = "Enter the number of hidden layer neurons"


@dataclass(frozen=True)
class Table:
    """The dataset choice of a CSV table: its path and target columns."""

    path: str
    targets: tuple[str, ...]

    def __str__(self) -> str:
        return self.path

    @property
    def label(self) -> str:
        """As the dataset field shows it: ``file.csv → target``."""
        return f"{Path(self.path).name} → {','.join(self.targets)}"


def _text(value: object) -> str:
    """A setting as its field shows it: empty for None, ``8,4`` for sizes, ``0.1`` for numbers."""
    if value is None:
        return ""
    if isinstance(value, tuple):
        return ",".join(map(str, value))
    return f"{value:g}" if isinstance(value, float) else str(value)


def _auto_epochs(choice: str | Table) -> str:
    """The epochs ``auto`` trains the dataset field's ``choice`` for, as the field writes them."""
    return str(auto_epochs("" if isinstance(choice, Table) else choice))


@dataclass(frozen=True)
class FieldSpec:
    """One field: its label, the ``Settings`` part and attribute it sets, how its text is read.

    One rule for empty text: a field with a ``prompt`` must be filled in (it asks with the
    prompt); any other means the attribute's default, ``Settings()``'s, which the field's
    placeholder and hint show (``none`` names a default of None).
    """

    label: str
    part: str  # "training", "data" or "" (the seed)
    attribute: str
    parse: Callable[[str], Any]
    tooltip: str
    prompt: str = ""
    none: str = "default"

    @property
    def default(self) -> Any:
        settings = Settings()
        return getattr(getattr(settings, self.part) if self.part else settings, self.attribute)

    @property
    def placeholder(self) -> str:
        return self.prompt or (self.none if self.default is None else _text(self.default))

    @property
    def hint(self) -> str:
        return self.tooltip if self.prompt else f"{self.tooltip}; empty: {self.placeholder}"

    def read(self, text: str) -> Any:
        """The setting ``text`` stands for (ValueError with a message if it is bad)."""
        return self.parse(text) if text.strip() or self.prompt else self.default


# field id -> how it is shown and parsed; every parser raises ValueError with a user-facing message.
FIELDS: dict[str, FieldSpec] = {
    "hidden": FieldSpec(
        "Hidden neurons",
        "training",
        "hidden",
        parse_hidden,
        f"{HIDDEN_PROMPT}: 5, or 8,4 for two hidden layers",
        prompt=HIDDEN_PROMPT,
    ),
    "activation": FieldSpec(
        "Activation", "training", "activation", parse_activation, "The hidden layers' activation function"
    ),
    "epochs": FieldSpec(
        "Epochs",
        "training",
        "epochs",
        parse_epochs,
        "Passes over the training data (0: only evaluate the network)",
        none=AUTO_EPOCHS_RULE,
    ),
    "learning_rate": FieldSpec(
        "Learning rate",
        "training",
        "learning_rate",
        parse_auto_learning_rate,
        f"Step size of each update, or auto: {AUTO_RATE_RULE}",
        none=AUTO,
    ),
    "optimizer": FieldSpec(
        "Optimizer",
        "training",
        "optimizer",
        str,
        f"gd: plain gradient descent (the seed's); momentum; adam; auto: {AUTO_OPTIMIZER_RULE}",
    ),
    "batch_size": FieldSpec(
        "Batch",
        "training",
        "batch_size",
        parse_batch_size,
        f"Mini-batch size, or {FULL_BATCH} (every sample at once)",
        none=FULL_BATCH,
    ),
    "weight_decay": FieldSpec(
        "L2 decay", "training", "weight_decay", parse_weight_decay, "L2 weight decay, 0 to 10 (0: none)"
    ),
    "dtype": FieldSpec(
        "Dtype", "training", "dtype", str, "float64: the seed script's numbers, bit for bit; float32: half the memory"
    ),
    "seed": FieldSpec(
        "Seed", "", "seed", parse_seed, f"Random seed, or {RANDOM_SEED} (a new one each run)", none=RANDOM_SEED
    ),
    "dataset": FieldSpec("Dataset", "data", "dataset", str, "The data to learn (2-D ones show a decision boundary)"),
    "noise": FieldSpec("Noise", "data", "noise", parse_noise, "Noise level of a generated dataset"),
    "samples": FieldSpec("Samples", "data", "samples", parse_samples, "Samples of a generated dataset"),
}
SELECTS = {
    "activation": HIDDEN_ACTIVATIONS,
    "optimizer": (AUTO, *OPTIMIZERS),
    "dtype": DTYPES,
    "dataset": DATASET_NAMES,
}
GENERATED_ONLY = ("noise", "samples")  # disabled for the fixed datasets and CSV files


class Field(Horizontal):
    """A small label and its one-line control; the label turns red while the value is invalid."""

    def __init__(self, name: str, control: Widget) -> None:
        spec = FIELDS[name]
        super().__init__(Label(spec.label, classes="label"), control, id=f"{name}-field")
        control.tooltip = spec.hint if isinstance(control, Input) else spec.tooltip


class ControlBar(Vertical):
    """Shows ``settings`` in its fields, validates them inline and posts ``TrainRequested``."""

    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self.settings = settings
        data = settings.data
        self.table = Table(data.csv_file, data.targets) if data.csv_file else None
        self.loaded: Loaded | None = None  # the network Train goes on training while the fields describe it
        self.auto_epochs = _auto_epochs(self.table or data.dataset)  # what Epochs shows until it is edited

    def _initial(self, name: str) -> object:
        spec = FIELDS[name]
        if name == "dataset":
            return self.table or self.settings.data.dataset
        part = getattr(self.settings, spec.part) if spec.part else self.settings
        value = getattr(part, spec.attribute)
        if name == "epochs" and value is None:
            return self.auto_epochs  # written out, as the seed script's 10000 always was
        return value

    def _choices(self, name: str) -> list[tuple[str, object]]:
        choices: list[tuple[str, object]] = [(choice, choice) for choice in SELECTS[name]]
        if name == "dataset" and self.table is not None:
            choices.append((self.table.label, self.table))
        return choices

    def compose(self) -> ComposeResult:
        with Grid(id="fields"):
            for name, spec in FIELDS.items():
                value = self._initial(name)
                if name in SELECTS:
                    control: Widget = Select(self._choices(name), value=value, allow_blank=False, id=name, compact=True)
                else:
                    control = Input(_text(value), placeholder=spec.placeholder, id=name, compact=True)
                yield Field(name, control)
            yield Button("Train ⏎", id="train", variant="primary", compact=True, tooltip="Build a network and train it")
        with Vertical(id="messages"):  # over the panels, below the fields: nothing moves when they appear
            yield Static(id="errors")
            yield Static(id="note")

    def on_mount(self) -> None:
        self._follow_dataset()

    def value(self, name: str) -> Any:
        """The text of field ``name`` (a choice's value, for a select)."""
        return self.query_one(f"#{name}").value

    def set_value(self, name: str, value: object) -> None:
        """Replace the text (or choice) of field ``name``."""
        self.query_one(f"#{name}").value = value

    def show_loaded(self, loaded: Loaded) -> None:
        """Put the ``loaded`` network's hidden sizes and activation in their fields; while
        they describe it, Train goes on training it."""
        from tui_mlp.core.params import loaded_dtype  # the engine: loaded with the network

        self.loaded = loaded
        self.set_value("hidden", _text(loaded.model.layer_sizes[1:-1]))
        self.set_value("activation", loaded.model.activation)
        self.set_value("dtype", loaded_dtype(loaded.model.dtype.name, self.value("dtype")))

    def fill(self, settings: Settings) -> None:
        """Put ``settings`` in the fields (a run to train again); its data only where the dataset
        field offers it (a built-in dataset, or the table the app opened with)."""
        for name, spec in FIELDS.items():
            part = getattr(settings, spec.part) if spec.part else settings
            value = getattr(part, spec.attribute)
            if name == "dataset":
                data = settings.data
                choice = Table(data.csv_file, data.targets) if data.csv_file else data.dataset
                if any(option == choice for _, option in self._choices("dataset")):
                    self.set_value(name, choice)
            elif name in SELECTS:
                self.set_value(name, value)
            else:
                self.set_value(name, _text(value))

    def data_spec(self, noise: float | None = None, samples: int | None = None) -> DataSpec:
        """The data the dataset field names (with ``noise`` and ``samples`` for generated ones); the
        image shape given with the settings goes with their own data only."""
        choice, data = self.value("dataset"), self.settings.data
        if choice != (self.table or data.dataset):
            data = replace(data, image_shape=None)
        if isinstance(choice, Table):
            return replace(data, dataset=DataSpec.dataset, csv_file=choice.path, targets=choice.targets)
        if choice in FIXED_DATASETS:
            noise = samples = None
        return replace(data, dataset=choice, csv_file=None, targets=(), noise=noise, samples=samples)

    @property
    def generated(self) -> bool:
        """Whether the chosen dataset is generated (takes noise and samples)."""
        choice = self.value("dataset")
        return not isinstance(choice, Table) and choice not in FIXED_DATASETS

    def read(self) -> Settings | None:
        """Validate every field; show the messages and return None if any is bad."""
        parsed: dict[str, Any] = {}
        errors: dict[str, str] = {}
        for name, spec in FIELDS.items():
            if name == "dataset" or (name in GENERATED_ONLY and not self.generated):
                continue
            try:
                parsed[name] = spec.read(self.value(name))
            except ValueError as error:
                errors[name] = str(error)
        if errors:
            self._show_errors(errors)
            return None
        typed = {FIELDS[name].attribute: value for name, value in parsed.items() if FIELDS[name].part == "training"}
        training = replace(self.settings.training, **typed)
        data = self.data_spec(parsed.get("noise"), parsed.get("samples"))
        settings = Settings(training, data, parsed["seed"])
        errors = self._check_sizes(settings)
        self._show_errors(errors)
        return None if errors else settings

    def _check_sizes(self, settings: Settings) -> dict[str, str]:
        """The data can be read, and the network it asks for is within the limits."""
        from tui_mlp.core.mlp import check_layer_sizes  # the engine: loaded by now to read the data

        try:
            inputs, outputs = data_shape(settings.data)
        except (ValueError, DataError) as error:
            return {"dataset": str(error)}
        try:
            check_layer_sizes((inputs, *settings.training.hidden, outputs))
        except ValueError as error:
            return {"hidden": str(error)}
        return {}

    def _show_errors(self, errors: dict[str, str]) -> None:
        for name in FIELDS:
            self.query_one(f"#{name}-field").set_class(name in errors, "-invalid")
        lines = [f"✗ {FIELDS[name].label}: {message}" for name, message in errors.items()]
        self.query_one("#errors", Static).update("\n".join(lines))
        self.set_class(bool(errors), "-invalid")

    def _note_loaded(self, shown: bool = True) -> None:
        """Say, before Train, that the fields no longer describe the loaded network."""
        note = ""
        if shown and self.loaded is not None:
            try:
                hidden = parse_hidden(self.value("hidden"))
            except ValueError:  # the error is shown on Train
                hidden = tuple(self.loaded.model.layer_sizes[1:-1])
            training = replace(self.settings.training, hidden=hidden, activation=self.value("activation"))
            differing = unlike(self.loaded.model, training)
            if differing:
                values = ", ".join(f"{FIELDS[name].label} {value}" for name, value in differing.items())
                again = "that" if len(differing) == 1 else "those"
                note = (
                    f"⚠ Train starts a new network from the seed, not {self.loaded.name} ({values}): "
                    f"set {again} again to go on training it"
                )
        self.query_one("#note", Static).update(note)
        self.set_class(bool(note), "-note")

    def _follow_dataset(self) -> None:
        """Noise and samples only for generated data; Epochs follows the chosen data's own number
        (``auto_epochs``) while it is empty or still shows the previous data's."""
        for name in GENERATED_ONLY:
            self.query_one(f"#{name}", Input).disabled = not self.generated
        epochs, previous = self.query_one("#epochs", Input), self.auto_epochs
        self.auto_epochs = epochs.placeholder = _auto_epochs(self.value("dataset"))
        if epochs.value.strip() == previous:
            epochs.value = self.auto_epochs

    def submit(self, *, paused: bool = False) -> None:
        """Post ``TrainRequested`` (to start ``paused`` before the first epoch) if every field is valid."""
        settings = self.read()
        if settings is not None:
            self._note_loaded(shown=False)  # said: the person chose
            self.post_message(TrainRequested(settings, paused))

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
            self._follow_dataset()
        if event.control.id in ("hidden", "activation"):
            self._note_loaded()
        if self.has_class("-invalid"):
            self.read()
