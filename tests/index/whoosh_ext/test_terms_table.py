"""The packed terms table writes Whoosh's terms file byte for byte, and Whoosh reads it."""

from __future__ import annotations

import io
import random

import pytest
from whoosh.filedb.filetables import OrderedHashReader, OrderedHashWriter
from whoosh.filedb.filestore import RamStorage
from whoosh.filedb.structfile import StructFile

from index.whoosh_ext.terms_table import PackedTermsWriter


class _Kept(io.BytesIO):
    def close(self) -> None:  # the writers close their file: keep the bytes readable
        pass


def _written(make, items: list[tuple[bytes, bytes]]) -> bytes:
    handle = _Kept()
    writer = make(StructFile(handle))
    writer.extras["fieldmap"] = {"body": 0}
    for key, value in items:
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
    whoosh = _written(OrderedHashWriter, items)
    ours = _written(lambda f: PackedTermsWriter.adopt(OrderedHashWriter(f)), items)
    assert ours == whoosh


def test_whoosh_reads_every_key_back():
    items = _items(3000, 6)
    storage = RamStorage()
    writer = PackedTermsWriter.adopt(OrderedHashWriter(storage.create_file("t.trm")))
    for key, value in items:
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


def test_adopted_only_before_the_first_key():
    writer = OrderedHashWriter(StructFile(_Kept()))
    writer.add(b"a", b"1")
    with pytest.raises(ValueError):
        PackedTermsWriter.adopt(writer)
