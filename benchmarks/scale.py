"""Scale to a million articles: build, memory, size and queries at each size, indexes kept.

For each size (default 30k, 120k, 500k, 1M) of the rewritten archive of
``scale_corpus.py``: our build with ``search index add`` (wall and CPU seconds of the
whole process tree, its peak summed RSS, the load average sampled every
:data:`LOAD_EVERY` seconds while it runs), the index size, warm latency of
``speed.py``'s 200 two-word title queries (top 10 with snippets), a cold ``search
query`` process, and adding 100 new articles; plain Whoosh beside ours at the sizes of
``--whoosh-sizes``. Everything is kept under ``--work``: the JSONL files, the indexes
(``ours-SIZE``, ``whoosh-SIZE``) and one result file per size and step, so a run can
be resumed, several sizes can run in separate processes, and ``--queries-only`` times
another tree's queries on the indexes built before::

    .venv/bin/python benchmarks/scale.py --work /tmp/x1/scale --sizes 30000,120000 --whoosh-sizes 30000,120000
    .venv/bin/python benchmarks/scale.py --work /tmp/x1/scale --sizes 1000000 &      # another process
    /work/p1/.venv/bin/python benchmarks/scale.py --work /tmp/x1/scale --queries-only --sizes 1000000  # p1's code
    .venv/bin/python benchmarks/scale.py --work /tmp/x1/scale --table               # the Markdown table

Adding 100 articles runs on a hard-linked copy of the index (``cp -al``), and the kept
index's files are checked unchanged afterwards, so the indexes stay as built.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import measure  # noqa: E402
import peers  # noqa: E402
import scale_corpus  # noqa: E402
import search  # noqa: E402
import speed  # noqa: E402

SIZES = (30_000, 120_000, 500_000, 1_000_000)
WHOOSH_SIZES = (30_000, 120_000)
#: Seconds between two samples of the load average during a build.
LOAD_EVERY = 15.0


#: The product's code: what an index or a query time depends on (benchmarks/ aside).
PRODUCT = ("search", "index", "cli.py", "pyproject.toml")
#: The tree whose ``search`` package this interpreter imports (another worktree's venv
#: times that worktree's code with this script).
PRODUCT_TREE = Path(search.__file__).resolve().parent.parent


def commit() -> str:
    """The last commit that changed the product's code, ``+dirty`` when it has uncommitted changes."""
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=PRODUCT_TREE, capture_output=True, text=True).stdout.strip()
    dirty = git("status", "--porcelain", "--untracked-files=no", "--", *PRODUCT)
    return git("log", "-1", "--format=%h", "--", *PRODUCT) + ("+dirty" if dirty else "")


def stamp() -> dict:
    return {"utc": time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime()), "load": os.getloadavg()}


def save(work: Path, name: str, result: dict) -> None:
    folder = work / "results"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.json").write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def load(work: Path, name: str) -> dict | None:
    path = work / "results" / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def corpus_file(work: Path, size: int, corpus_of) -> Path:
    """``work/scale-SIZE.jsonl``, written here unless another process is writing it
    (``scale_corpus.py --docs 120000,1000000 --out WORK`` writes several in one pass)."""
    path = work / f"scale-{size}.jsonl"
    tmp = path.with_name(path.name + ".tmp")
    while not path.exists() and tmp.exists() and time.time() - tmp.stat().st_mtime < 120:
        time.sleep(10)
    if not path.exists():
        started = time.perf_counter()
        corpus_of().write({size: path})
        print(f"  wrote {path} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return path


def complete(result: dict | None) -> bool:
    """A build that ended well: it returned 0 and said how many articles it added."""
    return bool(result) and not result.get("failed") and result.get("added") is not None


def build(cmd: list[str], folder: Path, size: int) -> dict:
    """Run one build, sampling the load average beside the process tree's memory."""
    shutil.rmtree(folder, ignore_errors=True)
    loads: list[tuple[float, float]] = []

    def watch(_pid: int, seconds: float) -> None:
        if not loads or seconds - loads[-1][0] >= LOAD_EVERY:
            loads.append((round(seconds), os.getloadavg()[0]))

    start = stamp()
    run = measure.run(cmd, watch=watch, interval=0.25)
    if run.returncode != 0:
        return {"failed": True, "returncode": run.returncode, "wall_s": round(run.wall_s, 1),
                "cpu_s": round(run.cpu_s, 1), "peak_rss_mb": round(run.peak_rss_mb),
                "stderr_tail": run.stderr[-3000:], "start": start, "end": stamp()}
    mb = measure.folder_mb(folder)
    last = (run.stderr.strip().splitlines() or [""])[-1] if "index" in cmd else run.stdout.strip()
    first = last.split()[0].replace(",", "") if last.split() else ""
    added = int(first) if first.isdigit() else None
    return {
        "documents": size,
        "added": added,
        "build_s": round(run.wall_s, 1),
        "build_cpu_s": round(run.cpu_s, 1),
        "s_per_1k": round(run.wall_s / size * 1000, 2),
        "cpu_s_per_1k": round(run.cpu_s / size * 1000, 2),
        "peak_rss_mb": round(run.peak_rss_mb),
        "index_mb": round(mb, 1),
        "bytes_per_article": round(mb * 1e6 / size),
        "summary": last,
        "load_during": {"min": round(min(v for _, v in loads), 1), "median": round(statistics.median(v for _, v in loads), 1),
                        "max": round(max(v for _, v in loads), 1)} if loads else None,
        "load_samples": [(t, round(v, 2)) for t, v in loads],
        "start": start,
        "end": stamp(),
    }


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.rglob("*") if p.is_file()}


