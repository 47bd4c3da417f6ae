"""Sharded against unsharded, in one run: the same answers, and what sharding costs.

``quality``: the arwikiqa corpus indexed as 1 and as 3 shards (``search index add
--shards 3``); every dev query through both (``SearchIndex.ranked``, as ``search eval``
runs them); nDCG@10 of each, and the share of queries whose top 10 agree (ties aside:
documents of equal score may swap places, and a tie cut by the 10th place may keep
different members).

``speed``: the SaudiNewsNet corpus (29,899 articles) built as 1 and 3 shards by the
command line (wall, CPU of every process, peak memory of the process tree, size), then
warm latency of speed.py's queries (two words of a random title, top 10 with
snippets) on both, taking turns (1, 3, 1, 3) so that a busy machine slows both alike,
and the same agreement of their top 10.

Usage (from the repository root, in the project's virtualenv)::

    python benchmarks/shards.py quality [--limit 200] [--work DIR]
    python benchmarks/shards.py speed [--limit 2000] [--queries 200] [--work DIR]

Prints JSON, with the load average before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

REPO = Path(__file__).resolve().parent.parent
ARWIKIQA = REPO.parent / "shared" / "eval" / "arwikiqa"
SHARDS = 3


def same_top(a: list[tuple[str, float]], b: list[tuple[str, float]], k: int = 10) -> bool:
    """Whether two rankings ``[(id, score)]`` have the same top ``k``, ties aside: the
    same scores place by place (rounded to 1e-6), the same documents in every group of
    equal score, except the group the ``k``-th place cuts, whose members may differ."""
    top_a = [(doc, round(score, 6)) for doc, score in a[:k]]
    top_b = [(doc, round(score, 6)) for doc, score in b[:k]]
    if [s for _, s in top_a] != [s for _, s in top_b]:
        return False
    cut = top_a[-1][1] if len(top_a) == k else None
    return {d for d, s in top_a if s != cut} == {d for d, s in top_b if s != cut}


def compare_runs(runs: list[dict[str, list[tuple[str, float]]]], qrels: dict | None = None) -> dict:
    """nDCG@10 of each run (when judged) and how many queries' top 10 agree."""
    from search.evaluate import measure

    one, other = runs
    agree = sum(same_top(one[qid], other[qid]) for qid in one)
    out = {"queries": len(one), "top10_agree": agree, "top10_agree_share": round(agree / max(len(one), 1), 4)}
    if qrels is not None:
        out["ndcg@10"] = [round(measure(qrels, run).overall.values["nDCG@10"], 4) for run in runs]
    return out


def build(corpus: Path, folder: Path, shards: int) -> dict:
    """``search index add CORPUS --shards N`` in a child process, measured."""
    import measure
    import speed

    shutil.rmtree(folder, ignore_errors=True)
    run = measure.run([*speed.search_command(), "index", "add", str(corpus), "--index", str(folder),
                       "--shards", str(shards)], cwd=str(REPO))
    if run.returncode != 0:
        raise SystemExit(f"build of {folder} failed:\n{run.stderr[-2000:]}")
    return {"shards": shards, "wall_s": round(run.wall_s, 1), "cpu_s": round(run.cpu_s, 1),
            "peak_rss_mb": round(run.peak_rss_mb), "size_mb": round(measure.folder_mb(folder), 1)}


def quality(args, work: Path) -> dict:
    from search import SearchIndex
    from search.evaluate import read_qrels, read_queries, run_queries

    queries = read_queries(ARWIKIQA / "queries-dev.jsonl")[: args.limit]
    qrels = read_qrels(ARWIKIQA / "qrels-dev.tsv")
    builds = [build(ARWIKIQA / "corpus.jsonl", work / f"qa-{n}", n) for n in (1, SHARDS)]
    runs = []
    for n in (1, SHARDS):
        with SearchIndex(work / f"qa-{n}") as ix:
            runs.append(run_queries(ix, queries)[0])
    return {"builds": builds, **compare_runs(runs, qrels)}


def speed_part(args, work: Path) -> dict:
    import peers
    import speed

    records = peers.records(speed.DEFAULT_CORPUS)
    if args.limit:
        records = records[: args.limit]
    corpus = speed.write_jsonl(records, work / "corpus.jsonl", len(records))
    builds = [build(corpus, work / f"news-{n}", n) for n in (1, SHARDS)]
    queries = speed.make_queries(records, args.queries, args.seed)
    latency: dict[int, list[dict]] = {1: [], SHARDS: []}
    for _ in range(2):
        for n in (1, SHARDS):
            latency[n].append(speed.latencies(speed.ours_query(work / f"news-{n}"), queries))
    runs = []
    from search import QueryError, SearchIndex

    for n in (1, SHARDS):
        with SearchIndex(work / f"news-{n}") as ix:
            run = {}
            for number, text in enumerate(queries):
                try:
                    run[str(number)] = ix.ranked(text, limit=10)[1]
                except QueryError:
                    run[str(number)] = []
            runs.append(run)
    return {"documents": len(records), "builds": builds,
            "latency": {str(n): passes for n, passes in latency.items()}, **compare_runs(runs)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("part", choices=["quality", "speed"])
    parser.add_argument("--limit", type=int, help="quality: the first N dev queries; speed: the first N articles")
    parser.add_argument("--queries", type=int, default=200, help="speed: queries timed")
    parser.add_argument("--seed", type=int, default=5, help="speed: seed of the queries (speed.py's)")
    parser.add_argument("--work", type=Path, help="scratch folder (default: a temporary one, removed at the end)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="shards-"))
    work.mkdir(parents=True, exist_ok=True)
    result = {"part": args.part, "load_before": os.getloadavg(), "cpus": os.cpu_count()}
    try:
        result.update(quality(args, work) if args.part == "quality" else speed_part(args, work))
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    result["load_after"] = os.getloadavg()
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
