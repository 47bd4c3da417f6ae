"""The posting sidecar (index.whoosh_ext.sidecar_*) must give exactly Whoosh's postings, or nothing.

A fixture index written by our writer in several commits (so some segments are
merged by Whoosh and have no sidecar, and some documents are deleted) is read term
by term through the sidecar and through Whoosh's own blocks. For fields with
positions, a sidecar that is absent, truncated, of another version, or that disagrees
with a term's TermInfo must leave every score unchanged (the scorer falls back on
Whoosh's postings); fields without positions have no other copy (index.whoosh_ext.codec), so
there the index must be refused with a rebuild message. That those fields read back
exactly what Whoosh's writer writes is tests/index/whoosh_ext/test_bulk.py's.
"""

from __future__ import annotations

import copy
import random
from array import array

import numpy as np
import pytest
from whoosh import query as q
from whoosh.writing import SegmentWriter

from whoosh.codec.whoosh3 import W3TermInfo

from index.errors import IndexUnreadable
from index.whoosh_ext import codec, postings, sidecar_format, sidecar_reader, sidecar_writer
from index.whoosh_ext.sidecar_reader import Sidecar
from search import SearchIndex
from search.rank import scorer as array_scorer
from search.query.build import plan
from search.query.parse import parse

WORDS = (
    "انسحاب القوات الأمريكية من العراق وزير الخارجية السعودي يلتقي نظيره الفرنسي في الرياض "
    "مباراة الهلال والنصر بطولة وبطولة الدوري أسعار النفط ترتفع بالأسواق العالمية داعش "
    "المدارس التعليم الطلاب الجامعة الاقتصاد الميزانية مجلس الوزراء الأمن الحدود الجنوبية"
).split()
QUERIES = ["انسحاب القوات", "والنصر", "أسعار النفط العالمية", "داعش", "الطلاب الجامعة", "بطولة الدوري"]


@pytest.fixture(scope="module")
def index(tmp_path_factory) -> SearchIndex:
    rng = random.Random(5)
    ix = SearchIndex(tmp_path_factory.mktemp("sidecar") / "index")
    records = [
        {"id": f"d{n}", "title": " ".join(rng.choices(WORDS, k=5)), "body": " ".join(rng.choices(WORDS, k=rng.randint(5, 400)))}
        for n in range(120)
    ]
    ix.add_records(records[:80])  # one segment of our writer, with a sidecar
    for start in range(80, 120, 10):
        ix.add_records(records[start : start + 10])
    ix.add_records([dict(r, body=r["body"] + " تحديث") for r in records[3:9]])  # deletions
    writer = SegmentWriter(ix.store.open_index())  # Whoosh's own writer: a segment without sidecar
    for n, record in enumerate(records[:10]):
        text = {"title": record["title"], "body": record["body"]}
        twins = {f"{name}_{kind}": value for name, value in text.items() for kind in ("exact", "root")}
        writer.add_document(id=f"w{n}", **text, **twins)
    writer.commit(merge=False)
    yield ix
    ix.close()


def _leaves(index: SearchIndex):
    with index._searcher() as searcher:
        scorer = array_scorer.for_searcher(searcher)
        yield from zip(scorer.leaves, scorer._sidecars)


def _whoosh_postings(leaf, fieldname: str, btext: bytes) -> tuple[np.ndarray, np.ndarray]:
    """Whoosh's postings of the term, deleted documents included (as the sidecar holds them)."""
    matcher = leaf._terms.matcher(fieldname, btext, leaf.schema[fieldname].format)
    return postings.read_blocks(matcher)


def test_sidecar_postings_equal_whoosh_postings(index):
    compared = 0
    for (leaf, _), side in _leaves(index):
        if side is None:
            continue
        for (fieldname, btext), info in leaf._terms.items():
            if type(info) is not W3TermInfo or info.is_inlined():  # covered fields: no blocks to compare with
                continue
            docs, weights = side.postings(info)
            expected_docs, expected_weights = _whoosh_postings(leaf, fieldname, btext)
            assert docs.tolist() == expected_docs.tolist(), (fieldname, btext)
            assert weights.tolist() == expected_weights.tolist(), (fieldname, btext)
            compared += 1
    assert compared > 300


