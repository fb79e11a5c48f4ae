"""Messages the training worker and the widgets send to the app."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    import numpy as np
    from rich.console import RenderableType

    from tui_mlp.core import TrainResult
    from tui_mlp.core.run import Run
    from tui_mlp.core.specs import Settings


@dataclass
class TrainRequested(Message):
    """The control bar holds valid settings and the person asked to train."""

    settings: Settings
    paused: bool = False  # start paused before the first epoch (``s`` steps it)


@dataclass
class TrainingReport(Message):
    """A report from the training worker about ``run``: progress, or how it finished."""

    run: Run


@dataclass
class TrainingProgress(TrainingReport):
    """A paced report from the worker; arrays are copies the UI may keep."""

    epoch: int
    loss: float
    elapsed: float
    new_losses: np.ndarray  # the losses since the previous report
    parameters: np.ndarray


@dataclass
class TrainingFinished(TrainingReport):
    """The worker's run ended (done, cancelled or diverged)."""

    result: TrainResult
    parameters: np.ndarray


@dataclass
class NodeFocused(Message):
    """A graph panel's node cursor moved (or the panel's network changed)."""

    panel_id: str
    layer: int
    index: int


@dataclass
class ChainRule(Message):
    """The backprop view's node cursor is on a neuron: its part of the step, as equations."""

    equations: RenderableType


@dataclass
class NodeBlurred(Message):
    """A graph panel lost focus: its node cursor no longer picks a node."""

    panel_id: str
