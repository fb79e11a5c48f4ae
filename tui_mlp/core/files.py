"""Atomic file writes: a file is either the old one or the complete new one."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def atomic_write(path: str | os.PathLike[str], data: str | bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder
    and a rename, so no reader ever sees a half-written file. Raises OSError
    (with nothing left behind) if the folder cannot be written."""
    target = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent or ".")
    try:
        os.fchmod(fd, _new_file_mode())
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return target


class FileTooLarge(Exception):
    """A file over the size limit its reader allows; the message names it."""


def read_limited(path: str | os.PathLike[str], limit: int) -> bytes:
    """The bytes of ``path``: FileTooLarge if it is larger than ``limit`` bytes,
    OSError (or ValueError, for a NUL in the path) if it cannot be read."""
    size = os.path.getsize(path)
    if size > limit:
        raise FileTooLarge(f"{os.fspath(path)}: file is {size:,} bytes, more than the limit of {limit:,}")
    return Path(path).read_bytes()


def _new_file_mode() -> int:
    """The mode ``open()`` would give a new file (0o666 less the umask), not mkstemp's 0o600."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def describe_os_error(path: str | os.PathLike[str], error: OSError | ValueError) -> str:
    """One line naming the file and what went wrong, for an OSError (or the
    ValueError that a NUL character in a path gives)."""
    name = os.fspath(path)
    reason = getattr(error, "strerror", None) or str(error)
    return f"{name if name.isprintable() else repr(name)}: {reason}"
