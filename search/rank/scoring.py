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
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from whoosh.scoring import BM25F

from search.query import build
from search.query.kind import keyword_rules
from search.query.parse import ParsedQuery
from search.rank import ceiling, headline
from search.rank import scorer as array_scorer
from search.rank.compound import Scored
from search.rank.subset import Subset, matches
from search.settings import RankingSettings, ScoringSettings


def weighting(settings: ScoringSettings) -> BM25F:
    """The BM25F model the index's searcher is opened with (the array scorer reads it)."""
    return BM25F(B=settings.b, K1=settings.k1)


@dataclass
class Found:
    """What a query matched: which documents, which words each has, and scores."""

    #: Per document number, whether it matches (filters applied): ``total``, the tiers, the
    #: stories and the facets count these. Masks rather than numbers: at a million
    #: documents a query matches hundreds of thousands, and the ranking asks for a few.
    matching: np.ndarray
    #: Per query word (concept), per document number, whether the document has it; a root
    #: match does not count.
    per_word: list[np.ndarray]
    #: Scores of the documents given (None: of every document number).
    score: Callable[[np.ndarray | None], np.ndarray]
    #: Documents scored alone (:meth:`scores_of`) when at most this share of the collection.
    subset_share: float = 0.0
    _scores: np.ndarray | None = None
    #: Tiers scored alone so far: a deeper ranking (copies fill the page) asks for them again.
    _scored: list[tuple[np.ndarray, np.ndarray]] = field(default_factory=list)
    #: Each tier's documents (:func:`search.rank.tiers.tier`), listed once: a deeper ranking asks again.
    tiers: dict[int, np.ndarray] = field(default_factory=dict)
    #: A keyword query's (documents with a headline factor, the most any other can score),
    #: computed when a large tier is first ranked (:mod:`search.rank.ceiling`); None: unbounded.
    outside_titles: Callable[[], tuple[np.ndarray, float]] | None = None
    _outside: tuple[np.ndarray, float] | None = None
    _docs: np.ndarray | None = None

    @property
    def docs(self) -> np.ndarray:
        """Every matching document number, ascending."""
        if self._docs is None:
            self._docs = np.flatnonzero(self.matching)
        return self._docs

    @property
    def total(self) -> int:
        return int(np.count_nonzero(self.matching))

    @property
    def words(self) -> int:
        """How many words the query has."""
        return len(self.per_word)

    @property
    def counts(self) -> np.ndarray:
        """How many query words (concepts) each document number has."""
        counts = np.zeros(len(self.matching), np.int32)
        for mask in self.per_word:
            counts += mask
        return counts

    def having(self, need: int) -> np.ndarray:
        """Per document number, whether it has at least ``need`` of the query's words."""
        if need == len(self.per_word):
            return _all_of(self.per_word)
        return self.counts >= need

    @property
    def scores(self) -> np.ndarray:
        """Score of every document number (meaningful where it matches), computed when first asked."""
        if self._scores is None:
            self._scores = self.score(None)
        return self._scores

    def bounded(self) -> tuple[np.ndarray, float] | None:
        """:attr:`outside_titles`, computed once; None when unbounded or every document is scored already."""
        if self.outside_titles is None or self._scores is not None:
            return None
        if self._outside is None:
            self._outside = self.outside_titles()
        return self._outside

    def scores_of(self, docs: np.ndarray) -> np.ndarray:
        """The scores of ``docs`` (ascending, matching), the same as :attr:`scores` gives them:
        a few documents are scored alone (:mod:`search.rank.subset`), many with every one."""
        if self._scores is not None or len(docs) > self.subset_share * len(self.matching):
            return self.scores[docs]
        for scored, values in self._scored:
            if np.array_equal(scored, docs):
                return values
        self._scored.append((docs, self.score(docs)))
        return self._scored[-1][1]


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


def required_matches(words: int, settings: ScoringSettings) -> int:
    """How many of ``words`` query words a document needs to be in the first tier
    (0: no tiers, every matching document ranks by score alone)."""
    return words if words <= settings.all_words_up_to else 0


