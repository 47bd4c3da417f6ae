"""Texts inverted into one field's postings, held as flat arrays while a segment is filled.

:class:`index.whoosh_ext.segment.BulkSegmentWriter` inverts a worker's batch of texts
(or a single document's) with :func:`invert_texts` and appends the postings here; when
the segment is written they are grouped by term in the form Whoosh's format would
encode them (:meth:`FlatPostings.by_term`).
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from whoosh.system import pack_uint

from index.whoosh_ext.vocabulary import NONE


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
    """term bytes → its number here, numbered in order of first sight; None (no term: a
    stop word) is :data:`index.whoosh_ext.vocabulary.NONE` and never numbered."""

    def __missing__(self, term: bytes | None) -> int:
        if term is None:
            return NONE
        number = self[term] = len(self)
        return number


@dataclass
class Inverted:
    """Several texts of one field inverted together (:func:`invert_texts`): texts in
    order, each one's postings by ascending term number."""

    #: Per text: its postings, and the words it keeps (the field's length).
    counts: np.ndarray
    lengths: np.ndarray
    #: Per posting: its term number, frequency, and where its positions start in :attr:`positions`.
    terms: np.ndarray
    freqs: np.ndarray
    starts: np.ndarray
    #: Per word kept, its position, in posting order (None: the field keeps no positions).
    positions: np.ndarray | None


def invert_texts(texts: Sequence[array], forms: array | None, renumbers: bool, positions: bool) -> Inverted:
    """Invert ``texts`` (each an array of form numbers) whose forms' term numbers are
    ``forms`` (:data:`index.whoosh_ext.vocabulary.NONE`: a stop word, no term); without
    ``forms`` the texts are given as term numbers.

    Why together: per word a text costs a few numpy operations on all of them instead
    of a dictionary update in Python, and a worker inverts every word of its texts in
    six fields (benchmarks/README.md, "Small builds"). Positions are those Whoosh's chain
    gives: the tokenizer numbers every word; with ``renumbers`` (a stop filter) the
    first word kept keeps its number and the next kept ones count up from it.
    """
    count = len(texts)
    sizes = np.fromiter(map(len, texts), dtype=np.int64, count=count)
    terms = np.frombuffer(b"".join(texts), dtype=np.intc)
    if forms is not None:
        table = np.frombuffer(forms, dtype=np.intc)
        terms = table[terms]
        del table  # no view may outlive this call: the vocabulary's array grows with the next news
    text_of = np.repeat(np.arange(count, dtype=np.int64), sizes)
    kept = terms != NONE
    if positions:
        where = (np.arange(len(terms)) - np.repeat(np.cumsum(sizes) - sizes, sizes))[kept]
    terms, text_of = terms[kept], text_of[kept]
    lengths = np.bincount(text_of, minlength=count)
    # Stable: a posting's positions stay ascending.
    order = np.argsort(text_of << 32 | terms, kind="stable")
    key = (text_of << 32 | terms)[order]
    starts = np.flatnonzero(np.diff(key, prepend=-1))
    freqs = np.diff(starts, append=len(key))
    firsts = order[starts]
    placed = None
    if positions:
        if renumbers:
            first_kept = np.cumsum(lengths) - lengths
            base = np.zeros(count, dtype=np.int64)
            some = lengths > 0
            base[some] = where[first_kept[some]]
            where = base[text_of] + np.arange(len(terms)) - first_kept[text_of]
        placed = where[order]
    return Inverted(np.bincount(text_of[firsts], minlength=count), lengths, terms[firsts], freqs, starts, placed)


def invert_fields(texts: Sequence[dict[str, array]], fields: dict[str, tuple[array, bool, bool]]) -> tuple[dict, np.ndarray]:
    """Documents' texts (per document, field name → form numbers) inverted per field:
    field → (the documents that have it, in order; :func:`invert_texts` of their texts),
    and each document's postings in all its fields. ``fields``: per field name the
    forms' term numbers, whether it renumbers positions, whether it keeps them."""
    inverted = {}
    postings = np.zeros(len(texts), dtype=np.int64)
    for name in sorted({name for given in texts for name in given}):
        which = [i for i, given in enumerate(texts) if name in given]
        inverted[name] = which, invert_texts([texts[i][name] for i in which], *fields[name])
        postings[which] += inverted[name][1].counts
    return inverted, postings


