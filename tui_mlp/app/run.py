"""One training run: the settings a person chose, its data and the networks it works on.

Runs are built exactly as ``tui-mlp train`` builds them (``DataSpec``,
``TrainingSpec``, ``prepare_data``), so the same seed and settings give the
same split, the same starting network and the same trained parameters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from tui_mlp.core import MLP, TrainControl, TrainResult
from tui_mlp.core.datasets import Dataset
from tui_mlp.core.memory import estimate_bytes, require_memory
from tui_mlp.core.metrics import format_score, scores
from tui_mlp.core.mlp import check_layer_sizes
from tui_mlp.core.problem import DataSpec, TrainingSpec, pick_seed, prepare_data, summary, training_record
from tui_mlp.render.boundary import planar

from .feed import ProgressFeed

# Besides its own two networks a run's memory holds the app's copy of the trained network and the
# parameters in progress messages, and the scores are computed while it trains (see ``core.memory``).
APP_NETWORKS = 5
APP_BASELINE_BYTES = 128 * 2**20  # the interpreter, NumPy, Textual and the widgets


@lru_cache(maxsize=8)
def preview_data(spec: DataSpec) -> tuple[Dataset, Dataset | None]:
    """The (train, test) data ``spec`` names, as seed 0 splits it: what the panels show
    before a run exists (ValueError or DataError if it cannot be built)."""
    return prepare_data(spec, 0)


def data_shape(spec: DataSpec) -> tuple[int, int]:
    """(inputs, outputs) of the data ``spec`` names (ValueError or DataError if it cannot be read)."""
    train, _ = preview_data(spec)
    return train.n_inputs, train.n_outputs


@dataclass(frozen=True)
class RunSettings:
    """Validated control-bar values; ``seed=None`` picks a random seed per run."""

    training: TrainingSpec
    data: DataSpec
    seed: int | None

    @property
    def epochs(self) -> int:
        return self.training.epochs

    def layer_sizes(self, shape: tuple[int, int] | None = None) -> tuple[int, ...]:
        """All layer sizes for the data (``shape``: its inputs and outputs); ValueError if too big."""
        inputs, outputs = shape or data_shape(self.data)
        return check_layer_sizes((inputs, *self.training.hidden, outputs))


def data_label(spec: DataSpec) -> str:
    """The data as the dataset field shows it: a built-in name, or ``file.csv → target``."""
    if spec.csv_file:
        return f"{Path(spec.csv_file).name} → {','.join(spec.targets)}"
    return spec.dataset


SHORT_NAMES = {"train accuracy": "train acc", "test accuracy": "test acc", "test loss": "test loss"}


def evaluation_text(model: MLP, train: Dataset, test: Dataset | None) -> str:
    """``train acc 1.000 · test acc 0.967`` (classification) or ``test loss 0.012345``."""
    with np.errstate(all="ignore"):
        found = scores(model, train, test)
    return " · ".join(f"{SHORT_NAMES[name]} {format_score(name, value)}" for name, value in found)


@dataclass
class Run:
    """A run in flight: ``model`` belongs to the worker thread until it finishes;
    ``feed`` carries its progress to the UI."""

    settings: RunSettings
    seed: int
    train: Dataset
    test: Dataset | None
    before: MLP
    model: MLP
    origin: str
    feed: ProgressFeed
    control: TrainControl = field(default_factory=TrainControl)
    result: TrainResult | None = None

    @property
    def planar(self) -> bool:
        """Whether the run's data and network have 2 inputs (a decision boundary can be drawn)."""
        return planar(self.before, self.train, self.test)

    @classmethod
    def create(
        cls,
        settings: RunSettings,
        loaded: MLP | None = None,
        loaded_from: str = "",
        scaling: tuple[np.ndarray, np.ndarray] | None = None,
    ) -> Run:
        """Build the data and the starting network as ``tui-mlp train`` does: ``loaded``
        if it fits the settings, else one from the seed. ValueError or DataError if
        the data cannot be built, ValueError if training would need more memory than there is."""
        seed = pick_seed(settings.seed)
        fits = loaded is not None and loaded.activation == settings.training.activation
        train, test = prepare_data(settings.data, seed, scaling if fits else None)
        sizes = settings.layer_sizes((train.n_inputs, train.n_outputs))
        needed = estimate_bytes(
            sizes,
            settings.training,
            train,
            test,
            networks=APP_NETWORKS,
            concurrent_scores=True,
            baseline=APP_BASELINE_BYTES,
        )
        require_memory(needed)
        if loaded is not None and fits and loaded.layer_sizes == sizes:
            before, origin = loaded.copy(), f"loaded from {loaded_from}"
        else:
            before, origin = settings.training.build(train, seed), f"seed {seed}"
        return cls(settings, seed, train, test, before, before.copy(), origin, ProgressFeed(settings.epochs))

    def fit(self, **options: Any) -> TrainResult:
        """Train ``model`` as ``tui-mlp train`` would; ``options`` go to the trainer."""
        return self.settings.training.train(self.model, self.train, self.seed, **options)

    def cancel(self) -> None:
        """Stop the worker soon (also if it has not started training yet)."""
        self.control.cancel()
        self.feed.idle()
        self.feed.ready.set()

    def describe(self, after: MLP | None = None) -> dict[str, str]:
        """The run's settings (and, given the trained ``after``, its scores) as labelled text."""
        settings = self.settings
        described = summary(
            self.before, settings.training, settings.data, self.train, self.test, self.seed, self.result, after
        )
        return described | {"start": self.origin}

    def training_record(self) -> dict[str, object]:
        """What trained the network, as ``tui-mlp train --save`` stores it in a parameter file."""
        return training_record(self.settings.training, self.settings.data, self.seed, self.train, self.result)
