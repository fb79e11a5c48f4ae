"""The status line: epoch, loss, time, speed and why training stopped."""

from __future__ import annotations

from dataclasses import dataclass, replace

from textual.widgets import Static


@dataclass(frozen=True)
class RunStatus:
    """What the status line reports about a run."""

    origin: str  # where the starting network came from, e.g. "seed 42"
    epochs: int
    state: str = "training"  # or "paused", or why training stopped
    epoch: int = 0
    loss: float = float("nan")
    elapsed: float = 0.0
    scores: str = ""  # e.g. "train acc 1.000 · test acc 0.967", or "test loss 0.012345"


class StatusLine(Static):
    """One line about the current run; ``timing=False`` hides the clock (for snapshots)."""

    def __init__(self, *, id: str, timing: bool = True) -> None:
        super().__init__("Press Enter or Train to build a network and train it.", id=id, markup=False)
        self.timing = timing
        self.status: RunStatus | None = None

    def show(self, status: RunStatus) -> None:
        """Report ``status``."""
        self.status = status
        parts = [f"epoch {status.epoch:,} / {status.epochs:,}", f"loss {status.loss:.6f}"]
        if status.scores:
            parts.append(status.scores)
        parts += [status.state, status.origin]
        if self.timing:
            speed = status.epoch / status.elapsed if status.elapsed > 0 else 0.0
            parts += [f"{status.elapsed:.1f} s", f"{speed:,.0f} epochs/s"]
        self.update(" · ".join(parts), layout=False)

    def set_state(self, state: str) -> None:
        """Change only the state part (e.g. "paused")."""
        if self.status is not None:
            self.show(replace(self.status, state=state))

    def note(self, text: str) -> None:
        """Show a free-form line (no run)."""
        self.status = None
        self.update(text)
