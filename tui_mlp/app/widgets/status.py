"""The status line: epoch, loss, scores, why training stopped, the seed, time and speed;
the less important parts shorten or drop to fit the width, the seed never."""

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
    stuck: str = ""  # the advice for a run stuck at chance (``Stuck.brief``)
    timed: bool = True  # False: no time and speed (a replay's checkpoint)


SEPARATOR = " · "


def fit_parts(parts: list[tuple[str, ...]], shrink: list[int], width: int) -> str:
    """``parts`` joined by " · ", each in the first of its forms (longest first, "" drops it);
    while the line is wider than ``width``, each part named in ``shrink``, in turn, takes its
    next form (a part named twice shortens twice). Parts never named always stay."""
    chosen = [0] * len(parts)

    def line() -> str:
        return SEPARATOR.join(form for forms, i in zip(parts, chosen) if (form := forms[i]))

    for index in shrink:
        if len(line()) <= width:
            break
        chosen[index] = min(chosen[index] + 1, len(parts[index]) - 1)
    return line()


def state_forms(state: str) -> tuple[str, str, str, str]:
    """How a run's state shortens: ``diverged at epoch 43 (loss not finite); kept …``,
    ``diverged at epoch 43``, ``diverged``, nothing."""
    return state, state.split(" (")[0].split(";")[0], state.split()[0].rstrip(":") if state else "", ""


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
        speed = status.epoch / status.elapsed if status.elapsed > 0 else 0.0
        timing = (f"{status.elapsed:.1f} s", f"{speed:,.0f} epochs/s") if self.timing and status.timed else ("", "")
        parts = [
            (f"epoch {status.epoch:,} / {status.epochs:,}",),
            (f"loss {format_loss(status.loss)}",),
            (status.scores, status.scores.replace(" acc ", " "), ""),  # "train acc 1.000", "train 1.000"
            state_forms(status.state),
            (status.stuck, "stuck at chance" if status.stuck else "", ""),
            (status.origin,),  # the seed: always shown, so the run can be repeated
            (timing[0], ""),
            (timing[1], ""),
        ]
        width = self.content_size.width or 1_000
        self.update(fit_parts(parts, [7, 6, 4, 3, 3, 2, 3, 2, 4], width), layout=False)

    def on_resize(self) -> None:
        self.watch_status(self.status)
