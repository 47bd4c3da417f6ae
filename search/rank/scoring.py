"""Matching and scoring a query: which documents it finds, and their BM25F scores.

A document matches when it has a word of the query (or the word's root, or a near word
of a word no document has), every phrase, no exclusion, and passes the filters. Its
score is the BM25F sum of its clauses, computed over posting arrays
(:mod:`search.rank.scorer`), with each word's clause weighted by the word's rarity
(``ScoringSettings.idf_power``): Whoosh's idf, log(N / (df + 1)) + 1, is flat, so a
word in a third of the documents still weighs a quarter of a unique one and the
generic words of a question (عدد, عام, اسم, دولة) would outvote the one rare name that
picks out its passage. A keyword query's score is then multiplied by its headline
factors (:mod:`search.rank.headline`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from whoosh.scoring import BM25F

from search.query import build
from search.query.kind import keyword_rules
from search.query.parse import ParsedQuery
from search.rank import headline
from search.rank import scorer as array_scorer
from search.settings import RankingSettings, ScoringSettings


def weighting(settings: ScoringSettings) -> BM25F:
    """The BM25F model the index's searcher is opened with (the array scorer reads it)."""
    return BM25F(B=settings.b, K1=settings.k1)


@dataclass
class Found:
    """What a query matched: document numbers and, per document number, score and words."""

    #: Every matching document (filters applied), ascending: ``total`` and the facets count these.
    docs: np.ndarray
    #: Score of every document number (meaningful where it matches).
    scores: np.ndarray
    #: How many query words (concepts) each document number has; a root match does not count.
    counts: np.ndarray
    #: How many words the query has.
    words: int

    @property
    def total(self) -> int:
        return len(self.docs)


def word_weights(searcher, parsed: ParsedQuery, settings: ScoringSettings) -> list[float]:
    """One multiplier per concept: the idf of its rarest stem in the body, relative to
    that of a word in no document, to the power ``idf_power``, so weights stay at most 1."""
    if not settings.idf_power:
        return [1.0] * len(parsed.concepts)
    ceiling = math.log(searcher.doc_count_all() or 1) + 1
    weights = []
    for concept in parsed.concepts:
        idf = max(searcher.idf("body", s) for s in concept.stems)
        weights.append((idf / ceiling) ** settings.idf_power)
    return weights


def match(searcher, parsed: ParsedQuery, filters: build.Filters, settings: RankingSettings) -> Found:
    """Every document ``parsed`` finds within ``filters``, with its score."""
    scorer = array_scorer.for_searcher(searcher)
    plan = build.plan(parsed, settings)
    per_word = [scorer.evaluate(w) for w in plan.words]
    extra = [scorer.evaluate(c) for c in plan.fallbacks]
    if per_word:
        # A near word counts as the word it stands for, present and scoring.
        per_word = [_plus(scorer, found, near) for found, near in zip(per_word, plan.near)]
        found = per_word + extra
        matching = _any_of([f.mask for f in found])
        # Root fallbacks keep their own weight: weighting them by idf as well measured worse.
        weights = word_weights(searcher, parsed, settings.scoring) + [1.0] * len(extra)
        scores = _sum([f.scores * w if w != 1.0 else f.scores for f, w in zip(found, weights)])
        if keyword_rules(parsed, settings.keywords):
            titled, factors = headline.factors(scorer, parsed, settings)
            scores[titled] *= factors  # a fresh sum: no one else holds it
    else:
        matching, scores = scorer.live.copy(), np.zeros(scorer.size)
    for phrase in map(scorer.evaluate, plan.phrases):
        matching &= phrase.mask
        scores = scores + phrase.scores
    if plan.excluded is not None:
        matching &= ~scorer.evaluate(plan.excluded).mask
    filter_q = filters.query()
    if filter_q is not None:
        matching &= scorer.evaluate(filter_q).mask
    counts = np.zeros(scorer.size, np.int32)
    for word in per_word:
        counts += word.mask
    return Found(np.flatnonzero(matching), scores, counts, len(plan.words))


def _any_of(masks: list[np.ndarray]) -> np.ndarray:
    """The union of ``masks``, in place into a copy of the first: ``np.logical_or.reduce``
    of a list stacks every mask into one new 2-D array first."""
    union = masks[0].copy()
    for mask in masks[1:]:
        union |= mask
    return union


def _sum(vectors: list[np.ndarray]) -> np.ndarray:
    """The element-wise sum of ``vectors``, added in list order as ``np.add.reduce`` over
    their stack adds them (so scores stay bit for bit the same), without the stack."""
    total = vectors[0].copy()
    for vector in vectors[1:]:
        total += vector
    return total


def _plus(scorer: array_scorer.ArrayScorer, found: array_scorer.Scored, near) -> array_scorer.Scored:
    """One word's scores plus its near words' (None: it has none)."""
    if near is None:
        return found
    extra = scorer.evaluate(near)
    return array_scorer.Scored(found.mask | extra.mask, found.scores + extra.scores)
