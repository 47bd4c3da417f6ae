"""Sharded indexes on a real Dask cluster (conftest.py: two worker processes over TCP
on 127.0.0.1). A 3-shard index is built on it and must answer every query exactly as
a 1-shard index of the same documents; a worker killed with SIGKILL costs an answer
nothing; a shard no worker can open is named in one line, or left out with
--allow-partial."""

from __future__ import annotations

import json
import os
import signal
import threading
import time

import pytest

from cli_support import run_main
from cluster_support import DOCUMENTS, QUERIES, same, same_ranking, write_corpus
from index.build.shards import ShardMap, shard_of
from search import SearchIndex
from search.cluster import build as cluster_build

distributed = pytest.importorskip("distributed", reason="the cluster extra (distributed) is not installed")


@pytest.fixture(scope="module")
def indexes(cluster, tmp_path_factory):
    """(one: a 1-shard index built here, three: a 3-shard index built on the cluster)."""
    folder = tmp_path_factory.mktemp("cluster")
    corpus = write_corpus(folder)
    one = SearchIndex(folder / "one")
    one.add([corpus])
    three = SearchIndex(folder / "three", shards=3, cluster=cluster.scheduler_address)
    report = three.add([corpus])
    assert report.added == DOCUMENTS and not report.problems
    yield one, three, corpus
    three.close()


def test_every_document_lives_in_its_shard(indexes):
    _, three, _ = indexes
    folders = ShardMap(three.location).folders()
    assert [f.name for f in folders] == ["shard-00", "shard-01", "shard-02"]
    seen = 0
    for k, folder in enumerate(folders):
        with SearchIndex(folder).store.searcher() as searcher:
            ids = [fields["id"] for fields in searcher.all_stored_fields()]
        assert ids and all(shard_of(i, 3) == k for i in ids)
        seen += len(ids)
    assert seen == DOCUMENTS


@pytest.mark.parametrize("options", [{}, {"collapse": False}, {"sort": "date"}, {"facets": True, "limit": 5, "offset": 3}])
def test_the_cluster_ranks_as_one_index(indexes, options):
    one, three, _ = indexes
    for text in QUERIES:
        a, b = one.query(text, **options), three.query(text, **options)
        same(a, b, paged="offset" in options)
        assert a.facets == b.facets
        assert not b.missing_shards


def test_the_cluster_answers_as_the_same_folder_searched_here(indexes):
    """The same shards read by one local searcher over all their segments
    (index.build.shards): the same documents in the same order, copies grouped alike."""
    _, three, _ = indexes
    local = SearchIndex(three.location)
    for text in QUERIES:
        for options in ({}, {"sort": "date"}, {"facets": True, "offset": 2}):
            a, b = local.query(text, **options), three.query(text, **options)
            assert [(h.id, h.copies) for h in a.hits] == [(h.id, h.copies) for h in b.hits]
            assert [h.score for h in a.hits] == pytest.approx([h.score for h in b.hits], abs=1e-6)
            assert (a.total, a.documents, a.facets, a.suggestions) == (b.total, b.documents, b.facets, b.suggestions)


def test_an_evaluation_ranking_is_one_index(indexes):
    one, three, _ = indexes
    for text in QUERIES:
        (total_a, ranked_a), (total_b, ranked_b) = one.ranked(text, limit=100), three.ranked(text, limit=100)
        assert total_a == total_b
        same_ranking(ranked_a, ranked_b)


def _live_documents(three) -> list[str]:
    ids = []
    for folder in ShardMap(three.location).folders():
        with SearchIndex(folder).store.searcher() as searcher:
            ids += [fields["id"] for fields in searcher.all_stored_fields()]
    return ids


def test_adding_the_same_files_again_changes_nothing(indexes):
    one, three, corpus = indexes
    assert three.add([corpus]).unchanged == DOCUMENTS
    same(one.query(QUERIES[0], limit=20), three.query(QUERIES[0], limit=20))


