"""Ending the app on SIGTERM, SIGHUP and SIGINT (``kill``, a closed terminal, a dropped
SSH connection, Ctrl-C from outside), always, and with the exit status 128 + the signal.

Python's default for these signals ends the process on the spot: the terminal is left
in raw mode on the alternate screen and the training thread stops wherever it is. The
handler installed here cancels training at once and asks Textual to exit, so the driver
restores the terminal and the process exits with 128 + the signal's number.

An exit must never wait on the terminal. When a terminal hangs up, the app may still
have hundreds of keys queued ahead of the exit, and Textual's output thread dies on the
first write that fails, after which the main thread blocks forever on the output queue.
That is why the handler is a plain ``signal.signal`` handler, which Python runs in the
main thread even while it waits on a lock or a pipe, and why it arms a deadline: if the
process has not ended ``GRACE_SECONDS`` after the signal, it restores the terminal as
far as it can and ends with ``os._exit``. A second signal ends it at once. Every file
the app writes goes through ``atomic_write``, so nothing half-written is left behind.

When a terminal hangs up, the kernel sends SIGCONT right after SIGHUP, and Textual's
SIGCONT handler would re-enter application mode on the dead terminal; so SIGCONT goes
through the event loop and reaches Textual's handler only while the app is not exiting.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import termios
import threading
from collections.abc import Callable
from types import FrameType
from typing import Any

from textual.app import App

EXIT_SIGNALS = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)
GRACE_SECONDS = 3.0
RESTORE_SECONDS = 0.2
# leave the alternate screen, show the cursor, stop mouse, focus, paste and kitty-key reports
RESTORE_TERMINAL = "\x1b[<u\x1b[?1049l\x1b[?25h\x1b[?1004l\x1b[?1000l\x1b[?1003l\x1b[?1015l\x1b[?1006l\x1b[?2004l"


class ExitGuard:
    """Ends ``app`` on an exit signal within ``GRACE_SECONDS``, whatever it is doing.
    Make it before the app runs: it keeps the terminal's settings to restore."""

    def __init__(self, app: App[Any], cancel: Callable[[], None]) -> None:
        self.app = app
        self.cancel = cancel
        self.exiting = False
        self._terminal = _terminal_settings()
        self._previous: dict[int, Any] = {}

    def install(self) -> bool:
        """Take over the exit signals (from the app's event loop, in the main thread);
        False where that is not possible (another thread)."""
        if threading.current_thread() is not threading.main_thread():
            return False
        self._loop = asyncio.get_running_loop()
        for signum in EXIT_SIGNALS:
            self._previous[signum] = signal.signal(signum, self._on_signal)
        resume = signal.getsignal(signal.SIGCONT)
        self._loop.add_signal_handler(signal.SIGCONT, self._on_continue, resume)
        return True

    def uninstall(self) -> None:
        """Give the signals back, unless one came: then a second one still ends the process at once."""
        if self.exiting or not self._previous:
            return
        for signum, previous in self._previous.items():
            signal.signal(signum, previous)
        self._previous.clear()
        with contextlib.suppress(RuntimeError, ValueError):
            self._loop.remove_signal_handler(signal.SIGCONT)

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        status = 128 + signum
        if self.exiting:  # a second signal: now
            self.end_now(status)
        self.exiting = True
        deadline = threading.Timer(GRACE_SECONDS, self.end_now, (status,))  # whatever happens meanwhile
        deadline.daemon = True
        deadline.start()
        self.cancel()
        self._loop.call_soon_threadsafe(self._exit, status)

    def _exit(self, status: int) -> None:
        self.app.exit(return_code=status)

    def _on_continue(self, resume: Any) -> None:
        if not self.exiting and callable(resume):
            resume(signal.SIGCONT, None)

    def end_now(self, status: int) -> None:
        """Restore the terminal as far as it still answers, then end the process at once."""
        if self._terminal is not None:  # in a thread of its own: a stuck terminal must not stop us
            restore = threading.Thread(target=_restore, args=self._terminal, daemon=True)
            restore.start()
            restore.join(RESTORE_SECONDS)
        os._exit(status)


def _restore(fd: int, settings: list[Any]) -> None:
    """Put the terminal back as it was before the app started."""
    with contextlib.suppress(OSError, termios.error):
        termios.tcsetattr(fd, termios.TCSANOW, settings)
        os.write(fd, RESTORE_TERMINAL.encode())


def _terminal_settings() -> tuple[int, list[Any]] | None:
    """(fd, termios settings) of the terminal Textual draws on (stderr), if it is one."""
    try:
        fd = sys.__stderr__.fileno()
        return fd, termios.tcgetattr(fd)
    except (AttributeError, OSError, ValueError, termios.error):
        return None
