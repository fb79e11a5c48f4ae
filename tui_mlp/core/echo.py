"""How a message repeats what a person typed or a file held (on one line, and not at length),
and how it counts things (``1 input``, ``2 inputs``)."""

from __future__ import annotations

QUOTED_CHARS = 40  # what a message repeats of a value from a file, at most (and an ellipsis)


def shown(text: str, limit: int | None = None) -> str:
    """``text`` as is if it prints on one line, else escaped as Python writes a string;
    with ``limit``, a longer one is cut to its start and end around an ellipsis."""
    return shortened(text if text.isprintable() else repr(text), limit)


def quoted(value: object, limit: int | None = QUOTED_CHARS) -> str:
    """``repr(value)`` (a string in quotes, with escapes), cut as ``shown`` cuts."""
    return shortened(repr(value), limit)


def shortened(text: str, limit: int | None) -> str:
    """``text``, or its first and last ``limit // 2 - 2`` characters around an ellipsis if it is
    longer than ``limit``."""
    if limit is None or len(text) <= limit:
        return text
    half = limit // 2 - 2
    return f"{text[:half]}…{text[-half:]}"


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """``count`` and ``noun`` in agreement, thousands grouped: ``1 epoch``, ``10,000 epochs``,
    ``2 classes`` (``plural`` where adding an s is wrong)."""
    return f"{count:,} {noun if count == 1 else plural or noun + 's'}"
