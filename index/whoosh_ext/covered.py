"""Writing all terms of a covered field at once (postings in the sidecar only).

Why: the per-term path (:func:`index.whoosh_ext.codec.write_term`) costs a dozen Python
calls a term (the term's arrays, the sidecar's encoding, the TermInfo's statistics and
bytes), and covered fields hold most of a segment's terms (the exact and root twins:
about 170,000 of a 6,000-article segment's 245,000). Here every term's encoding,
statistics and TermInfo bytes are made with numpy over the field's grouped postings
(:class:`index.whoosh_ext.inversion.Grouped`); only the terms table's entries are still
added one by one. The bytes are exactly the per-term path's
(``tests/index/whoosh_ext/test_covered.py`` compares both on random postings).

The rules it reproduces, per term (postings ascending by document, weights the
frequencies of a field without boost, as :func:`index.whoosh_ext.codec.covers` requires):

* documents (:func:`index.whoosh_ext.sidecar_format.encode`): gaps after the first in one
  byte if the widest fits (code 0), else in two (code 3), else absolute in four (code 2);
* weights: none when all are 1, else one byte each if all fit, else two, else float32;
* statistics (:func:`index.whoosh_ext.blocks.term_info`): frequency, first and last
  document, summed and largest weight, shortest non-zero and longest document length;
* TermInfo bytes (:meth:`index.whoosh_ext.codec.SideTermInfo.pack`): the short form for a
  term in one document whose two length bytes agree, the long form otherwise.
"""

from __future__ import annotations

import numpy as np
from whoosh.system import pack_ushort
from whoosh.util.numeric import _length_byte_cache

from index.whoosh_ext.inversion import Grouped
from index.whoosh_ext.sidecar_format import DOC_TYPES, GAPS, WEIGHT_TYPES

#: ``codec._SHORT`` ("<BBIIf") and ``codec._LONG`` ("<BBBIIIIff") as numpy records.
_SHORT = np.dtype([("code", "u1"), ("min", "u1"), ("doc", "<u4"), ("start", "<u4"), ("weight", "<f4")])
_LONG = np.dtype([("code", "u1"), ("min", "u1"), ("max", "u1"), ("df", "<u4"), ("first", "<u4"), ("last", "<u4"),
                  ("start", "<u4"), ("weight", "<f4"), ("heaviest", "<f4")])
#: Bytes per document number and per weight, by the code's two parts.
_DOC_SIZE = np.array([kind.itemsize for kind in DOC_TYPES])
_WEIGHT_SIZE = np.array([0 if kind is None else kind.itemsize for kind in WEIGHT_TYPES])
_LENGTHS = np.array(_length_byte_cache)
#: Postings written per run of terms (:func:`write_field`).
RUN_POSTINGS = 1 << 16


def _length_bytes(lengths: np.ndarray) -> np.ndarray:
    """``whoosh.util.numeric.length_to_byte`` of each length: the bisection it does, and
    255 past the table's last length (byte 255's)."""
    return np.minimum(np.searchsorted(_LENGTHS, lengths, side="left"), len(_LENGTHS) - 1)


def _scatter(buffer: np.ndarray, positions: np.ndarray, values: np.ndarray, size: int) -> None:
    """Write each of ``values`` (unsigned, < 2**(8*size)) little-endian at its position."""
    values = values.astype(np.uint64)
    for k in range(size):
        buffer[positions + k] = (values >> np.uint64(8 * k)) & np.uint64(255)


def write_field(fieldwriter, recorder, table: Grouped, doc_length: np.ndarray, run: int = RUN_POSTINGS) -> None:
    """Write every term of the covered field that ``fieldwriter`` has started: its
    postings to ``recorder``'s sidecar data, its TermInfo to the terms table.
    ``doc_length`` is each document's length in this field, indexed by docnum."""
    terms = []
    for terms, start, df in term_runs(table, run):
        _write_run(fieldwriter, recorder, table, terms, start, df, doc_length)
    if terms:
        fieldwriter._btext = terms[-1]


def term_runs(table: Grouped, run: int):
    """(terms, where each one's postings start in the grouped arrays, their number) of
    a field's terms in order, in runs of about ``run`` postings: the arrays made per
    posting (a dozen of 8 bytes) then stay small beside the postings the segment holds,
    which the build's memory setting counts (:class:`index.build.limits.FlushRule`)."""
    terms = sorted(table.ids)
    numbers = np.fromiter(map(table.ids.__getitem__, terms), dtype=np.int64, count=len(terms))
    ends = np.asarray(table.ends, dtype=np.int64)
    df = ends[numbers] - np.where(numbers > 0, ends[numbers - 1], 0)
    start = ends[numbers] - df  # each term's first posting in the grouped arrays
    reached = np.cumsum(df)
    first = 0
    while first < len(terms):
        before = int(reached[first - 1]) if first else 0
        last = max(first + 1, int(np.searchsorted(reached, before + run, side="right")))
        yield terms[first:last], start[first:last], df[first:last]
        first = last