def add_100(records, ours: Path, work: Path) -> dict:
    """Adding 100 new articles, on a hard-linked copy of the kept index."""
    copy, scratch = work / f"{ours.name}-add100", work / f"{ours.name}-add100-input"
    for folder in (copy, scratch):
        shutil.rmtree(folder, ignore_errors=True)
    subprocess.run(["cp", "-al", str(ours), str(copy)], check=True)
    scratch.mkdir()
    before = snapshot(ours)
    try:
        result = speed.add_new(records, copy, scratch)
    finally:
        for folder in (copy, scratch):
            shutil.rmtree(folder, ignore_errors=True)
    changed = sorted(name for name, seen in snapshot(ours).items() if before.get(name) != seen)
    return {**result, "kept_index_changed": changed}


def query_part(size: int, records, queries: list[str], work: Path, cold_repeat: int) -> dict:
    """Warm and cold latency of ours (and plain Whoosh where built), then adding 100."""
    ours, whoosh = work / f"ours-{size}", work / f"whoosh-{size}"
    has_whoosh = complete(load(work, f"whoosh-{size}"))
    result: dict = {"start": stamp(), "commit": commit(), "queries": len(queries)}
    if has_whoosh:
        result["whoosh_warm"] = measure.latencies(peers.WhooshSearcher(whoosh).query, queries)
    result["ours_warm"] = measure.latencies(speed.ours_query(ours), queries)
    result["cold"] = speed.cold_queries(queries[:3], ours, whoosh if has_whoosh else None, cold_repeat)
    result["add_100"] = add_100(records, ours, work)
    result["end"] = stamp()
    return result


def run_size(size: int, args, corpus_of, records, queries: list[str]) -> None:
    work = args.work
    if not args.queries_only:
        if not complete(load(work, f"ours-{size}")):
            path = corpus_file(work, size, corpus_of)
            print(f"building ours at {size:,}", file=sys.stderr)
            cmd = speed.search_command() + ["index", "add", str(path), "--index", str(work / f"ours-{size}")]
            save(work, f"ours-{size}", {**build(cmd, work / f"ours-{size}", size), "commit": commit()})
            write_notes(work)
        if size in args.whoosh_sizes and not complete(load(work, f"whoosh-{size}")):
            path = corpus_file(work, size, corpus_of)
            print(f"building plain Whoosh at {size:,}", file=sys.stderr)
            cmd = [sys.executable, peers.__file__, "whoosh", str(path), str(work / f"whoosh-{size}")]
            save(work, f"whoosh-{size}", {**build(cmd, work / f"whoosh-{size}", size), "commit": commit()})
            write_notes(work)
    if not complete(load(work, f"ours-{size}")):
        print(f"no complete index at {size:,}: queries skipped", file=sys.stderr)
        return
    print(f"querying at {size:,}", file=sys.stderr)
    save(work, f"queries-{size}-{args.tag or commit()}", query_part(size, records, queries, work, args.cold_repeat))


