"""``python -m tui_mlp``: the same as the ``tui-mlp`` command."""

from . import main

main()
