"""Posting arrays beside a segment: what a query reads instead of Whoosh's blocks.

Why: Whoosh's W3 codec stores a term's postings as pickled blocks holding document
numbers, weights *and* every position. A query word becomes about forty terms
(search.query.parsing), and reading them the first time means unpickling every block with
its positions, although scoring needs only documents and weights: that was most of a
warm query's time. When :class:`index.whoosh_ext.bulk.BulkSegmentWriter` writes a segment it
also writes, per term, the document numbers and weights as flat little-endian arrays
into one more segment file (``.apx``, assembled into the compound file with the
others); a query reads a term's slice of them without copying (memory map).

Each term's arrays are as narrow as its postings allow (:func:`encode`), because the
sidecar was a fifth of the index: document numbers as one-byte gaps when every gap
fits (frequent terms, which hold most postings), else as absolute uint16/uint32;
weights not at all when all are 1 (most rare terms), else as uint8/uint16 counts or
float32. Decoding stays a few numpy calls per term (a cumulative sum at most).

Two kinds of terms. A term of a field with positions (body, title) keeps Whoosh's
blocks too (phrases and the proximity rerank read its positions); its slice is found by
its postings offset in the segment's postings file, which Whoosh's own ``TermInfo``
gives (so no second term dictionary). A term of a field without positions (the exact
and root twins, ids, sources, dates: see :func:`index.whoosh_ext.codec.covers`) has its postings
*only* here: its TermInfo (:class:`index.whoosh_ext.codec.SideTermInfo`) says where its slice
starts and how it is encoded, so the sidecar keeps no row for it. The sidecar also
keeps a sorted 32-bit hash of every term of the segment, so that a term it certainly
lacks is not looked up at all (most of the proclitic variants a query word is expanded
to exist nowhere).

Never a wrong answer: a segment without the file (written by Whoosh's own writer, a
merge, an older index) or with a file of another version, size or shape has no
sidecar (:func:`open_sidecar` returns None); queries then read Whoosh's postings of
fields with positions, and a segment whose other fields live here is refused as
damaged (:mod:`index.whoosh_ext.codec`). A term whose slice disagrees with its TermInfo (count,
first and last document) is read from Whoosh's blocks too, or refused likewise.
"""

from __future__ import annotations

import bisect
import json
import mmap
import struct
import sys
import tempfile
import zlib
from array import array
from operator import sub

import numpy as np
from whoosh.filedb.structfile import BufferFile

EXT = ".apx"
MAGIC = b"ANSAPX\x00\x01"
VERSION = 4  # 2: the term hashes (Sidecar.may_have); 3: per-term widths (encode);
# 4: postings of fields without positions held only here (index.whoosh_ext.codec), rows without ends
#: MAGIC, then the header's length: the JSON header follows, then the arrays.
_PREFIX = struct.Struct("<8sI")
_ALIGN = 8


