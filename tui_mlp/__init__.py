"""tui-mlp: build, train and watch a small neural network in the terminal."""

import sys

__version__ = "0.1.0"


def main() -> None:
    """The ``tui-mlp`` command. Ctrl-C while it loads NumPy and Textual (a noticeable
    fraction of a second) ends it with one line too, not an import traceback."""
    try:
        from .cli import entry
    except KeyboardInterrupt:
        sys.stderr.write("tui-mlp: interrupted\n")
        sys.exit(130)
    entry()
