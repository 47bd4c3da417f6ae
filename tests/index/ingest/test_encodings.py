"""Encodings: the same Arabic article saved six ways reads the same; binary data is skipped by name."""

from __future__ import annotations

import codecs
import gzip
import json
import os

import pytest
from ingest_support import BODY, HEADLINE, SCRAPED_PAGE, write

from index.ingest.files import ReadProblem, Record, read_file
from index.ingest.encoding import Undecodable, decode
from search import SearchIndex

ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le-bom", "utf-16-be-bom", "cp1256", "iso-8859-6"]


def encode(text: str, encoding: str) -> bytes:
    if encoding == "utf-16-le-bom":
        return codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    if encoding == "utf-16-be-bom":
        return codecs.BOM_UTF16_BE + text.encode("utf-16-be")
    return text.encode(encoding)


# ISO-8859-6 has no « » or •: keep the plain article for the code-page round trip.
PLAIN = HEADLINE + "\n\n" + BODY


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_decode_round_trip(encoding):
    assert decode(encode(PLAIN, encoding)) == PLAIN


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_txt_in_any_encoding_reads_like_utf8(tmp_path, encoding):
    path = tmp_path / f"article-{encoding}.txt"
    path.write_bytes(encode(PLAIN, encoding))
    (record,) = list(read_file(path))
    assert isinstance(record, Record)
    assert (record.title, record.body) == (HEADLINE, BODY)


def test_windows_1256_scraped_page_matches_utf8(tmp_path):
    utf8 = list(read_file(write(tmp_path / "a.txt", SCRAPED_PAGE)))[0]
    legacy = list(read_file(write(tmp_path / "b.txt", SCRAPED_PAGE.replace("•", "*"), "cp1256")))[0]
    assert (legacy.title, legacy.body, legacy.date, legacy.source) == (utf8.title, utf8.body, utf8.date, utf8.source)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "cp1256"])
def test_jsonl_and_gzip_in_other_encodings(tmp_path, encoding):
    line = json.dumps({"id": "x1", "title": HEADLINE, "body": BODY}, ensure_ascii=False) + "\n"
    plain = tmp_path / "a.jsonl"
    plain.write_bytes(encode(line, encoding))
    packed = tmp_path / "b.jsonl.gz"
    packed.write_bytes(gzip.compress(encode(line, encoding)))
    for path in (plain, packed):
        (record,) = list(read_file(path))
        assert (record.title, record.body) == (HEADLINE, BODY)


@pytest.mark.parametrize(
    "data",
    [
        os.urandom(4096),
        gzip.compress(PLAIN.encode("utf-8")),  # a compressed file saved under .txt
        b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8,
    ],
)
def test_binary_is_undecodable(data):
    with pytest.raises(Undecodable):
        decode(data)


def test_binary_file_is_skipped_with_its_name_and_others_still_indexed(tmp_path):
    folder = tmp_path / "in"
    write(folder / "good.txt", PLAIN)
    (folder / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(3000))
    ix = SearchIndex(tmp_path / "ix")
    report = ix.add([folder])
    assert report.added == 1
    (problem,) = report.problems
    assert isinstance(problem, ReadProblem)
    assert problem.path.endswith("photo.txt") and "not text" in problem.message
    assert ix.get("good").title == HEADLINE
