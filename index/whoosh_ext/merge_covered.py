"""Merging a covered field (postings in the sidecar only) of many segments at once, with numpy.

Why: the covered fields (the exact and root twins, ids, sources, dates) hold most terms,
and merging them a term and a segment at a time cost a dozen Python calls per pair:
Whoosh's term iteration and TermInfo objects, the heap of the k-way merge, the sidecar's
decode and encode of each list. A million-article build merges 256 segments, which
repeat the common terms: tens of millions of such pairs, most of the merge's time.

Here each segment's terms of the field are read from its terms table in batches
(:class:`_Terms`: the table's ordered index of record positions, the records' lengths and
TermInfos parsed with numpy; only the keys become Python bytes), the batches' keys are
united, and their postings decoded from the sidecars all at once; the merged lists are
then written by the same function that writes a fresh segment's covered fields
(:func:`index.whoosh_ext.covered.write_field`), so the bytes are one writer's
(``tests/index/whoosh_ext/test_merge.py``). Postings are taken in chunks of at most
:data:`CHUNK_POSTINGS` (a longer list alone), so the merge's memory does not grow with
the field.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable

import numpy as np
from whoosh.filedb.filetables import _lengths
from whoosh.system import pack_ushort

from index.whoosh_ext.covered import _DOC_SIZE, _LONG, _SHORT, _WEIGHT_SIZE, write_field
from index.whoosh_ext.inversion import Grouped
from index.whoosh_ext.sidecar_format import GAPS

#: Records read at a time from the segments' terms tables, shared out among them: the
#: fewer the records, the more chunks of few terms, each costing some calls per segment.
BATCH = 1 << 18
#: Postings decoded at a time from the segments' sidecars, shared out likewise (a
#: segment's next posting list is decoded whatever its length).
BATCH_POSTINGS = 1 << 20
#: Records read at a time from one segment's terms table, at least.
SMALLEST_BATCH = 256
#: Postings merged and written at a time (a longer posting list is taken alone).
CHUNK_POSTINGS = 1 << 18
#: Whoosh's typecodes of the terms table's index of positions (stored big-endian).
_INDEX_TYPES = {"B": "u1", "H": ">u2", "i": ">i4", "I": ">u4", "q": ">i8"}


class _Terms:
    """One segment's terms of one field, a batch of records at a time: their keys
    (without the field's prefix), document frequencies and decoded postings."""

    def __init__(self, reader, fieldname: str, offset: int, batch: int, postings: int, read: Callable[[int], None]):
        terms = reader._terms
        self.data, self.offset, self._read = terms.sidecar.data, offset, read
        self._batch, self._postings = batch, postings
        self._table = table = terms._tindex
        self._file, self._type = table.dbfile, np.dtype(_INDEX_TYPES[table.extras["indextype"]])
        fieldid = terms._fieldmap[fieldname]
        self._next = self._first_at_least(pack_ushort(fieldid))
        self._end = self._first_at_least(pack_ushort(fieldid + 1)) if fieldid < 65535 else table.indexlen
        self.at = 0
        self.keys: list[bytes] = []

    def _first_at_least(self, key: bytes) -> int:
        """The number of the first record whose key is ``key`` or after it (Whoosh's
        ``closest_key_pos`` gives its position in the file, not its number)."""
        table = self._table

        def key_at(number: int) -> bytes:
            return table.key_at(table._get_pos(table.indexbase + number * table.indexsize))

        return bisect.bisect_left(range(table.indexlen), key, key=key_at)

    def load(self) -> bool:
        """Read the next batch in place of the current one; False when none is left."""
        first, stop = self._next, min(self._next + self._batch, self._end)
        if first >= stop:
            return False
        self._next, self.at = stop, 0
        size = self._type.itemsize
        index = self._file.get(self._table.indexbase + first * size, (stop - first) * size)
        positions = np.frombuffer(index, dtype=self._type).astype(np.int64)
        keylen, datalen = _lengths.unpack(self._file.get(int(positions[-1]), _lengths.size))
        start = int(positions[0])
        buf = self._file.get(start, int(positions[-1]) + _lengths.size + keylen + datalen - start)
        self._read(len(buf) + len(index))
        raw = np.frombuffer(buf, dtype=np.uint8)
        at = positions - start
        keylens = _big_endian(raw, at)
        values = at + _lengths.size + keylens
        self.keys = [buf[a:b] for a, b in zip((at + _lengths.size + 2).tolist(), values.tolist())]
        short = _big_endian(raw, at + 4) == _SHORT.itemsize
        count = len(at)
        code, df, start, first_doc = (np.empty(count, dtype=np.int64) for _ in range(4))
        df[short] = 1
        for chosen, kind, first_name in ((short, _SHORT, "doc"), (~short, _LONG, "first")):
            records = raw[values[chosen][:, None] + np.arange(kind.itemsize)].view(kind)[:, 0]
            code[chosen], start[chosen], first_doc[chosen] = records["code"], records["start"], records[first_name]
            if kind is _LONG:
                df[chosen] = records["df"]
        ends = np.cumsum(df)
        kept = max(1, int(np.searchsorted(ends, self._postings, side="right")))
        if kept < count:  # the rest are read again with the next batch
            self._next, self.keys = first + kept, self.keys[:kept]
            code, df, start, first_doc, ends = code[:kept], df[:kept], start[:kept], first_doc[:kept], ends[:kept]
        self.df, self._ends = df, np.concatenate(([0], ends))
        docs, freqs, size = decode(self.data, code, df, start, first_doc)
        # Held until taken: in 32 bits (a segment's documents and counts fit them).
        self._docs, self._freqs = (docs + self.offset).astype(np.uint32), freqs.astype(np.uint32)
        self._read(size)
        return True

    def take(self, count: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(each posting's term, counted from the first taken, document numbers, frequencies)
        of the next ``count`` terms of the batch, which are then passed."""
        begin, end = int(self._ends[self.at]), int(self._ends[self.at + count])
        term = np.repeat(np.arange(count), self.df[self.at : self.at + count])
        self.at += count
        return term, self._docs[begin:end], self._freqs[begin:end]


def decode(data: np.ndarray, code: np.ndarray, df: np.ndarray, start: np.ndarray,
           first: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """(document numbers, frequencies, bytes read) of the posting lists encoded in ``data``
    (:func:`index.whoosh_ext.sidecar_format.encode`) with ``code`` at ``start``, of ``df``
    postings each, the first in document ``first``; one list after another."""
    doc_code, weight_code = code & 3, code >> 2
    gaps = np.isin(doc_code, GAPS)
    heads = np.cumsum(df) - df
    term = np.repeat(np.arange(len(df)), df)
    within = np.arange(len(term)) - heads[term]
    base = start[term]
    docs = np.empty(len(term), dtype=np.int64)
    posting_code = doc_code[term]
    for kind, size, skip in ((0, 1, 1), (3, 2, 1), (1, 2, 0), (2, 4, 0)):  # gaps skip a list's first
        chosen = (posting_code == kind) & (within >= skip)
        docs[chosen] = _little_endian(data, base[chosen] + size * (within[chosen] - skip), size)
    docs[heads[gaps]] = first[gaps]
    summed = np.cumsum(np.where(gaps[term], docs, 0))
    docs = np.where(gaps[term], summed - (summed[heads] - docs[heads])[term], docs)
    doc_bytes = (df - gaps) * _DOC_SIZE[doc_code]
    weight_base = (start + doc_bytes)[term]
    posting_weight = weight_code[term]
    freqs = np.ones(len(term), dtype=np.int64)
    for kind, size in ((1, 1), (2, 2), (3, 4)):
        chosen = posting_weight == kind
        values = _little_endian(data, weight_base[chosen] + size * within[chosen], size)
        freqs[chosen] = values.astype(np.uint32).view(np.float32) if kind == 3 else values
    return docs, freqs, int(doc_bytes.sum() + (df * _WEIGHT_SIZE[weight_code]).sum())


def merge_field(fieldwriter, recorder, readers: list, offsets: list[int], fieldname: str, doc_length: np.ndarray,
                read: Callable[[int], None]) -> None:
    """Write the covered field ``fieldname`` that ``fieldwriter`` has started, merged from
    ``readers`` (whose documents start at ``offsets`` in the merged segment). ``read`` is
    told the bytes read from the sources' terms tables and sidecars as they are read."""
    batch, postings = max(SMALLEST_BATCH, BATCH // len(readers)), max(1, BATCH_POSTINGS // len(readers))
    sources = [(r, o) for r, o in zip(readers, offsets) if fieldname in r.indexed_field_names()]  # some may have none
    streams = [terms for terms in (_Terms(r, fieldname, o, batch, postings, read) for r, o in sources) if terms.load()]
    while streams:
        # Every key up to the smallest of the batches' last keys is in the batches read.
        bound = min(terms.keys[-1] for terms in streams)
        counts = [bisect.bisect_right(terms.keys, bound, lo=terms.at) - terms.at for terms in streams]
        keys = sorted(set().union(*(terms.keys[terms.at : terms.at + n] for terms, n in zip(streams, counts))))
        number = {key: k for k, key in enumerate(keys)}
        numbers = [np.fromiter(map(number.__getitem__, terms.keys[terms.at : terms.at + n]), dtype=np.int64, count=n)
                   for terms, n in zip(streams, counts)]
        totals = np.bincount(np.concatenate(numbers), minlength=len(keys),
                             weights=np.concatenate([terms.df[terms.at : terms.at + n] for terms, n in zip(streams, counts)]))
        taken = max(1, int(np.searchsorted(np.cumsum(totals), CHUNK_POSTINGS, side="right")))
        parts = []
        for terms, local in zip(streams, numbers):
            count = int(np.searchsorted(local, taken))
            if count:
                term, docs, freqs = terms.take(count)
                parts.append((local[term], docs, freqs))
        term = np.concatenate([part[0] for part in parts])
        order = np.argsort(term, kind="stable")  # the segments' lists one after another
        ends = np.cumsum(np.bincount(term, minlength=taken))
        docs = np.concatenate([part[1] for part in parts])[order]
        freqs = np.concatenate([part[2] for part in parts])[order]
        write_field(fieldwriter, recorder, Grouped("frequency", dict(zip(keys[:taken], range(taken))), ends, docs, freqs, None),
                    doc_length)
        streams = [terms for terms in streams if terms.at < len(terms.keys) or terms.load()]


def _big_endian(raw: np.ndarray, at: np.ndarray) -> np.ndarray:
    """The big-endian 32-bit integers at ``at`` of ``raw`` (the terms table's lengths)."""
    value = np.zeros(len(at), dtype=np.int64)
    for k in range(4):
        value = value << 8 | raw[at + k]
    return value


def _little_endian(data: np.ndarray, at: np.ndarray, size: int) -> np.ndarray:
    """The unsigned little-endian integers of ``size`` bytes at ``at`` of ``data``."""
    value = np.zeros(len(at), dtype=np.int64)
    for k in range(size):
        value |= data[at + k].astype(np.int64) << (8 * k)
    return value
