"""Opening a compound segment's files without copying them into memory.

Why: Whoosh maps a compound segment file (``.seg``) and hands out each sub-file as a
``BufferFile`` over a slice of the map, but ``BufferFile.__init__`` also wraps the
slice in ``io.BytesIO``, which copies it. Opening a reader therefore copied every
sub-file (postings, terms, stored fields: hundreds of MB on the full corpus), about
half a second of a cold ``search query``, before reading a byte of it. Most readers
use only ``BufferFile.get`` (slices of the map); stream reads (seek/read) go
through a buffered reader over the map, which copies only what is read.

:func:`install` replaces ``CompoundStorage.open_file`` for this process (whoosh-
reloaded is pinned; tests/test_sidecar.py::test_compound_files_are_not_copied fails
if the patched class changes shape).
"""

from __future__ import annotations

import io

from whoosh.filedb import compound
from whoosh.filedb.structfile import BufferFile

_original_open_file = compound.CompoundStorage.open_file
#: Bytes a stream read brings in at a time (block headers of one posting list are near each other).
STREAM_BUFFER = 4096


class _ViewReader(io.RawIOBase):
    """A seekable raw stream over a memoryview: each read copies only what it reads."""

    def __init__(self, view: memoryview):
        self._view = view
        self._pos = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        count = max(0, min(len(buffer), len(self._view) - self._pos))
        buffer[:count] = self._view[self._pos : self._pos + count]
        self._pos += count
        return count

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: len(self._view)}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def tell(self) -> int:
        return self._pos


class MappedFile(BufferFile):
    """A ``BufferFile`` whose stream is a window on the map instead of a copy.

    The stream is buffered in C (``io.BufferedReader``): Whoosh reads each posting
    block's header with seek, read_int and pickle.load, and a Python-level stream
    would cost about ten Python calls per header.
    """

    def __init__(self, buf: memoryview, name: str | None = None):
        self._buf = buf
        self._name = name
        self.file = io.BufferedReader(_ViewReader(buf), buffer_size=STREAM_BUFFER)
        self.onclose = None
        self.is_real = False
        self.is_closed = False


def _open_file(self: compound.CompoundStorage, name: str, *args, **kwargs):
    source = self._source
    if source is None or self.is_closed:
        return _original_open_file(self, name, *args, **kwargs)
    offset, length = self.range(name)
    return MappedFile(memoryview(source)[offset : offset + length], name=name)


def install() -> None:
    """Make compound storages hand out :class:`MappedFile` (idempotent)."""
    compound.CompoundStorage.open_file = _open_file
