"""A build on the cluster is the local sharded build of the same files: the same
documents in the same shards, the same duplicates dropped, the same stories grouping
copies across shards, the same manifest; and a rebuild on the cluster re-reads the
files as a local one does. The corpus (tests/shard_support.py) holds syndicated copies
whose ids fall in different shards; a second file repeats one of its articles under
another id (an exact duplicate, dropped)."""

from __future__ import annotations

import json

import pytest

from index.build.shards import ShardMap, shard_of
from index.build.store import Store
from search import SearchIndex
from shard_support import QUERIES, shard_records

SHARDS = 3


def _write(folder, records: list[dict]) -> None:
    folder.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")


@pytest.fixture(scope="module")
def news(tmp_path_factory):
    folder = tmp_path_factory.mktemp("news")
    records = shard_records()
    _write(folder / "wire.jsonl", records)
    (folder / "late").mkdir()
    _write(folder / "late" / "reprint.jsonl", [{**records[3], "id": "reprint-of-3"}])
    return folder


@pytest.fixture(scope="module")
def pair(cluster, news, tmp_path_factory):
    """(here: built by this process, there: built on the cluster), with their add reports."""
    base = tmp_path_factory.mktemp("pair")
    here = SearchIndex(base / "here", shards=SHARDS)
    there = SearchIndex(base / "there", shards=SHARDS, cluster=cluster.scheduler_address)
    reports = here.add([news]), there.add([news])
    yield here, there, reports
    here.close()
    there.close()


def _counts(report) -> tuple:
    return (report.added, report.updated, report.unchanged, report.removed, report.duplicates, report.files,
            [str(p) for p in report.problems])


def _shards(index: SearchIndex) -> list[tuple[list[str], dict]]:
    """Each shard's document ids and its manifest (its part of the index-wide one)."""
    parts = []
    for folder in ShardMap(index.location).folders():
        store = Store(folder)
        with store.searcher() as searcher:
            ids = sorted(fields["id"] for fields in searcher.all_stored_fields())
        parts.append((ids, store.read_manifest()))
    return parts


def _answers(index: SearchIndex) -> list:
    """Every query's hits (searched here, so only the builds differ), with their copies."""
    found = []
    for text, options in QUERIES:
        options = {k: v for k, v in options.items() if k not in ("since", "until")}
        results = index.query(text, **options)
        found.append((results.total, sorted((h.id, round(h.score, 6), h.snippet, tuple(sorted(c.id for c in h.copies)))
                                            for h in results.hits)))
    return found


def test_the_cluster_builds_the_local_index(pair):
    here, there, (local, clustered) = pair
    assert _counts(local) == _counts(clustered)
    assert local.duplicates >= 1 and not local.problems
    assert _shards(here) == _shards(there)
    a, b = here.stats(), there.stats()
    assert (a.documents, a.sources, a.first_date, a.last_date, a.shards) == (
        b.documents, b.sources, b.first_date, b.last_date, b.shards)


def test_copies_in_other_shards_are_one_story_on_the_cluster(pair):
    here, there, _ = pair
    local = SearchIndex(there.location)  # the cluster's build, searched here
    grouped = local.query("الميناء الجديد", limit=20).hits[0]
    story = {grouped.id, *(c.id for c in grouped.copies)}
    assert len({shard_of(doc_id, SHARDS) for doc_id in story}) > 1
    assert _answers(here) == _answers(local)
    same = here.query("الميناء الجديد", limit=20).hits[0]
    assert (same.id, sorted(c.id for c in same.copies)) == (grouped.id, sorted(c.id for c in grouped.copies))
    asked = there.query("الميناء الجديد", limit=20).hits[0]  # through the cluster's actors
    assert (asked.id, sorted(c.id for c in asked.copies)) == (grouped.id, sorted(c.id for c in grouped.copies))


def test_adding_again_reads_nothing_on_the_cluster(pair, news):
    here, there, _ = pair
    assert _counts(here.add([news])) == _counts(there.add([news]))
    assert there.add([news]).files == 0


def test_a_rebuild_on_the_cluster_is_the_local_rebuild(pair, news):
    here, there, _ = pair
    for index in (here, there):  # added from code: a rebuild carries them over from the old shards
        index.add_records([{"id": f"memo-{n}", "title": "مذكرة", "body": f"مذكرة داخلية رقم {n} عن الميناء الجديد"}
                           for n in range(6)])
    (news / "late" / "reprint.jsonl").unlink()  # a rebuild reads the files as they now are
    try:
        local, clustered = here.rebuild(), there.rebuild()
    finally:
        _write(news / "late" / "reprint.jsonl", [{**shard_records()[3], "id": "reprint-of-3"}])
    assert _counts(local) == _counts(clustered)
    assert local.removed == 0 and local.added == here.stats().documents
    assert _shards(here) == _shards(there)
    assert "memo-0" in {doc_id for ids, _ in _shards(there) for doc_id in ids}
    assert _answers(here) == _answers(SearchIndex(there.location))
