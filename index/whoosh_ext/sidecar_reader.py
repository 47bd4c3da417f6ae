"""Reading a segment's posting sidecar (format: :mod:`index.whoosh_ext.sidecar_format`).

Never a wrong answer: a segment without the file (written by Whoosh's own writer, a
merge, an older index) or with a file of another version, size or shape has no
sidecar (:func:`open_sidecar` returns None); queries then read Whoosh's postings of
fields with positions, and a segment whose other fields live here is refused as
damaged (:mod:`index.whoosh_ext.codec`). A term whose slice disagrees with its TermInfo
(count, first and last document) is read from Whoosh's blocks too, or refused likewise.
"""

from __future__ import annotations

import bisect
import json
import mmap
import struct

import numpy as np
from whoosh.filedb.structfile import BufferFile

from index.whoosh_ext.sidecar_format import ARRAYS, EXT, MAGIC, PREFIX, READABLE, decode, encoded_size, term_key, valid_code


class Sidecar:
    """One segment's posting arrays (views into the mapped file)."""

    def __init__(self, offsets: np.ndarray, starts: np.ndarray, codes: np.ndarray, data: np.ndarray, terms: np.ndarray):
        self.offsets, self.starts, self.codes, self.data, self.terms = offsets, starts, codes, data, terms
        # Searched with bisect on plain memoryviews: inside a compound file the arrays are
        # rarely aligned, and numpy's searchsorted would then copy them whole per lookup.
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
        found = self.row(terminfo)
        return None if found is None else self.at(*found, terminfo)

    def row(self, terminfo) -> tuple[int, int] | None:
        """(start, code) of the term of a field with positions with this TermInfo, None
        when the sidecar has no row for it."""
        keys = self._keys
        i = bisect.bisect_left(keys, terminfo._offset)
        if i >= len(keys) or keys[i] != terminfo._offset:
            return None
        return int(self.starts[i]), int(self.codes[i])

    def at(self, start: int, code: int, terminfo) -> tuple[np.ndarray, np.ndarray] | None:
        """(document numbers, weights) encoded with ``code`` from ``start`` of the data for
        the postings ``terminfo`` describes, or None when they are not what it says."""
        count = terminfo.doc_frequency()
        if not valid_code(code) or not count:
            return None
        end = start + encoded_size(code, count)
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
    when it is absent or not exactly what :func:`index.whoosh_ext.sidecar_writer.write` writes."""
    name = segment.make_filename(EXT)
    try:
        if not storage.file_exists(name):
            return None
        return parse(file_bytes(storage, name))
    except (OSError, ValueError, KeyError, TypeError, struct.error):
        return None


def file_bytes(storage, name: str):
    """The file's bytes without copying: a slice of the compound file's map, or a map."""
    with storage.open_file(name) as handle:
        if isinstance(handle, BufferFile):  # a slice of a compound file's map (index.whoosh_ext.mapped)
            return handle._buf
        if handle.is_real:
            return memoryview(mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ))
        return memoryview(handle.read())


def parse(buf: memoryview) -> Sidecar | None:
    """The sidecar in ``buf``, or None when it is not exactly one of a version it reads
    (:data:`~index.whoosh_ext.sidecar_format.READABLE`)."""
    magic, length = PREFIX.unpack(buf[: PREFIX.size])
    if magic != MAGIC:
        return None
    head_end = PREFIX.size + length
    header = json.loads(bytes(buf[PREFIX.size : head_end]))
    if header.get("version") not in READABLE or len(buf) != head_end + header["size"]:
        return None
    views = {}
    for name in ARRAYS:
        spec = header["arrays"][name]
        dtype = np.dtype(spec["dtype"])
        start = head_end + spec["offset"]
        views[name] = np.frombuffer(buf, dtype=dtype, count=spec["count"], offset=start)
    offsets = views["offsets"]
    if len(views["starts"]) != len(offsets) or len(views["codes"]) != len(offsets):
        return None
    return Sidecar(offsets, views["starts"], views["codes"], views["data"], views["terms"])
