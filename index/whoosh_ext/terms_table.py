"""Whoosh's terms table (``.trm``) written with two numbers per term in memory, not a tuple.

Why: Whoosh's ``HashWriter`` remembers every key it wrote as a ``(hash, position)``
tuple in one of 256 lists until ``close`` writes the hash tables: about 120 bytes a
term. A segment holds a term per document id plus the vocabulary of its texts in six
fields, so a worker's segment carries a few hundred thousand and the merge of a
million-article build 1.5 million of them (benchmarks/README.md, "Scale to 1M"): some
200 MB held only to be written at the end. Here the hash and the position go to two
arrays per bucket (12 bytes a term); the file is byte for byte Whoosh's
(``tests/index/whoosh_ext/test_terms_table.py``), read by Whoosh's own reader.

Two choices Whoosh's format leaves open are made for speed. Keys are hashed with CRC-32
(the file's hash type 1, which its reader follows) instead of Whoosh's default MD5:
0.09 µs a key instead of 0.72, for a few hundred thousand keys a segment, and a query
hashes its terms' keys again. And a run of terms written at once
(:meth:`PackedTermsWriter.add_all`) goes to the file in one write, without a call per key.
"""

from __future__ import annotations

from array import array
from operator import lt
from zlib import crc32

import numpy as np
from whoosh.filedb.filetables import OrderedHashWriter, _lengths, _pointer

_BUCKETS = 256
#: Whoosh's hash type of CRC-32 (``filetables._hash_functions``).
CRC32 = 1


class PackedTermsWriter(OrderedHashWriter):
    """``OrderedHashWriter`` keeping each bucket's hashes and positions in arrays."""

    @classmethod
    def adopt(cls, writer: OrderedHashWriter) -> PackedTermsWriter:
        """Take over ``writer`` before its first key (``W3FieldWriter`` makes its own
        and shares its ``extras`` dict): the same file and extras, its header's hash
        type made CRC-32."""
        if any(writer.buckets) or len(writer.index):
            raise ValueError("a terms table is adopted before its first key")
        packed = cls.__new__(cls)
        packed.__dict__.update(writer.__dict__)
        packed.buckets = None  # never filled: see _hashes and _positions
        packed._hashes = [array("I") for _ in range(_BUCKETS)]
        packed._positions = [array("q") for _ in range(_BUCKETS)]
        dbfile = writer.dbfile
        # Where the next key goes, kept here: asking the file is a system call per term.
        packed._position = dbfile.tell()
        dbfile.seek(writer.startoffset + 4)  # the header: its magic, then the hash type
        dbfile.write_byte(CRC32)
        dbfile.seek(packed._position)
        packed.hashtype, packed.hashfn = CRC32, crc32
        return packed

    def add(self, key: bytes, value: bytes) -> None:
        """Whoosh's ``OrderedHashWriter.add``: keys in increasing order."""
        if key <= self.lastkey:
            raise ValueError(f"Keys must increase: {self.lastkey!r}..{key!r}")
        position = self._position
        self.index.append(position)
        record = _lengths.pack(len(key), len(value)) + key + value
        self.dbfile.write(record)
        self._position = position + len(record)
        hashed = crc32(key)
        self._hashes[hashed & 255].append(hashed)
        self._positions[hashed & 255].append(position)
        self.lastkey = key

    def add_all(self, keys: list[bytes], values: list[bytes]) -> None:
        """:meth:`add` of each key (in increasing order) and its value, in one write
        (the same rule, over arrays: a covered field's run adds thousands of keys)."""
        if not keys:
            return
        if keys[0] <= self.lastkey or not all(map(lt, keys, keys[1:])):
            raise ValueError(f"Keys must increase: {self.lastkey!r}..{keys[0]!r}")
        records = [_lengths.pack(len(key), len(value)) + key + value for key, value in zip(keys, values)]
        sizes = np.fromiter(map(len, records), dtype=np.int64, count=len(records))
        positions = self._position + np.cumsum(sizes) - sizes
        self.dbfile.write(b"".join(records))
        self._position = int(positions[-1] + sizes[-1])
        index = self.index
        index.append(self._position)  # Whoosh's array widens its type to hold the largest
        index.array.pop()
        index.array.extend(positions.tolist())
        hashes = np.fromiter(map(crc32, keys), dtype=np.uint32, count=len(keys))
        buckets = hashes & 255
        order = np.argsort(buckets, kind="stable")  # within a bucket, in the order added
        hashes, positions = hashes[order], positions[order]
        start = 0
        for bucket, end in enumerate(np.cumsum(np.bincount(buckets, minlength=_BUCKETS)).tolist()):
            if end > start:
                self._hashes[bucket].frombytes(hashes[start:end].tobytes())
                self._positions[bucket].frombytes(positions[start:end].tobytes())
                start = end
        self.lastkey = keys[-1]

    def _write_hashes(self) -> None:
        """Whoosh's ``HashWriter._write_hashes`` over the arrays: per bucket a table of
        twice its entries' slots, each entry at its hash's slot or the next free one,
        in the order the keys were added (so the same table as Whoosh's)."""
        dbfile = self.dbfile
        for hashes, positions in zip(self._hashes, self._positions):
            numslots = 2 * len(hashes)
            self.directory.append((dbfile.tell(), numslots))
            table_hashes = [0] * numslots
            table_positions = [0] * numslots  # 0: empty (no key starts at 0, the header does)
            for hashed, position in zip(hashes, positions):
                slot = (hashed >> 8) % numslots
                while table_positions[slot]:
                    slot = (slot + 1) % numslots
                table_hashes[slot], table_positions[slot] = hashed, position
            dbfile.write(b"".join(map(_pointer.pack, table_hashes, table_positions)))
