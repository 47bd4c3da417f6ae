"""The packed terms table writes Whoosh's terms file byte for byte, and Whoosh reads it."""

from __future__ import annotations

import io
import random

import pytest
from whoosh.filedb.filetables import HashWriter, OrderedHashReader, OrderedHashWriter
from whoosh.filedb.filestore import RamStorage
from whoosh.filedb.structfile import StructFile
from whoosh.util.numlists import GrowableArray

from index.whoosh_ext.terms_table import PackedTermsWriter


class _Kept(io.BytesIO):
    def close(self) -> None:  # the writers close their file: keep the bytes readable
        pass


class _WhooshCrc32(OrderedHashWriter):
    """Whoosh's own ordered hash writer, with its CRC-32 hash type (1) for the keys."""

    def __init__(self, dbfile):
        HashWriter.__init__(self, dbfile, hashtype=1)
        self.index = GrowableArray("H")
        self.lastkey = b""


def _written(make, items: list[tuple[bytes, bytes]], at_once: int = 0) -> bytes:
    """The file ``make``'s writer writes; the first ``at_once`` items in one call, then in runs of 7, then one by one."""
    handle = _Kept()
    writer = make(StructFile(handle))
    writer.extras["fieldmap"] = {"body": 0}
    runs = [items[:at_once]] + [items[k : k + 7] for k in range(at_once, len(items) // 2, 7)] if at_once else []
    for run in runs:
        writer.add_all([key for key, _ in run], [value for _, value in run])
    for key, value in items[sum(map(len, runs)):]:
        writer.add(key, value)
    writer.close()
    return handle.getvalue()


def _items(count: int, seed: int) -> list[tuple[bytes, bytes]]:
    rng = random.Random(seed)
    keys = {bytes(rng.randrange(256) for _ in range(rng.randrange(1, 12))) for _ in range(count)}
    return [(key, bytes(rng.randrange(256) for _ in range(rng.randrange(0, 30)))) for key in sorted(keys)]


@pytest.mark.parametrize(("count", "seed"), [(0, 1), (1, 2), (7, 3), (300, 4), (5000, 5)])
def test_same_bytes_as_whoosh(count, seed):
    items = _items(count, seed)
    whoosh = _written(_WhooshCrc32, items)
    ours = lambda f: PackedTermsWriter.adopt(OrderedHashWriter(f))  # noqa: E731
    assert _written(ours, items) == whoosh
    assert _written(ours, items, at_once=count // 3) == whoosh  # add_all, then add
    assert whoosh[4] == 1 and _written(OrderedHashWriter, items)[4] == 0  # the header's hash type


def test_whoosh_reads_every_key_back():
    items = _items(3000, 6)
    storage = RamStorage()
    writer = PackedTermsWriter.adopt(OrderedHashWriter(storage.create_file("t.trm")))
    writer.add_all([key for key, _ in items[:2000]], [value for _, value in items[:2000]])
    for key, value in items[2000:]:
        writer.add(key, value)
    writer.close()
    reader = OrderedHashReader.open(storage, "t.trm")
    assert [reader[key] for key, _ in items] == [value for _, value in items]
    assert list(reader.keys()) == [key for key, _ in items]
    middle = items[len(items) // 2][0]
    assert next(reader.items_from(middle)) == items[len(items) // 2]


def test_keys_must_increase():
    writer = PackedTermsWriter.adopt(OrderedHashWriter(StructFile(_Kept())))
    writer.add(b"b", b"1")
    with pytest.raises(ValueError):
        writer.add(b"a", b"2")
    with pytest.raises(ValueError):
        writer.add(b"b", b"3")
    with pytest.raises(ValueError):
        writer.add_all([b"c", b"d", b"d"], [b"4", b"5", b"6"])
    with pytest.raises(ValueError):
        writer.add_all([b"a"], [b"7"])


def test_adopted_only_before_the_first_key():
    writer = OrderedHashWriter(StructFile(_Kept()))
    writer.add(b"a", b"1")
    with pytest.raises(ValueError):
        PackedTermsWriter.adopt(writer)
