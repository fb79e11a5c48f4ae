"""History files: a run with its checkpoints and its loss curve, to replay later.

Format (version 1)::

    {
     "format": "tui-mlp-history",
     "version": 1,
     "network": {...},           # the starting network, as a parameter file holds it
                                 # (its "training" section: what trained it, how it ended)
     "losses": [0.52, ...],      # the training loss of every epoch
     "checkpoints": {
      "epochs": [0, 1, 2, ...],  # ascending, from 0 to at most the epochs run
      "parameters": ["...", ...] # each the flat parameter vector: little-endian bytes of
     }                           # the network's dtype, in base64 (exact, and compact)
    }

Written atomically; loading checks everything and refuses a bad file with one
``ParamsError`` line, as parameter files are. The loss curves also export as CSV.
"""

from __future__ import annotations

import base64
import binascii
import csv
import io
import json
import math
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from .choices import DATASET_NAMES, OPTIMIZERS
from .echo import shown
from .errors import ParamsError
from .files import FileTooLarge, atomic_write, describe_os_error, read_limited, resolve_inside
from .history import MAX_BYTES, History
from .mlp import MLP
from .params import MAX_FILE_BYTES, from_document, refuse_constant, saved_image_shape, to_json
from .parse import (
    MAX_EPOCHS,
    parse_batch_size,
    parse_learning_rate,
    parse_momentum,
    parse_noise,
    parse_samples,
    parse_test_split,
    parse_weight_decay,
)
from .run import Loaded, Run
from .specs import DataSpec, Settings, TrainingSpec
from .trainer import StopReason, TrainResult

R = TypeVar("R", bound=Run)
FORMAT = "tui-mlp-history"
VERSION = 1
MAX_HISTORY_BYTES = MAX_FILE_BYTES + 2 * MAX_BYTES + 32 * MAX_EPOCHS  # network, checkpoints in base64, losses


@dataclass(frozen=True)
class SavedHistory:
    """A history file's contents: the starting network and what trained it, the losses, the checkpoints."""

    before: MLP
    training: dict[str, Any]
    losses: np.ndarray
    history: History

    def checkpoint(self, index: int) -> MLP:
        """The network at checkpoint ``index``."""
        return self.before.copy(parameters=self.history.parameters[index])

    def settings(self, folder: str | os.PathLike[str]) -> Settings:
        """The settings that trained it, as the fields take them (ValueError if the file's are
        bad). A table it trained on must lie in ``folder`` (the history file's): a path
        read from a file goes nowhere else."""
        record = self.training
        learning_rate = _number(record, "learning_rate", parse_learning_rate)
        optimizer = record.get("optimizer")
        if optimizer not in OPTIMIZERS:
            raise ValueError(f'"training.optimizer" must be one of {", ".join(OPTIMIZERS)}')
        before = self.before
        training = TrainingSpec(
            hidden=tuple(before.layer_sizes[1:-1]),
            activation=before.activation,
            output=before.output_activation,
            loss=before.loss_name,
            epochs=len(self.losses),
            learning_rate=learning_rate,
            optimizer=optimizer,
            momentum=_number(record, "momentum", parse_momentum, 0.9),
            batch_size=_number(record, "batch_size", parse_batch_size),
            weight_decay=_number(record, "weight_decay", parse_weight_decay, 0.0),
            dtype=before.dtype.name,
        )
        split = _number(record, "test_split", parse_test_split)
        shape = saved_image_shape(record)  # (checked with the network)
        if "data" in record:
            table, targets = record["data"], record.get("targets")
            if not isinstance(table, str) or not (
                isinstance(targets, list) and all(isinstance(t, str) for t in targets)
            ):
                raise ValueError('"training.data" must name a table and "training.targets" its columns')
            try:
                path = resolve_inside(folder, table)
            except ValueError as error:
                raise ValueError(f"the table it trained on must be in the history file's folder: {error}") from None
            data = DataSpec(csv_file=os.fspath(path), targets=tuple(targets), test_split=split, image_shape=shape)
        elif record.get("dataset") in DATASET_NAMES:
            samples, noise = _number(record, "samples", parse_samples), _number(record, "noise", parse_noise)
            data = DataSpec(record["dataset"], samples=samples, noise=noise, test_split=split, image_shape=shape)
        else:
            raise ValueError(f'"training.dataset" must be one of {", ".join(DATASET_NAMES)}')
        return Settings(training, data, record.get("seed"))

    def run(self, path: str | os.PathLike[str], kind: type[R] = Run) -> R:
        """The run it holds, trained, as a ``kind`` of run: its data rebuilt from its settings and
        seed, its history and losses, its network at the end (ValueError or DataError if its data
        cannot be rebuilt, ParamsError if its network does not fit them)."""
        settings = self.settings(Path(path).parent)
        run = kind.create(
            settings.training, settings.data, settings.seed, Loaded(self.before, os.fspath(path), self.training)
        )
        stopped = self.training.get("stopped")
        reason = StopReason(stopped) if stopped in {r.value for r in StopReason} else StopReason.DONE
        run.result = TrainResult(self.losses, reason, len(self.losses), 0.0)
        run.history = self.history
        if len(self.history):
            np.copyto(run.model.parameters(), self.history.parameters[-1])
        return run


