"""Running a parsed query: BM25F scores, every-word matches first, filters and sorting.

Ranking rule: documents containing every word (and every phrase) come first, ordered
by BM25F; then documents containing only some of the words, also by BM25F. A query
with one missing word therefore still answers, but never above a full match. A word
with synonyms counts as one word, matched by any of its names.

Long queries (more than :data:`ALL_WORDS_UP_TO` words, typically questions typed in
full) relax the first tier to documents with :data:`LONG_QUERY_SHARE` of the words:
one unusual word missing from a relevant passage must not bury it under every passage
that happens to contain all the others. benchmarks/quality.md measures the trade-off.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass

from whoosh import query as q
from whoosh.scoring import BM25F

from search.parsing import ParsedQuery, clauses, exclusion

#: BM25 parameters (Whoosh's defaults; see benchmarks/quality.md for measurements).
K1 = 1.2
B = 0.75
#: Queries of up to this many words rank documents with every word first.
ALL_WORDS_UP_TO = 1000
#: Longer queries rank first the documents with this share of their words (rounded up).
LONG_QUERY_SHARE = 1.0
#: Weight of a pair of neighbouring query words found within PROXIMITY_SLOP words (0: off).
PROXIMITY_BOOST = 0.0
PROXIMITY_SLOP = 3


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
    """How many of ``words`` query words a document needs to be in the first tier."""
    if words <= ALL_WORDS_UP_TO:
        return words
    return max(ALL_WORDS_UP_TO, math.ceil(words * LONG_QUERY_SHARE))


def proximity(parsed: ParsedQuery) -> list[q.Query]:
    """Optional clauses that reward neighbouring query words standing close together."""
    if not PROXIMITY_BOOST:
        return []
    pairs = zip(parsed.concepts, parsed.concepts[1:])
    return [
        q.Phrase("body", [a.stems[-1], b.stems[0]], slop=PROXIMITY_SLOP, boost=PROXIMITY_BOOST)
        for a, b in pairs
    ]


def _first_tier(searcher, words: list[q.Query], need: int) -> set[int]:
    """Documents matching at least ``need`` of the word clauses."""
    if need == len(words):
        return set(searcher.docs_for_query(q.And(words)))
    counts = Counter(d for w in words for d in searcher.docs_for_query(w))
    return {d for d, c in counts.items() if c >= need}


def run(searcher, parsed: ParsedQuery, filters: Filters, limit: int, sort: str = "relevance"):
    """Return ``(total, [(docnum, score), ...])`` for the first ``limit`` hits."""
    words, phrases = clauses(parsed)
    excluded = exclusion(parsed)
    filter_q = filters.query()

    def restrict(query: q.Query) -> q.Query:
        return q.AndNot(query, excluded) if excluded is not None else query

    # Any document with at least one word, and every phrase; scored by all clauses.
    any_q = _and(phrases + [q.Or(words + proximity(parsed))]) if words else _and(phrases)
    any_q = restrict(any_q)
    if sort == "date":
        hits = searcher.search(any_q, limit=limit, filter=filter_q, sortedby="date", reverse=True)
        return len(hits), [(h.docnum, h.score or 0.0) for h in hits]

    need = required_matches(len(words))
    if need <= 1:
        hits = searcher.search(any_q, limit=limit, filter=filter_q)
        return len(hits), [(h.docnum, h.score) for h in hits]
    tier = _first_tier(searcher, words, need)
    if filter_q is not None:
        tier &= set(searcher.docs_for_query(filter_q))
    first = searcher.search(any_q, limit=limit, filter=tier)
    ranked = [(h.docnum, h.score) for h in first]
    rest = searcher.search(any_q, limit=max(limit - len(ranked), 1), filter=filter_q, mask=tier)
    if len(ranked) < limit:
        ranked.extend((h.docnum, h.score) for h in rest[: limit - len(ranked)])
    return len(first) + len(rest), ranked
