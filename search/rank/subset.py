"""A query's matches from posting ids alone, and its scores for a chosen set of documents.

Why: a query word becomes dozens of terms whose posting lists, at hundreds of thousands
of articles, hold a large share of the collection; scoring every posting (BM25F, then
adding into a vector with one slot per document) was most of a query's time and grows
with the collection. The ranking needs every matching document (the total, the tiers,
the facets) but the scores of a tier's documents only, and a keyword query's first
tier (every word) is a small part of what it matches. So matching reads the postings'
document numbers alone (:func:`matches`), and :class:`Subset` scores the documents of
a tier: each clause's scores over those documents, with vectors of the tier's size.

Rule: a score is computed with the same operations, element by element and in the same
order, as :meth:`~search.rank.scorer.ArrayScorer.evaluate` computes it over every
document, so it is the same to the last bit (tests/search/rank/test_subset.py). The one
reduction whose order numpy chooses by shape, a DisjunctionMax's sum over its parts, is
added part by part here, the order numpy adds a stack of collection-long vectors in.
"""

from __future__ import annotations

import numpy as np
from whoosh import query as q

from search.rank.compound import Compounds, Scored, plain
from search.rank.scorer import ArrayScorer

#: A subset this many times smaller than a posting list is searched for in it (a binary
#: search per subset document costs about this many passes over a posting).
BISECT_BELOW = 16


def matches(scorer: ArrayScorer, query: q.Query) -> np.ndarray:
    """Which documents ``query`` matches (the mask :meth:`ArrayScorer.evaluate` gives),
    from the terms' document numbers, without a score."""
    if isinstance(query, q.Term) or _union(query):
        mask = np.zeros(scorer.size, dtype=bool)
        _mark(scorer, query, mask)
        return mask
    if plain(query, q.And):
        parts = [matches(scorer, sub) for sub in query.subqueries]
        if not parts:
            return np.zeros(scorer.size, dtype=bool)
        mask = parts[0].copy()
        for part in parts[1:]:
            mask &= part
        return mask
    if isinstance(query, q.AndNot):
        return matches(scorer, query.a) & ~matches(scorer, query.b)
    return scorer.evaluate(query).mask  # ranges (a column) and Whoosh's own (phrases): kept


def _union(query: q.Query) -> bool:
    """Whether ``query`` matches where any of its parts does."""
    return plain(query, q.Or) or isinstance(query, q.DisjunctionMax)


def _mark(scorer: ArrayScorer, query: q.Query, mask: np.ndarray) -> None:
    """Set ``mask`` where ``query`` (a term, or a union) matches. A word's clause is a union of
    unions (a form in each field): marking them all in one mask spares a collection-long
    mask per part and its merge."""
    if isinstance(query, q.Term):
        mask[scorer.term_postings(query.fieldname, query.text)[0]] = True
    elif _union(query):
        for sub in query.subqueries:
            _mark(scorer, sub, mask)
    else:
        mask |= matches(scorer, query)


class Subset(Compounds):
    """Evaluates queries over the documents ``docs`` (ascending document numbers) of one
    scorer: a :class:`Scored` whose slot ``i`` is document ``docs[i]``."""

    def __init__(self, scorer: ArrayScorer, docs: np.ndarray):
        self.scorer = scorer
        self.docs = docs
        self.size = len(docs)
        self.live = scorer.live[docs]

    def slots(self, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(slots, rows): for the documents of ``docs`` (ascending) that are in the subset,
        their slots here and their places in ``docs``. A subset much smaller than ``docs``
        is looked up in it (binary search per subset document), else ``docs`` in the subset
        (one pass over them)."""
        if len(self.docs) * BISECT_BELOW < len(docs):
            at = np.searchsorted(docs, self.docs)
            found = at < len(docs)
            found[found] = docs[at[found]] == self.docs[found]
            return np.flatnonzero(found), at[found]
        slot = self.scorer.slot_table(self.docs)[docs]
        rows = np.flatnonzero(slot >= 0)
        return slot[rows], rows

    def _other(self, query: q.Query) -> Scored:
        """A range (a column) or Whoosh's own (phrases): the whole collection's, kept."""
        whole = self.scorer.evaluate(query)
        return Scored(whole.mask[self.docs], whole.scores[self.docs])

    def _add_term(self, query: q.Term, weight: float, into: Scored) -> None:
        docs, tf, idf = self.scorer.term_postings(query.fieldname, query.text)
        if not len(docs):  # most proclitic variants of a word: nothing to add
            return
        slots, rows = self.slots(docs)
        into.mask[slots] = True
        into.scores[slots] += self.scorer.bm25(query.fieldname, docs[rows], tf[rows], idf) * weight