class Run:
    """The postings of a run of consecutive terms (:func:`term_runs`) in term order."""

    def __init__(self, table: Grouped, start: np.ndarray, df: np.ndarray):
        self.df = df
        #: Each term's first posting here, and each posting's term and place in its list.
        self.first = np.cumsum(df) - df
        self.term_of = np.repeat(np.arange(len(df)), df)
        self.within = np.arange(int(df.sum())) - self.first[self.term_of]
        #: The postings' places in the grouped arrays.
        self.order = start[self.term_of] + self.within
        self.docs = table.docs[self.order].astype(np.int64)
        self.freqs = table.freqs[self.order].astype(np.int64)

    def sidecar(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(code, where its bytes start in the data, data) of each term's postings, as
        :func:`index.whoosh_ext.sidecar_format.encode` gives them, the terms' one after another."""
        first, df, within, term_of, docs, freqs = self.first, self.df, self.within, self.term_of, self.docs, self.freqs
        gaps = np.diff(docs, prepend=0)
        gaps[first] = 0
        widest = np.maximum.reduceat(gaps, first)
        doc_code = np.where(widest < 1 << 8, 0, np.where(widest < 1 << 16, 3, 2))
        heaviest = np.maximum.reduceat(freqs, first)
        all_one = np.logical_and.reduceat(freqs == 1, first)
        weight_code = np.where(all_one, 0, np.where(heaviest < 1 << 8, 1, np.where(heaviest < 1 << 16, 2, 3)))
        doc_bytes = (df - np.isin(doc_code, GAPS)) * _DOC_SIZE[doc_code]
        sizes = doc_bytes + df * _WEIGHT_SIZE[weight_code]
        offsets = np.cumsum(sizes) - sizes

        data = np.zeros(int(sizes.sum()), dtype=np.uint8)
        posting_code = doc_code[term_of]
        base = offsets[term_of]
        for code, size in ((0, 1), (3, 2)):  # gaps: none for a term's first posting
            chosen = (posting_code == code) & (within > 0)
            _scatter(data, base[chosen] + size * (within[chosen] - 1), gaps[chosen], size)
        chosen = posting_code == 2
        _scatter(data, base[chosen] + 4 * within[chosen], docs[chosen], 4)
        posting_weight = weight_code[term_of]
        weight_base = base + doc_bytes[term_of]
        for code, size in ((1, 1), (2, 2)):
            chosen = posting_weight == code
            _scatter(data, weight_base[chosen] + size * within[chosen], freqs[chosen], size)
        chosen = posting_weight == 3
        floats = freqs[chosen].astype(np.float32).view(np.uint32)
        _scatter(data, weight_base[chosen] + 4 * within[chosen], floats, 4)
        return doc_code | weight_code << 2, offsets, data

    def length_bytes(self, doc_length: np.ndarray, first: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per group of postings starting at ``first``: the length bytes of its shortest
        (0 for none: Whoosh ignores lengths of 0) and longest document."""
        lengths = doc_length[self.docs]
        longest = np.maximum.reduceat(lengths, first)
        shortest = np.minimum.reduceat(np.where(lengths > 0, lengths, np.iinfo(np.int64).max), first)
        return np.where(shortest == np.iinfo(np.int64).max, 0, _length_bytes(shortest)), _length_bytes(longest)


def _write_run(fieldwriter, recorder, table: Grouped, terms: list[bytes], start: np.ndarray, df: np.ndarray,
               doc_length: np.ndarray) -> None:
    """:func:`write_field` for a run of consecutive terms, which start at ``start`` of the
    grouped arrays and have ``df`` postings each."""
    count = len(terms)
    run = Run(table, start, df)
    first, docs, freqs = run.first, run.docs, run.freqs
    last = first + df - 1
    code, offsets, data = run.sidecar()
    starts = recorder.size + offsets
    if int(starts[-1]) >= 1 << 32:
        raise OverflowError("a segment's sidecar grew past 4 GB")
    min_byte, max_byte = run.length_bytes(doc_length, first)
    heaviest = np.maximum.reduceat(freqs, first)
    weight = np.add.reduceat(freqs, first)
    short = (df == 1) & (min_byte == max_byte)

    values: list[bytes] = [b""] * count
    chosen = np.flatnonzero(short)
    records = np.zeros(len(chosen), dtype=_SHORT)
    records["code"], records["min"], records["doc"] = code[chosen], min_byte[chosen], docs[first[chosen]]
    records["start"], records["weight"] = starts[chosen], weight[chosen]
    _place(values, chosen, records)
    chosen = np.flatnonzero(~short)
    records = np.zeros(len(chosen), dtype=_LONG)
    records["code"], records["min"], records["max"] = code[chosen], min_byte[chosen], max_byte[chosen]
    records["df"], records["first"], records["last"] = df[chosen], docs[first[chosen]], docs[last[chosen]]
    records["start"], records["weight"], records["heaviest"] = starts[chosen], weight[chosen], heaviest[chosen]
    _place(values, chosen, records)

    prefix = pack_ushort(fieldwriter._fieldid)
    fieldwriter._tindex.add_all([prefix + term for term in terms], values)
    recorder.block(fieldwriter._fieldname, terms, data)


def _place(values: list[bytes], where: np.ndarray, records: np.ndarray) -> None:
    """Put each record's bytes at its term's place in ``values``."""
    blob, size = records.tobytes(), records.dtype.itemsize
    for k, at in enumerate(where.tolist()):
        values[at] = blob[k * size : (k + 1) * size]

