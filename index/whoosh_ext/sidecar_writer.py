"""Writing a segment's posting sidecar (format: :mod:`index.whoosh_ext.sidecar_format`)."""

from __future__ import annotations

import json
import tempfile
from array import array

import numpy as np

from index.whoosh_ext.sidecar_format import EXT, MAGIC, PREFIX, VERSION, encode, padded, term_key, term_keys


class Recorder:
    """Collects, while a segment's postings are written, what the sidecar holds.

    Used by :meth:`index.whoosh_ext.segment.BulkSegmentWriter._write_postings`: :meth:`term`
    after each term of a field with positions (whose blocks Whoosh's field writer has
    just written), :meth:`direct` for each term of a field without them, :meth:`save`
    before the field writer closes. Each term's encoded postings go straight to an
    anonymous temporary file (deleted by the kernel even if the writer is killed) and
    are copied into the sidecar in chunks: a worker at its flush already holds millions
    of postings, and a second copy of them in memory would raise the build's peak
    memory. Only the per-term arrays (offset, start, code, hash) stay in memory.

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

    def term(self, docs: array, weights, end: int | None = None) -> None:
        """Record the term whose blocks Whoosh's field writer has just written, as a row
        keyed by where its blocks start (none if Whoosh inlined them in the TermInfo).
        ``end``: where the postings file ends, if the caller knows (else it is asked)."""
        writer = self.fieldwriter
        offset = writer._postwriter._startoffset
        if (writer._postfile.tell() if end is None else end) == offset:  # inlined: read from the TermInfo
            self.keys.append(term_key(writer._fieldname, writer._btext))
            return
        start, code = self.direct(docs, weights)
        self.offsets.append(offset)
        self.codes.append(code)
        self.starts.append(start)

    def direct(self, docs: array, weights) -> tuple[int, int]:
        """Record the current term's postings without a row; returns (start, code),
        which its TermInfo keeps instead (:class:`index.whoosh_ext.codec.SideTermInfo`)."""
        code, data = encode(docs, weights)
        return self.encoded(data), code

    def encoded(self, data: bytes) -> int:
        """Record the current term's postings as :func:`encode` gave them (a merge copies
        them so, :mod:`index.whoosh_ext.merge`) without a row; returns their start."""
        writer = self.fieldwriter
        self.keys.append(term_key(writer._fieldname, writer._btext))
        start = self.size
        self._data.write(data)
        self.size += len(data)
        return start

    def block(self, fieldname: str, terms: list[bytes], data) -> None:
        """Record the postings of a field's ``terms``, encoded one after another in ``data``
        (:func:`index.whoosh_ext.covered.write_field`, whose TermInfos say where each starts)."""
        self.keys.extend(term_keys(fieldname, terms))
        self._data.write(data)
        self.size += len(data)

    def rows(self, fieldname: str, terms: list[bytes], data, offsets: np.ndarray, codes: np.ndarray, starts: np.ndarray) -> None:
        """:meth:`term` for consecutive terms written at once (:mod:`index.whoosh_ext.positional`):
        their blocks start at ``offsets``, their postings are encoded one after another
        in ``data`` under ``codes``, each from ``starts``."""
        self.offsets.extend(offsets.tolist())
        self.codes.extend(codes.tolist())
        self.starts.extend((self.size + starts).tolist())
        self.block(fieldname, terms, data)

    def row(self, code: int, data: bytes) -> None:
        """:meth:`term`, for postings already encoded (and not inlined)."""
        self.offsets.append(self.fieldwriter._postwriter._startoffset)
        self.codes.append(code)
        self.starts.append(self.encoded(data))

    def save(self, storage, segment) -> None:
        """Write the sidecar as one more file of ``segment`` (before it is compounded);
        one that fails half-way is deleted, and the error raised."""
        name = segment.make_filename(EXT)
        try:
            self._data.flush()
            size = self.size
            columns = {
                "offsets": Column.of(narrow(np.frombuffer(self.offsets, dtype=np.int64))),
                "starts": Column.of(narrow(np.frombuffer(self.starts, dtype=np.int64))),
                "codes": Column.of(np.frombuffer(self.codes, dtype=np.uint8)),
                "data": Column(np.dtype(np.uint8), size, lambda: _chunks(self._data, np.uint8, size)),
                "terms": Column.of(np.unique(np.frombuffer(self.keys, dtype=np.uint32)).astype("<u4")),
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


class Column:
    """An array of the sidecar: its stored type, length, and its values in chunks."""

    def __init__(self, dtype: np.dtype, count: int, chunks):
        self.dtype, self.count, self.chunks = np.dtype(dtype), count, chunks

    @classmethod
    def of(cls, values: np.ndarray) -> Column:
        return cls(values.dtype, len(values), lambda: iter([values]))


def _narrow_type(top: int) -> np.dtype:
    """The smallest of uint16, uint32 and int64 that holds non-negative integers up to ``top``."""
    return np.dtype("<u2" if top < 1 << 16 else "<u4" if top < 1 << 32 else "<i8")


def narrow(values: np.ndarray) -> np.ndarray:
    """``values`` (non-negative integers) in :func:`_narrow_type` of their largest."""
    return values.astype(_narrow_type(int(values.max()) if len(values) else 0))


def write(dbfile, columns: dict[str, Column]) -> None:
    """MAGIC, header length, JSON header (each array's dtype, offset, count), arrays."""
    layout, position = {}, 0
    for name, column in columns.items():
        layout[name] = {"dtype": column.dtype.str, "offset": position, "count": column.count}
        position += padded(column.count * column.dtype.itemsize)
    header = json.dumps({"version": VERSION, "arrays": layout, "size": position}).encode()
    header += b" " * (padded(PREFIX.size + len(header)) - PREFIX.size - len(header))
    try:
        dbfile.write(PREFIX.pack(MAGIC, len(header)) + header)
        for column in columns.values():
            size = column.count * column.dtype.itemsize
            for part in column.chunks():
                dbfile.write(memoryview(np.ascontiguousarray(part, dtype=column.dtype)).cast("B"))
            dbfile.write(b"\x00" * (padded(size) - size))
    finally:
        dbfile.close()
