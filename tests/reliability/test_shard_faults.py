"""Killing `index add` or `index rebuild` of a sharded index, even with SIGKILL between
two shards, loses nothing indexed and doubles nothing; the same command finishes the job."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from index.build.shards import Shards
from reliability_helpers import REPO, subprocess_env, write_jsonl, write_txt_corpus
from search import SearchIndex

DRIVER = Path(__file__).with_name("kill_driver.py")


def doc_ids(index: Path) -> list[str]:
    """Every document id in every shard, read directly (duplicates would show twice)."""
    with Shards(index).searcher() as searcher:
        return sorted(fields["id"] for fields in searcher.all_stored_fields())


@pytest.fixture(scope="module")
def corpora(tmp_path_factory) -> dict:
    """Corpus A indexed as 3 shards, corpus B added later, and the ids of A and A+B."""
    root = tmp_path_factory.mktemp("shard-faults")
    a = write_txt_corpus(root / "a", 20, seed=21)
    b = write_txt_corpus(root / "b", 10, seed=22)
    write_jsonl(b / "wire.jsonl", 30, seed=23)
    base = root / "base-index"
    SearchIndex(base, shards=3).add([a])
    full = root / "full-index"
    shutil.copytree(base, full)
    SearchIndex(full).add([b])
    return {"a": a, "b": b, "base": base, "full": full, "ids_a": doc_ids(base), "ids_ab": doc_ids(full)}


def killed(spec: str, *args: str) -> None:
    done = subprocess.run([sys.executable, str(DRIVER), spec, *args], cwd=REPO, env=subprocess_env(),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == -signal.SIGKILL, f"the kill point {spec} was never reached: {done.stderr}"


@pytest.mark.parametrize("point", [
    "index.build.batch:Batch.add_file:before:5",  # reading files, nothing committed
    "whoosh.index:TOC.write:after:1",  # the first shard committed, the others not
    "whoosh.index:TOC.write:after:2",  # two shards committed
    "index.build.store:Store.save_manifest:after:1",  # every shard committed, one manifest saved
])
def test_kill_during_a_sharded_add(corpora, tmp_path, point):
    index = tmp_path / "ix"
    shutil.copytree(corpora["base"], index)
    killed(point, "index", "add", str(corpora["b"]), "--index", str(index))
    after = doc_ids(index)
    assert len(after) == len(set(after)), "a document is in the index twice"
    assert set(corpora["ids_a"]) <= set(after) <= set(corpora["ids_ab"])
    assert SearchIndex(index).add([corpora["b"]]).failed == 0
    assert doc_ids(index) == corpora["ids_ab"]


@pytest.mark.parametrize("point", [
    "index.build.batch:Batch.add_file:before:5",  # filling the new generations
    "index.build.store:Store.save_manifest:after:2",  # two new manifests saved, none swapped in
    "index.build.store:Store.publish:after:1",  # the first shard swapped in, the others not
])
def test_kill_during_a_sharded_rebuild(corpora, tmp_path, point):
    index = tmp_path / "ix"
    shutil.copytree(corpora["full"], index)
    killed(point, "index", "rebuild", "--index", str(index))
    assert doc_ids(index) == corpora["ids_ab"], "the live shards lost or doubled documents"
    assert SearchIndex(index).rebuild().failed == 0
    assert doc_ids(index) == corpora["ids_ab"]
    assert all(len(list(shard.glob("gen-*"))) == 1 for shard in index.glob("shard-*")), "stale generations left"


def test_a_reader_sees_what_another_process_adds_to_any_shard(corpora, tmp_path):
    index = tmp_path / "ix"
    shutil.copytree(corpora["base"], index)
    reader = SearchIndex(index)
    before = reader.stats().documents
    assert reader.query("الانسحاب").total >= 0  # opens the searcher
    SearchIndex(index).add_records([{"id": f"late-{n}", "title": "خبر متأخر", "body": "وصل خبر متأخر عن القطار"}
                                    for n in range(6)])
    assert {h.id for h in reader.query("القطار متأخر", limit=20).hits} >= {f"late-{n}" for n in range(6)}
    SearchIndex(index).rebuild()
    assert reader.stats().documents == before + 6
    assert {h.id for h in reader.query("القطار متأخر", limit=20).hits} >= {f"late-{n}" for n in range(6)}
