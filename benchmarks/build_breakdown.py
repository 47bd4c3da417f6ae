"""Where a build's CPU time goes: reading, analysis, inversion, writing.

One process (no workers, so every phase is measured in this process) builds an index
of the first ``--limit`` articles with the real writer (``index.build.add.add_paths``);
the phases are timed by wrapping the functions that do them with ``time.process_time``:

* **reading**: ``read_file`` (decompress, parse, records) and ``body_key`` (duplicates);
* **analysis**: the word analysis the writer builds per analyzer
  (``index.analysis.oneword.word_analysis``), called on a word form's first sight (the memo's misses);
* **inversion**: ``BulkSegmentWriter._invert`` without the analysis inside it;
* **per-document writing**: the rest of ``add_document`` (stored fields, lengths,
  columns, the fields Whoosh indexes itself: id, source, date);
* **postings writing**: ``_flush_segment`` (terms and posting blocks in Whoosh's W3
  format, ``index.whoosh_ext.blocks``; the posting sidecar).

The parallel build splits inversion and writing over two worker processes; the parent
reads and does the analysis, once per word form for both workers. ``--parallel`` builds
that way (as ``search index add`` does a fresh index of that size) and gives each
process's CPU by phase, the same wrappers timing the parent and, inherited by the fork,
each worker:

* parent: **analysis and numbering** (``ParallelWriter._analyze``: splitting texts,
  numbering word forms, analysing new ones), **copy stories** (``CopyFinder.assign``),
  **saving** (``Batch._save``: analysis cache, copies, manifest), the rest, and the
  wall time it **waits for the workers' last segments** (``ParallelWriter.finish``);
* each worker: **inversion and per-document writing** (``add_batch``) and
  **segment writing** (``_finalize_segment``), the rest;
* the signer (MinHash and body keys, :mod:`index.build.signer`): the CPU of the
  build's children less the workers'.

On two cores a build's wall time cannot go under its CPU over two plus what runs alone
(benchmarks/README.md, "Small builds").

    .venv/bin/python benchmarks/build_breakdown.py --limit 5000
    .venv/bin/python benchmarks/build_breakdown.py --limit 6000 --parallel
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from index.build import add, batch, copies, writer_choice  # noqa: E402
from index.build.shards import Shards  # noqa: E402
from index.whoosh_ext import parallel, segment  # noqa: E402

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared/corpus/saudinewsnet/articles.jsonl.gz"


def timed(owner, name: str, totals: dict, label: str, clock=time.process_time) -> None:
    """Replace ``owner.name`` by a wrapper adding its CPU time to ``totals[label]``
    (``clock``: another time, the wall's for a wait, which uses no CPU)."""
    original = getattr(owner, name)

    def wrapper(*args, **kwargs):
        start = clock()
        try:
            return original(*args, **kwargs)
        finally:
            totals[label] = totals.get(label, 0.0) + clock() - start

    setattr(owner, name, wrapper)


def timed_iterator(owner, name: str, totals: dict, label: str) -> None:
    """Like :func:`timed` for a generator function: times each step of the iteration."""
    original = getattr(owner, name)

    def wrapper(*args, **kwargs):
        iterator = iter(original(*args, **kwargs))
        while True:
            start = time.process_time()
            try:
                item = next(iterator)
            except StopIteration:
                return
            finally:
                totals[label] = totals.get(label, 0.0) + time.process_time() - start
            yield item

    setattr(owner, name, wrapper)


def timed_analysis(totals: dict, label: str) -> None:
    """Make every word analysis the writer builds (``segment.word_analysis``) add its CPU
    time to ``totals[label]``: the real per-word path, timed where the writer calls it."""
    build = segment.word_analysis

    def timed_build(analyzer):
        analyze = build(analyzer)
        if analyze is None:
            return None

        def timed_analyze(word: str):
            start = time.process_time()
            try:
                return analyze(word)
            finally:
                totals[label] = totals.get(label, 0.0) + time.process_time() - start

        return timed_analyze

    segment.word_analysis = timed_build


def one_process(sample: Path, work: Path) -> None:
    """The build in this process alone: CPU per phase."""
    totals: dict[str, float] = {}
    writer_choice.PARALLEL_MIN_BYTES = 1 << 62  # one process: every phase is measured here
    timed_iterator(batch, "read_file", totals, "reading")
    timed(batch, "body_key", totals, "duplicate keys")
    timed_analysis(totals, "analysis")
    timed(segment.BulkSegmentWriter, "_invert", totals, "inversion+analysis")
    timed(segment.BulkSegmentWriter, "add_document", totals, "add_document")
    timed(segment.BulkSegmentWriter, "_flush_segment", totals, "postings writing")
    start = time.process_time()
    report = add.add_paths(Shards(work / "ix"), [sample])
    total = time.process_time() - start
    phases = {
        "reading": totals.get("reading", 0.0),
        "duplicate keys": totals.get("duplicate keys", 0.0),
        "analysis": totals.get("analysis", 0.0),
        "inversion": totals.get("inversion+analysis", 0.0) - totals.get("analysis", 0.0),
        "per-document writing": totals.get("add_document", 0.0) - totals.get("inversion+analysis", 0.0),
        "postings writing": totals.get("postings writing", 0.0),
    }
    phases["other"] = total - sum(phases.values())
    print(f"{report.added} documents, {total:.1f} s CPU in one process")
    print("| phase | CPU s | share |\n|---|---:|---:|")
    for name, seconds in phases.items():
        print(f"| {name} | {seconds:.1f} | {seconds / total:.0%} |")
    print(json.dumps({k: round(v, 2) for k, v in phases.items()}))


def two_workers(sample: Path, work: Path) -> None:
    """The parallel build: CPU per phase in the parent, each worker and the signer."""
    totals: dict[str, float] = {}
    reports = work / "workers"
    reports.mkdir()
    timed(parallel.ParallelWriter, "_analyze", totals, "analysis and numbering")
    timed(copies.CopyFinder, "assign", totals, "copy stories")
    timed(batch.Batch, "_save", totals, "saving")
    timed(parallel.ParallelWriter, "finish", totals, "waiting for the workers (wall)", time.perf_counter)
    timed(segment.BulkSegmentWriter, "add_batch", totals, "inversion and per-document writing")
    timed(segment.BulkSegmentWriter, "_finalize_segment", totals, "segment writing")
    work_of = parallel._work

    def reporting_work(*args) -> None:  # a forked worker: its own copy of totals
        totals.clear()
        try:
            work_of(*args)
        finally:
            totals["total"] = time.process_time()
            (reports / f"{os.getpid()}.json").write_text(json.dumps(totals))

    parallel._work = reporting_work
    wall, cpu = time.perf_counter(), time.process_time()
    report = add.add_paths(Shards(work / "ix"), [sample])
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    workers = [json.loads(path.read_text()) for path in sorted(reports.glob("*.json"))]
    rows = [("parent", name, totals.get(name, 0.0)) for name in
            ("analysis and numbering", "copy stories", "saving")]
    rows.append(("parent", "rest", cpu - sum(seconds for _, _, seconds in rows)))
    rows.append(("parent", "waiting for the workers (wall)", totals.get("waiting for the workers (wall)", 0.0)))
    for number, own in enumerate(workers):
        phases = [(name, own.get(name, 0.0)) for name in ("inversion and per-document writing", "segment writing")]
        rows += [(f"worker {number}", name, seconds) for name, seconds in phases]
        rows.append((f"worker {number}", "rest", own["total"] - sum(seconds for _, seconds in phases)))
    signer = children.ru_utime + children.ru_stime - sum(own["total"] for own in workers)
    rows.append(("signer", "MinHash signatures and body keys", signer))
    total = cpu + children.ru_utime + children.ru_stime
    print(f"{report.added} documents, {wall:.1f} s wall, {total:.1f} s CPU in all processes")
    print("| process | phase | CPU s |\n|---|---|---:|")
    for process, name, seconds in rows:
        print(f"| {process} | {name} | {seconds:.2f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--limit", type=int, default=5000)
    parser.add_argument("--parallel", action="store_true", help="the two-worker build, CPU per process and phase")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        sample = Path(work) / "sample.jsonl"
        with gzip.open(args.corpus, "rt", encoding="utf-8") as source, open(sample, "w", encoding="utf-8") as out:
            out.writelines(itertools.islice(source, args.limit))
        (two_workers if args.parallel else one_process)(sample, Path(work))


if __name__ == "__main__":
    main()
