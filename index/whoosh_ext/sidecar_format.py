"""The posting sidecar's format: posting arrays beside a segment, what a query reads
instead of Whoosh's blocks.

Why: Whoosh's W3 codec stores a term's postings as pickled blocks holding document
numbers, weights *and* every position. A query word becomes about forty terms
(search.query.parsing), and reading them the first time means unpickling every block with
its positions, although scoring needs only documents and weights: that was most of a
warm query's time. When :class:`index.whoosh_ext.segment.BulkSegmentWriter` writes a
segment it also writes, per term, the document numbers and weights as flat
little-endian arrays into one more segment file (:data:`EXT`, assembled into the
compound file with the others: :mod:`index.whoosh_ext.sidecar_writer`); a query reads a
term's slice of them without copying (memory map: :mod:`index.whoosh_ext.sidecar_reader`).

Each term's arrays are as narrow as its postings allow (:func:`encode`), because the
sidecar holds every posting of the index once more: document numbers as one-byte gaps
when every gap fits (frequent terms, which hold most postings), else as two-byte gaps
when every gap fits those (most other terms of a segment of up to a few hundred
thousand documents, such as a merged one), else as absolute uint32; weights not at all
when all are 1 (most rare terms), else as uint8/uint16 counts or float32. Decoding
stays a few numpy calls per term (a cumulative sum at most). Gaps do not depend on
where a term's documents are, only its first number does, which the TermInfo keeps:
so a merge copies them as they are (:mod:`index.whoosh_ext.merge`).

Two kinds of terms. A term of a field with positions (body, title) keeps Whoosh's
blocks too (phrases and the proximity rerank read its positions); its slice is found by
its postings offset in the segment's postings file, which Whoosh's own ``TermInfo``
gives (so no second term dictionary). A term of a field without positions (the exact
and root twins, ids, sources, dates: see :func:`index.whoosh_ext.codec.covers`) has its
postings *only* here: its TermInfo (:class:`index.whoosh_ext.codec.SideTermInfo`) says
where its slice starts and how it is encoded, so the sidecar keeps no row for it. The
sidecar also keeps a sorted 32-bit hash of every term of the segment (:func:`term_key`),
so that a term it certainly lacks is not looked up at all (most of the proclitic
variants a query word is expanded to exist nowhere).

File layout: :data:`MAGIC`, the header's length, a JSON header (version, each array's
dtype, offset and count, total size), then the arrays, each padded to :data:`ALIGN`.
"""

from __future__ import annotations

import struct
import sys
import zlib
from array import array
from operator import sub

import numpy as np

EXT = ".apx"
MAGIC = b"ANSAPX\x00\x01"
VERSION = 5  # 2: the term hashes (Sidecar.may_have); 3: per-term widths (encode);
# 4: postings of fields without positions held only here (index.whoosh_ext.codec), rows without ends;
# 5: two-byte gaps (document code 3)
#: Versions :func:`index.whoosh_ext.sidecar_reader.parse` reads: each adds to the one
#: before only codes that it never wrote, so an index written before keeps its sidecars.
READABLE = (4, VERSION)
#: MAGIC, then the header's length: the JSON header follows, then the arrays.
PREFIX = struct.Struct("<8sI")
ALIGN = 8
#: The arrays of a sidecar, in file order.
ARRAYS = ("offsets", "starts", "codes", "data", "terms")

#: How a term's document numbers are stored, by the low two bits of its code: gaps after
#: the first (which the TermInfo gives) of one or two bytes (codes 0 and 3, :data:`GAPS`),
#: or absolute numbers. Absolute uint16 (code 1) only in sidecars of version 4: two-byte
#: gaps are narrower wherever it fits.
DOC_TYPES = (np.dtype("u1"), np.dtype("<u2"), np.dtype("<u4"), np.dtype("<u2"))
GAPS = (0, 3)
#: How its weights are stored, by the code's next two bits: not at all (all 1), as
#: counts, or as Whoosh's float32.
WEIGHT_TYPES = (None, np.dtype("u1"), np.dtype("<u2"), np.dtype("<f4"))


