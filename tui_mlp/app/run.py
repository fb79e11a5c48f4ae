"""One training run: the settings a person chose and the networks it works on."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from tui_mlp.core import MLP, TrainControl, TrainResult
from tui_mlp.core.datasets import Dataset, load_dataset
from tui_mlp.core.mlp import check_layer_sizes

from .feed import ProgressFeed


@dataclass(frozen=True)
class RunSettings:
    """Validated control-bar values; ``seed=None`` picks a random seed per run."""

    hidden: tuple[int, ...]
    epochs: int
    learning_rate: float
    activation: str
    dataset: str
    seed: int | None

    def layer_sizes(self, dataset: Dataset) -> tuple[int, ...]:
        """All layer sizes for ``dataset``; ValueError if the network is too big."""
        return check_layer_sizes((dataset.n_inputs, *self.hidden, dataset.n_outputs))


@dataclass
class Run:
    """A run in flight: ``model`` belongs to the worker thread until it finishes;
    ``feed`` carries its progress to the UI."""

    settings: RunSettings
    seed: int
    dataset: Dataset
    before: MLP
    model: MLP
    origin: str
    feed: ProgressFeed
    control: TrainControl = field(default_factory=TrainControl)
    result: TrainResult | None = None

    @classmethod
    def create(cls, settings: RunSettings, loaded: MLP | None = None, loaded_from: str = "") -> Run:
        """Build the starting network: ``loaded`` if it fits the settings, else one from the seed."""
        seed = settings.seed if settings.seed is not None else secrets.randbelow(2**32)
        dataset = load_dataset(settings.dataset, seed)
        sizes = settings.layer_sizes(dataset)
        if loaded is not None and loaded.layer_sizes == sizes and loaded.activation == settings.activation:
            before, origin = loaded.copy(), f"loaded from {loaded_from}"
        else:
            before, origin = MLP(sizes, settings.activation, seed=seed), f"seed {seed}"
        return cls(settings, seed, dataset, before, before.copy(), origin, ProgressFeed(settings.epochs))

    def cancel(self) -> None:
        """Stop the worker soon (also if it has not started training yet)."""
        self.control.cancel()
        self.feed.ready.set()

    def describe(self) -> dict[str, str]:
        """The run's settings as labelled text, for snapshots and parameter files."""
        model = self.before
        described = {
            "network": "-".join(map(str, model.layer_sizes)),
            "activation": f"{model.activation} hidden, {model.output_activation} output",
            "loss": model.loss_name,
            "dataset": self.dataset.name,
            "learning rate": f"{self.settings.learning_rate:g}",
            "start": self.origin,
        }
        if self.result is not None:
            described |= {
                "epochs": f"{self.result.epochs_run:,} of {self.result.epochs:,}",
                "stopped": self.result.describe(),
                "final loss": f"{self.result.final_loss:.6f}",
            }
        return described

    def training_record(self) -> dict[str, object]:
        """What trained the network, as stored in a parameter file."""
        record: dict[str, object] = {
            "dataset": self.dataset.name,
            "learning_rate": self.settings.learning_rate,
            "seed": self.seed,
        }
        if self.result is not None:
            record |= {
                "epochs": self.result.epochs_run,
                "final_loss": self.result.final_loss,
                "stopped": self.result.reason.value,
            }
        return record
