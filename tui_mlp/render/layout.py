"""Where things go: layer columns from networkx, which neurons to show, row positions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from tui_mlp.core import MLP

if TYPE_CHECKING:
    import networkx as nx


def layer_columns(graph: nx.DiGraph) -> list[list[str]]:
    """Node ids grouped into columns by networkx's layered (topological) ordering, top to bottom."""
    import networkx as nx  # here, as in ``build_graph``: a slow import

    return [
        sorted(generation, key=lambda n: graph.nodes[n]["index"]) for generation in nx.topological_generations(graph)
    ]


def importance(model: MLP) -> list[np.ndarray]:
    """Per layer, each neuron's total |w| over its incoming and outgoing weights."""
    scores = [np.zeros(n) for n in model.layer_sizes]
    for layer, w in enumerate(model.weights):
        magnitude = np.abs(np.nan_to_num(w))
        scores[layer] += magnitude.sum(axis=1)
        scores[layer + 1] += magnitude.sum(axis=0)
    return scores


def most_important(scores: np.ndarray, count: int, keep: int | None = None) -> np.ndarray:
    """Indices of the ``count`` highest scores (always including ``keep``), in index order."""
    if count >= len(scores):
        return np.arange(len(scores))
    chosen = np.argsort(-scores, kind="stable")[:count]
    if keep is not None and keep not in chosen:
        chosen[-1] = keep
    return np.sort(chosen)


def strongest(weights: np.ndarray, count: int) -> np.ndarray:
    """Flat indices of the ``count`` largest |weights|, weakest first."""
    flat = np.abs(np.nan_to_num(weights)).ravel()
    order = np.argpartition(-flat, count - 1)[:count] if count < flat.size else np.arange(flat.size)
    return order[np.argsort(flat[order], kind="stable")]


def spread(heights: Sequence[int], rows: int) -> list[int]:
    """Top rows for blocks of the given heights spread evenly over ``rows`` rows.

    Blocks keep their order and never overlap; spare rows go between and
    around them (or only between them when there are too few to go around).
    """
    count = len(heights)
    spare = max(rows - sum(heights), 0)
    tops, used = [], 0
    for i, height in enumerate(heights):
        # centred with room around when there is plenty, else flush top and bottom
        share = (i + 0.5) * spare / count if spare >= count else i * spare / max(count - 1, 1)
        tops.append(used + int(share))
        used += height
    return tops
