"""The parallel writer's workers (index.whoosh_ext.parallel): a worker that stops is one
line, never a hang; the same input gets the same document numbers in every build."""

from __future__ import annotations

import os

import pytest
from bulk_support import ARTICLES, fields_of
from whoosh import index as whoosh_index

from index.schema import build_schema
from index.whoosh_ext import parallel
from index.whoosh_ext.parallel import ParallelWriter

#: The real worker, for a test worker that fails only in one of the two processes.
REAL_WORK = parallel._work


def _dies(*args) -> None:
    os._exit(3)  # as if killed: no result, no cleanup


def _fails(storage, indexname, number, jobs, analyses, results, limit, memos, wanted) -> None:
    results.put(("error", "OSError: disk full"))  # as _work reports an exception, then exits


def _first_dies(storage, indexname, number, *rest) -> None:
    if number == 0:
        os._exit(3)
    REAL_WORK(storage, indexname, number, *rest)  # the other works on: its queue is drained


@pytest.mark.parametrize(("worker", "said"), [(_dies, "a worker process died"), (_fails, "disk full"),
                                              (_first_dies, "a worker process died")])
def test_a_build_whose_workers_stopped_fails_in_one_line_instead_of_waiting(tmp_path, monkeypatch, worker, said):
    """With a worker gone its job queue fills: the parent must say so, not hang."""
    import signal

    monkeypatch.setattr(parallel, "_work", worker)
    folder = tmp_path / "parallel"
    folder.mkdir()
    ix = whoosh_index.create_in(str(folder), build_schema())
    signal.signal(signal.SIGALRM, lambda *_: pytest.fail("the parent waited forever on the job queue"))
    signal.alarm(60)
    try:
        writer = ParallelWriter(ix, 2, limit=40)
        with pytest.raises(parallel.BuildFailed, match=said):
            for _ in range(20):  # more batches than the queue holds
                for article in ARTICLES:
                    writer.add_document(**fields_of(*article))
                writer._send()
            writer.commit()
    finally:
        signal.alarm(0)
    assert all(not task.is_alive() for task in writer.tasks)


def test_the_same_input_gets_the_same_document_numbers_in_every_build(tmp_path, monkeypatch):
    """Batches go to the workers in turn and their segments are listed in worker order,
    so ties in score (broken by document number) rank the same after every rebuild."""
    monkeypatch.setattr(parallel, "BATCH_DOCUMENTS", 2)
    orders = []
    for build in range(2):
        folder = tmp_path / f"build-{build}"
        folder.mkdir()
        ix = whoosh_index.create_in(str(folder), build_schema())
        writer = ParallelWriter(ix, 2)
        for copy in range(3):
            for doc_id, *rest in ARTICLES:
                writer.add_document(**fields_of(f"{doc_id}-{copy}", *rest))
        writer.commit()
        with ix.searcher() as searcher:
            orders.append([fields["id"] for _, fields in searcher.reader().iter_docs()])
    ids = [f"{doc_id}-{copy}" for copy in range(3) for doc_id, *_ in ARTICLES]
    batches = [ids[i : i + 2] for i in range(0, len(ids), 2)]
    in_turn = [doc for first in range(2) for batch in batches[first::2] for doc in batch]
    assert orders == [in_turn, in_turn]
