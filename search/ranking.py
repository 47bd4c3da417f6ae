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

from search import proximity as proximity_rerank
from search.parsing import ParsedQuery, clauses, exclusion, fallbacks

#: BM25 parameters (Whoosh's defaults; see benchmarks/quality.md for measurements).
K1 = 1.2
B = 0.75
#: Queries of up to this many words rank documents with every word first.
ALL_WORDS_UP_TO = 3
#: Longer queries rank first the documents with this share of their words (rounded up).
LONG_QUERY_SHARE = 0.75
#: Weight of a pair of neighbouring query words found within PROXIMITY_SLOP words (0: off).
PROXIMITY_BOOST = 0.0
#: Within each tier, scores are multiplied by (share of words matched) ** COORDINATION
#: over the RESCORE_DEPTH best by BM25F (0: off).
COORDINATION = 0.0
RESCORE_DEPTH = 100
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
    return math.ceil(words * LONG_QUERY_SHARE)


def proximity(parsed: ParsedQuery) -> list[q.Query]:
    """Optional clauses that reward neighbouring query words standing close together."""
    if not PROXIMITY_BOOST:
        return []
    pairs = zip(parsed.concepts, parsed.concepts[1:])
    return [
        q.Phrase("body", [a.stems[-1], b.stems[0]], slop=PROXIMITY_SLOP, boost=PROXIMITY_BOOST)
        for a, b in pairs
    ]


def _docs(searcher, query: q.Query) -> set[int]:
    """The documents matching ``query``, reading posting lists directly where possible
    (Whoosh's ``docs_for_query`` builds a scoring matcher even for a single term)."""
    if isinstance(query, q.Term):
        reader = searcher.reader()
        if (query.fieldname, query.text) not in reader:
            return set()
        return set(reader.postings(query.fieldname, query.text).all_ids())
    if isinstance(query, (q.Or, q.DisjunctionMax)):
        found: set[int] = set()
        for sub in query.subqueries:
            found |= _docs(searcher, sub)
        return found
    return set(searcher.docs_for_query(query))


def matching(parsed: ParsedQuery) -> q.Query:
    """Every document the query finds at all: a word (or its root), every phrase, no exclusion.

    ``total`` and the facets count exactly these documents.
    """
    words, phrases = clauses(parsed)
    excluded = exclusion(parsed)
    any_q = _and(phrases + [q.Or(words + fallbacks(parsed))]) if words else _and(phrases)
    return q.AndNot(any_q, excluded) if excluded is not None else any_q


def run(searcher, parsed: ParsedQuery, filters: Filters, limit: int, sort: str = "relevance"):
    """Return ``(total, [(docnum, score), ...])`` for the first ``limit`` hits."""
    words, phrases = clauses(parsed)
    excluded = exclusion(parsed)
    filter_q = filters.query()

    def restrict(query: q.Query) -> q.Query:
        return q.AndNot(query, excluded) if excluded is not None else query

    # Any document with at least one word (or its root), and every phrase; scored by all clauses.
    roots = fallbacks(parsed)
    any_q = _and(phrases + [q.Or(words + roots + proximity(parsed))]) if words else _and(phrases)
    any_q = restrict(any_q)
    if sort == "date":
        hits = searcher.search(any_q, limit=limit, filter=filter_q, sortedby="date", reverse=True)
        return len(hits), [(h.docnum, h.score or 0.0) for h in hits]

    # The matching set, and how many words each document has, from the posting lists.
    per_word = [_docs(searcher, w) for w in words]
    counts = Counter(d for docs in per_word for d in docs)
    matching = set(counts) if words else _docs(searcher, phrases[0])
    for fallback in roots:
        matching |= _docs(searcher, fallback)
    for phrase in phrases:
        matching &= _docs(searcher, phrase)
    if excluded is not None:
        matching -= _docs(searcher, excluded)
    if filter_q is not None:
        matching &= set(searcher.docs_for_query(filter_q))
    need = required_matches(len(words))
    tier = {d for d in matching if counts[d] >= need} if need > 1 else matching

    def best(docs: set[int], wanted: int) -> list[tuple[int, float]]:
        """The ``wanted`` best of ``docs``: BM25F, times the share of words matched, with
        the best few reordered by how close the query words stand (search.proximity)."""
        if not docs or wanted < 1:
            return []
        depth = max(wanted, proximity_rerank.DEPTH) if proximity_rerank.WEIGHT else wanted
        if not COORDINATION or not words:
            scored = [(h.docnum, h.score) for h in searcher.search(any_q, limit=depth, filter=docs)]
        else:
            hits = searcher.search(any_q, limit=max(depth, RESCORE_DEPTH), filter=docs)
            scored = [(h.docnum, h.score * (counts[h.docnum] / len(words)) ** COORDINATION) for h in hits]
            scored.sort(key=lambda pair: -pair[1])
        return proximity_rerank.rerank(searcher, parsed, scored, K1, B)[:wanted]

    ranked = best(tier, limit)
    ranked += best(matching - tier, limit - len(ranked))
    return len(matching), ranked
