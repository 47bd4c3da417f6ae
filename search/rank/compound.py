"""Scores of compound queries from their parts' scores, shared by the evaluators that
score the whole collection (:class:`search.rank.scorer.ArrayScorer`) and a subset of it
(:class:`search.rank.subset.Subset`): both must combine parts exactly as Whoosh's
matchers add them up, so the rule is written once."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from whoosh import query as q


@dataclass
class Scored:
    """One score per document number (or per slot of a subset), and which match at all."""

    mask: np.ndarray
    scores: np.ndarray

    def docs(self) -> np.ndarray:
        return np.flatnonzero(self.mask)


class Compounds:
    """``And`` and ``DisjunctionMax`` for an evaluator with ``evaluate`` and ``_empty``."""

    def evaluate(self, query: q.Query) -> Scored:
        raise NotImplementedError

    def _empty(self) -> Scored:
        raise NotImplementedError

    def _and(self, query: q.And) -> Scored:
        parts = [self.evaluate(sub) for sub in query.subqueries]
        if not parts:
            return self._empty()
        if len(parts) == 1:
            return parts[0]
        mask = parts[0].mask.copy()
        scores = parts[0].scores.copy()
        for part in parts[1:]:
            mask &= part.mask
            scores += part.scores
        scores[~mask] = 0.0
        return Scored(mask, scores * query.boost)

    def _dismax(self, query: q.DisjunctionMax) -> Scored:
        parts = [self.evaluate(sub) for sub in query.subqueries]
        if not parts:
            return self._empty()
        if len(parts) == 1:  # as Whoosh: a single part, without the compound's boost
            return parts[0]
        stacked = np.vstack([p.scores for p in parts])
        best = stacked.max(axis=0)
        scores = best + query.tiebreak * (stacked.sum(axis=0) - best)
        mask = np.logical_or.reduce([p.mask for p in parts])
        return Scored(mask, scores * query.boost)