class FlatPostings:
    """One field's postings as flat arrays (term number, docnum, frequency, positions),
    in the order documents came.

    Appending inverted texts (:meth:`add_inverted`) is a few C-level ``extend`` calls
    instead of a dictionary lookup and three appends per posting in Python (the per-term
    lists of :meth:`by_term`), which made the inversion the slowest phase of a build.
    Grouping by term is one stable numpy sort when the segment is written, which keeps
    docnums ascending.
    """

    def __init__(self, kind: str, encode: Callable[[list[int]], bytes] | None = None,
                 spell: Callable[[int], bytes] | None = None):
        #: "positions", "frequency" or "existence": what the field's format encodes.
        self.kind = kind
        #: Terms are given as vocabulary numbers that this spells
        #: (:mod:`index.whoosh_ext.vocabulary`), else numbered here (:meth:`numbers`).
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

    def numbers(self, terms: Iterable[bytes | None]) -> array:
        """A text's terms (bytes; None for a word that is none) as numbers for
        :func:`invert_texts`, when terms are not given as vocabulary numbers."""
        return array("i", map(self.ids.__getitem__, terms))

    def add_inverted(self, docnums: Sequence[int], inverted: Inverted, texts: int) -> int:
        """The postings of the first ``texts`` of ``inverted`` (:func:`invert_texts`),
        those of documents ``docnums``; returns how many postings that is."""
        counts = inverted.counts[:texts]
        end = int(counts.sum())
        freqs = inverted.freqs[:end]
        self.terms.frombytes(inverted.terms[:end].astype(np.intc).tobytes())
        self.docnums.extend(docnums[:texts])
        self.counts.frombytes(counts.astype(np.intc).tobytes())
        if self.freqs.typecode == "H" and end and int(freqs.max()) >= 1 << 16:
            self.freqs = array("i", self.freqs)
        self.freqs.frombytes(freqs.astype(self.freqs.typecode).tobytes())
        if inverted.positions is not None:
            starts = inverted.starts[:end]
            codes = inverted.positions[starts].astype(np.intc)
            several = np.flatnonzero(freqs > 1)
            if len(several):
                listed = inverted.positions.tolist()
                encode = self.once.encode
                encoded = [encode(listed[a:b]) for a, b in zip(starts[several].tolist(), (starts + freqs)[several].tolist())]
                first = len(self.multi_ends)
                codes[several] = ~np.arange(first, first + len(several), dtype=np.intc)
                self.multi_ends.extend((len(self.multi) + np.cumsum(np.fromiter(map(len, encoded), dtype=np.int64))).tolist())
                self.multi += b"".join(encoded)
            self.codes.frombytes(codes.tobytes())
        return end

    def by_term(self) -> Grouped:
        """The postings grouped by term, as Whoosh's format would encode them; this
        object's arrays are emptied (the grouped copy replaces them)."""
        terms = np.frombuffer(self.terms, dtype=np.intc)
        order = np.argsort(terms, kind="stable")
        held = np.bincount(terms, minlength=len(self.ids))
        ends = np.cumsum(held)
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
        # The terms held are those with postings (numbered here, a term may have none left:
        # its text was not added).
        if self.spell is not None:
            ids = {self.spell(number): number for number in np.flatnonzero(held).tolist()}
        elif len(ids) > np.count_nonzero(held):
            ids = {term: number for term, number in ids.items() if held[number]}
        return Grouped(self.kind, ids, ends, docs, freqs, values)


class _Positions:
    """A grouped field's position codes (:class:`FlatPostings`), decoded to Whoosh's
    encodings one term's postings at a time."""

    def __init__(self, codes: np.ndarray, once: Encodings, multi: bytes, ends: array):
        self.codes, self.once, self.multi, self.ends = codes, once, multi, ends

    def values(self, start: int, end: int) -> list[bytes]:
        return self._decoded(self.codes[start:end].tolist())

    def encodings(self, order: np.ndarray) -> list[bytes]:
        """The encodings of the postings at ``order`` of the grouped arrays."""
        return self._decoded(self.codes[order].tolist())

    def _decoded(self, codes: list[int]) -> list[bytes]:
        if not codes:
            return []
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