def test_term_hashes_never_rule_out_a_term_of_the_segment(index):
    checked = 0
    for (leaf, _), side in _leaves(index):
        if side is None:
            continue
        for fieldname, btext in leaf._terms.terms():
            assert side.may_have(fieldname, btext), (fieldname, btext)
            checked += 1
        absent = [b"\xd9\x88" * n for n in range(20, 40)]  # long runs of one letter: in no text
        assert not any(side.may_have("body", btext) for btext in absent)
    assert checked > 1000


def test_fixture_has_segments_with_and_without_sidecar(index):
    kinds = {side is not None for _, side in _leaves(index)}
    assert kinds == {True, False}


def _scores_without_sidecars(index: SearchIndex, text: str) -> tuple[np.ndarray, np.ndarray]:
    parsed = parse(text, index.synonyms)
    built = plan(parsed, index.settings)
    with index._searcher() as searcher:
        with_sidecar = array_scorer.ArrayScorer(searcher)
        without = array_scorer.ArrayScorer(searcher)
        # Only the fields without positions, which have no other copy, from the sidecar.
        without._sidecars = [side and Sidecar(side.offsets[:0], side.starts[:0], side.codes[:0], side.data, side.terms)
                             for side in without._sidecars]
        tree = q.Or(built.words + built.fallbacks)
        return with_sidecar.evaluate(tree).scores, without.evaluate(tree).scores


@pytest.mark.parametrize("text", QUERIES)
def test_scores_do_not_depend_on_the_sidecar(index, text):
    found, expected = _scores_without_sidecars(index, text)
    assert expected.any()
    assert found.tolist() == expected.tolist()


def _one_sidecar(index: SearchIndex):
    for (leaf, _), side in _leaves(index):
        if side is not None:
            return leaf, side
    raise AssertionError("no segment with a sidecar")


def test_truncated_or_foreign_sidecar_is_refused(index):
    leaf, _ = _one_sidecar(index)
    buf = sidecar_reader.file_bytes(leaf._storage, leaf._segment.make_filename(sidecar_format.EXT))
    assert sidecar_reader.parse(buf) is not None
    raw = bytes(buf)
    assert sidecar_reader.parse(memoryview(raw[:-8])) is None  # truncated
    assert sidecar_reader.parse(memoryview(raw + b"\0" * 8)) is None  # longer than it says
    assert sidecar_reader.parse(memoryview(b"NOTAPX\0\1" + raw[8:])) is None  # not a sidecar
    newer = raw.replace(f'"version": {sidecar_format.VERSION}'.encode(), b'"version": 9', 1)
    assert newer != raw
    assert sidecar_reader.parse(memoryview(newer)) is None


def test_a_sidecar_of_version_4_is_still_read(index):
    """Version 5 only added a code version 4 never wrote (two-byte gaps), so an index
    written before keeps its sidecars; version 4's absolute uint16 is still decoded."""
    leaf, _ = _one_sidecar(index)
    raw = bytes(sidecar_reader.file_bytes(leaf._storage, leaf._segment.make_filename(sidecar_format.EXT)))
    older = raw.replace(f'"version": {sidecar_format.VERSION}'.encode(), b'"version": 4', 1)
    assert older != raw
    parsed = sidecar_reader.parse(memoryview(older))
    assert parsed is not None and parsed.codes.tolist() == sidecar_reader.parse(memoryview(raw)).codes.tolist()
    docs = [3, 900, 65535]
    data = np.frombuffer(np.array(docs, dtype="<u2").tobytes(), dtype=np.uint8)  # what version 4 wrote
    assert sidecar_format.encoded_size(1, 3) == len(data)
    assert sidecar_format.decode(data, 1, 3, docs[0])[0].tolist() == docs


def test_missing_sidecar_file_means_no_sidecar(index):
    leaf, _ = _one_sidecar(index)
    segment = copy.copy(leaf._segment)
    segment.segid = "nosuchsegment0"
    assert sidecar_reader.open_sidecar(leaf._storage, segment) is None


def test_term_that_disagrees_with_its_terminfo_is_read_from_whoosh(index):
    leaf, side = _one_sidecar(index)
    (fieldname, btext), info = next((k, v) for k, v in leaf._terms.items()
                                    if type(v) is W3TermInfo and not v.is_inlined() and v.doc_frequency() > 2)
    expected = _whoosh_postings(leaf, fieldname, btext)
    i = side._keys.tolist().index(info._offset)
    damaged = side.data.copy()
    damaged[int(side.starts[i])] ^= 1  # the first stored gap or document number, off by one
    shifted = Sidecar(side.offsets, side.starts, side.codes, damaged, side.terms)
    assert shifted.postings(info) is None
    docs, weights, _ = postings.leaf_postings(leaf, shifted, fieldname, btext)
    assert docs.tolist() == expected[0].tolist() and weights.tolist() == expected[1].tolist()
    fewer = copy.copy(info)
    fewer._df -= 1
    assert side.postings(fewer) is None


