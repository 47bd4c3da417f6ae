"""Opening a compound segment's files without copying them into memory.

Why: Whoosh maps a compound segment file (``.seg``) and hands out each sub-file as a
``BufferFile`` over a slice of the map, but ``BufferFile.__init__`` also wraps the
slice in ``io.BytesIO``, which copies it. Opening a reader therefore copied every
sub-file (postings, terms, stored fields: hundreds of MB on the full corpus), about
half a second of a cold ``search query``, before reading a byte of it. Most readers
use only ``BufferFile.get`` (slices of the map); the few stream reads (seek/read)
go through Whoosh's own ``SubFile`` over the map, which copies only what is read.

:func:`install` replaces ``CompoundStorage.open_file`` for this process (whoosh-
reloaded is pinned; tests/test_mapped.py fails if the patched class changes shape).
"""

from __future__ import annotations

from whoosh.filedb import compound
from whoosh.filedb.structfile import BufferFile

_original_open_file = compound.CompoundStorage.open_file


class MappedFile(BufferFile):
    """A ``BufferFile`` whose stream is a window on the map instead of a copy."""

    def __init__(self, buf: memoryview, stream: compound.SubFile, name: str | None = None):
        self._buf = buf
        self._name = name
        self.file = stream
        self.onclose = None
        self.is_real = False
        self.is_closed = False


def _open_file(self: compound.CompoundStorage, name: str, *args, **kwargs):
    source = self._source
    if source is None or self.is_closed:
        return _original_open_file(self, name, *args, **kwargs)
    offset, length = self.range(name)
    view = memoryview(source)[offset : offset + length]
    return MappedFile(view, compound.SubFile(source, offset, length, name=name), name=name)


def install() -> None:
    """Make compound storages hand out :class:`MappedFile` (idempotent)."""
    compound.CompoundStorage.open_file = _open_file
