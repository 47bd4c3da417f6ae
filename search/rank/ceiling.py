"""The most a query's clauses can add to a document's score: a keyword query's tier ranked
from the documents that can reach its top.

Why: at a million articles a keyword query's first tier holds tens of thousands of
documents, and scoring every one of them (:mod:`search.rank.subset`) was the largest part
of a query. Its best are the documents whose title holds a query word: the title weighs
twelve times the body (``KeywordSettings.title_weight``) and the headline factors
(:mod:`search.rank.headline`) multiply those documents' scores only. So the tier's
documents with a headline factor are scored first; any other scores at most what its
clauses can add outside the title (:func:`ceiling`: a term's BM25F is below
idf · (K1 + 1) whatever its frequency and the document's length). When that is below the
score of the ``depth``-th best of the first, no other document can enter the ranking or
tie with it, and they are not scored.

Rule: the documents ranked, their scores and their order are those of scoring the whole
tier (tests/search/rank/test_ceiling.py compares both); a query whose scores this cannot
bound (phrases) scores the whole tier.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
from whoosh import query as q

from index.schema import EXACT_FIELDS
from search.query import build
from search.query.parse import ParsedQuery
from search.rank import headline
from search.rank.compound import plain
from search.rank.scorer import ArrayScorer
from search.settings import RankingSettings

if TYPE_CHECKING:
    from search.rank.scoring import Found

#: Tiers of at most this many documents are scored whole: scoring them costs less than the bound.
WHOLE_UP_TO = 2000
#: The fields of a title match: a document matching a word's term there has a headline factor.
TITLE_FIELDS = frozenset({"title", EXACT_FIELDS["title"]})
#: Relative margin for the rounding of the scores' sums (a few units in the last place).
MARGIN = 1e-9


def ceiling(scorer: ArrayScorer, query: q.Query, skip: frozenset[str] = frozenset()) -> float:
    """At least the score ``query`` gives any document, its terms in ``skip``'s fields not
    counted; infinite when a part is neither a term nor a sum of parts (phrases, ranges)."""
    if query.boost < 0:
        return math.inf
    if isinstance(query, q.Term):
        if query.fieldname in skip:
            return 0.0
        docs, _, idf = scorer.term_postings(query.fieldname, query.text)
        if not len(docs):
            return 0.0
        # BM25: idf · tf (K1 + 1) / (tf + K1 ((1 − B) + B · length / average)), below idf (K1 + 1).
        return math.inf if idf is None else max(idf, 0.0) * (scorer.K1 + 1) * query.boost
    sums = plain(query, q.Or) or plain(query, q.And) \
        or (isinstance(query, q.DisjunctionMax) and 0 <= query.tiebreak <= 1)  # best + t · rest ≤ all
    if not sums:
        return math.inf
    total = sum(ceiling(scorer, sub, skip) for sub in query.subqueries)
    return total * query.boost if len(query.subqueries) > 1 else total  # as Compounds applies boosts


def outside_titles(scorer: ArrayScorer, parsed: ParsedQuery, plan: build.Plan, settings: RankingSettings,
                   weights: list[float]) -> tuple[np.ndarray, float]:
    """(per document number, whether it has a headline factor; the most any other document
    can score) for a keyword query's ``plan`` whose words weigh ``weights``
    (:func:`search.rank.scoring.word_weights`). Such a document matches no term of a word in
    the title (those are what the factors look for), and its score is not multiplied."""
    rest = math.inf
    if not plan.phrases:  # required phrases are scored by Whoosh: no bound
        rest = sum(w * (ceiling(scorer, word, TITLE_FIELDS) + (ceiling(scorer, near) if near is not None else 0.0))
                   for w, word, near in zip(weights, plan.words, plan.near))
        rest += sum(ceiling(scorer, fallback) for fallback in plan.fallbacks)
    if not math.isfinite(rest):
        return np.zeros(0, dtype=bool), rest
    return headline.listed(scorer, parsed, settings), rest


def candidates(found: Found, docs: np.ndarray, depth: int) -> tuple[np.ndarray, np.ndarray]:
    """``docs`` (a tier of ``found``, ascending) or the part of it that holds its ``depth``
    best and every document tied with the last of them, and their scores."""
    bounded = found.bounded() if len(docs) > WHOLE_UP_TO else None
    if bounded is not None and math.isfinite(bounded[1]):
        listed, rest = bounded
        among = docs[listed[docs]]
        if depth <= len(among) < len(docs):
            values = found.scores_of(among)
            if rest * (1 + MARGIN) < np.partition(values, len(values) - depth)[len(values) - depth]:
                return among, values
    return docs, found.scores_of(docs)