class Recorder:
    """Collects, while a segment's postings are written, what the sidecar holds.

    Used by :meth:`index.whoosh_ext.bulk.BulkSegmentWriter._write_postings`: :meth:`term` after
    each term of a field with positions (whose blocks Whoosh's field writer has just
    written), :meth:`direct` for each term of a field without them, :meth:`save`
    before the field writer closes. Each term's encoded postings go straight to an
    anonymous temporary file (deleted by the kernel even if the writer is killed) and
    are copied into the sidecar in chunks: a worker at its flush already holds millions
    of postings, and keeping a second copy of them in memory cost the build ~200 MB of
    peak memory. Only the per-term arrays (offset, start, code, hash) stay in memory.

    A write that fails (a full disk) fails the segment, as a failed write of Whoosh's
    postings file would: the sidecar is the only copy of most postings.
    """

    def __init__(self, fieldwriter):
        self.fieldwriter = fieldwriter
        self.offsets = array("q")
        #: Where each row's bytes start in the data.
        self.starts = array("q")
        self.codes = array("B")
        #: term_key() of every term of the segment.
        self.keys = array("I")
        #: Bytes of data written so far.
        self.size = 0
        self._data = tempfile.TemporaryFile()

    def term(self, docs: array, weights) -> None:
        """Record the term whose blocks Whoosh's field writer has just written, as a row
        keyed by where its blocks start (none if Whoosh inlined them in the TermInfo)."""
        writer = self.fieldwriter
        offset = writer._postwriter._startoffset
        if writer._postfile.tell() == offset:  # inlined: read from the TermInfo
            self.keys.append(term_key(writer._fieldname, writer._btext))
            return
        start, code = self.direct(docs, weights)
        self.offsets.append(offset)
        self.codes.append(code)
        self.starts.append(start)

    def direct(self, docs: array, weights) -> tuple[int, int]:
        """Record the current term's postings without a row; returns (start, code),
        which its TermInfo keeps instead (:class:`index.whoosh_ext.codec.SideTermInfo`)."""
        writer = self.fieldwriter
        self.keys.append(term_key(writer._fieldname, writer._btext))
        code, data = encode(docs, weights)
        start = self.size
        self._data.write(data)
        self.size += len(data)
        return start, code

    def save(self, storage, segment) -> None:
        """Write the sidecar as one more file of ``segment`` (before it is compounded);
        one that fails half-way is deleted, and the error raised."""
        name = segment.make_filename(EXT)
        try:
            self._data.flush()
            size = self.size
            columns = {
                "offsets": _Column.of(_narrow(np.frombuffer(self.offsets, dtype=np.int64))),
                "starts": _Column.of(_narrow(np.frombuffer(self.starts, dtype=np.int64))),
                "codes": _Column.of(np.frombuffer(self.codes, dtype=np.uint8)),
                "data": _Column(np.dtype(np.uint8), size, lambda: _chunks(self._data, np.uint8, size)),
                "terms": _Column.of(np.unique(np.frombuffer(self.keys, dtype=np.uint32)).astype("<u4")),
            }
            write(storage.create_file(name), columns)
        except OSError:
            if storage.file_exists(name):
                storage.delete_file(name)
            raise
        finally:
            self._data.close()


#: Bytes copied from the temporary file to the sidecar at a time.
CHUNK = 1 << 22


def _chunks(handle, dtype, count: int):
    """The ``count`` values of ``dtype`` written to ``handle``, CHUNK at a time."""
    handle.seek(0)
    for start in range(0, count, CHUNK):
        yield np.fromfile(handle, dtype=dtype, count=min(CHUNK, count - start))


class _Column:
    """An array of the sidecar: its stored type, length, and its values in chunks."""

    def __init__(self, dtype: np.dtype, count: int, chunks):
        self.dtype, self.count, self.chunks = np.dtype(dtype), count, chunks

    @classmethod
    def of(cls, values: np.ndarray) -> _Column:
        return cls(values.dtype, len(values), lambda: iter([values]))


#: How a term's document numbers are stored, by the low two bits of its code: one-byte
#: gaps after the first (which the TermInfo gives), or absolute numbers.
DOC_TYPES = (np.dtype("u1"), np.dtype("<u2"), np.dtype("<u4"))
#: How its weights are stored, by the code's next two bits: not at all (all 1), as
#: counts, or as Whoosh's float32.
WEIGHT_TYPES = (None, np.dtype("u1"), np.dtype("<u2"), np.dtype("<f4"))


def encode(docs, weights) -> tuple[int, bytes]:
    """(code, bytes) of one posting list (ascending document numbers): each part in the
    narrowest of :data:`DOC_TYPES` and :data:`WEIGHT_TYPES` that holds it exactly.

    Called once per term while a segment is written, so it uses only builtins that loop
    in C (a few microseconds for the short lists most terms have; numpy took 15)."""
    gaps = list(map(sub, docs[1:], docs))
    if not gaps or max(gaps) < 1 << 8:
        code, data = 0, bytes(gaps)
    elif docs[-1] < 1 << 16:
        code, data = 1, _little(array("H", docs))
    else:
        code, data = 2, _little(array("I", docs))
    count = len(weights)
    if weights.count(1.0) == count:
        return code, data
    kept = array("f", weights)  # what Whoosh's blocks keep
    if min(kept) >= 0 and all(map(float.is_integer, kept)) and max(kept) < 1 << 16:
        if max(kept) < 1 << 8:
            return code | 1 << 2, data + bytes(map(int, kept))
        return code | 2 << 2, data + _little(array("H", map(int, kept)))
    return code | 3 << 2, data + _little(kept)


