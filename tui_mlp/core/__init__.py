"""The engine: a from-scratch NumPy MLP, its trainer, datasets and parameter files.

``from tui_mlp.core import MLP`` loads NumPy and the engine; importing the package or
one of its light modules (``choices``, ``errors``, ``specs``, ``parse``) does not, so
the app can draw its first screen before NumPy is loaded."""

from __future__ import annotations

import os
import sys
from importlib import import_module
from typing import TYPE_CHECKING, Any

# OpenBLAS, NumPy's usual BLAS, keeps its threads spinning for about 0.1 s after every matmul:
# in a training loop they never rest and hold the cores that the activations' blocks
# (core.parallel) and the app's UI thread would use. 2^20 cycles (~0.4 ms) of spinning, then
# sleep: through the short gaps between a small network's matmuls, not through a big one's.
# OpenBLAS reads this when NumPy loads it, so it counts only if NumPy is not loaded yet (it
# is not when ``tui-mlp`` or the app start); a value already set is kept.
if "numpy" not in sys.modules:
    os.environ.setdefault("OPENBLAS_THREAD_TIMEOUT", "20")

if TYPE_CHECKING:
    from .mlp import MLP
    from .trainer import Progress, StopReason, TrainControl, Trainer, TrainResult, train

__all__ = ["MLP", "Progress", "StopReason", "TrainControl", "TrainResult", "Trainer", "train"]
_MODULES = {
    "MLP": "mlp",
    **dict.fromkeys(["Progress", "StopReason", "TrainControl", "TrainResult", "Trainer", "train"], "trainer"),
}


def __getattr__(name: str) -> Any:
    """The engine's public names, from their modules on first use."""
    if name not in _MODULES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = globals()[name] = getattr(import_module(f".{_MODULES[name]}", __name__), name)
    return value
