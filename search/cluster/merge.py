"""The coordinator's merge: the shards' parts of a ranking made into one index's ranking.

A document is ``(shard, docnum)``; among equal scores the lower shard, then the lower
document number, comes first: the order of one searcher over every shard's segments
in shard order. Per tier, the union of the shards' best holds the whole index's best
(a document among the best ``d`` of the index is among the best ``d`` of its shard,
ties included), so the coordinator takes the best of the union and reranks them with
the features the shards computed (:func:`search.rank.tiers.reranked`): the same
operations on the same floats as one index.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from search.query.parse import ParsedQuery
from search.rank.tiers import rerank_depth, reranked
from search.results import Copy, Facets, Hit
from search.settings import RankingSettings

Doc = tuple[int, int]


def _best(candidates: list[tuple[Doc, float]], limit: int) -> list[tuple[Doc, float]]:
    """The ``limit`` best by score (then document), and every one tied with the last."""
    ordered = sorted(candidates, key=lambda pair: (-pair[1], pair[0]))
    if limit < 1:
        return []
    cut = min(limit, len(ordered))
    while cut < len(ordered) and ordered[cut][1] == ordered[cut - 1][1]:
        cut += 1
    return ordered[:cut]


def by_relevance(parsed: ParsedQuery, parts: dict[int, object], limit: int,
                 settings: RankingSettings) -> list[tuple[Doc, float]]:
    """The first ``limit`` of the whole ranking from the shards' rankings (``parts``:
    shard number → :class:`~search.cluster.shard.ShardRanking`)."""
    bonuses = {(s, d): b for s, part in parts.items() for d, b in part.bonuses.items()}
    ordered = {(s, d): n for s, part in parts.items() for d, n in part.ordered.items()}
    ranked: list[tuple[Doc, float]] = []
    for tier in range(2):
        wanted = limit - len(ranked)
        candidates = [((s, d), score) for s, part in parts.items() if len(part.tiers) > tier
                      for d, score in part.tiers[tier]]
        chosen = _best(candidates, rerank_depth(parsed, wanted, settings))
        ranked += reranked(None, parsed, chosen, wanted, settings, bonuses, ordered)
    return ranked


def by_date(parts: dict[int, object], limit: int) -> list[tuple[Doc, float]]:
    """The newest first, undated last; the same day by relevance (as one index sorts)."""
    listed = [(s, d, score, dated, date) for s, part in parts.items() for d, score, dated, date in part.tiers[0]]
    listed.sort(key=lambda row: (not row[3], -row[4], -row[2], row[0], row[1]))
    return [((s, d), score) for s, d, score, _, _ in listed[:limit]]


def story_of(parts: dict[int, object], doc: Doc) -> tuple:
    """A document's story: its key, or the document itself when it has none."""
    key = parts[doc[0]].story.get(doc[1], 0)
    return ("story", key) if key else ("document", doc)


def collapse(parts: dict[int, object], ranked: list[tuple[Doc, float]]) -> list[tuple[Doc, float]]:
    """``ranked`` with only the best-ranked document of each story."""
    seen: set = set()
    out = []
    for doc, score in ranked:
        story = story_of(parts, doc)
        if story not in seen:
            seen.add(story)
            out.append((doc, score))
    return out


def story_count(parts: dict[int, object]) -> int:
    """How many stories every match tells, over all shards."""
    keys: set[int] = set()
    for part in parts.values():
        if part.story_keys is not None:
            keys.update(int(k) for k in part.story_keys)
    return len(keys) + sum(part.keyless for part in parts.values())


def facets(parts: dict[int, object]) -> Facets:
    """The shards' facet counts summed, ordered as one index orders them."""
    sources: Counter = Counter()
    months: Counter = Counter()
    no_source = no_date = 0
    for part in parts.values():
        if part.facets is None:
            continue
        sources.update(part.facets.sources)
        months.update(part.facets.months)
        no_source += part.facets.no_source
        no_date += part.facets.no_date
    return Facets(sources=dict(sorted(sources.items(), key=lambda kv: (-kv[1], kv[0]))),
                  months=dict(sorted(months.items())), no_source=no_source, no_date=no_date)


def with_copies(page: list[Doc], hits: list[Hit], keys: list[int], members: dict[int, list[tuple[Doc, Copy]]]) -> None:
    """Each hit with the other live copies of its story from every shard, oldest first."""
    for doc, key, hit in zip(page, keys, hits):
        found = [copy for other, copy in members.get(key, []) if other != doc] if key else []
        hit.copies = sorted(found, key=lambda c: (c.date is None, c.date or dt.date.min, c.id))
