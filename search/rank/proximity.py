"""Proximity rerank: query words standing close together in a passage raise it.

BM25F scores each word on its own, so a passage that says "عاصمة جورجيا" ranks no
higher than one that mentions العاصمة in its first line and جورجيا in its last. This
step adds a term-proximity score in the manner of BM25TP (Rasolofo & Savoy, 2003) to
the best few documents of a ranking tier (``ProximitySettings.depth``), from the
positions already in the body postings (no extra index field):

* for each pair of query concepts (a, b), every occurrence of a that has an occurrence
  of b within ``window`` words contributes ``1 / distance²`` to ``tp(a, b)``;
* the pair adds ``min(idf a, idf b) · tp · (K1 + 1) / (tp + K)`` with BM25's length
  normalization ``K``, so a pair saturates like a term frequency does and rare pairs
  weigh more than pairs of common words;
* the sum, times ``weight``, is added to the document's score.

A concept is met in any of its forms (the stem and its proclitic variants), so
``وقالت الحكومة`` and ``قالت الحكومة`` are the same pair. Only the first ``depth``
documents move, so a query asked with ``--limit 10`` and ``search eval`` (100 per
query) order their top ten identically.
"""

from __future__ import annotations

from search.query.build import proclitic_variants
from search.query.parse import ParsedQuery
from search.rank.positions import head_and_tail, max_idf
from search.rank.positions import positions as term_positions
from search.settings import RankingSettings, WordSettings


def _groups(parsed: ParsedQuery, words: WordSettings) -> list[list[str]]:
    """The body terms of each query word (its stem and proclitic variants)."""
    groups: list[list[str]] = []
    for concept in parsed.concepts:
        for stem in concept.stems:
            groups.append([stem] + (proclitic_variants(stem, words) if len(concept.stems) == 1 else []))
    return groups


def _pair_frequency(first: list[int], second: list[int], window: int) -> float:
    """Σ 1/d² over occurrences of ``first`` with an occurrence of ``second`` within ``window``."""
    total = 0.0
    j = 0
    for p in first:
        while j < len(second) and second[j] < p - window:
            j += 1
        nearest = min((abs(s - p) for s in second[j : j + 2 * window + 1] if 0 < abs(s - p) <= window), default=0)
        if nearest:
            total += 1.0 / (nearest * nearest)
    return total


def applies(parsed: ParsedQuery, settings: RankingSettings) -> bool:
    """Whether the rerank can move anything: it needs a weight and two query words."""
    return bool(settings.proximity.weight) and len(_groups(parsed, settings.words)) >= 2


def bonuses(searcher, parsed: ParsedQuery, docnums: list[int], settings: RankingSettings) -> dict[int, float]:
    """Each document's proximity bonus (before ``weight``). A document's alone: a shard of
    a cluster computes it for its own documents (:mod:`search.cluster`)."""
    prox = settings.proximity
    k1, b, field = settings.scoring.k1, settings.scoring.b, prox.field
    groups = _groups(parsed, settings.words)
    docnums = sorted(docnums)
    positions = [term_positions(searcher, field, terms, docnums) for terms in groups]
    idf = [max_idf(searcher, field, terms) for terms in groups]
    average = searcher.avg_field_length(field) or 1.0
    found = {}
    for docnum in docnums:
        norm = k1 * ((1 - b) + b * searcher.doc_field_length(docnum, field, 1) / average)
        bonus = 0.0
        for i in range(len(groups)):
            first = positions[i].get(docnum)
            if not first:
                continue
            for j in range(i + 1, len(groups)):
                second = positions[j].get(docnum)
                if not second:
                    continue
                tp = _pair_frequency(first, second, prox.window)
                if tp:
                    bonus += min(idf[i], idf[j]) * tp * (k1 + 1) / (tp + norm)
        found[docnum] = bonus
    return found


def rerank(searcher, parsed: ParsedQuery, ranked: list[tuple[int, float]], settings: RankingSettings,
           known: dict | None = None) -> list[tuple[int, float]]:
    """``ranked`` with its first ``settings.proximity.depth`` documents rescored and reordered.
    ``known``: the head's bonuses, computed elsewhere (a cluster's shards; then the
    documents are any keys and ``searcher`` is not read)."""
    if len(ranked) < 2 or not applies(parsed, settings):
        return ranked
    head, tail = head_and_tail(ranked, settings.proximity.depth)
    found = known if known is not None else bonuses(searcher, parsed, [d for d, _ in head], settings)
    rescored = [(doc, score + settings.proximity.weight * found[doc]) for doc, score in head]
    rescored.sort(key=lambda pair: -pair[1])
    return rescored + tail
