"""Files that never lie: atomic writes that keep what the person had, bounded
reads of regular files only, and checks of the paths a person types."""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from .echo import shown

READ_CHUNK = 1 << 20  # bytes a read asks for beyond the size the file had when opened


class NotRegularFile(OSError):
    """A folder, device, FIFO or socket where a regular file is needed; ``strerror``
    says which, so ``describe_os_error`` gives ``<path>: not a regular file (a device)``."""

    def __init__(self, path: str, mode: int) -> None:
        super().__init__(errno.EINVAL, f"not a regular file ({_kind(mode)})", path)


class FileTooLarge(Exception):
    """A file over the size limit its reader allows; the message names it."""


def atomic_write(path: str | os.PathLike[str], data: str | bytes | Iterable[str]) -> Path:
    """Write ``data`` (text as UTF-8, bytes as is, or text pieces streamed one
    after another) to ``path`` through a temporary file in the same folder and a
    rename, so no reader ever sees a half-written file. Returns ``path``.

    Overwriting keeps what the person had: the file's mode, and its owner and
    group where permitted. A symbolic link stays a link: its target is written
    (the temporary file goes next to the target). A hard-linked file gets a new
    inode under this name, so its other names keep the old contents; writing in
    place instead would let a reader see a half-written file.

    Raises OSError, with nothing changed and no temporary file left on any exit
    (KeyboardInterrupt and SystemExit included), if the folder cannot be
    written, if the target exists and is not a regular file (``NotRegularFile``:
    renaming over ``/dev/null`` would replace the device), or if it is a file
    the person may not write."""
    target = os.path.realpath(path)
    existing = _writable_target(target)
    folder = os.path.dirname(target)
    # named before it exists, so that an interrupt just after it is created still removes it; short,
    # so that it fits wherever the target's name (up to 255 bytes) does
    temporary = os.path.join(folder, f".tui-mlp-{secrets.token_hex(8)}.tmp")
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
        with open(fd, "wb") as handle:
            _take_over(fd, existing)
            for piece in _encoded(data):
                handle.write(piece)
            handle.flush()
            os.fsync(fd)
        os.replace(temporary, target)
    except BaseException as error:
        if not isinstance(error, FileExistsError):  # (another file of that name is not ours to remove)
            with contextlib.suppress(OSError):
                os.unlink(temporary)
        raise
    return Path(path)


