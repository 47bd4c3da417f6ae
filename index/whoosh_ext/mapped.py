"""Opening our index's compound segment files without copying them into memory.

Why: Whoosh maps a compound segment file (``.seg``) and hands out each sub-file as a
``BufferFile`` over a slice of the map, but ``BufferFile.__init__`` also wraps the
slice in ``io.BytesIO``, which copies it. Opening a reader would therefore copy every
sub-file (postings, terms, stored fields) before reading a byte of it, most of a cold
``search query``'s own time on a large index. Most readers use only
``BufferFile.get`` (slices of the map); stream reads (seek/read) go through a buffered
reader over the map, which copies only what is read.

Scoped to our index: :class:`MappedStorage` is the storage :mod:`index.build.store`
opens and creates generations with. It tells Whoosh not to map compound files itself
(``supports_mmap=False``), so ``CompoundStorage`` hands out each sub-file through the
``subset`` method of the compound file the storage opened, and for a ``.seg`` file
that is a :class:`_CompoundFile`, whose ``subset`` is a :class:`MappedFile` over its one
map. Any other Whoosh index in the process reads as Whoosh reads it.
"""

from __future__ import annotations

import io
import mmap

from whoosh.codec.base import Segment
from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import BufferFile, StructFile

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


class _CompoundFile(StructFile):
    """A compound segment file, mapped once: ``CompoundStorage`` reads its directory
    through the file, then asks :meth:`subset` for each sub-file."""

    def __init__(self, fileobj, name: str | None = None, onclose=None):
        super().__init__(fileobj, name=name, onclose=onclose)
        try:
            self._map: mmap.mmap | None = mmap.mmap(fileobj.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError):  # an empty file, no address space left: read through the file
            self._map = None

    def subset(self, offset: int, length: int, name: str | None = None) -> StructFile:
        if self._map is None:
            return super().subset(offset, length, name=name)
        return MappedFile(memoryview(self._map)[offset : offset + length], name=name or self._name)

    def close(self) -> None:
        if self._map is not None:
            try:
                self._map.close()
            except BufferError:  # views still in use (sidecar arrays): the map goes with them
                pass
            self._map = None
        super().close()


class MappedStorage(FileStorage):
    """A folder storage whose compound segment files are read through one map each, uncopied."""

    def __init__(self, path: str, readonly: bool = False):
        super().__init__(path, supports_mmap=False, readonly=readonly)

    def open_file(self, name: str, **kwargs) -> StructFile:
        if not name.endswith(Segment.COMPOUND_EXT):
            return super().open_file(name, **kwargs)
        return _CompoundFile(open(self._fpath(name), "rb"), name=name, **kwargs)
