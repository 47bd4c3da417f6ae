"""Speed benchmark: our engine against plain Whoosh and SQLite FTS5, in one run.

Measures, on the same articles: build time (wall and CPU of all processes), peak
memory of the build's process tree, index size, warm query latency over fixed-seed
two-word queries (top 10 with snippets, for every system), the wall time of a cold
``search query`` process against a minimal Whoosh script, and adding 100 new
articles to the full index. ``--scale`` adds ``scale.py``'s runs: our build, memory,
size and queries at 30k, 120k, 500k and 1M articles (``scale_corpus.py``'s rewritten
archive), plain Whoosh at 30k and 120k, indexes kept under ``WORK/scale``.

Usage (from the repository root, in the project's virtualenv)::

    python benchmarks/speed.py                 # ~10 minutes on 2 cores
    python benchmarks/speed.py --scale --work DIR   # + scale to 1M (hours on 2 cores)
    python benchmarks/speed.py --limit 2000    # a quick smoke run
    python benchmarks/speed.py --reuse DIR     # queries only, on DIR/ours, DIR/whoosh, DIR/fts5
                                               # built before (e.g. by --work DIR)

Prints a Markdown table and writes ``benchmarks/out/speed.json``. Timings on a
shared machine are noisy: the JSON records the load average before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import measure  # noqa: E402
import peers  # noqa: E402

from index.ingest.files import Record  # noqa: E402
from search import QueryError, SearchIndex  # noqa: E402
from search.query.parse import analyze_terms  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "saudinewsnet" / "articles.jsonl.gz"
OUT = REPO / "benchmarks" / "out"

#: The targets of issue #5 (2-core machine).
TARGETS = {
    "build_s": 45.0,
    "query_p95_ms": 15.0,
    "cold_ratio": 1.5,
    "size_ratio": 1.0,
    "peak_rss_mb": 1536.0,
    "add100_s": 5.0,
}


def search_command() -> list[str]:
    script = Path(sys.executable).parent / "search"
    return [str(script)] if script.exists() else [sys.executable, "-c", "import cli; cli.main()"]


def write_jsonl(records: list[Record], path: Path, total: int, suffix: str = "") -> Path:
    """Write ``total`` records, repeating the list under new ids (``id~2``, ``id~3``…).

    A repeated or suffixed record gets a closing line of its own: the index keeps one
    document per body (duplicate detection), and a copy must count as a new article."""
    with open(path, "w", encoding="utf-8") as handle:
        for n in range(total):
            r = records[n % len(records)]
            copy = n // len(records)
            doc_id = r.id + (f"~{copy + 1}" if copy else "") + suffix
            body = r.body + (f"\n\n{doc_id}" if copy or suffix else "")
            handle.write(json.dumps({
                "id": doc_id, "title": r.title, "body": body, "source": r.source,
                "date": r.date.isoformat() if r.date else None, "url": r.url,
            }, ensure_ascii=False) + "\n")
    return path


def make_queries(records: list[Record], count: int, seed: int) -> list[str]:
    """Two distinct words of one random title; words our analyzer drops entirely
    (stop words) are not drawn, so that every query asks for something."""
    rng = random.Random(seed)
    queries: list[str] = []
    while len(queries) < count:
        title = rng.choice(records).title
        words = sorted({w for w in re.findall(r"[^\W\d_]{3,}", title) if analyze_terms(w)})
        if len(words) >= 2:
            queries.append(" ".join(rng.sample(words, 2)))
    return queries


def ours_query(folder: Path):
    ix = SearchIndex(folder)

    def run(text: str) -> None:
        try:
            ix.query(text, limit=10)
        except QueryError:
            pass

    return run


#: The systems of every run: (label, folder name, how to query an index built there).
SYSTEMS = [
    ("ours (Arabic analysis, 2 processes)", "ours", ours_query),
    ("plain Whoosh, StandardAnalyzer", "whoosh", lambda folder: peers.WhooshSearcher(folder).query),
    ("SQLite FTS5, unicode61", "fts5", lambda folder: peers.Fts5Searcher(folder).query),
]


def warm_latencies(folders: dict[str, Path], queries: list[str]) -> dict[str, dict]:
    """Warm latency of each system over the same queries, one system after the other.

    Ours goes last, as in earlier runs. Reading compound segment files without copying
    them (index.whoosh_ext.mapped) applies to our index's storage only, so plain Whoosh
    never gets it whatever the order.
    """
    order = sorted(SYSTEMS, key=lambda system: system[1] == "ours")
    return {name: measure.latencies(query(folders[name]), queries) for _, name, query in order}


def build_row(name: str, run: measure.Run, docs: int, folder: Path, lat: dict) -> dict:
    if run.returncode != 0:
        raise SystemExit(f"{name} build failed:\n{run.stderr[-2000:]}")
    return {
        "system": name,
        "documents": docs,
        "build_s": round(run.wall_s, 1),
        "build_cpu_s": round(run.cpu_s, 1),
        "docs_per_s": round(docs / run.wall_s),
        "peak_rss_mb": round(run.peak_rss_mb),
        "index_mb": round(measure.folder_mb(folder), 1),
        **lat,
    }


def cold_queries(queries: list[str], ours: Path, whoosh: Path | None, repeat: int) -> dict:
    """Median wall time of a fresh process per query, ours vs the minimal script
    (runs interleaved so that machine load hits both alike); ours alone when there is
    no plain Whoosh index (``whoosh`` None)."""
    minimal = [sys.executable, str(REPO / "benchmarks" / "minimal_whoosh.py")]
    ours_t, minimal_t = [], []
    for text in queries:
        for _ in range(repeat):
            runs = [(search_command() + ["query", text, "--index", str(ours)], ours_t)]
            if whoosh is not None:
                runs.append((minimal + [str(whoosh), text], minimal_t))
            for cmd, bucket in runs:
                start = time.perf_counter()
                done = subprocess.run(cmd, capture_output=True)
                bucket.append(time.perf_counter() - start)
                if done.returncode != 0:
                    raise SystemExit(f"cold query failed: {' '.join(cmd)}\n{done.stderr.decode()[-1000:]}")
    ours_s = statistics.median(ours_t)
    result = {"runs": len(ours_t), "ours_s": round(ours_s, 3)}
    if minimal_t:
        minimal_s = statistics.median(minimal_t)
        result.update(minimal_whoosh_s=round(minimal_s, 3), ratio=round(ours_s / minimal_s, 2))
    return result


def add_new(records: list[Record], ours: Path, work: Path) -> dict:
    path = write_jsonl(records[:100], work / "new-100.jsonl", 100, suffix="-new")
    run = measure.run(search_command() + ["index", "add", str(path), "--index", str(ours)])
    if run.returncode != 0:
        raise SystemExit(f"adding 100 failed:\n{run.stderr[-2000:]}")
    summary = run.stderr.strip().splitlines()[-1]
    if not summary.startswith("100 added"):
        raise SystemExit(f"adding 100 new articles did not add 100: {summary}")
    return {"documents": 100, "wall_s": round(run.wall_s, 2), "cpu_s": round(run.cpu_s, 2), "peak_rss_mb": round(run.peak_rss_mb), "summary": summary}


def run_scale(work: Path, sizes: str) -> None:
    """``scale.py`` at ``sizes``, its corpora, indexes and results kept under ``work/scale``."""
    import scale  # imports this module: not at the top

    scale.run(scale.parser().parse_args(["--work", str(work / "scale"), "--sizes", sizes]))


def check(results: dict) -> list[dict]:
    ours = results["systems"][0]
    whoosh = results["systems"][1]
    measured = {
        "build_s": ours["build_s"],
        "query_p95_ms": ours["p95_ms"],
        "cold_ratio": results["cold_query"]["ratio"],
        "size_ratio": round(ours["index_mb"] / whoosh["index_mb"], 2),
        "peak_rss_mb": ours["peak_rss_mb"],
        "add100_s": results["add_100"]["wall_s"],
    }
    return [
        {"target": name, "limit": TARGETS[name], "measured": value, "holds": value <= TARGETS[name]}
        for name, value in measured.items()
    ]


def systems_table(rows: list[dict]) -> str:
    lines = [
        "| system | documents | build (wall) | build CPU (all processes) | docs/s | peak RSS | index size | query p50 / p95 (top 10 + snippets) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        lines.append(
            f"| {row['system']} | {row['documents']:,} | {row['build_s']} s | {row['build_cpu_s']} s | {row['docs_per_s']:,} "
            f"| {row['peak_rss_mb']:,} MB | {row['index_mb']} MB | {row['p50_ms']} / {row['p95_ms']} ms |"
        )
    return "\n".join(lines)


def cold_line(cold: dict) -> str:
    """The cold-process sentence of both reports (full run and ``--reuse``)."""
    return (
        f"Cold process, median of {cold['runs']}: `search query` {cold['ours_s']} s, minimal Whoosh script "
        f"{cold['minimal_whoosh_s']} s (ratio {cold['ratio']})."
    )


def table(results: dict) -> str:
    lines = [systems_table(results["systems"])]
    cold = results["cold_query"]
    lines += [
        "",
        cold_line(cold),
        f"Adding 100 new articles to the full index (`search index add`, whole process): {results['add_100']['wall_s']} s.",
        "",
    ]
    lines += measure.md_table(["target", "limit", "measured", "holds"],
                      [[t["target"], t["limit"], t["measured"], "yes" if t["holds"] else "NO"] for t in results["targets"]])
    m = results["machine"]
    lines += [
        "",
        f"Machine: {m['nproc']} CPUs ({m['cpu']}), Python {m['python']}; load average "
        f"{results['load_before']} before, {results['load_after']} after.",
    ]
    return "\n".join(lines)


def query_part(results: dict, queries: list[str], folder: Path, cold_repeat: int) -> None:
    """Warm latency of the three systems and the cold process ratio, on indexes built before."""
    folders = {name: folder / name for _, name, _ in SYSTEMS}
    for path in folders.values():
        if not path.exists():
            raise SystemExit(f"--reuse: no {path}: build once with --work {folder}")
    warm = warm_latencies(folders, queries)
    results["latency"] = [{"system": label, **warm[name]} for label, name, _ in SYSTEMS]
    results["cold_query"] = cold_queries(queries[:3], folder / "ours", folder / "whoosh", cold_repeat)
    results["load_after"] = os.getloadavg()
    lines = measure.md_table(
        ["system", "query p50 / p95 wall (top 10 + snippets)", "CPU p50 / p95"],
        [[r["system"], f"{r['p50_ms']} / {r['p95_ms']} ms", f"{r['cpu_p50_ms']} / {r['cpu_p95_ms']} ms"]
         for r in results["latency"]],
    )
    cold = results["cold_query"]
    lines += [
        "",
        cold_line(cold),
        f"Load average {results['load_before']} before, {results['load_after']} after.",
    ]
    print("\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int, help="use only the first N articles")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--cold-repeat", type=int, default=5)
    parser.add_argument("--scale", action="store_true", help="also run benchmarks/scale.py (to 1M articles) under WORK/scale")
    parser.add_argument("--scale-sizes", default="30000,120000,500000,1000000",
                        help="article counts of the scale runs (default 30000,120000,500000,1000000)")
    parser.add_argument("--scale-only", action="store_true", help="only the scale runs (no peers at the corpus size)")
    parser.add_argument("--work", type=Path, help="scratch folder (default: a temporary one, removed at the end)")
    parser.add_argument("--reuse", type=Path, help="only the query part (warm and cold) on DIR/ours, DIR/whoosh and DIR/fts5 built before")
    parser.add_argument("--out", type=Path, default=OUT / "speed.json")
    args = parser.parse_args()
    if not args.corpus.exists():
        raise SystemExit(f"no corpus at {args.corpus}: pass --corpus PATH (a .jsonl or .jsonl.gz)")

    if (args.scale or args.scale_only) and not args.work:
        raise SystemExit("--scale keeps its corpora and indexes: pass --work DIR")
    work = args.work or Path(tempfile.mkdtemp(prefix="speed-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        records = peers.records(args.corpus)
        if args.limit:
            records = records[: args.limit]
        corpus = write_jsonl(records, work / "corpus.jsonl", len(records)) if args.limit else args.corpus
        queries = make_queries(records, args.queries, args.seed)
        results: dict = {"machine": measure.machine(), "load_before": os.getloadavg(), "corpus": str(args.corpus),
                         "queries": queries[:5] + ["…"]}
        if args.reuse:
            query_part(results, queries, args.reuse, args.cold_repeat)
            results["command"] = " ".join(["python", "benchmarks/speed.py"] + sys.argv[1:])
            args.out.parent.mkdir(parents=True, exist_ok=True)
            args.out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
            return
        if args.scale_only:
            run_scale(work, args.scale_sizes)
            return
        folders = {name: work / name for _, name, _ in SYSTEMS}
        for folder in folders.values():
            shutil.rmtree(folder, ignore_errors=True)

        print("building: ours", file=sys.stderr)
        ours_run = measure.run(search_command() + ["index", "add", str(corpus), "--index", str(folders["ours"])])
        print("building: plain Whoosh", file=sys.stderr)
        whoosh_run = measure.run([sys.executable, peers.__file__, "whoosh", str(corpus), str(folders["whoosh"])])
        print("building: SQLite FTS5", file=sys.stderr)
        fts_run = measure.run([sys.executable, peers.__file__, "fts5", str(corpus), str(folders["fts5"])])

        print("querying", file=sys.stderr)
        n = len(records)
        runs = {"ours": ours_run, "whoosh": whoosh_run, "fts5": fts_run}
        warm = warm_latencies(folders, queries)
        results["systems"] = [
            build_row(label, runs[name], n, folders[name], warm[name]) for label, name, _ in SYSTEMS
        ]
        print("cold queries", file=sys.stderr)
        results["cold_query"] = cold_queries(queries[:3], folders["ours"], folders["whoosh"], args.cold_repeat)
        print("adding 100", file=sys.stderr)
        results["add_100"] = add_new(records, folders["ours"], work)
        results["load_after"] = os.getloadavg()
        results["targets"] = check(results)
        results["command"] = " ".join(["python", "benchmarks/speed.py"] + sys.argv[1:])
        print(table(results))
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"\nwrote {args.out}", file=sys.stderr)
        if args.scale:
            run_scale(work, args.scale_sizes)
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
