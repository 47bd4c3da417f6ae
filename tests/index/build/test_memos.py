"""The analysis cache (index.build.memos): what is saved is what is loaded, from a
writer's memos or from a parallel build's tables, and an older or damaged file is
ignored (the forms are analyzed again), never misread."""

from __future__ import annotations

import marshal
import zlib

import pytest
from bulk_support import ARTICLES, fields_of
from whoosh import index as whoosh_index

from index.build.memos import Analyses, load_memos, save_memos
from index.schema import SCHEMA_VERSION, build_schema
from index.whoosh_ext.parallel import ParallelWriter

MEMOS = {
    "stem": {"الكتاب": "كتاب".encode(), "في": None, "المكتبة": "مكتب".encode()},
    "exact": {"الكتاب": "الكتاب".encode(), "في": None},  # one form not analyzed under this key
    "root": {"المكتبة": "كتب".encode(), "الكتاب": "كتب".encode(), "كتب": "كتب".encode()},
}


def test_memos_come_back_as_saved(tmp_path):
    save_memos(tmp_path / "analysis.cache", MEMOS)
    assert load_memos(tmp_path / "analysis.cache") == MEMOS
    tables = Analyses.of_memos(MEMOS)
    assert len(tables.terms) == len(set(tables.terms)) == 4  # each distinct term once
    assert Analyses.of_memos({}).memos() == {} and not Analyses.of_memos({})


def test_a_parallel_builds_tables_are_saved_as_its_memos(tmp_path):
    folder = tmp_path / "ix"
    folder.mkdir()
    writer = ParallelWriter(whoosh_index.create_in(str(folder), build_schema()), 0)
    try:
        writer._analyze([fields_of(*article) for article in ARTICLES])
        save_memos(tmp_path / "analysis.cache", writer.analysis_cache())
        assert load_memos(tmp_path / "analysis.cache") == writer.memos
        assert any(None in memo.values() for memo in writer.memos.values())  # stop words kept as such
    finally:
        writer.cancel()


@pytest.mark.parametrize("content", [
    zlib.compress(marshal.dumps((SCHEMA_VERSION, MEMOS)), 1),  # the format before the tables
    zlib.compress(marshal.dumps((SCHEMA_VERSION - 1, "forms, terms, term numbers", ["a"], [b"a"], {"k": b"\0\0\0\0"})), 1),
    zlib.compress(marshal.dumps((SCHEMA_VERSION, "forms, terms, term numbers", ["a", "b"], [b"a"], {"k": b"\0\0\0\0"})), 1),
    zlib.compress(marshal.dumps((SCHEMA_VERSION, "forms, terms, term numbers", ["a"], [b"a"], {"k": b"\x07\0\0\0"})), 1),
    b"not a cache",
])
def test_an_older_or_damaged_cache_is_ignored(tmp_path, content):
    (tmp_path / "analysis.cache").write_bytes(content)
    assert load_memos(tmp_path / "analysis.cache") == {}
