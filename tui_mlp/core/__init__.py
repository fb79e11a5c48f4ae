"""The engine: a from-scratch NumPy MLP, its trainer, datasets and parameter files."""

from .mlp import MLP
from .trainer import Progress, StopReason, TrainControl, Trainer, TrainResult, train

__all__ = ["MLP", "Progress", "StopReason", "TrainControl", "TrainResult", "Trainer", "train"]