def read_limited(path: str | os.PathLike[str], limit: int) -> bytes:
    """The bytes of the regular file ``path``, reading at most ``limit`` + 1 of
    them: FileTooLarge if it holds more than ``limit`` (even if it grows while
    read), ``NotRegularFile`` for a folder, device, FIFO or socket (never
    opened for reading, so ``/dev/zero`` or a FIFO cannot fill memory or block),
    OSError (or ValueError, for a NUL in the path) if it cannot be read."""
    name = os.fspath(path)
    _require_regular(name, os.stat(name).st_mode)
    fd = os.open(name, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    with open(fd, "rb", buffering=0) as handle:
        info = os.fstat(fd)
        _require_regular(name, info.st_mode)  # it may have been replaced since the check above
        if info.st_size > limit:
            raise FileTooLarge(f"{name}: file is {info.st_size:,} bytes, more than the limit of {limit:,}")
        pieces, size = [], 0
        while size <= limit:
            piece = handle.read(min(limit + 1 - size, max(info.st_size + 1 - size, READ_CHUNK)))
            if not piece:
                break
            pieces.append(piece)
            size += len(piece)
    if size > limit:
        raise FileTooLarge(f"{name}: file grew to more than the limit of {limit:,} bytes while being read")
    return b"".join(pieces)


def check_output_path(text: str | os.PathLike[str], suffixes: Sequence[str] | None = None) -> Path:
    """``text`` as the path of a file about to be written, checked before any
    work is done; ValueError with one line naming it otherwise: an empty name, a
    folder (or a name ending in a separator), a missing folder, a folder that
    cannot be written, an existing target that is not a regular writable file,
    or (with ``suffixes``, lower case) an unknown suffix."""
    name = os.fspath(text)
    _check_name(name)
    path = Path(name)
    if suffixes is not None and path.suffix.lower() not in suffixes:
        found = f"unknown suffix {path.suffix!r}" if path.suffix else "no suffix"
        raise ValueError(f"{shown(name)}: {found}; use {', '.join(suffixes)}")
    target = os.path.realpath(name)
    folder = os.path.dirname(target)
    try:
        _writable_target(target)
    except FileNotFoundError:
        shown_folder = folder if os.path.islink(name) else os.path.dirname(name) or "."
        raise ValueError(f"{shown(name)}: folder {shown(shown_folder)} does not exist") from None
    except OSError as error:
        raise ValueError(describe_os_error(name, error)) from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ValueError(f"{shown(name)}: no permission to create files in folder {shown(folder)}")
    return path


def resolve_inside(root: str | os.PathLike[str], text: str) -> Path:
    """``text``, a path a remote person typed, as an absolute path inside the
    folder ``root`` with every symbolic link resolved; ValueError with a one-line
    reason otherwise: an empty name, a NUL, an absolute path, ``~``, a ``..``
    component, a path whose links lead out of ``root``, or an existing target
    that is not a regular file. Messages call ``root`` "the working folder"
    and never show where it is."""
    _check_name(text)
    parts = text.split(os.sep)
    if os.path.isabs(text):
        raise ValueError(f"{shown(text)}: give a path inside the working folder, not an absolute one")
    if parts[0].startswith("~"):
        raise ValueError(f"{shown(text)}: '~' is not a home folder here; give a path inside the working folder")
    if ".." in parts:
        raise ValueError(f"{shown(text)}: '..' is not allowed; give a path inside the working folder")
    base = os.path.realpath(root)
    target = os.path.realpath(os.path.join(base, text))
    if os.path.commonpath([base, target]) != base:
        raise ValueError(f"{shown(text)}: leads outside the working folder")
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        return Path(target)
    except OSError as error:
        raise ValueError(describe_os_error(text, error)) from None
    if not stat.S_ISREG(mode):
        raise ValueError(describe_os_error(text, NotRegularFile(text, mode)))
    return Path(target)


def same_file(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    """Whether two paths name the same file, links resolved (existing or not)."""
    return os.path.realpath(a) == os.path.realpath(b)


def describe_os_error(path: str | os.PathLike[str], error: OSError | ValueError) -> str:
    """One line naming the file and what went wrong, for an OSError (or the
    ValueError that a NUL character in a path gives)."""
    reason = getattr(error, "strerror", None) or str(error)
    return f"{shown(os.fspath(path))}: {reason}"


def _check_name(name: str) -> None:
    """ValueError for a file name that cannot name a file: empty, with a NUL, or a folder's."""
    if not name.strip():
        raise ValueError("the file name is empty")
    if "\0" in name:
        raise ValueError(f"{shown(name)}: a file name cannot contain a NUL character")
    if name.endswith(os.sep) or os.path.basename(name) in (".", ".."):
        raise ValueError(f"{shown(name)}: names a folder; give a file name")


def _writable_target(target: str) -> os.stat_result | None:
    """The status of the existing regular file ``target`` (None if there is none);
    OSError if it is something else, or a file the person may not write."""
    try:
        info = os.stat(target)
    except FileNotFoundError:
        if not os.path.isdir(os.path.dirname(target)):
            raise
        return None
    _require_regular(target, info.st_mode)
    if not os.access(target, os.W_OK):
        raise PermissionError(errno.EACCES, "the file is read-only", target)
    return info


def _take_over(fd: int, existing: os.stat_result | None) -> None:
    """Give the new file ``fd`` the mode (and owner and group, where permitted) of
    the file it replaces; a brand-new file gets the mode ``open()`` would give."""
    if existing is None:
        os.fchmod(fd, _new_file_mode())
        return
    with contextlib.suppress(PermissionError):  # only root gives a file away; a member may set its group
        os.fchown(fd, existing.st_uid if os.geteuid() == 0 else -1, existing.st_gid)
    os.fchmod(fd, stat.S_IMODE(existing.st_mode))  # after fchown, which clears the set-id bits


def _encoded(data: str | bytes | Iterable[str]) -> Iterator[bytes]:
    if isinstance(data, bytes):
        yield data
    elif isinstance(data, str):
        yield data.encode("utf-8")
    else:
        for piece in data:
            yield piece.encode("utf-8")


def _require_regular(name: str, mode: int) -> None:
    if not stat.S_ISREG(mode):
        raise NotRegularFile(name, mode)


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    return "a socket" if stat.S_ISSOCK(mode) else "a special file"


def _new_file_mode() -> int:
    """The mode ``open()`` would give a new file (0o666 less the umask), not the temporary file's 0o600."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
