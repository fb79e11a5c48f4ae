"""What SIGINT (Ctrl-C), SIGTERM and SIGHUP do in ``tui-mlp train``: the first one during training
cancels it at the end of the epoch, so the partial result is printed and saved; any other
one (or a second one) ends the command at once, with nothing half-written."""

from __future__ import annotations

import contextlib
import signal
import socket
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .core import TrainControl

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)  # Ctrl-C, kill, a closed terminal


class Interrupted(KeyboardInterrupt):
    """A stop signal that ends ``tui-mlp train`` at once. It is raised in the main thread, so a
    file being written is removed on the way out; the command exits with ``status``, 128 + the signal."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.status = 128 + signum


class StopSignals:
    """What SIGINT (Ctrl-C), SIGTERM and SIGHUP do in ``tui-mlp train``: the first one during training
    cancels it at the end of the epoch, so the partial result is printed and saved; any other
    one raises ``Interrupted``.

    Python runs a handler between bytecodes, so once for any number of Ctrl-Cs that come during
    one long NumPy call; the wakeup socket gets a byte for each of them, so a quick second
    Ctrl-C still counts as the second."""

    def __init__(self) -> None:
        self.training: TrainControl | None = None
        self.cancelled_by: int | None = None  # the signal that cancelled training
        self._arrivals: socket.socket | None = None

    def __call__(self, signum: int, frame: object) -> None:
        arrived = self._arrived() or [signum]
        if self.training is None or self.training.cancelled or len(arrived) > 1:
            raise Interrupted(arrived[-1])
        self.cancelled_by = signum
        self.training.cancel()

    def _arrived(self) -> list[int]:
        """The stop signals that came since the last call, in order."""
        try:
            return [byte for byte in self._arrivals.recv(1024) if byte in STOP_SIGNALS] if self._arrivals else []
        except BlockingIOError:
            return []

    @contextlib.contextmanager
    def installed(self) -> Iterator[None]:
        """Handle the stop signals in this block."""
        self.training, self.cancelled_by = None, None
        previous = {number: signal.getsignal(number) for number in STOP_SIGNALS}
        self._arrivals, wakeup = socket.socketpair()
        with self._arrivals, wakeup:
            for end in (self._arrivals, wakeup):
                end.setblocking(False)
            previous_wakeup = signal.set_wakeup_fd(wakeup.fileno(), warn_on_full_buffer=False)
            try:
                for number in STOP_SIGNALS:
                    signal.signal(number, self)
                yield
            finally:
                for number, handler in previous.items():
                    signal.signal(number, handler)
                signal.set_wakeup_fd(previous_wakeup)
                self._arrivals = None

    @contextlib.contextmanager
    def cancelling(self, control: TrainControl) -> Iterator[None]:
        """In this block the first stop signal cancels ``control`` instead of raising mid-update."""
        self.training = control
        try:
            yield
        finally:
            self.training = None
