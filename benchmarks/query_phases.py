"""Where a warm query's time goes: CPU per stage of the query pipeline, p50 / p95 / mean.

Why: to cut what grows with the collection, one must see which stage grows. This runs
``speed.py``'s 200 two-word title queries (seed 5) over one index, each once after ten
others warmed the searcher (as ``speed.py`` and ``topk_check.py`` time them), and
counts the process's CPU time inside each stage: parse, rewrite, match, order (the
tiers' scores where they are computed there, the proximity and headline-order reranks),
the story grouping, hits with snippets, "did you mean"; and, wherever they are called,
the postings read, Whoosh's own matchers (phrases) and the headline factors. A stage's
time includes the stages called inside it. ``PYTHONPATH``-free: the code tree timed is the one given, so
two trees can be compared in one sitting::

    .venv/bin/python benchmarks/query_phases.py --tree /work/main --index IX
    .venv/bin/python benchmarks/query_phases.py --tree . --index IX

The counters wrap module functions, so the tree must have them (names missing in an
older tree are skipped). The profiler is not used: it multiplies the cost of Python
calls, and the stages differ in how many they make.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import json
import os
import statistics
import sys
import time
from pathlib import Path

#: (module, attribute, label): the functions whose CPU time is counted, inclusive.
STAGES = (
    ("search.pipeline", "parse", "parse"),
    ("search.pipeline", "rewrite", "rewrite"),
    ("search.pipeline", "match", "match"),
    ("search.rank.scorer:ArrayScorer", "postings", "postings read (wherever asked)"),
    ("search.rank.scorer:ArrayScorer", "_whoosh", "Whoosh's matchers (phrases, wherever asked)"),
    ("search.rank.headline", "factors", "headline factors (wherever asked)"),
    ("search.pipeline", "order", "order (by relevance: tiers, scores, reranks)"),
    ("search.rank.scoring:Found", "scores_of", "order: scores of a tier"),
    ("search.rank.proximity", "rerank", "order: proximity rerank"),
    ("search.rank.title_order", "rerank", "order: headline word order"),
    ("search.present.stories", "count", "stories counted"),
    ("search.present.stories", "with_copies", "copies listed"),
    ("search.pipeline", "hits", "hits and snippets"),
    ("search.pipeline", "suggest", "did you mean"),
)


def wrap(counters: dict[str, float], stages=STAGES) -> None:
    for where, name, label in stages:
        module_name, _, owner = where.partition(":")
        target = importlib.import_module(module_name)
        target = getattr(target, owner) if owner else target
        function = getattr(target, name, None)
        if function is None:
            continue

        def timed(*args, _function=function, _label=label, **kwargs):
            start = time.process_time()
            try:
                return _function(*args, **kwargs)
            finally:
                counters[_label] = counters.get(_label, 0.0) + time.process_time() - start

        setattr(target, name, functools.wraps(function)(timed))


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tree", type=Path, required=True, help="the code tree to time")
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    sys.path.insert(0, str(args.tree.resolve()))
    sys.path.insert(1, str(Path(__file__).resolve().parent))
    import peers
    import speed
    from search import SearchIndex

    counters: dict[str, float] = {}
    wrap(counters)
    queries = speed.make_queries(peers.records(speed.DEFAULT_CORPUS), args.count, args.seed)
    ix = SearchIndex(args.index)
    for text in queries[:10]:
        ix.query(text + " الرياض", limit=10)  # not the queries timed
    rows = []
    for text in queries:
        counters.clear()
        start = time.process_time()
        ix.query(text, limit=10)
        rows.append(dict(counters, whole=time.process_time() - start))
    labels = ["whole"] + [label for _, _, label in STAGES if any(label in row for row in rows)]
    report = {"tree": str(args.tree), "index": str(args.index), "queries": len(queries), "load": os.getloadavg(),
              "ms": {}}
    for label in labels:
        values = [row.get(label, 0.0) * 1000 for row in rows]
        report["ms"][label] = [round(percentile(values, 50), 2), round(percentile(values, 95), 2),
                               round(statistics.fmean(values), 2)]
        print(f"{label:48s} p50 {report['ms'][label][0]:7.2f}  p95 {report['ms'][label][1]:7.2f}  "
              f"mean {report['ms'][label][2]:7.2f}")
    print(f"load {report['load']}")
    if args.out:
        args.out.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
