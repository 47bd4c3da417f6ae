"""The copy finder's per-document arrays (:mod:`index.build.copies`), kept compact as
a collection grows to millions of documents.

A first build appends a signature, a day and sixteen band hashes per document. As
Python objects (an array and an int per document, a dict entry per band) they cost
the build's parent about 600 bytes a document, and re-sorting every band hash each
few thousand documents made the build's time grow with the square of the collection
(benchmarks/README.md, "Build memory"): here they are numpy rows in fixed-size
chunks (the signatures' full chunks in a temporary file), and the band hashes sorted
runs merged as a binary counter, never above :attr:`BandIndex.RUN_CAP` (each merge
copies its runs once, so a larger run would cost the build a peak of its size; the rows
of a run past merging wait in a temporary file). The
runs keep 32 bits of each 64-bit band hash (8 bytes a band with its row, not 12): two
different bands share them once in 2³² comparisons, so a candidate is now and then a
row that shares no band, which the copy finder sees when it compares the signatures.
"""

from __future__ import annotations

import os
import tempfile
import zipfile
from collections.abc import Iterable
from pathlib import Path

import numpy as np


class _Spill:
    """An unnamed temporary file (opened on the first write, deleted by the kernel) that
    arrays are appended to and read back from by their byte offset: what a large build
    need not hold in memory."""

    def __init__(self) -> None:
        self._file = None

    def append(self, values: np.ndarray) -> int:
        """Write ``values``; returns the byte offset where they start."""
        if self._file is None:
            self._file = tempfile.TemporaryFile()
        start = self._file.tell()
        self._file.write(values.tobytes())
        self._file.flush()
        return start

    def read(self, offset: int, count: int, dtype: np.dtype) -> np.ndarray:
        """``count`` items of ``dtype`` from byte ``offset``."""
        return np.frombuffer(os.pread(self._file.fileno(), count * dtype.itemsize, offset), dtype=dtype)