def write_notes(work: Path) -> None:
    """NOTES.txt: which kept indexes are complete, built by which commit, which are not."""
    lines = ["Indexes of benchmarks/scale.py (complete = the build returned 0; commit = last commit of the "
             "product code, search/ index/ cli.py).", ""]
    folders = [p for p in work.glob("*-[0-9]*") if p.is_dir() and re.fullmatch(r"(ours|whoosh)-\d+", p.name)]
    for folder in sorted(folders, key=lambda p: (p.name.split("-")[0], int(p.name.split("-")[1]))):
        r = load(work, folder.name)
        if r is None:
            lines.append(f"{folder}: NOT COMPLETE (a build in progress, or interrupted: no result file)")
            continue
        state = "complete" if complete(r) else "FAILED"
        lines.append(f"{folder}: {state}, commit {r.get('commit')}, built {r['start']['utc']}–{r['end']['utc']} UTC; "
                     f"{r.get('summary', '')}")
    (work / "NOTES.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def merge(work: Path) -> None:
    """Every result under ``work`` in one file, ``benchmarks/out/scale.json`` (not in git)."""
    out = speed.OUT / "scale.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    results = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted((work / "results").glob("*.json"))}
    out.write_text(json.dumps({"machine": measure.machine(), "work": str(work), "results": results},
                              ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def latest(work: Path, pattern: str) -> dict | None:
    found = sorted((work / "results").glob(f"{pattern}.json"), key=lambda p: p.stat().st_mtime)
    return json.loads(found[-1].read_text(encoding="utf-8")) if found else None


def table(work: Path, tag: str | None) -> str:
    """The Markdown table of every size with results under ``work``."""
    lines = measure.md_table(
        ["system", "articles", "build wall (s / 1k)", "build CPU (s / 1k)", "load during build", "peak RSS",
         "index (bytes / article)", "warm p50 / p95 wall", "warm p50 / p95 CPU", "cold query", "add 100"], [])
    names = sorted({int(p.stem.split("-")[1]) for p in (work / "results").glob("*-*.json")})
    for size in names:
        for system in ("ours", "whoosh"):
            b = load(work, f"{system}-{size}")
            if not b:
                continue
            q = load(work, f"queries-{size}-{tag}") if tag else latest(work, f"queries-{size}-*")
            q = q or {}
            warm = q.get(f"{system}_warm")
            cold = q.get("cold", {})
            cold_s = cold.get("ours_s" if system == "ours" else "minimal_whoosh_s")
            if not complete(b):
                lines.append(f"| {system} | {size:,} | FAILED or incomplete after {b.get('wall_s', b.get('build_s'))} s "
                             f"(see results/{system}-{size}.json) | | | | | | | | |")
                continue
            ld = b.get("load_during") or {}
            lines.append(
                f"| {'ours' if system == 'ours' else 'plain Whoosh'} | {size:,} | {b['build_s']:,} s ({b['s_per_1k']}) "
                f"| {b['build_cpu_s']:,} s ({b['cpu_s_per_1k']}) | {ld.get('min')}–{ld.get('max')} | {b['peak_rss_mb']:,} MB "
                f"| {b['index_mb']:,} MB ({b['bytes_per_article']:,}) "
                f"| {f'''{warm['p50_ms']} / {warm['p95_ms']} ms | {warm['cpu_p50_ms']} / {warm['cpu_p95_ms']} ms''' if warm else '– | –'} "
                f"| {f'{cold_s} s' if cold_s else '–'} "
                f"| {f'''{q['add_100']['wall_s']} s''' if system == 'ours' and q.get('add_100') else '–'} |"
            )
    return "\n".join(lines)


def parser() -> argparse.ArgumentParser:
    sizes = lambda v: [int(x) for x in v.split(",") if x]  # noqa: E731
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, required=True, help="folder of the corpora, indexes and results (kept)")
    parser.add_argument("--sizes", type=sizes, default=list(SIZES))
    parser.add_argument("--whoosh-sizes", type=sizes, default=list(WHOOSH_SIZES))
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--cold-repeat", type=int, default=3)
    parser.add_argument("--queries-only", action="store_true", help="only the query part, on the indexes built before")
    parser.add_argument("--tag", help="name of this tree's query results (default: the product's commit); "
                        "with --table, whose results to show (default: the latest of each size)")
    parser.add_argument("--base-limit", type=int, help="use only the first N base articles (quick tests)")
    parser.add_argument("--table", action="store_true", help="only print the table of the results under --work (and refresh NOTES.txt)")
    return parser


def run(args: argparse.Namespace) -> None:
    if args.table:
        write_notes(args.work)
        print(table(args.work, args.tag))
        merge(args.work)
        return
    if not speed.DEFAULT_CORPUS.exists():
        raise SystemExit(f"no corpus at {speed.DEFAULT_CORPUS}: the scale benchmark needs ../shared's SaudiNewsNet")
    args.work.mkdir(parents=True, exist_ok=True)
    records = peers.records(speed.DEFAULT_CORPUS)[: args.base_limit]
    queries = speed.make_queries(records, args.queries, args.seed)
    cached: list = []

    def corpus_of() -> scale_corpus.ScaleCorpus:
        if not cached:
            cached.append(scale_corpus.ScaleCorpus(scale_corpus.base_records()[: args.base_limit]))
        return cached[0]

    for size in args.sizes:
        run_size(size, args, corpus_of, records, queries)
    print(table(args.work, args.tag))
    merge(args.work)


if __name__ == "__main__":
    run(parser().parse_args())