def test_a_killed_worker_costs_no_answer(indexes, cluster):
    one, three, _ = indexes
    three.query(QUERIES[0])
    client = three.cluster.client
    holders = {key: list(where) for key, where in client.who_has().items() if str(key).startswith("shard-")}
    victim = holders[sorted(holders)[0]][0]
    os.kill(client.run(os.getpid)[victim], signal.SIGKILL)
    # The shards it held are reopened on the other worker, or the query fails in one line.
    for text in QUERIES[:4]:
        same(one.query(text), three.query(text))
    client.wait_for_workers(2, timeout=60)  # the nanny starts a new worker
    for text in QUERIES:
        same(one.query(text), three.query(text))


def test_a_worker_killed_during_a_build_loses_and_doubles_nothing(indexes, cluster, tmp_path):
    """Chunks of 4 documents: thirty tasks, one worker killed once the first is
    committed (a second table of contents in a shard's generation). Dask runs its tasks
    again on the other worker (or the new one the nanny starts); every document is there once."""
    _, three, corpus = indexes
    client, root = three.cluster.client, tmp_path / "killed"
    done: dict = {}
    build = threading.Thread(target=lambda: done.update(report=cluster_build.add(client, root, [corpus], shards=3,
                                                                                   chunk=4)))
    build.start()
    deadline = time.monotonic() + 60
    while not list(root.glob("shard-*/gen-*/_MAIN_[1-9]*.toc")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert build.is_alive()  # killed while the build runs
    victim = sorted(client.scheduler_info()["workers"])[0]
    os.kill(client.run(os.getpid)[victim], signal.SIGKILL)
    build.join(120)
    assert not done["report"].problems
    ids = _live_documents(SearchIndex(root))
    assert len(ids) == len(set(ids)) == DOCUMENTS
    client.wait_for_workers(2, timeout=60)


def test_a_lost_shard_is_named_in_one_line_or_left_out(indexes, cluster, monkeypatch, capsys):
    one, three, _ = indexes
    current = ShardMap(three.location).folders()[2] / "CURRENT"
    live = current.read_text(encoding="utf-8")
    current.write_text("gen-999999\n", encoding="utf-8")  # a shard no worker can open
    try:
        args = ("query", QUERIES[1], "--index", str(three.location), "--cluster", cluster.scheduler_address, "--json")
        code, out, err = run_main(monkeypatch, capsys, *args)
        assert code == 1 and not out, err
        assert len(err.strip().splitlines()) == 1 and "shard 2" in err and "--allow-partial" in err
        code, out, err = run_main(monkeypatch, capsys, *args, "--allow-partial", "--limit", "50", "--no-collapse")
        assert code == 0, err
        answer = json.loads(out)
        assert answer["missing_shards"] == [2]
        assert answer["hits"] and all(shard_of(h["id"], 3) != 2 for h in answer["hits"])
    finally:
        current.write_text(live, encoding="utf-8")
    same(one.query(QUERIES[1]), three.query(QUERIES[1]))


def test_a_rebuild_on_the_cluster_keeps_every_document(indexes):
    one, three, _ = indexes
    report = three.rebuild()
    assert report.added == DOCUMENTS and not report.problems
    for text in QUERIES[:3]:
        same(one.query(text), three.query(text))


def test_a_file_read_again_replaces_its_documents(indexes, tmp_path):
    """What a build killed before its end leaves: the same command reads the files again
    and their records replace those already written, never doubling them. (Last: the
    replaced documents stay in Whoosh's counts until a merge, so scores change.)"""
    _, three, corpus = indexes
    copy = tmp_path / "again.jsonl"
    copy.write_text(corpus.read_text(encoding="utf-8").replace("2015-", "2016-"), encoding="utf-8")
    report = three.add([copy])
    assert report.added + report.updated + report.duplicates == DOCUMENTS and not report.problems
    ids = _live_documents(three)
    assert len(ids) == len(set(ids)) == DOCUMENTS
