"""Positions of query terms in a few documents, for the proximity rerank.

Why: the rerank (search.rank.proximity) needs, for each query word's forms (its stem and
about twenty proclitic variants), the body positions in the few best documents it reorders.
Asking Whoosh's multi-segment reader term by term tests every form in every
segment and walks each posting list. By the time the rerank runs, the array scorer
has read every one of these terms' postings (they are part of the query), so it
already knows which of the documents hold which form: only those (term, segment,
document) triples are read from Whoosh's blocks, the only place positions are kept.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from search.rank import scorer as array_scorer


def head_and_tail(ranked: list[tuple[int, float]], depth: int) -> tuple[list[tuple[int, float]], list[tuple[int, float]]]:
    """The first ``depth`` of ``ranked`` to rescore, and the rest. Documents tied with the
    last one of the head join it: which of several equal scores falls inside the depth
    depends on document numbers, i.e. on how the index was built."""
    cut = min(depth, len(ranked))
    while cut < len(ranked) and ranked[cut][1] == ranked[cut - 1][1]:
        cut += 1
    return ranked[:cut], ranked[cut:]


def positions(searcher, fieldname: str, terms: Iterable[str], docnums: list[int]) -> dict[int, list[int]]:
    """Sorted positions of any of ``terms`` in ``fieldname`` of each of ``docnums`` that has one."""
    scorer = array_scorer.for_searcher(searcher)
    wanted = np.asarray(sorted(docnums), dtype=np.int64)
    found: dict[int, list[int]] = {}
    for term in terms:
        docs, _ = scorer.term_scores(fieldname, term)  # cached: the query scored this term
        if not len(docs):
            continue
        present = wanted[np.isin(wanted, docs, assume_unique=True)]
        if not len(present):
            continue
        for leaf, base in scorer.leaves:
            inside = present[(present >= base) & (present < base + leaf.doc_count_all())]
            if len(inside):
                _read(leaf, fieldname, term, (inside - base).tolist(), base, found)
    for values in found.values():
        values.sort()
    return found


def _read(leaf, fieldname: str, term: str, local: list[int], base: int, into: dict[int, list[int]]) -> None:
    """Positions of ``term`` in the segment's documents ``local`` (all hold it), skipping between them."""
    matcher = leaf.postings(fieldname, term)
    for docnum in local:
        if not matcher.is_active():
            return
        if matcher.id() < docnum:
            matcher.skip_to(docnum)
            if not matcher.is_active():
                return
        if matcher.id() == docnum:
            into.setdefault(docnum + base, []).extend(matcher.value_as("positions"))


def max_idf(searcher, fieldname: str, terms: Iterable[str]) -> float:
    """The largest idf among ``terms`` found in the index (0 if none): the same as asking
    the searcher, without looking each form up in every segment again."""
    scorer = array_scorer.for_searcher(searcher)
    return max((idf for idf in map(lambda t: scorer.term_idf(fieldname, t), terms) if idf is not None), default=0.0)
