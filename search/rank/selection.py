"""The best documents of a scored set, in the order Whoosh gives them: score descending,
then document number ascending (so a tie always breaks the same way, here, in Whoosh's
own searcher and on every shard of a cluster)."""

from __future__ import annotations

import numpy as np


def top(scores: np.ndarray, candidates: np.ndarray, limit: int, ties: bool = False) -> np.ndarray:
    """The ``limit`` best of ``candidates`` (document numbers) in Whoosh's order:
    score descending, then document number ascending; with ``ties``, also every
    candidate scoring the same as the last of them."""
    if limit < 1 or not len(candidates):
        return candidates[:0]
    return candidates[best(scores[candidates], candidates, limit, ties)]


def best(values: np.ndarray, candidates: np.ndarray, limit: int, ties: bool = False) -> np.ndarray:
    """:func:`top` of ``candidates`` scoring ``values`` (one each), as positions in ``candidates``."""
    index = np.arange(len(candidates))
    if limit < 1:
        return index[:0]
    if len(candidates) > limit:
        # Every candidate scoring at least the limit-th best, ties included.
        threshold = np.partition(values, len(values) - limit)[len(values) - limit]
        index = np.flatnonzero(values >= threshold)
    order = np.lexsort((candidates[index], -values[index]))
    return index[order] if ties else index[order[:limit]]