def _little(values: array) -> bytes:
    """The bytes of ``values`` in little-endian order, as the sidecar stores them."""
    if sys.byteorder == "big":
        values = array(values.typecode, values)
        values.byteswap()
    return values.tobytes()


def _doc_size(code: int, count: int) -> int:
    doc_code = code & 3
    return count - 1 if doc_code == 0 else count * DOC_TYPES[doc_code].itemsize


def _encoded_size(code: int, count: int) -> int:
    weights = WEIGHT_TYPES[code >> 2]
    return _doc_size(code, count) + (count * weights.itemsize if weights is not None else 0)


def decode(data: np.ndarray, code: int, count: int, first: int) -> tuple[np.ndarray, np.ndarray]:
    """(document numbers, weights) of what :func:`encode` gave ``code`` and ``data``
    (uint8) for ``count`` postings, the first in document ``first``."""
    doc_code, split = code & 3, _doc_size(code, count)
    if doc_code == 0:  # (np.add.accumulate in place: a third of np.cumsum's overhead)
        docs = np.empty(count, dtype=np.int64)
        docs[0] = first
        docs[1:] = data[:split]
        np.add.accumulate(docs, out=docs)
    else:
        docs = data[:split].view(DOC_TYPES[doc_code]).astype(np.int64)
    weight_type = WEIGHT_TYPES[code >> 2]
    weights = np.ones(count) if weight_type is None else data[split:].view(weight_type).astype(np.float64)
    return docs, weights


def term_key(fieldname: str, btext: bytes) -> int:
    """A 32-bit hash of a term (stable across processes, unlike ``hash``)."""
    return zlib.crc32(btext, zlib.crc32(fieldname.encode("utf-8") + b"\0"))


def _narrow_type(top: int) -> np.dtype:
    """The smallest of uint16, uint32 and int64 that holds non-negative integers up to ``top``."""
    return np.dtype("<u2" if top < 1 << 16 else "<u4" if top < 1 << 32 else "<i8")


def _narrow(values: np.ndarray) -> np.ndarray:
    """``values`` (non-negative integers) in :func:`_narrow_type` of their largest."""
    return values.astype(_narrow_type(int(values.max()) if len(values) else 0))


def write(dbfile, columns: dict[str, _Column]) -> None:
    """MAGIC, header length, JSON header (each array's dtype, offset, count), arrays."""
    layout, position = {}, 0
    for name, column in columns.items():
        layout[name] = {"dtype": column.dtype.str, "offset": position, "count": column.count}
        position += _padded(column.count * column.dtype.itemsize)
    header = json.dumps({"version": VERSION, "arrays": layout, "size": position}).encode()
    header += b" " * (_padded(_PREFIX.size + len(header)) - _PREFIX.size - len(header))
    try:
        dbfile.write(_PREFIX.pack(MAGIC, len(header)) + header)
        for column in columns.values():
            size = column.count * column.dtype.itemsize
            for part in column.chunks():
                dbfile.write(memoryview(np.ascontiguousarray(part, dtype=column.dtype)).cast("B"))
            dbfile.write(b"\x00" * (_padded(size) - size))
    finally:
        dbfile.close()


