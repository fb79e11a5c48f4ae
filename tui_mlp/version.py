"""The version of tui-mlp, read by the package, the CLI and pyproject.toml."""

__version__ = "0.1.0"
