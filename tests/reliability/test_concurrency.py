"""Readers keep answering while another process writes; two writers serialize."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from index.build.store import Store
from reliability_helpers import REPO, doc_ids, subprocess_env, write_jsonl, write_txt_corpus
from search import SearchIndex


def _txt_and_jsonl(tmp_path: Path, txt: int, records: int, seed: int) -> tuple[Path, Path]:
    """Two folders to add: ``txt`` articles as .txt files, and one JSONL file of ``records``."""
    folder = tmp_path / "jsonl"
    folder.mkdir()
    write_jsonl(folder / "wire.jsonl", records, seed=seed + 1)
    return write_txt_corpus(tmp_path / "txt", txt, seed=seed), folder


def _spawn(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "cli", *args],
        cwd=REPO, env=subprocess_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def _query_while_running(index: Path, child: subprocess.Popen, low: int, high: int) -> int:
    """Query, show and count in a loop until ``child`` exits; every answer must be sane."""
    ix = SearchIndex(index)
    rounds = 0
    while child.poll() is None or rounds == 0:
        assert ix.query("الانسحاب", limit=3).total > 0
        documents = ix.stats().documents
        assert low <= documents <= high, f"{documents} documents mid-write"
        assert ix.get("article-0000") is not None
        rounds += 1
    return rounds


def test_queries_answer_during_add(tmp_path):
    base, more = _txt_and_jsonl(tmp_path, 20, 250, seed=21)
    index = tmp_path / "ix"
    SearchIndex(index).add([base])

    child = _spawn("index", "add", str(more), "--index", str(index))
    rounds = _query_while_running(index, child, 20, 270)
    _, err = child.communicate(timeout=60)
    assert child.returncode == 0, err
    assert rounds > 1, "the add finished before any query ran alongside it"
    assert SearchIndex(index).stats().documents == 270


def test_queries_answer_across_rebuild_swaps(tmp_path):
    """Several rebuilds in a row, each deleting the generation readers just opened."""
    corpus = write_txt_corpus(tmp_path / "a", 30, seed=23)
    index = tmp_path / "ix"
    SearchIndex(index).add([corpus])
    code = "import sys\nfrom search import SearchIndex\nfor _ in range(6): SearchIndex(sys.argv[1]).rebuild()"
    child = subprocess.Popen([sys.executable, "-c", code, str(index)], cwd=REPO, env=subprocess_env())
    rounds = _query_while_running(index, child, 30, 30)
    assert child.wait(timeout=60) == 0
    assert rounds > 1


def test_reader_that_saw_the_old_generation_follows_the_swap(tmp_path, monkeypatch):
    """Deterministic version of the race above: CURRENT is read just before a rebuild
    swaps it and deletes the old generation; the reader must use the new one."""
    corpus = write_txt_corpus(tmp_path / "a", 5, seed=24)
    ix = SearchIndex(tmp_path / "ix")
    ix.add([corpus])
    old = ix.store.live_generation()
    ix.rebuild()
    assert not old.exists()

    real = Store.live_generation
    stale = iter([old])
    monkeypatch.setattr(Store, "live_generation", lambda self: next(stale, None) or real(self))
    assert ix.query("الانسحاب").total > 0


def test_two_concurrent_adds_serialize_without_corruption(tmp_path):
    one, two = _txt_and_jsonl(tmp_path, 15, 60, seed=25)
    index = tmp_path / "ix"
    reference = tmp_path / "reference"
    SearchIndex(reference).add([one, two])

    first = _spawn("index", "add", str(one), "--index", str(index))
    second = _spawn("index", "add", str(two), "--index", str(index))
    for child in (first, second):
        _, err = child.communicate(timeout=60)
        assert child.returncode == 0, err
        assert "Traceback" not in err
    assert doc_ids(index) == doc_ids(reference)
    assert len(list(index.glob("gen-*"))) == 1

    shutil.rmtree(reference)
    assert SearchIndex(index).rebuild().failed == 0, "both adds must be recorded for rebuild"
    assert SearchIndex(index).stats().documents == 75
