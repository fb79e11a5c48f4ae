"""Ending the app cleanly on SIGTERM and SIGHUP (``kill``, a closed terminal, a dropped SSH connection).

Python's default for both signals ends the process on the spot: the terminal is
left in raw mode on the alternate screen with the mouse still reported, and the
training thread stops wherever it is. Instead, the handlers installed here
cancel training and ask Textual to exit, so the driver restores the terminal,
the training worker ends between two epochs and the process exits with the
conventional status 128 + the signal's number. Every file the app writes goes
through ``atomic_write``, so nothing half-written is left behind.

When a terminal hangs up, the kernel sends SIGCONT right after SIGHUP, and
Textual's SIGCONT handler would re-enter application mode on the dead terminal
(a new output thread that dies on EIO, after which the exit blocks forever on
its full queue). So SIGCONT goes through the event loop too: it reaches
Textual's handler as before, except once the app is exiting.

A second SIGTERM or SIGHUP while the app is still shutting down gets the
default action (the process ends at once), so a stuck exit can still be killed
without SIGKILL. The handlers live on the app's event loop and go with it.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from collections.abc import Callable
from typing import Any

from textual.app import App

EXIT_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


def install_exit_signals(app: App[Any], cancel: Callable[[], None]) -> bool:
    """On SIGTERM or SIGHUP, call ``cancel`` then ``app.exit(return_code=128 + signal)``.

    Call from the app's event loop (``on_mount``). Returns False where the loop
    cannot take signal handlers (not the main thread, or Windows).
    """
    loop = asyncio.get_running_loop()
    exiting = False

    def on_exit_signal(signum: signal.Signals) -> None:
        nonlocal exiting
        for each in EXIT_SIGNALS:  # a second signal now ends the process at once
            with contextlib.suppress(RuntimeError, ValueError):
                loop.remove_signal_handler(each)
        if not app.is_running:  # the app has gone; let the signal do what it normally does
            os.kill(os.getpid(), signum)
            return
        exiting = True
        try:
            cancel()
        finally:
            app.exit(return_code=128 + signum)

    if not hasattr(signal, "SIGCONT"):  # Windows: the loop takes no signal handlers anyway
        return False
    resume = signal.getsignal(signal.SIGCONT)

    def on_continue() -> None:
        if not exiting and callable(resume):
            resume(signal.SIGCONT, None)

    installed: list[signal.Signals] = []
    try:
        for signum in EXIT_SIGNALS:
            loop.add_signal_handler(signum, on_exit_signal, signum)
            installed.append(signum)
        loop.add_signal_handler(signal.SIGCONT, on_continue)
    except (NotImplementedError, RuntimeError, ValueError):  # not the main thread
        for signum in installed:
            loop.remove_signal_handler(signum)
        return False
    return True
