"""One field's postings as flat arrays while a segment is being filled.

:class:`index.whoosh_ext.segment.BulkSegmentWriter` inverts each document itself and
appends its postings here; when the segment is written they are grouped by term in the
form Whoosh's format would encode them (:meth:`FlatPostings.by_term`).
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable

import numpy as np
from whoosh.system import pack_uint


class Encodings(dict):
    """position → the encoding of that single position, made on first use: most
    postings have one position, so each such encoding is made once and reused."""

    def __init__(self, encode: Callable[[list[int]], bytes]):
        super().__init__()
        self.encode = encode

    def __missing__(self, pos: int) -> bytes:
        value = self[pos] = self.encode([pos])
        return value


class _Ids(dict):
    """term bytes → its number, numbered in order of first sight."""

    def __missing__(self, term: bytes) -> int:
        number = self[term] = len(self)
        return number


class FlatPostings:
    """One field's postings as flat arrays (term number, docnum, frequency, value), in
    the order documents came.

    Appending a document's postings is a few C-level ``extend`` calls instead of a
    dictionary lookup and three appends per posting in Python (the per-term lists of
    :meth:`by_term`), which made the inversion the slowest phase of a build. Grouping
    by term is one stable numpy sort when the segment is written, which keeps docnums
    ascending.
    """

    def __init__(self, kind: str):
        #: "positions", "frequency" or "existence": what the field's format encodes.
        self.kind = kind
        self.ids = _Ids()
        self.terms = array("i")
        self.docs = array("i")
        self.freqs = array("i")
        #: Encoded positions, one per posting ("positions" only; the others are made from freqs).
        self.values: list[bytes] = []

    def add(self, docnum: int, terms: Iterable[bytes], freqs: Iterable[int], values: list[bytes] | None = None) -> None:
        """One document's postings: its distinct terms, their frequencies (and values)."""
        # Through lists: ``array.extend`` of an iterator resizes once per item.
        numbers = list(map(self.ids.__getitem__, terms))
        self.terms.fromlist(numbers)
        self.docs.extend(array("i", (docnum,)) * len(numbers))
        self.freqs.fromlist(list(freqs))
        if values is not None:
            self.values.extend(values)

    def by_term(self) -> dict[bytes, list]:
        """term bytes → [docnums, frequencies, encoded values], as Whoosh's format would encode them."""
        order = np.argsort(np.frombuffer(self.terms, dtype=np.intc), kind="stable")
        ends = np.cumsum(np.bincount(np.frombuffer(self.terms, dtype=np.intc), minlength=len(self.ids))).tolist()
        docs = np.frombuffer(self.docs, dtype=np.intc)[order].tobytes()
        freqs = np.frombuffer(self.freqs, dtype=np.intc)[order]
        if self.kind == "positions":
            values = list(map(self.values.__getitem__, order.tolist()))
        elif self.kind == "frequency":  # what Frequency.word_values writes, one object per count
            packed = {int(f): pack_uint(int(f)) for f in np.unique(freqs)}
            values = list(map(packed.__getitem__, freqs.tolist()))
        else:
            values = None
        freqs = freqs.tobytes()
        size = self.terms.itemsize
        table = {}
        start = 0
        for term, end in zip(self.ids, ends):
            table[term] = [
                array("i", docs[start * size:end * size]),
                array("i", freqs[start * size:end * size]),
                values[start:end] if values is not None else [],
            ]
            start = end
        return table
