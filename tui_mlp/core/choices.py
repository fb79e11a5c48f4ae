"""The engine's choices and limits as plain values, without NumPy: what the command
line's flags and the app's fields offer and check before the engine is loaded (the
app draws its first screen with them alone). The modules that implement each choice
import its names from here, so each is written once."""

from __future__ import annotations

HIDDEN_ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu", "linear")
OUTPUT_ACTIVATIONS = (*HIDDEN_ACTIVATIONS, "softmax")
DEFAULT_ACTIVATION = "sigmoid"  # the seed script's, hidden and output

LOSSES = ("sse", "mse", "cross_entropy")

OPTIMIZERS = ("gd", "momentum", "adam")
DEFAULT_OPTIMIZER = "gd"  # plain gradient descent, the seed script's
DEFAULT_MOMENTUM = 0.9

DATASET_NAMES = (
    "seed",
    "xor",
    "circle",
    "moons",
    "spiral",
    "gaussians",
    "sine",
    "digits",
)  # datasets.py registers them
MAX_SAMPLES = 100_000

MAX_LAYER_SIZE = 10_000
MAX_LAYERS = 32
MAX_PARAMETERS = 20_000_000  # 160 MB of float64 parameters

DTYPES = ("float64", "float32")  # the engine's floating-point types, the default first
DEFAULT_DTYPE = DTYPES[0]
