"""Ordering what a query found: every-word matches first, then by score; or by date.

Ranking rule: documents containing every word (and every phrase) come first, ordered
by score; then documents containing only some of the words, also by score. A query
with one missing word therefore still answers, but never above a full match. A word
with synonyms counts as one word, matched by any of its names; a root match does not
count as the word. Within each tier the best few are reordered by how close the query
words stand (:mod:`search.rank.proximity`) and, for a keyword query, by whether its
title holds the words in the order typed (:mod:`search.rank.title_order`), so a rerank
never lifts a partial match above a full one.

Long queries (more than ``ScoringSettings.all_words_up_to`` words, typically questions
typed in full) have no tiers: one unusual word missing from a relevant passage must not
bury it under every passage that happens to contain the others. Their scores, with
each word weighted by its rarity, already rank a passage with more of the telling
words higher (benchmarks/quality.md measures the trade-off).
"""

from __future__ import annotations

import numpy as np

from search.query.kind import keyword_rules
from search.query.parse import ParsedQuery
from search.rank import ceiling, proximity, title_order
from search.rank import scorer as array_scorer
from search.rank.scoring import Found, required_matches
from search.rank.selection import best
from search.settings import RankingSettings

#: Every-word matches, then the others.
TIERS = 2


def order(searcher, parsed: ParsedQuery, found: Found, limit: int, sort: str, settings: RankingSettings) -> list[tuple[int, float]]:
    """The first ``limit`` of ``found`` as ``[(docnum, score), ...]``.

    Sorted by date, the newest come first and undated documents last; documents of the
    same day keep their relevance order.
    """
    if sort == "date":
        return [(int(d), float(found.scores[d])) for d in newest(searcher, found, limit)]
    ranked: list[tuple[int, float]] = []
    for n in range(TIERS):
        wanted = limit - len(ranked)
        depth = rerank_depth(parsed, wanted, settings)
        if depth < 1:
            break
        docs = tier(found, n, settings)  # the next tier is listed only when the page reaches it
        if not len(docs):
            continue
        docs, values = ceiling.candidates(found, docs, depth)
        chosen = [(int(docs[i]), float(values[i])) for i in best(values, docs, depth, ties=True)]
        ranked += reranked(searcher, parsed, chosen, wanted, settings)
    return ranked


def newest(searcher, found: Found, limit: int) -> np.ndarray:
    """The first ``limit`` of ``found`` by date: newest first, undated last, the same
    day in relevance order (score descending, then document number)."""
    docs, scores = found.docs, found.scores
    dates, dated = array_scorer.for_searcher(searcher).dates("date")
    return docs[np.lexsort((docs, -scores[docs], -dates[docs], ~dated[docs]))[:limit]]


def tiers(parsed: ParsedQuery, found: Found, settings: RankingSettings) -> tuple[np.ndarray, np.ndarray]:
    """The documents of ``found`` that have every word (or all of them when there are no
    tiers), and the others."""
    return tier(found, 0, settings), tier(found, 1, settings)


def tier(found: Found, n: int, settings: RankingSettings) -> np.ndarray:
    """The documents of ``found`` in tier ``n`` (0: those with every word, or all of them when
    there are no tiers; 1: the others), ascending."""
    if n not in found.tiers:
        need = required_matches(found.words, settings.scoring)
        if need > 1:
            every = found.having(need)
            found.tiers[n] = np.flatnonzero(found.matching & (every if n == 0 else ~every))
        else:
            found.tiers[n] = found.docs if n == 0 else found.docs[:0]
    return found.tiers[n]


def rerank_depth(parsed: ParsedQuery, wanted: int, settings: RankingSettings) -> int:
    """How many of a tier's best (and those tied with the last) the reranks see, to give ``wanted``."""
    if wanted < 1:
        return 0
    keywords = keyword_rules(parsed, settings.keywords)
    return max(wanted, settings.proximity.depth if settings.proximity.weight else 0,
               settings.keywords.order_depth if keywords else 0)


def reranked(searcher, parsed: ParsedQuery, chosen: list, wanted: int, settings: RankingSettings,
             bonuses: dict | None = None, ordered: dict | None = None) -> list:
    """The ``wanted`` best of ``chosen`` (a tier's best by score, ``(doc, score)``), the best
    few reordered by proximity and, for a keyword query, by headline word order.
    ``bonuses`` and ``ordered``: what the reranks read per document, computed by a
    cluster's shards (:mod:`search.cluster`); ``searcher`` is then not read."""
    if not chosen or wanted < 1:
        return []
    scored = proximity.rerank(searcher, parsed, chosen, settings, known=bonuses)
    if keyword_rules(parsed, settings.keywords):
        scored = title_order.rerank(searcher, parsed, scored, settings, known=ordered)
    return scored[:wanted]