class _Sink:
    """A file that keeps what was written to it after close."""

    def __init__(self):
        self.data = b""

    def write(self, raw: bytes) -> None:
        self.data += raw

    def close(self) -> None:
        pass


@pytest.mark.parametrize("docs, weights, code", [
    ([7], [1.0], 0),  # one posting, weight 1: nothing stored but the code
    ([3, 4, 200, 455], [1, 1, 1, 1], 0),  # gaps under 256: one byte each, weights omitted
    ([1, 400], [1, 2], 3 | 1 << 2),  # a gap past 255: two-byte gaps; counts as uint8
    ([0, 300, 65835], [2, 3, 300], 3 | 2 << 2),  # gaps of 65,535 at most: two bytes; a count past 255
    ([70000, 70001, 135535], [1, 1, 1], 3),  # documents past uint16, gaps within it
    ([0, 300, 70000], [1, 1, 1], 2),  # a gap past uint16: absolute uint32
    ([70000, 2_000_000_000], [1, 1], 2),  # as far as a document number goes (int32)
    ([70000], [1.0], 0),  # one posting past uint16: still only the code
    ([1, 2, 3], [0.5, 1, 2], 0 | 3 << 2),  # a fractional weight: float32, as Whoosh keeps it
    ([5, 6], [70000, 1], 0 | 3 << 2),  # a count past uint16: float32
])
def test_each_term_gets_the_narrowest_exact_encoding(docs, weights, code):
    found, data = sidecar_format.encode(array("i", docs), weights)
    assert found == code and len(data) == sidecar_format.encoded_size(code, len(docs))
    ids, values = sidecar_format.decode(np.frombuffer(b"\xff" + data, dtype=np.uint8)[1:], code, len(docs), docs[0])  # unaligned
    assert ids.dtype == np.int64 and ids.tolist() == docs
    assert values.dtype == np.float64 and values.tolist() == np.asarray(weights, dtype=np.float32).tolist()
    moved = sidecar_format.encode(array("i", [d + 100_000 for d in docs]), weights)
    assert (moved == (code, data)) == ((code & 3) in sidecar_format.GAPS)  # what a merge copies as encoded


def test_arrays_survive_write_and_parse():
    assert sidecar_writer.narrow(np.array([1, 70000])).dtype == np.dtype("<u4")
    arrays = {
        "offsets": sidecar_writer.narrow(np.array([10, 300000])),
        "starts": sidecar_writer.narrow(np.array([0, 2])),
        "codes": np.array([0, 4], dtype=np.uint8),
        "data": np.array([1, 9, 2, 3, 4], dtype=np.uint8),
        "terms": np.array([3, 99], dtype="<u4"),
    }
    sink = _Sink()
    sidecar_writer.write(sink, {name: sidecar_writer.Column.of(values) for name, values in arrays.items()})
    parsed = sidecar_reader.parse(memoryview(sink.data))
    for name, values in arrays.items():
        assert getattr(parsed, name).tolist() == values.tolist()


def _whoosh_positions(reader, terms: list[str], docnums: list[int]) -> dict[int, list[int]]:
    """What the rerank read before search.rank.positions: every form through the multi-segment reader."""
    found: dict[int, list[int]] = {}
    for term in terms:
        if ("body", term) not in reader:
            continue
        matcher = reader.postings("body", term)
        for docnum in docnums:
            if matcher.is_active() and matcher.id() < docnum:
                matcher.skip_to(docnum)
            if matcher.is_active() and matcher.id() == docnum:
                found.setdefault(docnum, []).extend(matcher.value_as("positions"))
    return {d: sorted(p) for d, p in found.items()}


