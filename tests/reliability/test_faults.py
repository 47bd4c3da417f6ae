"""SIGKILL a real ``search index add`` / ``search index rebuild`` process, then check that
the previous index is readable with all its documents and that the next run finishes
the job with exactly the documents of an uninterrupted run (no loss, no duplicates).

Crash points are deterministic (see ``kill_driver.py``): in the middle of reading the
files, with the new segment written but not its table of contents, after Whoosh's
commit but before the manifest is saved, after the new manifest but before the swap,
and after the swap but before the old generation is deleted. A few kills at random
moments of an ordinary ``python -m cli`` run complete the picture.
"""

from __future__ import annotations

import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from index.errors import IndexBusy
from index.build.store import Store
from search import SearchIndex
from reliability_helpers import REPO, doc_ids, run_cli, subprocess_env, write_jsonl, write_txt_corpus

DRIVER = Path(__file__).with_name("kill_driver.py")


@pytest.fixture(scope="module")
def corpora(tmp_path_factory) -> dict[str, Path]:
    """Corpus A (already indexed), corpus B (added later), and the ids of A and A+B."""
    root = tmp_path_factory.mktemp("faults")
    a = write_txt_corpus(root / "a", 20, seed=11)
    b = write_txt_corpus(root / "b", 10, seed=12)
    write_jsonl(b / "wire.jsonl", 30, seed=13)
    base = root / "base-index"
    SearchIndex(base).add([a])
    full = root / "full-index"
    shutil.copytree(base, full)
    SearchIndex(full).add([b])
    return {"a": a, "b": b, "base": base, "full": full, "ids_a": doc_ids(base), "ids_ab": doc_ids(full)}


