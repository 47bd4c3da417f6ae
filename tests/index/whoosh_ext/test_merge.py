"""index.whoosh_ext.merge: segments merged a whole posting list at a time hold exactly
what one writer writes for the same documents, and a merge that fails changes nothing."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from whoosh import index as whoosh_index
from whoosh.filedb.compound import CompoundStorage

from index.schema import build_schema
from index.whoosh_ext import blocks, codec, merge
from index.whoosh_ext.parallel import ParallelWriter
from index.whoosh_ext.segment import BulkSegmentWriter
from tests.index.whoosh_ext.test_bulk import ARTICLES, contents, fields_of, results

WORDS = "الكتاب الرياض الحكومة تعلن ميزانية الهلال النصر الوزراء المعرض الأمير كتب مكتوب جديدة السعودي".split()


def _articles() -> list[tuple]:
    """The bulk writer's fixture, then enough documents that common terms span several
    blocks (more than 128 postings) and the segments' boundaries fall inside blocks, and
    rare words whose gaps take two bytes: one within the last segment (copied as
    encoded), one across segments (decoded and encoded again)."""
    rng = random.Random(7)
    generated = []
    rare = {300: "نادرة", 650: "نادرة", 10: "فريدة", 500: "فريدة"}
    for n in range(700):
        body = " ".join([rng.choice(WORDS) for _ in range(rng.randint(0, 30))] + [rare.get(n, "")])
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 4)))
        source = rng.choice(["spa", "okaz", None])
        date = dt.datetime(2015, 1, 1) + dt.timedelta(days=rng.randint(0, 400)) if n % 5 else None
        generated.append((f"g{n}", title, body, source, date))
    return list(ARTICLES) + generated


#: Where the documents are cut into segments (uneven: blocks straddle the cuts).
CUTS = (0, 5, 150, 247, 290)


def _build(folder, cuts=CUTS):
    """Our writer's index of the fixture, one segment per cut (one: all in one)."""
    folder.mkdir()
    ix = whoosh_index.create_in(str(folder), build_schema())
    articles = _articles()
    for start, end in zip(cuts, (*cuts[1:], len(articles))):
        writer = BulkSegmentWriter(ix)
        for article in articles[start:end]:
            writer.add_document(**fields_of(*article))
        writer.commit(merge=False)
    return whoosh_index.open_dir(str(folder))


def _files(ix) -> dict[str, bytes]:
    """Every file of a one-segment index (postings, terms, sidecar, the stored fields'
    and the other columns), by its name after the segment's."""
    (segment,) = ix._segments()
    storage = CompoundStorage(ix.storage.open_file(segment.make_filename(".seg")), use_mmap=False)
    prefix = len(segment.make_filename(""))
    return {name[prefix:]: storage.open_file(name).read() for name in storage.list()}


def test_merged_segments_equal_one_writers_segment(tmp_path):
    single = _build(tmp_path / "single", cuts=(0,))
    several = _build(tmp_path / "several")
    assert len(several._segments()) == len(CUTS)
    before = results(several)
    phases = []
    merge.merge_index(several, phases.append)
    merged = whoosh_index.open_dir(str(tmp_path / "several"))
    assert len(merged._segments()) == 1 and phases
    expected, got = contents(single), contents(merged)
    assert max(len(p) for p in expected["postings"].values()) > 2 * 128  # several blocks a term
    for part in expected:
        assert got[part] == expected[part], part
    # Terms (their TermInfos), blocks, sidecar arrays, stored fields and columns: byte for byte one writer's.
    files = _files(merged)
    assert {".trm", ".pst", ".apx", "._stored.col", "._body_len.col"} <= set(files) and files == _files(single)
    assert results(merged) == results(single) == before
    assert all(results(merged))
    with merged.reader() as reader:
        codes = {info._code & 3 for _, info in reader._terms.items() if isinstance(info, codec.SideTermInfo)}
    assert {0, 3} <= codes  # one- and two-byte gaps (sidecar_format.GAPS)


def test_merging_in_rounds_gives_the_same_segment_and_leaves_no_intermediate_files(tmp_path):
    single = _build(tmp_path / "single", cuts=(0,))
    several = _build(tmp_path / "several")
    merge.merge_index(several, fan_in=2)  # 5 segments: 3, then 2, then 1
    merged = whoosh_index.open_dir(str(tmp_path / "several"))
    assert _files(merged) == _files(single)
    assert contents(merged) == contents(single)
    assert [name for name in merged.storage.list() if name.endswith(".seg")] == [merged._segments()[0].make_filename(".seg")]