def match(searcher, parsed: ParsedQuery, filters: build.Filters, settings: RankingSettings,
          by_tier: bool = False) -> Found:
    """Every document ``parsed`` finds within ``filters``, with its score.

    ``by_tier`` (a ranking by relevance): a query with tiers finds its documents from
    posting ids alone, and a tier's documents are scored when the ranking asks for them
    (:meth:`Found.scores_of`); otherwise every document is scored at once, as matching
    needs every clause evaluated anyway."""
    scorer = array_scorer.for_searcher(searcher)
    plan = build.plan(parsed, settings)

    def score(docs: np.ndarray | None) -> np.ndarray:
        return _evaluate(scorer if docs is None else Subset(scorer, docs), searcher, parsed, plan, settings)[1]

    bound = None
    if not by_tier or required_matches(len(plan.words), settings.scoring) < 2:
        matching, scores, per_word = _evaluate(scorer, searcher, parsed, plan, settings)
        share = 0.0
    else:
        per_word = [matches(scorer, w) if near is None else matches(scorer, w) | matches(scorer, near)
                    for w, near in zip(plan.words, plan.near)]
        matching = _any_of(per_word + [matches(scorer, c) for c in plan.fallbacks])
        for phrase in plan.phrases:
            matching &= matches(scorer, phrase)
        scores, share = None, settings.scoring.subset_share
        if keyword_rules(parsed, settings.keywords):
            def bound() -> tuple[np.ndarray, float]:
                weights = word_weights(searcher, parsed, settings.scoring)
                return ceiling.outside_titles(scorer, parsed, plan, settings, weights)
    if plan.excluded is not None:
        matching &= ~scorer.evaluate(plan.excluded).mask
    filter_q = filters.query()
    if filter_q is not None:
        matching &= scorer.evaluate(filter_q).mask
    return Found(matching, per_word, score, share, _scores=scores, outside_titles=bound)


def _evaluate(ev: array_scorer.ArrayScorer | Subset, searcher, parsed: ParsedQuery, plan: build.Plan,
              settings: RankingSettings) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    """(matches, scores, each word's matches) of ``plan`` over the documents of ``ev``: every
    document (the scorer) or some (a :class:`Subset`), with the same operations."""
    per_word = [ev.evaluate(w) for w in plan.words]
    extra = [ev.evaluate(c) for c in plan.fallbacks]
    if per_word:
        # A near word counts as the word it stands for, present and scoring.
        per_word = [_plus(ev, found, near) for found, near in zip(per_word, plan.near)]
        found = per_word + extra
        matching = _any_of([f.mask for f in found])
        # Root fallbacks keep their own weight: weighting them by idf as well measured worse.
        weights = word_weights(searcher, parsed, settings.scoring) + [1.0] * len(extra)
        scores = _sum([f.scores * w if w != 1.0 else f.scores for f, w in zip(found, weights)])
        if keyword_rules(parsed, settings.keywords):
            among = ev.docs if isinstance(ev, Subset) else None
            titled, factors = headline.factors(array_scorer.for_searcher(searcher), parsed, settings, among)
            if isinstance(ev, Subset):
                slots, rows = ev.slots(titled)
                scores[slots] *= factors[rows]
            else:
                scores[titled] *= factors  # a fresh sum: no one else holds it
    else:
        matching, scores = ev.live.copy(), np.zeros(ev.size)
    for phrase in map(ev.evaluate, plan.phrases):
        matching &= phrase.mask
        scores = scores + phrase.scores
    return matching, scores, [word.mask for word in per_word]


def _any_of(masks: list[np.ndarray]) -> np.ndarray:
    """The union of ``masks``, in place into a copy of the first: ``np.logical_or.reduce``
    of a list stacks every mask into one new 2-D array first."""
    union = masks[0].copy()
    for mask in masks[1:]:
        union |= mask
    return union


def _all_of(masks: list[np.ndarray]) -> np.ndarray:
    """The intersection of ``masks``, in place into a copy of the first."""
    every = masks[0].copy()
    for mask in masks[1:]:
        every &= mask
    return every


def _sum(vectors: list[np.ndarray]) -> np.ndarray:
    """The element-wise sum of ``vectors``, added in list order as ``np.add.reduce`` over
    their stack adds them (so scores stay bit for bit the same), without the stack."""
    total = vectors[0].copy()
    for vector in vectors[1:]:
        total += vector
    return total


def _plus(ev: array_scorer.ArrayScorer | Subset, found: Scored, near) -> Scored:
    """One word's scores plus its near words' (None: it has none)."""
    if near is None:
        return found
    extra = ev.evaluate(near)
    return Scored(found.mask | extra.mask, found.scores + extra.scores)
