"""Proximity rerank: query words standing close together in a passage raise it.

BM25F scores each word on its own, so a passage that says "عاصمة جورجيا" ranks no
higher than one that mentions العاصمة in its first line and جورجيا in its last. This
step adds a term-proximity score in the manner of BM25TP (Rasolofo & Savoy, 2003) to
the best :data:`DEPTH` documents of a ranking tier, from the positions already in the
body postings (no extra index field):

* for each pair of query concepts (a, b), every occurrence of a that has an occurrence
  of b within :data:`WINDOW` words contributes ``1 / distance²`` to ``tp(a, b)``;
* the pair adds ``min(idf a, idf b) · tp · (K1 + 1) / (tp + K)`` with BM25's length
  normalization ``K``, so a pair saturates like a term frequency does and rare pairs
  weigh more than pairs of common words;
* the sum, times :data:`WEIGHT`, is added to the document's score.

A concept is met in any of its forms (the stem and its proclitic variants), so
``وقالت الحكومة`` and ``قالت الحكومة`` are the same pair. Only the first DEPTH
documents move, so a query asked with ``--limit 10`` and ``search eval`` (100 per
query) order their top ten identically.
"""

from __future__ import annotations

from search.query.parsing import ParsedQuery, proclitic_variants
from search.rank.positions import max_idf
from search.rank.positions import positions as term_positions

#: Weight of the proximity score against BM25F (0: off).
WEIGHT = 0.5
#: How many of the best documents of a tier are rescored.
DEPTH = 30
#: Occurrences further apart than this many words do not count as standing together.
WINDOW = 5
FIELD = "body"


def _groups(parsed: ParsedQuery) -> list[list[str]]:
    """The body terms of each query word (its stem and proclitic variants)."""
    groups: list[list[str]] = []
    for concept in parsed.concepts:
        for stem in concept.stems:
            groups.append([stem] + (proclitic_variants(stem) if len(concept.stems) == 1 else []))
    return groups


def _pair_frequency(first: list[int], second: list[int]) -> float:
    """Σ 1/d² over occurrences of ``first`` with an occurrence of ``second`` within WINDOW."""
    total = 0.0
    j = 0
    for p in first:
        while j < len(second) and second[j] < p - WINDOW:
            j += 1
        nearest = min((abs(s - p) for s in second[j : j + 2 * WINDOW + 1] if 0 < abs(s - p) <= WINDOW), default=0)
        if nearest:
            total += 1.0 / (nearest * nearest)
    return total


def rerank(searcher, parsed: ParsedQuery, ranked: list[tuple[int, float]], k1: float, b: float) -> list[tuple[int, float]]:
    """``ranked`` with its first :data:`DEPTH` documents rescored and reordered."""
    groups = _groups(parsed)
    if not WEIGHT or len(groups) < 2 or len(ranked) < 2:
        return ranked
    # Documents tied with the last one rescored are rescored too: which of several equal
    # scores falls inside DEPTH depends on document numbers, i.e. on how the index was built.
    cut = min(DEPTH, len(ranked))
    while cut < len(ranked) and ranked[cut][1] == ranked[cut - 1][1]:
        cut += 1
    head, tail = ranked[:cut], ranked[cut:]
    docnums = sorted(d for d, _ in head)
    positions = [term_positions(searcher, FIELD, terms, docnums) for terms in groups]
    idf = [max_idf(searcher, FIELD, terms) for terms in groups]
    average = searcher.avg_field_length(FIELD) or 1.0
    rescored = []
    for docnum, score in head:
        norm = k1 * ((1 - b) + b * searcher.doc_field_length(docnum, FIELD, 1) / average)
        bonus = 0.0
        for i in range(len(groups)):
            first = positions[i].get(docnum)
            if not first:
                continue
            for j in range(i + 1, len(groups)):
                second = positions[j].get(docnum)
                if not second:
                    continue
                tp = _pair_frequency(first, second)
                if tp:
                    bonus += min(idf[i], idf[j]) * tp * (k1 + 1) / (tp + norm)
        rescored.append((docnum, score + WEIGHT * bonus))
    rescored.sort(key=lambda pair: -pair[1])
    return rescored + tail