def killed(spec: str, *args: str) -> subprocess.CompletedProcess:
    """Run the CLI under the kill driver; it must die of SIGKILL at ``spec``."""
    done = subprocess.run(
        [sys.executable, str(DRIVER), spec, *args],
        cwd=REPO, env=subprocess_env(), capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == -signal.SIGKILL, f"the kill point {spec} was never reached: {done.stderr}"
    return done


def assert_no_duplicates(ids: list[str]) -> None:
    assert len(ids) == len(set(ids)), "a document is in the index twice"


ADD_POINTS = [
    "index.build.batch:Batch.add_file:before:5",  # reading files, nothing committed
    "whoosh.index:TOC.write:before:1",  # new segment written, table of contents not
    "whoosh.index:TOC.write:after:1",  # committed, manifest not saved
]


@pytest.mark.parametrize("point", ADD_POINTS)
def test_kill_during_add_keeps_old_documents_and_next_run_completes(corpora, tmp_path, point):
    index = tmp_path / "ix"
    shutil.copytree(corpora["base"], index)

    killed(point, "index", "add", str(corpora["b"]), "--index", str(index))

    after_kill = doc_ids(index)  # readable, or this raises
    assert_no_duplicates(after_kill)
    assert set(corpora["ids_a"]) <= set(after_kill) <= set(corpora["ids_ab"])

    assert SearchIndex(index).add([corpora["b"]]).failed == 0
    assert doc_ids(index) == corpora["ids_ab"]


FIRST_ADD_POINTS = [
    "whoosh.index:TOC.write:after:2",  # first generation committed, not yet published
    "index.build.store:_write_atomically:after:1",  # its manifest saved, CURRENT not written
]


@pytest.mark.parametrize("point", FIRST_ADD_POINTS)
def test_kill_during_first_add_leaves_no_half_index(corpora, tmp_path, point):
    index = tmp_path / "ix"
    killed(point, "index", "add", str(corpora["a"]), "--index", str(index))

    assert not Store(index).exists(), "an unpublished generation became live"
    assert SearchIndex(index).add([corpora["a"]]).failed == 0
    assert doc_ids(index) == corpora["ids_a"]
    assert len(list(index.glob("gen-*"))) == 1, "the killed run's generation was not cleaned up"


REBUILD_POINTS = [
    "index.build.batch:Batch.add_file:before:5",  # filling the new generation
    "whoosh.index:TOC.write:before:2",  # new generation's segment written, no TOC
    "whoosh.index:TOC.write:after:2",  # new generation committed, manifest not saved
    "index.build.store:_write_atomically:after:1",  # new manifest saved, not swapped in
    "index.build.store:_write_atomically:after:2",  # swapped in, old generation not deleted
]


@pytest.mark.parametrize("point", REBUILD_POINTS)
def test_kill_during_rebuild_keeps_a_complete_index(corpora, tmp_path, point):
    index = tmp_path / "ix"
    shutil.copytree(corpora["full"], index)

    killed(point, "index", "rebuild", "--index", str(index))

    assert doc_ids(index) == corpora["ids_ab"], "the live index lost or doubled documents"
    assert SearchIndex(index).query("الانسحاب").total > 0

    assert SearchIndex(index).rebuild().failed == 0
    assert doc_ids(index) == corpora["ids_ab"]
    assert len(list(index.glob("gen-*"))) == 1, "stale generations were left behind"


@pytest.mark.parametrize("command", ["add", "rebuild"])
def test_kill_at_random_moments(corpora, tmp_path, command):
    """Kill an ordinary ``python -m cli`` run after a random delay, a few times."""
    rng = random.Random(20260101 + len(command))
    index = tmp_path / "ix"
    shutil.copytree(corpora["base" if command == "add" else "full"], index)
    args = ["index", "add", str(corpora["b"])] if command == "add" else ["index", "rebuild"]
    for _ in range(2):
        delay = rng.uniform(0.3, 1.2)
        child = subprocess.Popen(
            [sys.executable, "-m", "cli", *args, "--index", str(index)],
            cwd=REPO, env=subprocess_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        ids = doc_ids(index)
        assert_no_duplicates(ids)
        assert set(corpora["ids_a"]) <= set(ids) <= set(corpora["ids_ab"]), f"after a kill at {delay:.2f}s"
        if command == "rebuild":
            assert ids == corpora["ids_ab"], f"a rebuild killed at {delay:.2f}s changed the live index"
    again = run_cli(*args, "--index", str(index))
    assert again.returncode == 0, again.stderr
    assert doc_ids(index) == corpora["ids_ab"]


def test_stale_locks_from_a_kill_do_not_block_the_next_cli_run(corpora, tmp_path):
    """After a kill mid-commit, both our lock and Whoosh's own are left as files."""
    index = tmp_path / "ix"
    shutil.copytree(corpora["base"], index)
    killed("whoosh.index:TOC.write:before:1", "index", "add", str(corpora["b"]), "--index", str(index))
    assert (index / "write.lock").exists()
    started = time.monotonic()
    again = run_cli("index", "add", str(corpora["b"]), "--index", str(index), timeout=30)
    assert again.returncode == 0, again.stderr
    assert time.monotonic() - started < 20, "the next run waited for a dead writer"
    assert doc_ids(index) == corpora["ids_ab"]


def test_ctrl_c_during_add_is_one_line_exit_130_and_loses_nothing(corpora, tmp_path):
    index = tmp_path / "ix"
    shutil.copytree(corpora["base"], index)
    done = subprocess.run(
        [sys.executable, str(DRIVER), "index.build.batch:Batch.add_file:before:5:INT",
         "index", "add", str(corpora["b"]), "--index", str(index)],
        cwd=REPO, env=subprocess_env(), capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 130, done.stderr
    assert done.stderr.strip().splitlines() == ["error: interrupted; the index keeps its last completed state"]
    assert doc_ids(index) == corpora["ids_a"]


# -- the write lock ------------------------------------------------------------------

HOLD_LOCK = """
import sys, time
from index.build.store import Store
with Store(sys.argv[1]).write_lock():
    print("locked", flush=True)
    time.sleep(60)
"""


def _lock_holder(index: Path) -> subprocess.Popen:
    child = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(index)],
        cwd=REPO, env=subprocess_env(), stdout=subprocess.PIPE, text=True,
    )
    assert child.stdout.readline().strip() == "locked"
    return child


def test_lock_of_a_killed_writer_never_blocks(tmp_path):
    index = tmp_path / "ix"
    child = _lock_holder(index)
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=10)
    assert (index / "write.lock").exists(), "the lock file itself stays; only the kernel lock goes"
    started = time.monotonic()
    with Store(index).write_lock(wait=0):
        pass
    assert time.monotonic() - started < 1


def test_two_writers_never_run_at_once(tmp_path):
    index = tmp_path / "ix"
    child = _lock_holder(index)
    try:
        with pytest.raises(IndexBusy, match="another process is writing"):
            with Store(index).write_lock(wait=0.3):
                pass
    finally:
        child.kill()
        child.wait(timeout=10)


def test_a_waiting_writer_says_so_then_proceeds(tmp_path):
    """A second `index add` tells the user it waits instead of hanging silently."""
    import threading

    from index.build.add import add_paths
    from index.build.shards import Shards
    from index.build.report import Progress

    index = tmp_path / "ix"
    article = tmp_path / "a.txt"
    article.write_text("انسحاب القوات من المدينة\n\nنص الخبر عن الانسحاب.", encoding="utf-8")
    told = threading.Event()

    class Recorder(Progress):
        def waiting(self) -> None:
            told.set()

    child = _lock_holder(index)
    killer = threading.Thread(target=lambda: told.wait(10) and child.kill())
    killer.start()
    try:
        report = add_paths(Shards(index), [article], progress=Recorder())
    finally:
        killer.join()
        child.kill()
        child.wait(timeout=10)
    assert told.is_set()
    assert report.added == 1
