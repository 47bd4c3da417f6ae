"""Our index's compound segment files are read through one map, uncopied (index.whoosh_ext.mapped),
and only our index's: another Whoosh index in the same process reads as Whoosh reads it."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh.filedb.compound import CompoundStorage
from whoosh.filedb.structfile import BufferFile

from index.build.store import Store
from index.whoosh_ext.mapped import MappedFile, MappedStorage
from search import SearchIndex

RECORDS = [{"id": f"d{n}", "title": "انسحاب القوات", "body": f"انسحاب القوات من المدينة رقم {n} " * 20} for n in range(30)]


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("mapped") / "index"
    with SearchIndex(root) as ix:
        ix.add_records(RECORDS)
        return ix.store.live_generation()


def _compound(ix) -> tuple[CompoundStorage, str, Path]:
    """The compound storage of the index's first segment, the name of its postings, and its .seg file."""
    leaf = ix.reader().leaf_readers()[0][0]
    segment = leaf.segment()
    storage = leaf._storage.a
    assert isinstance(storage, CompoundStorage)
    return storage, segment.make_filename(".pst"), Path(ix.storage.folder) / segment.make_filename(".seg")


def test_compound_files_are_not_copied(folder):
    ix = MappedStorage(str(folder)).open_index()
    storage, name, seg = _compound(ix)
    handle = storage.open_file(name)
    assert isinstance(handle, MappedFile) and not isinstance(handle.file, io.BytesIO)
    offset, length = storage.range(name)
    raw = seg.read_bytes()
    assert handle.read(16) == raw[offset : offset + 16]  # stream reads
    assert handle.get(length - 4, 4) == raw[offset + length - 4 : offset + length]
    storage.close()


def test_another_index_in_the_process_reads_as_whoosh_reads_it(folder):
    MappedStorage(str(folder)).open_index().reader()  # ours opened first, in the same process
    plain = whoosh_index.open_dir(str(folder))
    storage, name, _ = _compound(plain)
    handle = storage.open_file(name)
    assert type(handle) is BufferFile and isinstance(handle.file, io.BytesIO)
    storage.close()


def test_the_store_creates_and_opens_generations_in_a_mapped_storage(tmp_path):
    store = Store(tmp_path / "index")
    _, created = store.new_generation()
    assert isinstance(created.storage, MappedStorage)
    with SearchIndex(tmp_path / "other") as ix:
        ix.add_records(RECORDS[:3])
        assert isinstance(ix.store.open_index().storage, MappedStorage)
