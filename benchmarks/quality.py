"""Ranking quality, ours against the peers, on every query set, all in one run.

    .venv/bin/pip install -e '.[bench]'          # tantivy, snowballstemmer
    .venv/bin/python benchmarks/quality.py --work DIR [--only WORD ...] [--out FILE]

Query sets (:data:`BENCHMARKS`):

* **news clean** / **news respelled**: news-known-item, 800 queries of two to five words
  of one article's headline, as written and as other writers or keyboards spell them,
  over the whole SaudiNewsNet corpus (29,899 articles); see
  ``../shared/eval/news-known-item/README.md``;
* **arwikiqa dev**: 2,861 questions over 1,981 Wikipedia passages.

Every system indexes the same records (title + body) of each corpus and answers each
query set; its top 100 per query are scored with ir-measures (nDCG@10, RR@10, R@100)
through ``search.evaluate.measure``, the code behind ``search eval``. Each row also has
nDCG@10 on the two halves of the queries split by a hash of the query id (the halves of
benchmarks/levers.py: a rule that helps one half only is noise) and, for the news sets,
nDCG@10 by query length (words of the clean query with the same id).

Ours: ``SearchIndex.add`` of the corpus file and ``search.evaluate.run_queries`` (the
``SearchIndex.ranked`` call of ``search eval`` and ``search query``, defaults included):
exactly what a user runs. The peers are in benchmarks/peers.py (``QUALITY_PEERS``).

``--work DIR`` keeps every built index there (``DIR/<system>-<corpus>``) and reuses it:
a peer's index is reused when its ``built.json`` names the same corpus file (size and
time), ours is brought up to date by ``SearchIndex.add`` (an unchanged file is skipped),
so ranking changes are measured again without rebuilding anything. The runs are written
as TREC runs to ``DIR/runs/``. Without ``--work`` everything is built in a temporary folder.
``--only`` keeps the systems and query sets whose names contain one of its words
(``--only ours news``: ours on both news sets; ``--only respelled``: every system there).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import peers  # noqa: E402
from levers import half  # noqa: E402

SHARED = ROOT.parent / "shared"
NEWS = SHARED / "eval" / "news-known-item"
ARWIKIQA = SHARED / "eval" / "arwikiqa"
#: Corpus name → file: one index per system and corpus, shared by its query sets.
CORPORA = {
    "news": SHARED / "corpus" / "saudinewsnet" / "articles.jsonl.gz",
    "arwikiqa": ARWIKIQA / "corpus.jsonl",
}
OURS = "ours (search eval defaults)"
LENGTHS = (2, 3, 4, 5)


@dataclass(frozen=True)
class Benchmark:
    name: str
    corpus: str
    queries: Path
    qrels: Path
    #: Queries whose words are counted for the by-length columns (None: no such columns).
    lengths_from: Path | None = None


BENCHMARKS = (
    Benchmark("news clean", "news", NEWS / "queries-clean.jsonl", NEWS / "qrels.tsv", NEWS / "queries-clean.jsonl"),
    Benchmark("news respelled", "news", NEWS / "queries-variant.jsonl", NEWS / "qrels.tsv", NEWS / "queries-clean.jsonl"),
    Benchmark("arwikiqa dev", "arwikiqa", ARWIKIQA / "queries-dev.jsonl", ARWIKIQA / "qrels-dev.tsv"),
)
SYSTEMS = [p.name for p in peers.QUALITY_PEERS] + [OURS]


def slug(system: str) -> str:
    return "ours" if system == OURS else next(p.slug for p in peers.QUALITY_PEERS if p.name == system)


def selected(names: list[str], words: list[str] | None) -> list[str]:
    """The names containing one of ``words``; all of them when no word names any."""
    if not words:
        return names
    chosen = [n for n in names if any(w.lower() in n.lower() for w in words)]
    return chosen or names


def corpus_stamp(path: Path) -> dict:
    stat = path.stat()
    return {"corpus": str(path), "size": stat.st_size, "mtime": stat.st_mtime}


class Indexes:
    """Where each system's index of each corpus lives, built on first use."""

    def __init__(self, work: Path):
        self.work = work
        self._records: dict[str, list] = {}

    def records(self, corpus: str) -> list:
        if corpus not in self._records:
            self._records[corpus] = peers.records(CORPORA[corpus])
        return self._records[corpus]

    def ensure(self, system: str, corpus: str) -> tuple[Path, float]:
        """(the index folder, seconds spent building it now: 0 when reused)."""
        folder = self.work / f"{slug(system)}-{corpus}"
        start = time.perf_counter()
        if system == OURS:
            from search import SearchIndex

            with SearchIndex(folder) as ix:
                report = ix.add([CORPORA[corpus]])
            built = report.added + report.updated + report.removed > 0
            return folder, time.perf_counter() - start if built else 0.0
        marker = folder / "built.json"
        stamp = corpus_stamp(CORPORA[corpus])
        if marker.exists() and json.loads(marker.read_text()) == stamp:
            return folder, 0.0
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        peer = next(p for p in peers.QUALITY_PEERS if p.name == system)
        peer.build(self.records(corpus), folder)
        marker.write_text(json.dumps(stamp))
        return folder, time.perf_counter() - start


