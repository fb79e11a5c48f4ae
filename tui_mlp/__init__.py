"""tui-mlp: build, train and watch a small neural network in the terminal."""

__version__ = "0.1.0"
