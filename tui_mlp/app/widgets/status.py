"""The status line: epoch, loss, time, speed and why training stopped."""

from __future__ import annotations

from dataclasses import dataclass

from textual.reactive import var
from textual.widgets import Static

from tui_mlp.core.metrics import format_loss


@dataclass(frozen=True)
class RunStatus:
    """What the status line reports about a run."""

    origin: str  # where the starting network came from, e.g. "seed 42"
    epochs: int
    state: str = "training"  # or "paused", or why training stopped
    epoch: int = 0
    loss: float = float("nan")  # NaN: no loss yet
    elapsed: float = 0.0
    scores: str = ""  # e.g. "train acc 1.000 · test acc 0.967", or "test loss 0.012345"


class StatusLine(Static):
    """One line about the current run (``status``), or a free-form note;
    ``timing=False`` hides the clock (for snapshots)."""

    status: var[RunStatus | str] = var("")

    def __init__(self, *, id: str, timing: bool = True) -> None:
        super().__init__(id=id, markup=False)
        self.timing = timing

    def watch_status(self, status: RunStatus | str) -> None:
        if isinstance(status, str):
            self.update(status)
            return
        parts = [f"epoch {status.epoch:,} / {status.epochs:,}", f"loss {format_loss(status.loss)}"]
        if status.scores:
            parts.append(status.scores)
        parts += [status.state, status.origin]
        if self.timing:
            speed = status.epoch / status.elapsed if status.elapsed > 0 else 0.0
            parts += [f"{status.elapsed:.1f} s", f"{speed:,.0f} epochs/s"]
        self.update(" · ".join(parts), layout=False)
