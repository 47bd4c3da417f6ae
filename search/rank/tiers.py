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
from search.rank import proximity, title_order
from search.rank import scorer as array_scorer
from search.rank.scoring import Found
from search.settings import RankingSettings, ScoringSettings


def required_matches(words: int, settings: ScoringSettings) -> int:
    """How many of ``words`` query words a document needs to be in the first tier
    (0: no tiers, every matching document ranks by score alone)."""
    return words if words <= settings.all_words_up_to else 0


def order(searcher, parsed: ParsedQuery, found: Found, limit: int, sort: str, settings: RankingSettings) -> list[tuple[int, float]]:
    """The first ``limit`` of ``found`` as ``[(docnum, score), ...]``.

    Sorted by date, the newest come first and undated documents last; documents of the
    same day keep their relevance order.
    """
    docs, scores = found.docs, found.scores
    if sort == "date":
        dates, dated = array_scorer.for_searcher(searcher).dates("date")
        chosen = docs[np.lexsort((docs, -scores[docs], -dates[docs], ~dated[docs]))[:limit]]
        return [(int(d), float(scores[d])) for d in chosen]
    need = required_matches(found.words, settings.scoring)
    keywords = keyword_rules(parsed, settings.keywords)
    in_tier = found.counts[docs] >= need if need > 1 else np.ones(len(docs), dtype=bool)

    def best(candidates: np.ndarray, wanted: int) -> list[tuple[int, float]]:
        """The ``wanted`` best of ``candidates`` by score, the best few reordered by
        proximity and, for a keyword query, by headline word order."""
        if not len(candidates) or wanted < 1:
            return []
        depth = max(wanted, settings.proximity.depth if settings.proximity.weight else 0,
                    settings.keywords.order_depth if keywords else 0)
        # Ties with the last one kept come along: the reranks decide among them.
        chosen = array_scorer.top(scores, candidates, depth, ties=True)
        scored = proximity.rerank(searcher, parsed, [(int(d), float(scores[d])) for d in chosen], settings)
        return (title_order.rerank(searcher, parsed, scored, settings) if keywords else scored)[:wanted]

    ranked = best(docs[in_tier], limit)
    ranked += best(docs[~in_tier], limit - len(ranked))
    return ranked