def _padded(size: int) -> int:
    return -(-size // _ALIGN) * _ALIGN


class Sidecar:
    """One segment's posting arrays (views into the mapped file)."""

    def __init__(self, offsets: np.ndarray, starts: np.ndarray, codes: np.ndarray, data: np.ndarray, terms: np.ndarray):
        self.offsets, self.starts, self.codes, self.data, self.terms = offsets, starts, codes, data, terms
        # Searched with bisect on plain memoryviews: inside a compound file the arrays are
        # rarely aligned, and numpy's searchsorted then copies them whole (~0.1 ms).
        self._keys = _searchable(offsets)
        self._terms = _searchable(terms)

    def may_have(self, fieldname: str, btext: bytes) -> bool:
        """False only for a term the segment certainly lacks: most forms a query word is
        expanded to (proclitic variants) exist nowhere, and Whoosh's term dictionary
        answers "absent" about as slowly as "present"."""
        key = term_key(fieldname, btext)
        terms = self._terms
        i = bisect.bisect_left(terms, key)
        return i < len(terms) and terms[i] == key

    def postings(self, terminfo) -> tuple[np.ndarray, np.ndarray] | None:
        """(document numbers, weights) of the term of a field with positions with this
        TermInfo, or None when the sidecar does not hold it as the TermInfo describes it
        (read Whoosh's then)."""
        offset = terminfo._offset
        keys = self._keys
        i = bisect.bisect_left(keys, offset)
        if i >= len(keys) or keys[i] != offset:
            return None
        return self.at(int(self.starts[i]), int(self.codes[i]), terminfo)

    def at(self, start: int, code: int, terminfo) -> tuple[np.ndarray, np.ndarray] | None:
        """(document numbers, weights) encoded with ``code`` from ``start`` of the data for
        the postings ``terminfo`` describes, or None when they are not what it says."""
        count = terminfo.doc_frequency()
        if code >> 2 >= len(WEIGHT_TYPES) or (code & 3) >= len(DOC_TYPES) or not count:
            return None
        end = start + _encoded_size(code, count)
        if start < 0 or end > len(self.data):
            return None
        docs, weights = decode(self.data[start:end], code, count, terminfo.min_id())
        if docs[0] != terminfo.min_id() or docs[-1] != terminfo.max_id():
            return None
        return docs, weights


def _searchable(values: np.ndarray) -> memoryview:
    """A native-order, aligned copy of ``values`` as a memoryview (for bisect)."""
    native = np.ascontiguousarray(values, dtype=values.dtype.newbyteorder("="))
    return memoryview(native.view(np.uint8)).cast(native.dtype.char)


def open_sidecar(storage, segment) -> Sidecar | None:
    """The sidecar of ``segment`` in ``storage`` (a compound or plain folder), or None
    when it is absent or not exactly what :func:`write` writes."""
    name = segment.make_filename(EXT)
    try:
        if not storage.file_exists(name):
            return None
        return _parse(_buffer(storage, name))
    except (OSError, ValueError, KeyError, TypeError, struct.error):
        return None


def _buffer(storage, name: str):
    """The file's bytes without copying: a slice of the compound file's map, or a map."""
    with storage.open_file(name) as handle:
        if isinstance(handle, BufferFile):  # a slice of a compound file's map (index.whoosh_ext.mapped)
            return handle._buf
        if handle.is_real:
            return memoryview(mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ))
        return memoryview(handle.read())


def _parse(buf: memoryview) -> Sidecar | None:
    magic, length = _PREFIX.unpack(buf[: _PREFIX.size])
    if magic != MAGIC:
        return None
    head_end = _PREFIX.size + length
    header = json.loads(bytes(buf[_PREFIX.size : head_end]))
    if header.get("version") != VERSION or len(buf) != head_end + header["size"]:
        return None
    views = {}
    for name in ("offsets", "starts", "codes", "data", "terms"):
        spec = header["arrays"][name]
        dtype = np.dtype(spec["dtype"])
        start = head_end + spec["offset"]
        views[name] = np.frombuffer(buf, dtype=dtype, count=spec["count"], offset=start)
    offsets = views["offsets"]
    if len(views["starts"]) != len(offsets) or len(views["codes"]) != len(offsets):
        return None
    return Sidecar(offsets, views["starts"], views["codes"], views["data"], views["terms"])