class Chunks:
    """Rows of one width and dtype appended one at a time, stored in chunks of
    :attr:`SIZE` rows: growing never copies what is stored. With ``spill``, full
    chunks go to an unnamed temporary file and a row is read back when asked for
    (a signature is read only when a later document shares one of its bands)."""

    SIZE = 1 << 16

    def __init__(self, dtype: type, width: int | None = None, spill: bool = False):
        self.dtype = np.dtype(dtype)
        self._shape = () if width is None else (width,)
        self._chunks: list[np.ndarray | None] = []  # None: the chunk is in the file
        self._count = 0
        self._spill = _Spill() if spill else None

    def __len__(self) -> int:
        return self._count

    def append(self, row) -> None:
        at = self._count % self.SIZE
        if at == 0:
            if self._spill is not None and self._chunks:
                self._to_file()
            self._chunks.append(np.zeros((self.SIZE, *self._shape), dtype=self.dtype))
        self._chunks[-1][at] = row
        self._count += 1

    def _to_file(self) -> None:
        self._spill.append(self._chunks[-1])  # full chunks in order: row n is at n times a row's bytes
        self._chunks[-1] = None

    def _read(self, first: int, count: int) -> np.ndarray:
        width = int(np.prod(self._shape, dtype=np.int64))
        return self._spill.read(first * width * self.dtype.itemsize, count * width, self.dtype).reshape(count, *self._shape)

    def __getitem__(self, index: int):
        chunk = self._chunks[index // self.SIZE]
        return self._read(index, 1)[0] if chunk is None else chunk[index % self.SIZE]

    def take(self, rows: np.ndarray) -> np.ndarray:
        """The rows at ``rows`` (positions below ``len(self)``), as one array."""
        out = np.zeros((len(rows), *self._shape), dtype=self.dtype)
        chunk = rows // self.SIZE
        for number in np.unique(chunk).tolist():
            mine = chunk == number
            stored = self._chunks[number]
            if stored is None:
                stored = self._read(number * self.SIZE, self.SIZE)
            out[mine] = stored[rows[mine] % self.SIZE]
        return out


#: Odd multiplier (2⁶⁴ / golden ratio) whose product's high half is a band's 32-bit key:
#: every bit of the band hash moves it.
_MIX = np.uint64(0x9E3779B97F4A7C15)


def _keys(bands: np.ndarray) -> np.ndarray:
    """The 32-bit keys of 64-bit band hashes."""
    return ((bands.astype(np.uint64) * _MIX) >> np.uint64(32)).astype(np.uint32)


#: How a run's rows are kept (in memory and in the file).
_ROW = np.dtype(np.int32)


class BandIndex:
    """Band hash → the rows (documents) that have it: sorted runs of (32-bit key, row),
    plus a dict of the latest rows' keys until :attr:`pending` rows make a new run.

    A run of over half :attr:`RUN_CAP` entries is never merged again, and its rows go to
    an unnamed temporary file, read back only for a key found in it: a key is looked up
    for every band of every new document, a row only when a band is shared (a copy, or
    now and then two bands sharing 32 bits). Those rows were half of what the runs cost a
    large build's parent (benchmarks/README.md, "Build memory")."""

    #: Entries (band keys) above which runs are no longer merged: 8 bytes each, so a
    #: merge copies at most 16 MB; a million documents make eight runs of the cap.
    RUN_CAP = 1 << 21

    def __init__(self, pending: int):
        self.pending = pending
        #: (keys, rows): rows as an array, or as the byte offset where they start in :attr:`_spill`.
        self._runs: list[tuple[np.ndarray, np.ndarray | int]] = []
        self._new: dict[int, list[int]] = {}
        self._waiting: list[tuple[int, np.ndarray]] = []
        self._spill = _Spill()

    @classmethod
    def of(cls, bands: np.ndarray, pending: int) -> BandIndex:
        """The index of ``bands`` (one row of band hashes per document, rows numbered from 0)."""
        index = cls(pending)
        if len(bands):
            rows = np.repeat(np.arange(len(bands), dtype=np.int32), bands.shape[1])
            index._runs.append(index._final(*_sorted_run(_keys(bands.reshape(-1)), rows)))
        return index

    def add(self, row: int, bands: np.ndarray) -> None:
        keys = _keys(bands)
        for key in keys.tolist():
            self._new.setdefault(key, []).append(row)
        self._waiting.append((row, keys))
        if len(self._waiting) >= self.pending:
            self._settle()

    def candidates(self, bands: np.ndarray) -> set[int]:
        """Rows sharing at least one of ``bands``, and the rare row whose band only shares
        its 32-bit key with one of them (see the module docstring)."""
        found: set[int] = set()
        bands = _keys(bands)
        for keys, rows in self._runs:
            starts = np.searchsorted(keys, bands, side="left")
            ends = np.searchsorted(keys, bands, side="right")
            for start, end in zip(starts.tolist(), ends.tolist()):
                if start < end:
                    found.update(self._rows(rows, start, end))
        for band in bands.tolist():
            found.update(self._new.get(band, ()))
        return found

    def _rows(self, rows: np.ndarray | int, start: int, end: int) -> list[int]:
        """A run's rows from ``start`` to ``end``, from memory or from the file."""
        if isinstance(rows, np.ndarray):
            return rows[start:end].tolist()
        return self._spill.read(rows + start * _ROW.itemsize, end - start, _ROW).tolist()

    def _final(self, keys: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray | int]:
        """The run, its rows moved to the file when it is too large to be merged again."""
        if 2 * len(keys) <= self.RUN_CAP:
            return keys, rows
        return keys, self._spill.append(rows.astype(_ROW))

    def _settle(self) -> None:
        """The waiting rows' bands become a run; runs of like size merge (up to the cap)."""
        width = len(self._waiting[0][1])
        rows = np.repeat(np.array([r for r, _ in self._waiting], dtype=np.int32), width)
        self._runs.append(_sorted_run(np.concatenate([b for _, b in self._waiting]), rows))
        self._new.clear()
        self._waiting.clear()
        runs = self._runs
        # A run of over half the cap is never merged: it is either larger than the run
        # after it, or the two together pass the cap.
        while len(runs) > 1 and len(runs[-2][0]) <= len(runs[-1][0]) and len(runs[-2][0]) + len(runs[-1][0]) <= self.RUN_CAP:
            (keys, rows), (more_keys, more_rows) = runs[-2], runs.pop()
            runs[-1] = _sorted_run(np.concatenate([keys, more_keys]), np.concatenate([rows, more_rows]))
        runs[-1] = self._final(*runs[-1])  # the new or merged run: its rows are in memory


def _sorted_run(keys: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(keys, rows) sorted by key, then row: one sort of the pairs packed in 64 bits, quicker
    than a stable argsort of the keys and its two gathers (rows are never negative)."""
    pairs = (keys.astype(np.uint64) << np.uint64(32)) | rows.astype(np.uint32).astype(np.uint64)
    pairs.sort()
    return (pairs >> np.uint64(32)).astype(np.uint32), pairs.astype(np.uint32).astype(np.int32)


def joined_rows(saved: np.ndarray, new: np.ndarray) -> np.ndarray:
    """``saved`` then ``new`` rows, without a copy when one is empty (a first build's
    signatures are all new: 128 MB at 1M, once, not twice)."""
    if not len(saved):
        return new
    return np.concatenate([saved, new]) if len(new) else saved


def save_npz(path: Path, members: Iterable[tuple[str, bool, np.ndarray]]) -> None:
    """An ``.npz`` file as ``np.savez_compressed`` writes it, read back by ``np.load``,
    but quicker to write: ``members`` are (name, compressed, array), the compressed ones
    at zlib's level 1 (numpy's level 6 was most of a large add's save for a few percent
    of size; benchmarks/README.md, "Scale to 1M"), the others (random, such as
    signatures) stored. ``members`` may be a generator making each array as it is
    written: one large array at a time (a 1M build's parent held the ids, story keys
    and signatures at once, +400 MB at its save; "Build memory")."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1, allowZip64=True) as archive:
        for name, compressed, value in members:
            member: str | zipfile.ZipInfo = name + ".npy"  # a name: the archive's compression
            if not compressed:
                member = zipfile.ZipInfo(member)
                member.compress_type = zipfile.ZIP_STORED
            with archive.open(member, "w", force_zip64=True) as handle:
                np.lib.format.write_array(handle, np.asanyarray(value), allow_pickle=False)
            del value
