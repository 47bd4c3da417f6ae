"""Sharded indexes (index/build/shards/): the layout, routing by id, later adds, replaced
and removed documents, duplicates and copies across shards, rebuild, and sessions
stopped between two shards."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path

import pytest

from index.build import writer_choice
from index.build.shards import SHARDS_FILE, Shards, shard_folder, shard_of
from index.build.shards.state import merge_manifests, split_manifest
from index.build.store import Store
from index.errors import InvalidOption
from search import SearchIndex
from shard_support import shard_records
from story_support import STORY

SHARDS = 3


def _ids_by_shard(root: Path, shards: int = SHARDS) -> list[set[str]]:
    found = []
    for k in range(shards):
        with Store(shard_folder(root, k)).searcher() as searcher:
            found.append({fields["id"] for fields in searcher.all_stored_fields()})
    return found


def _all_ids(ix: SearchIndex) -> Counter:
    with ix.shards.searcher() as searcher:
        return Counter(fields["id"] for fields in searcher.all_stored_fields())


def _write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture
def folder(tmp_path) -> Path:
    """The sharding collection as three JSONL files and two .txt copies of one article."""
    folder = tmp_path / "in"
    folder.mkdir()
    records = shard_records()
    for n in range(3):
        _write_jsonl(folder / f"part-{n}.jsonl", records[n::3])
    for name in ("harbour-copy-1", "harbour-copy-2"):
        (folder / f"{name}.txt").write_text("افتتاح الميناء\n\n" + STORY + " نسخة محفوظة", encoding="utf-8")
    return folder


# -- routing ----------------------------------------------------------------------


def test_routing_is_the_contract_hash_and_spreads_documents():
    for doc_id in ("a", "doc-1", "مقال", "port-c"):
        digest = hashlib.blake2b(doc_id.encode("utf-8"), digest_size=8).digest()
        assert shard_of(doc_id, 7) == int.from_bytes(digest, "big") % 7
    assert [shard_of(x, 3) for x in ("a", "b", "c", "doc-1", "مقال")] == [2, 2, 0, 1, 1]  # stable across versions
    spread = Counter(shard_of(f"article-{n}", 3) for n in range(3000))
    assert set(spread) == {0, 1, 2} and all(900 < count < 1100 for count in spread.values())


# -- layout -----------------------------------------------------------------------


def test_a_sharded_index_is_shards_json_and_complete_shard_folders(tmp_path):
    root = tmp_path / "ix"
    SearchIndex(root, shards=SHARDS).add_records(shard_records())
    assert json.loads((root / SHARDS_FILE).read_text()) == {"format": 1, "shards": 3, "hash": "blake2b-64"}
    assert not (root / "CURRENT").exists()
    for k, ids in enumerate(_ids_by_shard(root)):
        assert ids and all(shard_of(i, SHARDS) == k for i in ids)
        gen = Store(shard_folder(root, k)).live_generation()
        assert {"manifest.json", "copies.npz"} <= {p.name for p in gen.iterdir()}


@pytest.mark.parametrize("shards", [None, 1])
def test_one_shard_is_the_layout_of_before(tmp_path, shards):
    root = tmp_path / "ix"
    SearchIndex(root, shards=shards).add_records(shard_records(20))
    assert (root / "CURRENT").exists() and not (root / SHARDS_FILE).exists()
    assert SearchIndex(root).stats().shards == 1


def test_later_adds_keep_the_number_and_another_number_is_refused(tmp_path):
    root = tmp_path / "ix"
    records = shard_records()
    SearchIndex(root, shards=SHARDS).add_records(records[:100], origin="first")
    later = SearchIndex(root)
    later.add_records(records[100:], origin="second")
    assert later.stats().shards == SHARDS and later.stats().documents == len(records)
    assert sum(map(len, _ids_by_shard(root))) == len(records)
    SearchIndex(root, shards=SHARDS)  # the same number is fine
    with pytest.raises(InvalidOption, match="has 3 shards, not 2") as refused:
        SearchIndex(root, shards=2)
    assert "\n" not in str(refused.value)
    one = tmp_path / "one"
    SearchIndex(one).add_records(records[:5])
    with pytest.raises(InvalidOption, match="has 1 shard, not 3"):
        SearchIndex(one, shards=SHARDS)
    with pytest.raises(InvalidOption, match="from 1 to 256"):
        SearchIndex(tmp_path / "new", shards=0)


def test_a_replaced_document_keeps_its_shard_and_is_not_doubled(tmp_path):
    root = tmp_path / "ix"
    ix = SearchIndex(root, shards=SHARDS)
    records = shard_records()
    ix.add_records(records)
    changed = dict(records[7], body="نص جديد كليا عن البحيرات المالحة والطيور المهاجرة")
    report = ix.add_records([changed])
    assert report.updated == 1 and report.added == 0
    assert _all_ids(ix)[changed["id"]] == 1 and sum(_all_ids(ix).values()) == len(records)
    home = shard_of(changed["id"], SHARDS)
    assert [changed["id"] in ids for ids in _ids_by_shard(root)] == [k == home for k in range(SHARDS)]
    assert ix.query("البحيرات المالحة").hits[0].id == changed["id"]


# -- files: unchanged, changed, removed, duplicates --------------------------------


def test_files_are_tracked_index_wide(tmp_path, folder):
    one, three = SearchIndex(tmp_path / "one"), SearchIndex(tmp_path / "three", shards=SHARDS)
    first = [ix.add([folder]) for ix in (one, three)]
    assert first[0] == first[1] and first[1].duplicates == 2  # a .txt copy, and port-d (port-a's body)
    assert _all_ids(three) == _all_ids(one)
    files = three.shards.read_manifest()["files"]
    assert {k: sorted(e["ids"]) for k, e in files.items()} == {
        k: sorted(e["ids"]) for k, e in one.shards.read_manifest()["files"].items()
    }
    assert three.get("harbour-copy-2.txt") == one.get("harbour-copy-2.txt")  # the duplicate's name finds the article
    again = [ix.add([folder]) for ix in (one, three)]
    assert again[0] == again[1] and again[1].unchanged >= first[1].added and again[1].added == again[1].updated == 0
    (folder / "part-1.jsonl").unlink()
    _write_jsonl(folder / "part-0.jsonl", shard_records()[0::3][:-4])
    reports = [ix.add([folder]) for ix in (one, three)]
    assert reports[0] == reports[1] and reports[1].removed > 40
    assert _all_ids(three) == _all_ids(one) and max(_all_ids(three).values()) == 1


def test_a_parallel_first_build_and_a_rebuild_give_the_same_index(tmp_path, folder, monkeypatch):
    """A first build large enough for forked writers shares them out among the shards;
    a rebuild re-reads every file and carries over records added from code."""
    one, three = SearchIndex(tmp_path / "one"), SearchIndex(tmp_path / "three", shards=SHARDS)
    one.add([folder])
    monkeypatch.setattr(writer_choice, "WRITER_PROCS", 2)
    monkeypatch.setattr(writer_choice, "PARALLEL_MIN_BYTES", 0)
    three.add([folder])
    extra = [{"id": "extra-1", "title": "خبر من الشيفرة", "body": "خبر أضيف من الشيفرة عن المكتبات العامة"}]
    for ix in (one, three):
        ix.add_records(extra)
    stories = {h.id: sorted(c.id for c in h.copies) for h in one.query("الميناء الجديد", limit=50).hits}
    assert {h.id: sorted(c.id for c in h.copies) for h in three.query("الميناء الجديد", limit=50).hits} == stories
    report = three.rebuild()
    assert report.added == sum(_all_ids(one).values())
    assert _all_ids(three) == _all_ids(one) and "extra-1" in _all_ids(three)
    assert {h.id: sorted(c.id for c in h.copies) for h in three.query("الميناء الجديد", limit=50).hits} == stories


# -- sessions stopped between two shards -------------------------------------------


def test_a_session_stopped_between_two_shard_commits_is_finished_by_the_next(tmp_path, folder, monkeypatch):
    """The first shard committed, the others not: the next add reads the files again,
    and every document is there once."""
    from index.whoosh_ext.segment import BulkSegmentWriter

    ix = SearchIndex(tmp_path / "three", shards=SHARDS)
    ix.add([folder])
    before = _all_ids(ix)
    for n in range(3):
        _write_jsonl(folder / f"part-{n}.jsonl", [dict(r, body=r["body"] + " تحديث") for r in shard_records()[n::3]])
    commits = []
    real_commit = BulkSegmentWriter.commit

    def commit_then_die(self, *args, **kwargs):
        if commits:
            raise KeyboardInterrupt
        commits.append(self)
        return real_commit(self, *args, **kwargs)

    monkeypatch.setattr(BulkSegmentWriter, "commit", commit_then_die)
    with pytest.raises(KeyboardInterrupt):
        SearchIndex(tmp_path / "three").add([folder])
    monkeypatch.setattr(BulkSegmentWriter, "commit", real_commit)
    report = SearchIndex(tmp_path / "three").add([folder])
    assert report.failed == 0 and report.updated > 0
    assert _all_ids(ix) == before
    assert ix.query("تحديث", limit=500, collapse=False).documents == sum(before.values()) - 1  # all but the .txt


def test_a_file_whose_entry_a_shard_lacks_is_read_again():
    """Split and joined again, the manifest is the index-wide one; when a shard that
    should hold part of a file's entry lacks it, or holds another fingerprint, the file
    counts as changed."""
    manifest = {
        "roots": [{"path": "/in", "source": None, "fields": None}],
        "files": {
            "/in/a.jsonl": {"size": 1, "mtime_ns": 2, "sha1": "x", "ids": [f"d{n}" for n in range(30)], "source": None},
            "/in/empty.txt": {"size": 0, "mtime_ns": 2, "sha1": "y", "ids": [], "source": None},
        },
        "bodies": {f"k{n}": f"d{n}" for n in range(30)},
    }
    parts = split_manifest(manifest, SHARDS)
    assert all(part["files"]["/in/a.jsonl"]["shards"] == [0, 1, 2] for part in parts)
    joined = merge_manifests(parts)
    assert joined["bodies"] == manifest["bodies"] and joined["roots"] == manifest["roots"]
    assert sorted(joined["files"]["/in/a.jsonl"]["ids"]) == sorted(manifest["files"]["/in/a.jsonl"]["ids"])
    assert joined["files"]["/in/a.jsonl"]["sha1"] == "x" and joined["files"]["/in/empty.txt"]["sha1"] == "y"
    lacking = [parts[0], {**parts[1], "files": {}}, parts[2]]
    assert merge_manifests(lacking)["files"]["/in/a.jsonl"]["sha1"] is None
    parts[2]["files"]["/in/a.jsonl"]["sha1"] = "z"
    assert merge_manifests(parts)["files"]["/in/a.jsonl"]["sha1"] is None


def test_shards_of_a_folder_without_index(tmp_path):
    assert not Shards(tmp_path / "none").exists()
    assert Shards(tmp_path / "none").count() == 1


def test_the_writers_of_more_shards_hold_fewer_postings():
    """Each shard beyond the first costs a first build its own writer: the workers'
    segments shrink so that the whole build keeps to its memory."""
    from index.build.limits import BuildSettings

    settings = BuildSettings.parse("2GB")
    assert settings.flush_postings(3, shards=3) < settings.flush_postings(3) == settings.flush_postings(3, shards=1)


@pytest.mark.parametrize("text", ["[3]", '{"format": 2, "shards": 3, "hash": "blake2b-64"}',
                                  '{"format": 1, "shards": 0, "hash": "blake2b-64"}', "{"])
def test_a_shard_map_this_version_cannot_read_is_one_line(tmp_path, text):
    from index.errors import IndexUnreadable

    root = tmp_path / "ix"
    root.mkdir()
    (root / SHARDS_FILE).write_text(text)
    with pytest.raises(IndexUnreadable) as refused:
        SearchIndex(root).stats()
    assert "\n" not in str(refused.value) and SHARDS_FILE in str(refused.value)
