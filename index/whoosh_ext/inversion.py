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


class _Packed(dict):
    """count → ``pack_uint`` of it, what ``Frequency.word_values`` writes per posting."""

    def __missing__(self, count: int) -> bytes:
        value = self[count] = pack_uint(count)
        return value


_PACKED = _Packed()


class _Ids(dict):
    """term (bytes, or a term number) → its number here, numbered in order of first sight."""

    def __missing__(self, term: bytes) -> int:
        number = self[term] = len(self)
        return number


class FlatPostings:
    """One field's postings as flat arrays (term number, docnum, frequency, positions),
    in the order documents came.

    Appending a document's postings is a few C-level ``extend`` calls instead of a
    dictionary lookup and three appends per posting in Python (the per-term lists of
    :meth:`by_term`), which made the inversion the slowest phase of a build. Grouping
    by term is one stable numpy sort when the segment is written, which keeps docnums
    ascending.
    """

    def __init__(self, kind: str, encode: Callable[[list[int]], bytes] | None = None,
                 spell: Callable[[int], bytes] | None = None):
        #: "positions", "frequency" or "existence": what the field's format encodes.
        self.kind = kind
        #: Terms are given as numbers that this spells (:mod:`index.whoosh_ext.vocabulary`),
        #: else as their bytes.
        self.spell = spell
        self.ids = _Ids()
        self.terms = array("i")
        # The rule: 6 bytes per posting held, not 12, since a worker's segment size (so
        # the number of segments and the index's size) is what the build's memory
        # setting leaves divided by these bytes. Documents are kept once each with
        # their number of postings (expanded when the segment is written), and
        # frequencies in 16 bits until one does not fit.
        self.docnums = array("i")
        self.counts = array("i")
        self.freqs = array("H")
        # Positions ("positions" only) as one code per posting, not a bytes object each
        # in a list: a single position p (most postings) is p, encoded only when the
        # segment is written (:class:`Encodings`); the encodings of longer lists are
        # concatenated in one buffer and coded ~k for the k-th. Held as objects they
        # cost a worker ~60 MB of a 7.5 M-posting segment, and the freed objects left
        # its heap too scattered to shrink after a flush (benchmarks/README.md, "Build memory").
        self.once = Encodings(encode) if encode else None
        self.codes = array("i")
        self.multi = bytearray()
        self.multi_ends = array("q")

    def add(self, docnum: int, terms: Iterable[bytes | int], freqs: Iterable[int], positions: Iterable[list[int]] | None = None) -> None:
        """One document's postings: its distinct terms, their frequencies (and each one's positions)."""
        # Through lists: ``array.extend`` of an iterator resizes once per item.
        numbers = list(map(self.ids.__getitem__, terms))
        self.terms.fromlist(numbers)
        self.docnums.append(docnum)
        self.counts.append(len(numbers))
        counts = list(freqs)
        try:
            self.freqs.fromlist(counts)
        except OverflowError:  # a word 65,536 times in one text: the array was left as it was
            self.freqs = array("i", self.freqs)
            self.freqs.fromlist(counts)
        if positions is not None:
            self.codes.fromlist([p[0] if len(p) == 1 else self._multiple(p) for p in positions])

    def _multiple(self, positions: list[int]) -> int:
        """The code of a posting with several positions (see :meth:`__init__`)."""
        self.multi += self.once.encode(positions)
        self.multi_ends.append(len(self.multi))
        return ~(len(self.multi_ends) - 1)

    def by_term(self) -> Grouped:
        """The postings grouped by term, as Whoosh's format would encode them; this
        object's arrays are emptied (the grouped copy replaces them)."""
        terms = np.frombuffer(self.terms, dtype=np.intc)
        order = np.argsort(terms, kind="stable")
        ends = np.cumsum(np.bincount(terms, minlength=len(self.ids)))
        del terms
        docs = np.repeat(np.frombuffer(self.docnums, dtype=np.intc), np.frombuffer(self.counts, dtype=np.intc))[order]
        freqs = np.frombuffer(self.freqs, dtype=np.dtype(self.freqs.typecode))[order]
        values = None
        if self.kind == "positions":
            values = _Positions(np.frombuffer(self.codes, dtype=np.intc)[order], self.once, bytes(self.multi), self.multi_ends)
        del order
        self.terms, self.docnums, self.counts, self.freqs = array("i"), array("i"), array("i"), array("H")
        self.codes, self.multi, self.multi_ends = array("i"), bytearray(), array("q")
        ids, self.ids = self.ids, _Ids()
        if self.spell is not None:
            ids = {self.spell(term): number for term, number in ids.items()}
        return Grouped(self.kind, ids, ends, docs, freqs, values)


class _Positions:
    """A grouped field's position codes (:class:`FlatPostings`), decoded to Whoosh's
    encodings one term's postings at a time."""

    def __init__(self, codes: np.ndarray, once: Encodings, multi: bytes, ends: array):
        self.codes, self.once, self.multi, self.ends = codes, once, multi, ends

    def values(self, start: int, end: int) -> list[bytes]:
        codes = self.codes[start:end].tolist()
        once = self.once
        if min(codes) >= 0:  # single positions only, as most terms have
            return list(map(once.__getitem__, codes))
        multi, ends = self.multi, self.ends
        return [once[c] if c >= 0 else multi[ends[~c - 1] if c != -1 else 0 : ends[~c]] for c in codes]


class Grouped:
    """One field's postings grouped by term: term bytes → [docnums, frequencies,
    encoded values], made one term at a time as :meth:`sorted_items` reaches it.

    A segment's per-term arrays made all at once cost about as much again as the flat
    arrays (an array object per term and field): made as each term is written, a
    flush needs little more memory than the postings it holds, which is what lets the
    build's memory setting (:class:`index.build.limits.BuildSettings`) hold more
    postings per segment.
    """

    def __init__(self, kind: str, ids: dict[bytes, int], ends: np.ndarray, docs: np.ndarray, freqs: np.ndarray,
                 values: _Positions | None):
        self.kind, self.ids, self.ends = kind, ids, ends
        self.docs, self.freqs, self.values = docs, freqs, values

    def __len__(self) -> int:
        return len(self.ids)

    def __iter__(self):
        return iter(self.ids)

    def __getitem__(self, term: bytes) -> list:
        number = self.ids[term]
        return self._entry(int(self.ends[number - 1]) if number else 0, int(self.ends[number]))

    def _entry(self, start: int, end: int) -> list:
        freqs = self.freqs[start:end]
        if self.kind == "positions":
            values = self.values.values(start, end)
        elif self.kind == "frequency":  # what Frequency.word_values writes
            values = list(map(_PACKED.__getitem__, freqs.tolist()))
        else:
            values = []
        return [array("i", self.docs[start:end].tobytes()), array("i", freqs.astype(np.intc).tobytes()), values]

    def sorted_items(self):
        """(term bytes, entry) in term order."""
        ends = self.ends.tolist()
        for term, number in sorted(self.ids.items()):
            yield term, self._entry(ends[number - 1] if number else 0, ends[number])
