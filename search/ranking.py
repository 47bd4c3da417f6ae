"""Running a parsed query: BM25F scores, every-word matches first, filters and sorting.

Ranking rule: documents containing every word (and every phrase) come first, ordered
by BM25F; then documents containing only some of the words, also by BM25F. A query
with one missing word therefore still answers, but never above a full match.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from whoosh import query as q
from whoosh.scoring import BM25F

from search.counting import WordSets
from search.parsing import ParsedQuery, clauses, exclusion

#: BM25 parameters (Whoosh's defaults; see benchmarks/quality.md for measurements).
K1 = 1.2
B = 0.75


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


def matching(parsed: ParsedQuery) -> q.Query:
    """Every document the query finds at all: at least one word, every phrase, no exclusion.

    ``total`` and the facets count exactly these documents.
    """
    words, phrases = clauses(parsed)
    excluded = exclusion(parsed)
    any_q = _and(phrases + [q.Or(words)]) if words else _and(phrases)
    return q.AndNot(any_q, excluded) if excluded is not None else any_q


def run(searcher, parsed: ParsedQuery, filters: Filters, limit: int, sort: str = "relevance"):
    """Return ``(total, [(docnum, score), ...])`` for the first ``limit`` hits."""
    words, phrases = clauses(parsed)
    excluded = exclusion(parsed)
    filter_q = filters.query()

    def restrict(query: q.Query) -> q.Query:
        return q.AndNot(query, excluded) if excluded is not None else query

    any_q = matching(parsed)
    if sort == "date":
        hits = searcher.search(any_q, limit=limit, filter=filter_q, sortedby="date", reverse=True)
        return len(hits), [(h.docnum, h.score or 0.0) for h in hits]

    all_q = restrict(_and(phrases + words))
    first = searcher.search(all_q, limit=limit, filter=filter_q)
    ranked = [(h.docnum, h.score) for h in first]
    # The total is every document with at least one word (a superset of ``first``),
    # counted once; for plain words from posting-list sets (see search.counting).
    sets = WordSets.build(searcher, parsed) if WordSets.applies(parsed, filter_q) else None
    if len(ranked) < limit and len(words) > 1:
        mask = sets.every_word() if sets else first.docs()
        rest = searcher.search(any_q, limit=limit - len(ranked), filter=filter_q, mask=mask)
        ranked.extend((h.docnum, h.score) for h in rest)
    if sets:
        return sets.count_any(searcher, excluded), ranked
    if len(words) <= 1:
        return len(first), ranked
    return len(searcher.search(any_q, limit=1, filter=filter_q)), ranked