@pytest.mark.parametrize("text", QUERIES)
def test_rerank_positions_and_idf_equal_whoosh(index, text):
    from search.rank import proximity
    from search.rank.positions import max_idf, positions

    parsed = parse(text, index.synonyms)
    with index._searcher() as searcher:
        reader = searcher.reader()
        live = [d for d in range(searcher.doc_count_all()) if not reader.is_deleted(d)]
        docnums = random.Random(text).sample(live, 40)
        for terms in proximity._groups(parsed, index.settings.words):
            assert positions(searcher, "body", terms, docnums) == _whoosh_positions(reader, terms, sorted(docnums))
            expected = max((searcher.idf("body", t) for t in terms if ("body", t) in reader), default=0.0)
            assert max_idf(searcher, "body", terms) == expected


def test_a_covered_term_that_disagrees_with_its_terminfo_is_refused(index):
    leaf, side = _one_sidecar(index)
    (fieldname, btext), info = next((k, v) for k, v in leaf._terms.items()
                                    if isinstance(v, codec.SideTermInfo) and v.doc_frequency() > 2)
    docs, _ = codec.postings(side, info)
    assert docs[0] == info.min_id() and docs[-1] == info.max_id()
    damaged = side.data.copy()
    damaged[info._start] ^= 1  # the first stored gap or document number, off by one
    shifted = Sidecar(side.offsets, side.starts, side.codes, damaged, side.terms)
    with pytest.raises(IndexUnreadable, match="rebuild"):
        postings.leaf_postings(leaf, shifted, fieldname, btext)


def test_a_segment_that_lost_its_sidecar_is_refused_with_a_rebuild_message(tmp_path, monkeypatch):
    with SearchIndex(tmp_path / "index") as ix:
        ix.add_records([{"id": f"d{n}", "title": "انسحاب القوات", "body": " ".join(WORDS[n:n + 30])} for n in range(20)])
    monkeypatch.setattr(codec, "open_sidecar", lambda storage, segment: None)
    with SearchIndex(tmp_path / "index") as ix, pytest.raises(IndexUnreadable, match="search index rebuild"):
        ix.query("انسحاب")


def test_rebuild_of_an_index_that_lost_its_sidecar_rereads_files_and_reports_records(tmp_path, monkeypatch):
    """The rebuild the error asks for works: files are read again; documents added from
    code, which only the damaged index held, are reported instead of failing it."""
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a1.txt").write_text("انسحاب القوات من المدينة " * 5, encoding="utf-8")
    with SearchIndex(tmp_path / "index") as ix:
        ix.add([folder])
        ix.add_records([{"id": "r1", "title": "داعش", "body": " ".join(WORDS[:30])}])
    monkeypatch.setattr(codec, "open_sidecar", lambda storage, segment: None)
    with SearchIndex(tmp_path / "index") as ix:
        report = ix.rebuild()
    assert [p.path for p in report.problems] == ["records:records"] and report.added == 1
    monkeypatch.undo()
    with SearchIndex(tmp_path / "index") as ix:
        assert [hit.id for hit in ix.query("انسحاب").hits] == ["a1"]


class _FullDisk:
    """A temporary file on a full disk."""

    def write(self, raw) -> int:
        raise OSError(28, "No space left on device")

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass


def _failing_write(dbfile, columns) -> None:
    dbfile.write(b"half a sidecar")
    dbfile.close()
    raise OSError(28, "No space left on device")


@pytest.mark.parametrize("where", ["recording", "saving"])
def test_a_sidecar_that_cannot_be_written_fails_the_add_and_changes_nothing(tmp_path, monkeypatch, where):
    """The sidecar is the only copy of most postings: failing to write it is failing to
    write the segment, and the index keeps what it had."""
    records = [{"id": f"d{n}", "title": "انسحاب القوات", "body": " ".join(WORDS[n:n + 30])} for n in range(20)]
    with SearchIndex(tmp_path / "index") as ix:
        ix.add_records(records[:10])
    if where == "recording":
        monkeypatch.setattr(sidecar_writer.tempfile, "TemporaryFile", _FullDisk)
    else:
        monkeypatch.setattr(sidecar_writer, "write", _failing_write)
    with SearchIndex(tmp_path / "index") as ix:
        with pytest.raises(OSError):
            ix.add_records(records[10:])
    assert not list((tmp_path / "index").rglob("*" + sidecar_format.EXT))  # no half-written sidecar left
    monkeypatch.undo()
    with SearchIndex(tmp_path / "index") as ix:
        assert ix.query("انسحاب", collapse=False).total == 10  # its records overlap: copies of each other
