"""Measure each ranking lever on arwikiqa dev or news-known-item: one setting changed at a time.

    .venv/bin/python benchmarks/levers.py                 # every lever below
    .venv/bin/python benchmarks/levers.py strict or-only  # only these
    .venv/bin/python benchmarks/levers.py --list
    .venv/bin/python benchmarks/levers.py --index /tmp/ix proximity-rerank=1   # reuse a built index
    .venv/bin/python benchmarks/levers.py --set news --index /tmp/news title-share=0

``--set news`` answers news-known-item's clean and respelled queries over the whole
SaudiNewsNet corpus (benchmarks/quality.md) instead of arwikiqa dev: one row per query
set, with nDCG@10 by query length (words of the clean query) in place of per source.

Every lever is also scored on two halves of dev, split by a hash of the query id
(``half``): settings are chosen on one half and checked on the other, so a lever that
helps only one half shows up as the noise it is. Per-query ranking is not tuned here.

A lever is a :class:`search.RankingSettings` made from the shipped defaults with
:func:`dataclasses.replace` (:func:`vary`), queried through
``SearchIndex(settings=...).ranked``, the path ``search query`` uses; every lever reuses
one index. Index-time analysis (stemming, stop words) is pickled into the index and is
not a setting: benchmarks/quality.md says where its last measurements are.
Results: a table on stdout and benchmarks/out/levers.json. Numbers land in quality.md.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
EVAL = ROOT.parent / "shared" / "eval" / "arwikiqa"
NEWS = ROOT.parent / "shared" / "eval" / "news-known-item"
#: Query set name → (corpus, [(label, queries, qrels)]); news lengths come from the clean queries.
SETS = {
    "arwikiqa": (EVAL / "corpus.jsonl", [("dev", EVAL / "queries-dev.jsonl", EVAL / "qrels-dev.tsv")]),
    "news": (ROOT.parent / "shared" / "corpus" / "saudinewsnet" / "articles.jsonl.gz",
             [("clean", NEWS / "queries-clean.jsonl", NEWS / "qrels.tsv"),
              ("respelled", NEWS / "queries-variant.jsonl", NEWS / "qrels.tsv")]),
}

#: name → changes from the defaults: {stage of RankingSettings: {field: value}}, and
#: "synonyms": False for an index without the shipped synonyms.
LEVERS: dict[str, dict] = {
    "defaults": {},
    # the ranking rule of issue 2: every word first for queries of up to N words
    "all-words-first (strict)": {"scoring": {"all_words_up_to": 1000}},
    "or-only (no tiers)": {"scoring": {"all_words_up_to": 1}},
    # exact-form twin fields, root fallback, proclitic variants
    "exact=0": {"words": {"exact_boost": 0.0}},
    "exact=0.25": {"words": {"exact_boost": 0.25}},
    "exact=1": {"words": {"exact_boost": 1.0}},
    "root=0": {"words": {"root_boost": 0.0}},
    "root=0.3": {"words": {"root_boost": 0.3}},
    "root=0.4": {"words": {"root_boost": 0.4}},
    "root=0.8": {"words": {"root_boost": 0.8}},
    "proclitic=0": {"words": {"proclitic_boost": 0.0}},
    "proclitic=0.25": {"words": {"proclitic_boost": 0.25}},
    "proclitic=0.75": {"words": {"proclitic_boost": 0.75}},
    "proclitic=1": {"words": {"proclitic_boost": 1.0}},
    # field weights
    "title=0.25": {"scoring": {"title_weight": 0.25}},
    "title=0.75": {"scoring": {"title_weight": 0.75}},
    "title=1": {"scoring": {"title_weight": 1.0}},
    "title=2": {"scoring": {"title_weight": 2.0}},
    # BM25
    "k1=0.5": {"scoring": {"k1": 0.5}},
    "k1=0.6": {"scoring": {"k1": 0.6}},
    "k1=0.7": {"scoring": {"k1": 0.7}},
    "k1=1.0": {"scoring": {"k1": 1.0}},
    "k1=1.6": {"scoring": {"k1": 1.6}},
    "k1=2.0": {"scoring": {"k1": 2.0}},
    "b=0.5": {"scoring": {"b": 0.5}},
    "b=0.6": {"scoring": {"b": 0.6}},
    "b=0.9": {"scoring": {"b": 0.9}},
    "b=1.0": {"scoring": {"b": 1.0}},
    "k1=0.9,b=0.5": {"scoring": {"k1": 0.9, "b": 0.5}},
    "k1=1.5,b=0.75": {"scoring": {"k1": 1.5, "b": 0.75}},
    # query words weighted by rarity (idf^0: off)
    "idf^0": {"scoring": {"idf_power": 0.0}},
    "idf^0.5": {"scoring": {"idf_power": 0.5}},
    "idf^1": {"scoring": {"idf_power": 1.0}},
    "idf^1.5": {"scoring": {"idf_power": 1.5}},
    "idf^2.5": {"scoring": {"idf_power": 2.5}},
    "idf^3": {"scoring": {"idf_power": 3.0}},
    "idf^4": {"scoring": {"idf_power": 4.0}},
    "root=0.2": {"words": {"root_boost": 0.2}},
    # the proximity rerank (search.rank.proximity)
    "proximity-rerank=0": {"proximity": {"weight": 0.0}},
    "proximity-rerank=0.25": {"proximity": {"weight": 0.25}},
    "proximity-rerank=0.75": {"proximity": {"weight": 0.75}},
    "proximity-rerank=1": {"proximity": {"weight": 1.0}},
    "proximity-rerank window=10": {"proximity": {"window": 10}},
    # question frames (search.query.questions): nouns after an interrogative dropped
    "no-question-frames": {"parse": {"frame_nouns": frozenset()}},
    # misspelled words met by their indexed neighbours (search.query.fuzzy)
    "fuzzy=0": {"near_words": {"weight": 0.0}},
    "fuzzy=0.25": {"near_words": {"weight": 0.25}},
    "fuzzy=1": {"near_words": {"weight": 1.0}},
    "fuzzy 2 edits from 5": {"near_words": {"long_from": 5}},
    "fuzzy 1 edit": {"near_words": {"long_from": 1000}},
    "fuzzy limit=1": {"near_words": {"limit": 1}},
    "fuzzy limit=6": {"near_words": {"limit": 6}},
    "fuzzy min-length=5": {"near_words": {"min_length": 5}},
    # synonyms
    "no-synonyms": {"synonyms": False},
    # the keyword-query rules (search.query.kind): off, every query ranks as a question;
    # arwikiqa's questions should barely notice (the few it reads as keywords move)
    "no-keyword-rules": {"keywords": {"enabled": False}},
    # a short headline of the words typed before a long one (search.rank.headline)
    "accusative=0": {"words": {"accusative_boost": 0.0}},
    "accusative=1": {"words": {"accusative_boost": 1.0}},
    "accusative=0.25": {"words": {"accusative_boost": 0.25}},
    "title-share=0": {"keywords": {"title_share": 0.0}},
    "title-share=0.15": {"keywords": {"title_share": 0.15}},
    "title-share=0.5": {"keywords": {"title_share": 0.5}},
    "title-share=1": {"keywords": {"title_share": 1.0}},
    # the other headline factors of keyword queries: typed words next to each other, forms typed
    "order-window=2": {"keywords": {"order_window": 2}},
    "order-window=5": {"keywords": {"order_window": 5}},
    "as-typed=2": {"keywords": {"as_typed": 2.0}},
}


def vary(changes: dict):
    """The default :class:`RankingSettings` with ``changes`` ({stage: {field: value}})."""
    from search import RankingSettings

    default = RankingSettings()
    stages = {stage: replace(getattr(default, stage), **fields) for stage, fields in changes.items() if stage != "synonyms"}
    return replace(default, **stages)


def build(folder: Path, corpus: Path) -> None:
    from search import SearchIndex

    with SearchIndex(folder) as ix:
        ix.add([corpus])


def half(qid: str) -> str:
    """"A" or "B": a stable split of the queries that no setting can be fitted to."""
    return "AB"[hashlib.md5(qid.encode()).digest()[0] & 1]


def measure_lever(folder: Path, changes: dict, queries, qrels, lengths: dict[str, int] | None = None) -> dict:
    from search import SearchIndex
    from search.evaluate import measure, run_queries

    start = time.perf_counter()
    cpu = time.process_time()
    with SearchIndex(folder, default_synonyms=changes.get("synonyms", True), settings=vary(changes)) as ix:
        run, _ = run_queries(ix, queries)
    cpu = time.process_time() - cpu
    result = measure(qrels, run).to_json()
    for name in "AB":
        part = {qid: ranked for qid, ranked in run.items() if half(qid) == name}
        result[f"half {name}"] = measure(qrels, part).to_json()["overall"]
    for n in sorted(set((lengths or {}).values())):
        part = {qid: ranked for qid, ranked in run.items() if lengths.get(qid) == n}
        result[f"{n} words"] = measure(qrels, part).to_json()["overall"]
    result["seconds"] = round(time.perf_counter() - start, 1)
    result["cpu ms per query"] = round(1000 * cpu / len(queries), 2)
    return result


def _jsonable(value):
    """Changes that JSON cannot hold as they are (word sets) are written as lists."""
    return sorted(value) if isinstance(value, (set, frozenset)) else str(value)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("levers", nargs="*", help="lever names (default: all)")
    parser.add_argument("--list", action="store_true")
    parser.add_argument("--index", type=Path, help="an index of the corpus built with the defaults (reused)")
    parser.add_argument("--set", choices=sorted(SETS), default="arwikiqa", help="the query sets (default: arwikiqa)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out" / "levers.json")
    args = parser.parse_args()
    if args.list:
        for name, changes in LEVERS.items():
            print(f"{name:<20} {changes}")
        return
    corpus, query_sets = SETS[args.set]
    missing = [str(p) for p in (corpus, *(f for _, *files in query_sets for f in files)) if not p.exists()]
    if missing:
        sys.exit(f"not found: {', '.join(missing)} (the evaluation sets live in ../shared)")
    from search.evaluate import read_qrels, read_queries

    loaded = [(label, read_queries(queries), read_qrels(qrels)) for label, queries, qrels in query_sets]
    lengths = {q.id: len(q.text.split()) for q in loaded[0][1]} if args.set == "news" else None
    names = args.levers or list(LEVERS)
    results: dict = {}
    with tempfile.TemporaryDirectory(prefix="levers-") as tmp:
        shared = args.index or Path(tmp) / "index"
        detail = "nDCG@10 by words" if lengths else "per source nDCG@10"
        print(f"{'lever':<28}{'nDCG@10':>9}{'RR@10':>8}{'R@100':>8}{'A nDCG':>8}{'B nDCG':>8}{'A R100':>8}{'B R100':>8}{'cpu ms/q':>9}  {detail}", flush=True)
        for name in names:
            changes = LEVERS[name]
            if not shared.exists():
                build(shared, corpus)  # no lever changes the index
            for label, queries, qrels in loaded:
                result = measure_lever(shared, changes, queries, qrels, lengths)
                row = name if len(loaded) == 1 else f"{name} ({label})"
                results[row] = {"changes": changes, **result}
                o = result["overall"]
                if lengths:
                    per = " ".join(f"{n}w={result[f'{n} words']['nDCG@10']:.4f}" for n in sorted(set(lengths.values())))
                else:
                    per = " ".join(f"{p}={v['nDCG@10']:.3f}" for p, v in result["by_prefix"].items())
                a, b = result["half A"], result["half B"]
                print(
                    f"{row:<28}{o['nDCG@10']:>9.4f}{o['RR@10']:>8.4f}{o['R@100']:>8.4f}"
                    f"{a['nDCG@10']:>8.4f}{b['nDCG@10']:>8.4f}{a['R@100']:>8.4f}{b['R@100']:>8.4f}"
                    f"{result['cpu ms per query']:>9.2f}  {per}",
                    flush=True,
                )
                args.out.parent.mkdir(parents=True, exist_ok=True)
                args.out.write_text(json.dumps(results, ensure_ascii=False, indent=2, default=_jsonable))


if __name__ == "__main__":
    main()
