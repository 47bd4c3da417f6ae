"""Same top 10 as another version of the code, and warm latency beside it, on one index.

Why: query-side speed-ups (issue 16: skipping documents that cannot reach the top k)
must not change any ranking. This runs one query set through two code trees over the
same index, in child processes (``PYTHONPATH`` puts the tree first, so ``search``
resolves to it), and compares per query the hit ids, their order and their scores
(after rounding away the last bits of float noise: a tie stays a tie, as both trees
break ties the same way, by document number). Timings are paired: the trees take
turns (A B A B ...) in the same sitting, so a busy machine slows both alike.

    git worktree add /tmp/main-tree main     # or: git archive main | tar -x -C DIR
    .venv/bin/python benchmarks/topk_check.py --index IX --reference /tmp/main-tree

The query set: the speed benchmark's two-word title queries (seed 5), news known-item
queries, arwikiqa questions, and variants of them sorted by date, filtered by source
and date, with a phrase, with an exclusion, and uncollapsed.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import measure  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
NEWS = SHARED / "eval" / "news-known-item" / "queries-clean.jsonl"
QA = SHARED / "eval" / "arwikiqa" / "queries-dev.jsonl"


def _jsonl(path: Path, count: int) -> list[str]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line)["text"] for line, _ in zip(handle, range(count))]


def query_set(count: int, seed: int) -> list[dict]:
    """Queries with their options: plain, then variants that exercise every path."""
    import peers
    import speed

    records = peers.records(speed.DEFAULT_CORPUS)
    titles = speed.make_queries(records, count, seed)
    news = _jsonl(NEWS, count) if NEWS.exists() else []
    qa = _jsonl(QA, count // 2) if QA.exists() else []
    rng = random.Random(seed)
    sources = sorted({r.source for r in records if r.source})
    out = [{"text": t} for t in titles + news + qa]
    for text in rng.sample(titles + news, min(40, len(titles + news))):
        words = text.split()
        out.append({"text": text, "sort": "date"})
        out.append({"text": text, "source": rng.choice(sources)})
        out.append({"text": text, "since": "2015-06-01", "until": "2015-09-30"})
        out.append({"text": text, "collapse": False})
        if len(words) >= 3:
            out.append({"text": f'"{words[0]} {words[1]}" ' + " ".join(words[2:])})
            out.append({"text": " ".join(words[:-1]) + " -" + words[-1]})
    return out


def dump(index: Path, queries: list[dict]) -> dict:
    """Every query's top 10 and wall time, each query run once after the first ten warm
    the open searcher: warm as in speed.py (index open, files cached), yet a query's own
    posting arrays are read the first time it runs, as a new query's are."""
    import datetime as dt

    from search import QueryError, SearchIndex

    ix = SearchIndex(index)

    def run(query: dict) -> list:
        options = dict(query)
        text = options.pop("text")
        for key in ("since", "until"):
            if key in options:
                options[key] = dt.date.fromisoformat(options[key])
        try:
            return [[h.id, round(h.score, 6)] for h in ix.query(text, limit=10, **options).hits]
        except QueryError as error:
            return [["error", str(error)]]

    for query in queries[:10]:
        run(dict(query, text=query["text"] + " الرياض"))  # not the queries timed
    tops, times, cpu = [], [], []
    for query in queries:
        start, start_cpu = time.perf_counter(), time.process_time()
        tops.append(run(query))
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return {"tops": tops, "times": times, "cpu": cpu}


def child(tree: Path, index: Path, queries_file: Path) -> dict:
    env = dict(os.environ, PYTHONPATH=str(tree))
    run = subprocess.run([sys.executable, __file__, "--dump", str(queries_file), "--index", str(index)],
                         env=env, capture_output=True, text=True)
    if run.returncode:
        raise SystemExit(f"{tree}: {run.stderr[-3000:]}")
    return json.loads(run.stdout)


def summary(times: list[float], cpu: list[float]) -> dict:
    """Wall p50/p95/mean, and the same in CPU time of the process (steadier on a shared machine)."""
    return {"queries": len(times), "p50_ms": round(measure.percentile(times, 50), 2),
            "p95_ms": round(measure.percentile(times, 95), 2), "mean_ms": round(statistics.fmean(times), 2),
            "cpu_p50_ms": round(measure.percentile(cpu, 50), 2), "cpu_p95_ms": round(measure.percentile(cpu, 95), 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--reference", type=Path, help="the other code tree (e.g. a worktree of main)")
    parser.add_argument("--count", type=int, default=200, help="title and news queries each")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=2, help="A/B turns for the timings (a fresh process each)")
    parser.add_argument("--dump", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    if args.dump:
        queries = json.loads(args.dump.read_text(encoding="utf-8"))
        print(json.dumps(dump(args.index, queries), ensure_ascii=False))
        return
    queries = query_set(args.count, args.seed)
    queries_file = Path(os.environ.get("TMPDIR", "/tmp")) / f"topk-queries-{os.getpid()}.json"
    queries_file.write_text(json.dumps(queries, ensure_ascii=False), encoding="utf-8")
    trees = {"this": REPO} | ({"reference": args.reference.resolve()} if args.reference else {})
    runs: dict[str, list[dict]] = {name: [] for name in trees}
    for _ in range(args.rounds):
        for name, tree in trees.items():
            runs[name].append(child(tree, args.index, queries_file))
    queries_file.unlink()
    plain = args.count + len(_jsonl(NEWS, args.count)) + len(_jsonl(QA, args.count // 2))
    groups = {"title queries (speed.py's)": range(args.count),
              "plain queries (titles, news, questions)": range(plain),
              "every query": range(len(queries))}
    report: dict = {"index": str(args.index), "queries": len(queries), "load": os.getloadavg()}
    for name in trees:
        report[name] = {label: summary([run["times"][n] for run in runs[name] for n in chosen],
                                       [run["cpu"][n] for run in runs[name] for n in chosen])
                        for label, chosen in groups.items()}
    if args.reference:
        mine, theirs = runs["this"][0]["tops"], runs["reference"][0]["tops"]
        mismatches = [{"query": queries[n], "this": a, "reference": b}
                      for n, (a, b) in enumerate(zip(mine, theirs)) if a != b]
        report["mismatches"] = len(mismatches)
        report["examples"] = mismatches[:5]
    text = json.dumps(report, ensure_ascii=False, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    if report.get("mismatches"):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