def encode(docs, weights) -> tuple[int, bytes]:
    """(code, bytes) of one posting list (ascending document numbers): each part in the
    narrowest of :data:`DOC_TYPES` and :data:`WEIGHT_TYPES` that holds it exactly.

    Called once per term while a segment is written, so it uses only builtins that loop
    in C: on the short lists most terms have, numpy's overhead per call would cost more
    than the work."""
    gaps = list(map(sub, docs[1:], docs))
    widest = max(gaps, default=0)
    if widest < 1 << 8:
        code, data = 0, bytes(gaps)
    elif widest < 1 << 16:
        code, data = 3, little_endian(array("H", gaps))
    else:
        code, data = 2, little_endian(array("I", docs))
    count = len(weights)
    if weights.count(1.0) == count:
        return code, data
    kept = array("f", weights)  # what Whoosh's blocks keep
    if min(kept) >= 0 and all(map(float.is_integer, kept)) and max(kept) < 1 << 16:
        if max(kept) < 1 << 8:
            return code | 1 << 2, data + bytes(map(int, kept))
        return code | 2 << 2, data + little_endian(array("H", map(int, kept)))
    return code | 3 << 2, data + little_endian(kept)


def little_endian(values: array) -> bytes:
    """The bytes of ``values`` in little-endian order, as the sidecar stores them."""
    if sys.byteorder == "big":
        values = array(values.typecode, values)
        values.byteswap()
    return values.tobytes()


def _doc_size(code: int, count: int) -> int:
    doc_code = code & 3
    return (count - (doc_code in GAPS)) * DOC_TYPES[doc_code].itemsize


def encoded_size(code: int, count: int) -> int:
    """Bytes that :func:`encode` gives ``count`` postings under ``code``."""
    weights = WEIGHT_TYPES[code >> 2]
    return _doc_size(code, count) + (count * weights.itemsize if weights is not None else 0)


def valid_code(code: int) -> bool:
    """Whether ``code`` is one that :func:`encode` gives (or gave, in a version it reads)."""
    return code >> 2 < len(WEIGHT_TYPES)


def decode(data: np.ndarray, code: int, count: int, first: int) -> tuple[np.ndarray, np.ndarray]:
    """(document numbers, weights) of what :func:`encode` gave ``code`` and ``data``
    (uint8) for ``count`` postings, the first in document ``first``."""
    doc_code, split = code & 3, _doc_size(code, count)
    if doc_code in GAPS:  # np.add.accumulate in place: no temporary array, unlike np.cumsum
        docs = np.empty(count, dtype=np.int64)
        docs[0] = first
        docs[1:] = data[:split].view(DOC_TYPES[doc_code])
        np.add.accumulate(docs, out=docs)
    else:
        docs = data[:split].view(DOC_TYPES[doc_code]).astype(np.int64)
    weight_type = WEIGHT_TYPES[code >> 2]
    weights = np.ones(count) if weight_type is None else data[split:].view(weight_type).astype(np.float64)
    return docs, weights


def term_key(fieldname: str, btext: bytes) -> int:
    """A 32-bit hash of a term (stable across processes, unlike ``hash``)."""
    return zlib.crc32(btext, _field_seed(fieldname))


def term_keys(fieldname: str, terms: list[bytes]) -> list[int]:
    """:func:`term_key` of each of a field's ``terms``."""
    seed = _field_seed(fieldname)
    return [zlib.crc32(term, seed) for term in terms]


def _field_seed(fieldname: str) -> int:
    """Where a field's term hashes start: the field's name is hashed in first."""
    return zlib.crc32(fieldname.encode("utf-8") + b"\0")


def padded(size: int) -> int:
    """``size`` rounded up to :data:`ALIGN`."""
    return -(-size // ALIGN) * ALIGN
