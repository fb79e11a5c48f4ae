"""What the person is working on: the network they loaded, if any, the current
run, and the data the panels preview before a run exists."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from tui_mlp.core.errors import DataError
from tui_mlp.core.specs import DataSpec, Settings, TrainingSpec

if TYPE_CHECKING:
    from tui_mlp.core.datasets import Dataset
    from tui_mlp.core.mlp import MLP
    from tui_mlp.core.run import Loaded

    from .live import LiveRun

    Data = tuple[Dataset, Dataset | None]

# Besides its own two networks a run's memory holds the app's copies of the trained network (on
# screen and in progress messages), and the scores are computed while it trains (see ``core.memory``).
APP_NETWORKS = 5
APP_BASELINE_BYTES = 128 * 2**20  # the interpreter, NumPy, Textual and the widgets


@lru_cache(maxsize=8)
def preview_data(spec: DataSpec) -> Data:
    """The (train, test) data ``spec`` names, as seed 0 splits it: what the panels show
    before a run exists (ValueError or DataError if it cannot be built)."""
    return spec.prepare(0)


def data_shape(spec: DataSpec) -> tuple[int, int]:
    """(inputs, outputs) of the data ``spec`` names (ValueError or DataError if it cannot be read)."""
    train, _ = preview_data(spec)
    return train.n_inputs, train.n_outputs


def unlike(model: MLP, training: TrainingSpec) -> dict[str, str]:
    """The settings of ``training`` that a run cannot continue ``model`` with (its hidden
    sizes, its activation): field id -> ``model``'s value, as the field shows it."""
    differing = {}
    if training.hidden != tuple(model.layer_sizes[1:-1]):
        differing["hidden"] = ",".join(map(str, model.layer_sizes[1:-1]))
    if training.activation != model.activation:
        differing["activation"] = model.activation
    return differing


SESSION_CHECKPOINT_BYTES = 256 * 2**20  # the runs' checkpoints together; the oldest runs' go first


@dataclass
class Session:
    """The network the person loaded, if any, which the next run starts from, and every
    run of the session (``runs``, numbered from 1)."""

    loaded: Loaded | None = None
    runs: list[LiveRun] = field(default_factory=list)

    def add(self, run: LiveRun) -> LiveRun:
        """Keep ``run`` as the session's newest, numbered; the oldest runs' checkpoints go while
        all of them would take more than SESSION_CHECKPOINT_BYTES (their summaries, curves and
        final networks stay)."""
        from tui_mlp.core.history import MAX_BYTES  # (with the engine: a run exists)

        older = [other for other in self.runs if other.history is not None]
        while older and sum(other.history.nbytes for other in older if other.history) > (
            SESSION_CHECKPOINT_BYTES - MAX_BYTES  # room for the new run's own
        ):
            older.pop(0).forget_checkpoints()
        run.number = len(self.runs) + 1
        self.runs.append(run)
        return run

    def new_run(self, settings: Settings) -> LiveRun:
        """A run of ``settings``, from the loaded network while the settings still describe its
        hidden layers (sizes and activation), else from the seed. ValueError, DataError or
        ParamsError if it cannot be built, ValueError if it needs more memory than there is."""
        from .live import LiveRun  # with the engine, which the first screen does without

        loaded = self.loaded
        if loaded is not None and unlike(loaded.model, settings.training):
            loaded = None
        run = LiveRun.create(settings.training, settings.data, settings.seed, loaded)
        run.require_memory(networks=APP_NETWORKS, concurrent_scores=True, baseline=APP_BASELINE_BYTES)
        return self.add(run)

    def preview(self, spec: DataSpec) -> Data | None:
        """The data ``spec`` names, as the loaded network would see it (None if the fields
        do not name data that can be built)."""
        try:
            if self.loaded is None:
                return preview_data(spec)
            return self.loaded.data(spec).prepare(0, self.loaded.scaling)
        except (ValueError, DataError):
            return None


def loaded_note(loaded: Loaded) -> str:
    """What the status line says once a network is loaded: ``Loaded net.json (4-3-2, tanh): …``."""
    sizes = "-".join(map(str, loaded.model.layer_sizes))
    return f"Loaded {loaded.name} ({sizes}, {loaded.model.activation}): Train goes on training it."
