"""tui-mlp: build, train and watch a small neural network in the terminal."""

import sys

from .version import __version__

__all__ = ["__version__", "main"]


def main() -> None:
    """The ``tui-mlp`` command. Ctrl-C while it loads NumPy and Textual (a noticeable
    fraction of a second) ends it with one line too, not an import traceback."""
    try:
        from .cli import entry
    except KeyboardInterrupt:
        sys.stderr.write("tui-mlp: interrupted\n")
        sys.exit(130)
    entry()
