"""Running a parsed query: BM25F scores, every-word matches first, filters and sorting.

Ranking rule: documents containing every word (and every phrase) come first, ordered
by BM25F; then documents containing only some of the words, also by BM25F. A query
with one missing word therefore still answers, but never above a full match. A word
with synonyms counts as one word, matched by any of its names.

Long queries (more than :data:`ALL_WORDS_UP_TO` words, typically questions typed in
full) have no tiers: one unusual word missing from a relevant passage must not bury it
under every passage that happens to contain the others. Their BM25F sum, with each word weighted by its rarity (:data:`IDF_POWER`),
already ranks a passage with more of the telling words higher; a tier of 75 % of the
words measured worse than none. benchmarks/quality.md measures the trade-off.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
from whoosh import query as q
from whoosh.scoring import BM25F

from search.query import fuzzy
from search.rank import proximity as proximity_rerank
from search.rank import scorer as array_scorer
from search.query.parsing import ParsedQuery, clauses, exclusion, fallbacks

#: BM25 parameters: b is Whoosh's default; k1 below Whoosh's 1.2 saturates repeated
#: words sooner, which suits short passages (see benchmarks/quality.md for measurements).
K1 = 0.8
B = 0.75
#: Queries of up to this many words rank documents with every word first; longer
#: ones rank by score alone.
ALL_WORDS_UP_TO = 3
#: Each query word's clause is multiplied by (its body idf / the largest idf) ** IDF_POWER
#: (0: off). Whoosh's idf, log(N / (df + 1)) + 1, is flat: a word in a third of the
#: documents still weighs a quarter of a unique one, so the generic words of a question
#: (عدد, عام, اسم, دولة) outvote the one rare name that picks out its passage.
IDF_POWER = 2.0


def weighting() -> BM25F:
    return BM25F(B=B, K1=K1)


@dataclass
class Filters:
    """Restrictions that do not affect scores."""

    source: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None

    def query(self) -> q.Query | None:
        parts: list[q.Query] = []
        if self.source:
            parts.append(q.Term("source", self.source))
        if self.since or self.until:
            start = dt.datetime.combine(self.since, dt.time.min) if self.since else None
            end = dt.datetime.combine(self.until, dt.time.max) if self.until else None
            parts.append(q.DateRange("date", start, end))
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else q.And(parts)


def _and(parts: list[q.Query]) -> q.Query:
    return parts[0] if len(parts) == 1 else q.And(parts)


def required_matches(words: int) -> int:
    """How many of ``words`` query words a document needs to be in the first tier
    (0: no tiers, every matching document ranks by score alone)."""
    return words if words <= ALL_WORDS_UP_TO else 0


def word_weights(searcher, parsed: ParsedQuery) -> list[float]:
    """One multiplier per concept (see :data:`IDF_POWER`): the idf of its rarest stem in
    the body, relative to that of a word in no document, so weights stay at most 1."""
    if not IDF_POWER:
        return [1.0] * len(parsed.concepts)
    ceiling = math.log(searcher.doc_count_all() or 1) + 1
    weights = []
    for concept in parsed.concepts:
        idf = max(searcher.idf("body", s) for s in concept.stems)
        weights.append((idf / ceiling) ** IDF_POWER)
    return weights


def _with_near_words(searcher, scorer, concept, found):
    """``found`` (one word's scores) plus its near words' (search.query.fuzzy): a misspelled
    word counts as present, and scores, where its correction stands."""
    near = fuzzy.near_query(searcher.reader(), concept)
    if near is None:
        return found
    extra = scorer.evaluate(near)
    return array_scorer.Scored(found.mask | extra.mask, found.scores + extra.scores)


def matching(reader, parsed: ParsedQuery) -> q.Query:
    """Every document the query finds at all: a word (its root, or a near word of a word
    no document has), every phrase, no exclusion.

    ``total`` and the facets count exactly these documents.
    """
    words, phrases = clauses(parsed)
    excluded = exclusion(parsed)
    near = [n for n in (fuzzy.near_query(reader, c) for c in parsed.concepts) if n is not None]
    any_q = _and(phrases + [q.Or(words + fallbacks(parsed) + near)]) if words else _and(phrases)
    return q.AndNot(any_q, excluded) if excluded is not None else any_q


def run(searcher, parsed: ParsedQuery, filters: Filters, limit: int, sort: str = "relevance"):
    """Return ``(total, [(docnum, score), ...])`` for the first ``limit`` hits.

    Scores are Whoosh's BM25F, computed over posting arrays (:mod:`search.rank.scorer`).
    Sorted by date, the newest come first and undated documents last; documents of
    the same day keep their relevance order.
    """
    scorer = array_scorer.for_searcher(searcher)
    words, phrases = clauses(parsed)
    excluded = exclusion(parsed)
    filter_q = filters.query()

    # Any document with at least one word (or its root), and every phrase; scored by all clauses.
    per_word = [scorer.evaluate(w) for w in words]
    extra = [scorer.evaluate(c) for c in fallbacks(parsed)]
    if per_word:
        per_word = [_with_near_words(searcher, scorer, c, w) for c, w in zip(parsed.concepts, per_word)]
        matching = np.logical_or.reduce([f.mask for f in per_word + extra])
        found = per_word + extra
        # Root fallbacks keep their own weight: weighting them by idf as well measured worse.
        weights = word_weights(searcher, parsed) + [1.0] * len(extra)
        scores = np.add.reduce([f.scores * w if w != 1.0 else f.scores for f, w in zip(found, weights)])
    else:
        matching, scores = scorer.live.copy(), np.zeros(scorer.size)
    for phrase in map(scorer.evaluate, phrases):
        matching &= phrase.mask
        scores = scores + phrase.scores
    if excluded is not None:
        matching &= ~scorer.evaluate(excluded).mask
    if filter_q is not None:
        matching &= scorer.evaluate(filter_q).mask
    docs = np.flatnonzero(matching)
    if sort == "date":
        dates, dated = scorer.dates("date")
        order = np.lexsort((docs, -scores[docs], -dates[docs], ~dated[docs]))
        chosen = docs[order[:limit]]
        return len(docs), [(int(d), float(scores[d])) for d in chosen]

    # How many words each document has: the first tier needs required_matches of them.
    counts = np.add.reduce([w.mask.astype(np.int32) for w in per_word]) if per_word else np.zeros(scorer.size, np.int32)
    need = required_matches(len(words))
    in_tier = counts[docs] >= need if need > 1 else np.ones(len(docs), dtype=bool)

    def best(candidates: np.ndarray, wanted: int) -> list[tuple[int, float]]:
        """The ``wanted`` best of ``candidates`` by BM25F, with the best few reordered by
        how close the query words stand (search.rank.proximity)."""
        if not len(candidates) or wanted < 1:
            return []
        depth = max(wanted, proximity_rerank.DEPTH) if proximity_rerank.WEIGHT else wanted
        # Ties with the last one kept come along: proximity.rerank decides among them.
        chosen = array_scorer.top(scores, candidates, depth, ties=True)
        scored = [(int(d), float(scores[d])) for d in chosen]
        return proximity_rerank.rerank(searcher, parsed, scored, K1, B)[:wanted]

    ranked = best(docs[in_tier], limit)
    ranked += best(docs[~in_tier], limit - len(ranked))
    return len(docs), ranked