def run_system(system: str, folder: Path, queries) -> dict:
    if system == OURS:
        from search import SearchIndex
        from search.evaluate import run_queries

        with SearchIndex(folder) as ix:
            return run_queries(ix, queries)[0]
    return next(p for p in peers.QUALITY_PEERS if p.name == system).run(folder, queries)


def score(bench: Benchmark, qrels: dict, run: dict) -> dict:
    """Overall measures, nDCG@10 of each half and (news) of each query length."""
    from search.evaluate import measure, read_queries

    result = {"overall": measure(qrels, run).to_json()["overall"]}
    for name in "AB":
        result[f"half {name}"] = measure(qrels, {q: r for q, r in run.items() if half(q) == name}).to_json()["overall"]
    if bench.lengths_from is not None:
        words = {q.id: len(q.text.split()) for q in read_queries(bench.lengths_from)}
        for n in LENGTHS:
            part = {q: r for q, r in run.items() if words.get(q) == n}
            if part:
                result[f"{n} words"] = measure(qrels, part).to_json()["overall"]
    return result


HEADER = f"{'system':<46}{'nDCG@10':>8}{'RR@10':>7}{'R@100':>7}{'A nDCG':>7}{'B nDCG':>7}" + "".join(
    f"{f'{n}w':>6}" for n in LENGTHS
) + f"{'build s':>8}{'ms/q':>7}"


def row(system: str, result: dict) -> str:
    o = result["overall"]
    lengths = "".join(
        f"{result[f'{n} words']['nDCG@10']:>6.3f}" if f"{n} words" in result else f"{'–':>6}" for n in LENGTHS
    )
    return (
        f"{system:<46}{o['nDCG@10']:>8.4f}{o['RR@10']:>7.4f}{o['R@100']:>7.4f}"
        f"{result['half A']['nDCG@10']:>7.4f}{result['half B']['nDCG@10']:>7.4f}{lengths}"
        f"{result['build seconds']:>8.1f}{result['ms per query']:>7.1f}"
    )


def machine() -> str:
    model = "unknown CPU"
    try:
        model = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return f"{model}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out" / "quality.json")
    parser.add_argument("--work", type=Path, help="keep built indexes (and runs) here and reuse them")
    parser.add_argument("--only", nargs="*", help="only systems / query sets whose names contain one of these words")
    args = parser.parse_args()
    names = SYSTEMS + [b.name for b in BENCHMARKS]
    unknown = [w for w in args.only or [] if not any(w.lower() in n.lower() for n in names)]
    if unknown:
        sys.exit(f"--only {' '.join(unknown)}: no system or query set by that name ({', '.join(names)})")
    benches = [b for b in BENCHMARKS if b.name in selected([b.name for b in BENCHMARKS], args.only)]
    systems = selected(SYSTEMS, args.only)
    missing = sorted({str(p) for b in benches for p in (b.queries, b.qrels, CORPORA[b.corpus]) if not p.exists()})
    if missing:
        sys.exit(f"not found: {', '.join(missing)} (the evaluation sets live in ../shared)")
    from search.evaluate import read_qrels, read_queries, write_run

    print(f"{time.strftime('%Y-%m-%d %H:%M %Z')}, {machine()}", flush=True)
    table: dict = {"machine": machine(), "date": time.strftime("%Y-%m-%d %H:%M %Z")}
    with tempfile.TemporaryDirectory(prefix="quality-") as tmp:
        work = args.work or Path(tmp)
        indexes = Indexes(work)
        for bench in benches:
            queries, qrels = read_queries(bench.queries), read_qrels(bench.qrels)
            print(f"\n{bench.name} ({len(queries)} queries)\n{HEADER}", flush=True)
            for system in systems:
                try:
                    folder, built = indexes.ensure(system, bench.corpus)
                    start = time.perf_counter()
                    run = run_system(system, folder, queries)
                except ImportError as exc:
                    print(f"{system:<46}  skipped: {exc} (pip install -e '.[bench]')", flush=True)
                    continue
                result = score(bench, qrels, run)
                result["build seconds"] = round(built, 1)
                result["ms per query"] = round(1000 * (time.perf_counter() - start) / len(queries), 1)
                table.setdefault(bench.name, {})[system] = result
                print(row(system, result), flush=True)
                if args.work:
                    (work / "runs").mkdir(parents=True, exist_ok=True)
                    write_run(work / "runs" / f"{bench.name.replace(' ', '-')}--{slug(system)}.run", run)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(table, ensure_ascii=False, indent=2))
    print(f"written: {args.out}")


if __name__ == "__main__":
    main()
