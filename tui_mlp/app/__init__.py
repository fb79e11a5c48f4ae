"""The Textual app: choose a network, train it in a worker, watch it learn."""

from .app import MLPApp

__all__ = ["MLPApp"]
