"""The errors a person is shown, by what could not be used: a data file, a parameter
file. Their own module, without NumPy, so the app and the command line can catch them
before the engine is loaded."""

from __future__ import annotations


class DataError(Exception):
    """A data file that cannot be used; the message is one line."""


class ParamsError(Exception):
    """A parameter file that cannot be read or written; the message is one line."""
