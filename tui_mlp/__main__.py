"""``python -m tui_mlp``: the same as the ``tui-mlp`` command."""

from .cli import run

run()