def save_history(path: str | os.PathLike[str], run: Run) -> Path:
    """Write ``run`` (ended) with its checkpoints to ``path`` atomically (ParamsError if it cannot);
    a run whose checkpoints are gone (``Run.forget_checkpoints``) keeps its trained network as one."""
    assert run.result is not None
    name = shown(os.fspath(path))
    if run.history is not None:
        epochs, kept = list(run.history.epochs), list(run.history.parameters)
    else:
        epochs, kept = [run.result.epochs_run], [run.model.parameters()]
    try:
        document = {
            "format": FORMAT,
            "version": VERSION,
            "network": json.loads(to_json(run.before, run.record())),
            "losses": [float(value) for value in run.result.losses],
            "checkpoints": {"epochs": epochs, "parameters": [_encoded(parameters) for parameters in kept]},
        }
        text = json.dumps(document, allow_nan=False) + "\n"
    except ValueError as error:
        raise ParamsError(f"{name}: cannot save: {error}") from None
    try:
        return atomic_write(path, text)
    except (OSError, ValueError) as error:
        raise ParamsError(f"cannot write {describe_os_error(path, error)}") from None


def load_history(path: str | os.PathLike[str]) -> SavedHistory:
    """Read a history file (ParamsError, one line, if it cannot be used)."""
    name = shown(os.fspath(path))
    try:
        raw = read_limited(path, MAX_HISTORY_BYTES)
    except FileTooLarge as error:
        raise ParamsError(str(error)) from None
    except (OSError, ValueError) as error:
        raise ParamsError(f"cannot read {describe_os_error(path, error)}") from None
    try:
        document = json.loads(raw.decode("utf-8-sig"), parse_constant=refuse_constant)
        return _from_document(document)
    except (UnicodeDecodeError, RecursionError):
        raise ParamsError(f"{name}: not a readable JSON text") from None
    except json.JSONDecodeError as error:
        raise ParamsError(f"{name}: not valid JSON (line {error.lineno}, column {error.colno})") from None
    except ValueError as error:
        raise ParamsError(f"{name}: {error}") from None


def is_history(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is a history file rather than a parameter file (by its first bytes:
    ``save_history`` writes the format first)."""
    try:
        with open(path, "rb") as file:
            return f'"format": "{FORMAT}"'.encode() in file.read(64)
    except (OSError, ValueError):
        return False


def _from_document(document: Any) -> SavedHistory:
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ValueError(f'not a tui-mlp history file (no "format": "{FORMAT}")')
    if document.get("version") != VERSION or type(document.get("version")) is not int:
        raise ValueError(f"unsupported format version (this tui-mlp reads version {VERSION})")
    if not isinstance(document.get("network"), dict):
        raise ValueError('"network" must hold the starting network, as a parameter file does')
    try:
        before, training = from_document(document["network"])
    except ValueError as error:
        raise ValueError(f'"network": {error}') from None
    losses = document.get("losses")
    if not isinstance(losses, list) or not all(type(v) in (int, float) for v in losses):
        raise ValueError('"losses" must be a list of numbers')
    checkpoints = document.get("checkpoints")
    if not isinstance(checkpoints, dict):
        raise ValueError('"checkpoints" must be an object')
    epochs, parameters = checkpoints.get("epochs"), checkpoints.get("parameters")
    if not (isinstance(epochs, list) and isinstance(parameters, list) and len(epochs) == len(parameters)):
        raise ValueError('"checkpoints" must hold as many "epochs" as "parameters"')
    if not all(type(e) is int for e in epochs) or epochs != sorted(set(epochs)):
        raise ValueError('"checkpoints.epochs" must be ascending whole numbers')
    if epochs and not (epochs[0] >= 0 and epochs[-1] <= len(losses)):
        raise ValueError(f'"checkpoints.epochs" must lie from 0 to {len(losses):,}, the epochs run')
    history = History(epochs)
    for epoch, text in zip(epochs, parameters):
        history.offer(epoch, _decoded(text, before, epoch))
    return SavedHistory(before, training, np.array(losses, dtype=np.float64), history)


def _number(record: dict[str, Any], key: str, parse: Callable[[str], Any], default: Any = None) -> Any:
    """``record[key]`` checked as its flag checks it (``default`` if absent or null)."""
    value = record.get(key)
    if value is None:
        return default
    if type(value) not in (int, float):
        raise ValueError(f'"training.{key}" must be a number')
    try:
        return parse(repr(value))
    except ValueError as error:
        raise ValueError(f'"training.{key}": {error}') from None


def _encoded(parameters: np.ndarray) -> str:
    return base64.b64encode(parameters.astype(parameters.dtype.newbyteorder("<")).tobytes()).decode("ascii")


def _decoded(text: Any, model: MLP, epoch: int) -> np.ndarray:
    """The parameters of checkpoint ``epoch``, checked against ``model``'s count and dtype."""
    where = f"the checkpoint of epoch {epoch:,}"
    dtype = model.dtype.newbyteorder("<")
    try:
        raw = base64.b64decode(text, validate=True) if isinstance(text, str) else b""
    except (binascii.Error, ValueError):
        raw = b""
    count = model.parameters().size
    if len(raw) != count * dtype.itemsize:
        raise ValueError(f"{where} is not {count:,} {model.dtype.name} numbers in base64")
    values = np.frombuffer(raw, dtype).astype(model.dtype)
    if not np.isfinite(values).all():
        raise ValueError(f"{where} holds a number that is not finite")
    return values


def curves_csv(run: Run) -> str:
    """The loss curves as CSV: ``epoch,train_loss,test_loss``, a row per epoch (the training loss
    of the network after ``epoch`` − 1 epochs, as the chart draws it), the test loss where a
    checkpoint has one."""
    assert run.result is not None
    test = dict(zip(*run.test_curve()))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["epoch", "train_loss", "test_loss"])
    for epoch, loss in enumerate(run.result.losses, start=1):
        tested = test.get(epoch - 1, math.nan)
        writer.writerow([epoch, repr(float(loss)), "" if math.isnan(tested) else repr(tested)])
    return out.getvalue()
