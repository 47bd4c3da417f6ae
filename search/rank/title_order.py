"""Headline word order of a keyword query: a title that holds the words in the order typed.

A reader who remembers a headline types its words in its order, though rarely next to
each other (``المرشحون الانتخابات الرئاسية`` for ``المرشحون في الانتخابات الرئاسية
الأمريكية``). So, for a keyword query (:mod:`search.query.kind`), the best
``order_depth`` documents of each ranking tier (and those tied with the last of them),
after the proximity rerank, are multiplied by ``1 + order · o`` and sorted again: o is
the share of typed neighbour pairs (word i, word i+1) for which the title has word i+1,
in any of its indexed forms, after word i and within ``order_window`` words.

Only those documents move, so a query asked with ``--limit 10`` and ``search eval``
(100 per query) order their top ten identically.
"""

from __future__ import annotations

from bisect import bisect_right

from search.query.build import proclitic_variants
from search.query.parse import Concept, ParsedQuery
from search.rank.positions import head_and_tail
from search.rank.positions import positions as term_positions
from search.settings import RankingSettings, WordSettings

FIELD = "title"


def _terms(concept: Concept, words: WordSettings) -> list[str]:
    """Every indexed form of a concept typed: its stems, and for one word its proclitic
    variants and bare stems."""
    if len(concept.stems) != 1:
        return list(concept.stems)
    return [concept.stems[0], *proclitic_variants(concept.stems[0], words), *concept.bare_stems, *concept.accusative_stems]


def _follows(first: list[int], second: list[int], window: int) -> bool:
    """Whether a position of ``second`` comes after one of ``first`` (both sorted), at most ``window`` later."""
    for p in first:
        after = bisect_right(second, p)
        if after < len(second) and second[after] - p <= window:
            return True
    return False


def applies(parsed: ParsedQuery, settings: RankingSettings) -> bool:
    """Whether the rerank can move anything: it needs a weight and two query words."""
    return bool(settings.keywords.order) and len(parsed.concepts) >= 2


def ordered_pairs(searcher, parsed: ParsedQuery, docnums: list[int], settings: RankingSettings) -> dict[int, int]:
    """Per document, how many typed neighbour pairs its title holds in order. A document's
    alone: a shard of a cluster counts them for its own documents (:mod:`search.cluster`)."""
    keywords = settings.keywords
    docnums = sorted(docnums)
    found = [term_positions(searcher, FIELD, _terms(c, settings.words), docnums) for c in parsed.concepts]
    return {
        docnum: sum(
            _follows(found[i].get(docnum, []), found[i + 1].get(docnum, []), keywords.order_window)
            for i in range(len(parsed.concepts) - 1)
        )
        for docnum in docnums
    }


def rerank(searcher, parsed: ParsedQuery, ranked: list[tuple[int, float]],
           settings: RankingSettings, known: dict | None = None) -> list[tuple[int, float]]:
    """``ranked`` with its first ``order_depth`` documents (and ties) rescored and reordered.
    ``known``: the head's ordered pairs, counted elsewhere (a cluster's shards; then the
    documents are any keys and ``searcher`` is not read)."""
    keywords = settings.keywords
    if len(ranked) < 2 or not applies(parsed, settings):
        return ranked
    head, tail = head_and_tail(ranked, keywords.order_depth)
    found = known if known is not None else ordered_pairs(searcher, parsed, [d for d, _ in head], settings)
    pairs = len(parsed.concepts) - 1
    rescored = [(doc, score * (1 + keywords.order * found[doc] / pairs)) for doc, score in head]
    rescored.sort(key=lambda pair: -pair[1])
    return rescored + tail
