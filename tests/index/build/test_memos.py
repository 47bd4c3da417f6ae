"""The analysis cache (index.build.memos): what is saved is what is loaded, from a
writer's memos or from a parallel build's tables, and an older or damaged file is
ignored (the forms are analyzed again), never misread."""

from __future__ import annotations

import marshal
import zlib

import pytest
from bulk_support import ARTICLES, fields_of
from whoosh import index as whoosh_index

from index.build.memos import MEMOS, TABLES, load_memos, save_memos
from index.schema import SCHEMA_VERSION, build_schema
from index.whoosh_ext.parallel import ParallelWriter

ANALYSES = {
    "stem": {"الكتاب": "كتاب".encode(), "في": None, "المكتبة": "مكتب".encode()},
    "exact": {"الكتاب": "الكتاب".encode(), "في": None},  # one form not analyzed under this key
    "root": {"المكتبة": "كتب".encode(), "الكتاب": "كتب".encode(), "كتب": "كتب".encode()},
}


def _file(tmp_path, content: tuple) -> object:
    path = tmp_path / "analysis.cache"
    path.write_bytes(zlib.compress(marshal.dumps(content), 1))
    return path


def test_memos_come_back_as_saved(tmp_path):
    save_memos(tmp_path / "analysis.cache", ANALYSES)
    assert load_memos(tmp_path / "analysis.cache") == ANALYSES
    assert load_memos(_file(tmp_path, (SCHEMA_VERSION, ANALYSES))) == ANALYSES  # the file before its tag


def test_a_parallel_builds_tables_are_saved_as_its_memos(tmp_path):
    folder = tmp_path / "ix"
    folder.mkdir()
    writer = ParallelWriter(whoosh_index.create_in(str(folder), build_schema()), 0)
    try:
        writer._analyze([fields_of(*article) for article in ARTICLES])
        tables = writer.analysis_cache()
        assert len(tables.terms) == len(set(tables.terms))  # each distinct term once
        save_memos(tmp_path / "analysis.cache", tables)
        assert load_memos(tmp_path / "analysis.cache") == writer.memos
        assert any(None in memo.values() for memo in writer.memos.values())  # stop words kept as such
    finally:
        writer.cancel()


@pytest.mark.parametrize("content", [
    (SCHEMA_VERSION - 1, MEMOS, ANALYSES),  # another schema's analysis
    (SCHEMA_VERSION, "something else", ANALYSES),
    (SCHEMA_VERSION, MEMOS, ["not", "a", "dictionary"]),
    (SCHEMA_VERSION, TABLES, ["a", "b"], [b"a"], {"k": b"\0\0\0\0"}),  # fewer numbers than forms
    (SCHEMA_VERSION, TABLES, ["a"], [b"a"], {"k": b"\x07\0\0\0"}),  # a term number past the terms
    (SCHEMA_VERSION, TABLES, ["a"], [b"a"], {"k": b"\xfe\xff\xff\xff"}),  # below NONE
    (SCHEMA_VERSION, TABLES, ["a"], [b"a"], {"k": b"\0\0\0"}),  # not whole numbers
])
def test_an_older_or_damaged_cache_is_ignored(tmp_path, content):
    assert load_memos(_file(tmp_path, content)) == {}


def test_a_file_that_is_no_cache_is_ignored(tmp_path):
    (tmp_path / "analysis.cache").write_bytes(b"not a cache")
    assert load_memos(tmp_path / "analysis.cache") == {}
    assert load_memos(tmp_path / "missing.cache") == {}
