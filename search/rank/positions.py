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

from index.whoosh_ext.postings import read_positions
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
    """Sorted positions of any of ``terms`` in ``fieldname`` of each of ``docnums`` that has one.

    A term's posting array is sorted, so which of the few documents hold it is a binary
    search, not a set operation over the whole list; positions once read are kept with
    the scorer (:meth:`~search.rank.scorer.ArrayScorer.known_positions`), as a query whose
    copies leave too few stories ranks again twice as deep, over the same documents first.
    """
    scorer = array_scorer.for_searcher(searcher)
    wanted = np.asarray(sorted(docnums), dtype=np.int64)
    bases = np.asarray([base for _, base in scorer.leaves], dtype=np.int64)
    found: dict[int, list[int]] = {}
    for term in terms:
        docs = scorer.term_postings(fieldname, term)[0]  # cached: the query matched this term
        if not len(docs) or not len(wanted):
            continue
        at = np.searchsorted(docs, wanted)
        inside = at < len(docs)
        inside[inside] = docs[at[inside]] == wanted[inside]
        present = wanted[inside]
        if not len(present):
            continue
        known = scorer.known_positions(fieldname, term)
        missing = np.asarray([d for d in present.tolist() if d not in known], dtype=np.int64)
        if len(missing):
            # The segment of each document: the last whose first document number is not after it.
            leaf_of = np.searchsorted(bases, missing, side="right") - 1
            for n in np.unique(leaf_of).tolist():
                leaf, base = scorer.leaves[n]
                local = (missing[leaf_of == n] - base).tolist()
                read_positions(leaf, fieldname, term, local, base, known)
            for docnum in missing.tolist():
                known.setdefault(docnum, [])
        for docnum in present.tolist():
            if known[docnum]:
                found.setdefault(docnum, []).extend(known[docnum])
    for values in found.values():
        values.sort()
    return found


def max_idf(searcher, fieldname: str, terms: Iterable[str]) -> float:
    """The largest idf among ``terms`` found in the index (0 if none): the same as asking
    the searcher, without looking each form up in every segment again."""
    scorer = array_scorer.for_searcher(searcher)
    return max((idf for idf in map(lambda t: scorer.term_idf(fieldname, t), terms) if idf is not None), default=0.0)
