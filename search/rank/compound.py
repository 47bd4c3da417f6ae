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


def plain(query: q.Query, kind: type) -> bool:
    """An Or/And that just sums its parts (no coordination scale, no minimum match)."""
    return isinstance(query, kind) and not getattr(query, "scale", None) and not getattr(query, "minmatch", 0)


class Compounds:
    """The evaluation of a query tree, for an evaluator of ``size`` documents that adds
    a term's scores into a result (``_add_term``) and scores every other leaf
    (``_other``: ranges, phrases)."""

    size: int

    def evaluate(self, query: q.Query) -> Scored:
        """Scores of every document for ``query`` (0 and unmatched where it does not match)."""
        if isinstance(query, q.Term) or plain(query, q.Or):
            found = self._empty()
            self._accumulate(query, 1.0, found)
            return found
        if isinstance(query, q.DisjunctionMax):
            return self._dismax(query)
        if plain(query, q.And):
            return self._and(query)
        if isinstance(query, q.AndNot):
            found = self.evaluate(query.a)  # Whoosh's AndNot passes its boost on to ``a``
            mask = found.mask & ~self.evaluate(query.b).mask
            return Scored(mask, np.where(mask, found.scores, 0.0))
        return self._other(query)

    def _empty(self) -> Scored:
        return Scored(np.zeros(self.size, dtype=bool), np.zeros(self.size))

    def _accumulate(self, query: q.Query, factor: float, into: Scored) -> None:
        """Add ``factor`` × the scores of ``query`` into ``into``: an Or of terms is a
        weighted sum of term scores, so a whole word (dozens of terms) needs one vector."""
        if isinstance(query, q.Term):
            self._add_term(query, factor * query.boost, into)
        elif plain(query, q.Or):
            # Whoosh applies a compound's boost only when it has several parts.
            inner = factor * query.boost if len(query.subqueries) > 1 else factor
            for sub in query.subqueries:
                self._accumulate(sub, inner, into)
        else:
            found = self.evaluate(query)
            into.mask |= found.mask
            into.scores += found.scores * factor

    def _add_term(self, query: q.Term, weight: float, into: Scored) -> None:
        """Add ``weight`` × the term's scores into ``into``."""
        raise NotImplementedError

    def _other(self, query: q.Query) -> Scored:
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