def test_a_segment_without_a_field_merges_with_those_that_have_it(tmp_path):
    """A segment whose documents have no title has no title terms, covered or not: it
    merges as the others do (it was refused as written by another codec)."""
    untitled = next(n for n, (_, title, *_) in enumerate(_articles()) if n > 5 and not title.strip())
    single = _build(tmp_path / "single", cuts=(0,))
    several = _build(tmp_path / "several", cuts=(0, untitled, untitled + 1))
    with several.reader() as reader:
        names = [set(leaf.indexed_field_names()) for leaf, _ in reader.leaf_readers()]
    assert "title_exact" in names[0] - names[1]
    merge.merge_index(several)
    merged = whoosh_index.open_dir(str(tmp_path / "several"))
    assert len(merged._segments()) == 1
    assert contents(merged) == contents(single) and results(merged) == results(single)


@pytest.mark.parametrize(("fan_in", "groups"), [(3, [3, 3]), (2, [2, 2, 2, 2]), (5, [5])])
def test_rounds_merge_only_down_to_the_fan_in(tmp_path, monkeypatch, fan_in, groups):
    """5 segments at a fan-in of 3: the first 3 become one, then 3 are left (not 3 + 2, then 2)."""
    single = _build(tmp_path / "single", cuts=(0,))
    several = _build(tmp_path / "several")
    sizes, real = [], merge.merge_segments

    def counted(storage, schema, indexname, segments, progress=None):
        sizes.append(len(segments))
        return real(storage, schema, indexname, segments, progress)

    monkeypatch.setattr(merge, "merge_segments", counted)
    merge.merge_index(several, fan_in=fan_in)
    assert sizes == groups
    assert _files(whoosh_index.open_dir(str(tmp_path / "several"))) == _files(single)


def test_a_merge_that_fails_leaves_the_index_as_it_was(tmp_path, monkeypatch):
    several = _build(tmp_path / "several")
    expected, found = contents(several), results(several)
    segments = sorted(s.segment_id() for s in several._segments())
    files = set(several.storage.list())
    written = []

    def fails(*args):
        written.append(args[1])
        if len(written) > 40:
            raise OSError("disk full")
        return real(*args)

    real = blocks.write_term
    monkeypatch.setattr(blocks, "write_term", fails)
    with pytest.raises(OSError, match="disk full"):
        merge.merge_index(several, fan_in=2)  # fails in one of its rounds
    again = whoosh_index.open_dir(str(tmp_path / "several"))
    assert sorted(s.segment_id() for s in again._segments()) == segments
    assert contents(again) == expected and results(again) == found
    assert not {name for name in set(again.storage.list()) - files if name.endswith(".seg")}


def test_segments_with_deletions_are_not_merged(tmp_path):
    several = _build(tmp_path / "several")
    with several.writer() as writer:
        writer.delete_by_term("id", "g3")
    several = whoosh_index.open_dir(str(tmp_path / "several"))
    expected = contents(several)
    with pytest.raises(merge.NotMergeable):
        merge.merge_index(several)
    assert contents(whoosh_index.open_dir(str(tmp_path / "several"))) == expected


def test_a_parallel_build_with_many_segments_ends_with_one(tmp_path):
    """The parallel writer merges once it wrote more than ``merge_above`` segments; its
    answers (documents and scores) are those of the same build left unmerged."""
    answers = []
    for merge_above in (None, 2):
        folder = tmp_path / f"parallel-{merge_above}"
        folder.mkdir()
        ix = whoosh_index.create_in(str(folder), build_schema())
        writer = ParallelWriter(ix, 2, limit=300, merge_above=merge_above)
        for article in _articles():
            writer.add_document(**fields_of(*article))
        writer.commit()
        ix = whoosh_index.open_dir(str(folder))
        assert (len(ix._segments()) == 1) == (merge_above is not None)
        with ix.reader() as reader:
            assert reader.doc_count() == len(_articles())
        answers.append([sorted(found) for found in results(ix)])
    assert answers[0] == answers[1] and all(answers[0])
