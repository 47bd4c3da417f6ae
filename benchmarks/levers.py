"""Measure each ranking lever on arwikiqa dev: one setting changed at a time.

    .venv/bin/python benchmarks/levers.py                 # every lever below
    .venv/bin/python benchmarks/levers.py strict or-only  # only these
    .venv/bin/python benchmarks/levers.py --list
    .venv/bin/python benchmarks/levers.py --index /tmp/ix proximity=1   # reuse a built index

Every lever is also scored on two halves of dev, split by a hash of the query id
(``half``): settings are chosen on one half and checked on the other, so a lever that
helps only one half shows up as the noise it is. Per-query ranking is not tuned here.

A lever is a set of overrides of module-level settings (``index.analysis.stemming.MIN_STEM``,
``search.rank.ranking.K1`` …) applied on top of the shipped defaults. Query-time levers
reuse one index; a lever that touches ``index.*`` (analysis) gets its own fresh index.
Every query goes through ``SearchIndex.ranked``, the path ``search query`` uses.
Results: a table on stdout and benchmarks/out/levers.json. Numbers land in quality.md.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
EVAL = ROOT.parent / "shared" / "eval" / "arwikiqa"

_ABSENT = object()  # a dict entry the defaults do not set (restored by deleting it)

#: name → overrides ("module.ATTR" → value; "module.DICT[key]" sets one dict entry).
LEVERS: dict[str, dict] = {
    "defaults": {},
    # the ranking rule of issue 2: every word first for queries of up to N words
    "all-words-first (strict)": {"search.rank.ranking.ALL_WORDS_UP_TO": 1000},
    "or-only (no tiers)": {"search.rank.ranking.ALL_WORDS_UP_TO": 1},
    # exact-form twin fields, root fallback, proclitic variants
    "exact=0": {"search.query.parsing.EXACT_BOOST": 0.0},
    "exact=1": {"search.query.parsing.EXACT_BOOST": 1.0},
    "root=0": {"search.query.parsing.ROOT_BOOST": 0.0},
    "root=0.3": {"search.query.parsing.ROOT_BOOST": 0.3},
    "proclitic=0": {"search.query.parsing.PROCLITIC_BOOST": 0.0},
    "proclitic=1": {"search.query.parsing.PROCLITIC_BOOST": 1.0},
    # field weights
    "title=1": {"index.schema.SEARCH_FIELDS[title]": 1.0},
    "title=2": {"index.schema.SEARCH_FIELDS[title]": 2.0},
    "title=0.25": {"index.schema.SEARCH_FIELDS[title]": 0.25},
    # BM25
    "k1=0.9,b=0.5": {"search.rank.ranking.K1": 0.9, "search.rank.ranking.B": 0.5},
    "k1=1.5,b=0.75": {"search.rank.ranking.K1": 1.5, "search.rank.ranking.B": 0.75},
    "k1=0.8": {"search.rank.ranking.K1": 0.8},
    "k1=1.0": {"search.rank.ranking.K1": 1.0},
    "k1=1.6": {"search.rank.ranking.K1": 1.6},
    "k1=2.0": {"search.rank.ranking.K1": 2.0},
    "b=0.5": {"search.rank.ranking.B": 0.5},
    "b=0.6": {"search.rank.ranking.B": 0.6},
    "b=0.9": {"search.rank.ranking.B": 0.9},
    "b=1.0": {"search.rank.ranking.B": 1.0},
    "k1=0.5": {"search.rank.ranking.K1": 0.5},
    "k1=0.6": {"search.rank.ranking.K1": 0.6},
    "k1=0.7": {"search.rank.ranking.K1": 0.7},
    "k1=0.8,b=0.6": {"search.rank.ranking.K1": 0.8, "search.rank.ranking.B": 0.6},
    "k1=0.8,b=0.9": {"search.rank.ranking.K1": 0.8, "search.rank.ranking.B": 0.9},
    "idf^0.5": {"search.rank.ranking.IDF_POWER": 0.5},
    "idf^1": {"search.rank.ranking.IDF_POWER": 1.0},
    "idf^2": {"search.rank.ranking.IDF_POWER": 2.0},
    "idf^1.5": {"search.rank.ranking.IDF_POWER": 1.5},
    "idf^2.5": {"search.rank.ranking.IDF_POWER": 2.5},
    "idf^3": {"search.rank.ranking.IDF_POWER": 3.0},
    "idf^4": {"search.rank.ranking.IDF_POWER": 4.0},
    "idf^2,k1=0.8": {"search.rank.ranking.IDF_POWER": 2.0, "search.rank.ranking.K1": 0.8},
    "idf^3,k1=0.8": {"search.rank.ranking.IDF_POWER": 3.0, "search.rank.ranking.K1": 0.8},
    "idf^2,root=0.3": {"search.rank.ranking.IDF_POWER": 2.0, "search.query.parsing.ROOT_BOOST": 0.3},
    "idf^2,root=0.2": {"search.rank.ranking.IDF_POWER": 2.0, "search.query.parsing.ROOT_BOOST": 0.2},
    "idf^2,k1=0.8,root=0.4": {"search.rank.ranking.IDF_POWER": 2.0, "search.rank.ranking.K1": 0.8, "search.query.parsing.ROOT_BOOST": 0.4},
    "idf^2,k1=0.8,root=0.8": {"search.rank.ranking.IDF_POWER": 2.0, "search.rank.ranking.K1": 0.8, "search.query.parsing.ROOT_BOOST": 0.8},
    # proximity of neighbouring query words
    "proximity-rerank=0": {"search.rank.proximity.WEIGHT": 0.0},
    "proximity-rerank=1": {"search.rank.proximity.WEIGHT": 1.0},
    "proximity-rerank window=10": {"search.rank.proximity.WINDOW": 10},
    "proximity-rerank=0.25": {"search.rank.proximity.WEIGHT": 0.25},
    "proximity-rerank=0.75": {"search.rank.proximity.WEIGHT": 0.75},
    "exact=0.25": {"search.query.parsing.EXACT_BOOST": 0.25},
    "proclitic=0.25": {"search.query.parsing.PROCLITIC_BOOST": 0.25},
    "proclitic=0.75": {"search.query.parsing.PROCLITIC_BOOST": 0.75},
    "title=0.75": {"index.schema.SEARCH_FIELDS[title]": 0.75},
    "root=0.8": {"search.query.parsing.ROOT_BOOST": 0.8},
    "root=0.4": {"search.query.parsing.ROOT_BOOST": 0.4},
    # question frames (search.query.questions): nouns after an interrogative dropped
    "no-question-frames": {"search.query.questions.FRAME_NOUNS": frozenset()},
    # misspelled words met by their indexed neighbours (search.query.fuzzy)
    "fuzzy=0": {"search.query.fuzzy.WEIGHT": 0.0},
    "fuzzy=0.25": {"search.query.fuzzy.WEIGHT": 0.25},
    "fuzzy=1": {"search.query.fuzzy.WEIGHT": 1.0},
    "fuzzy 2 edits from 5": {"search.query.fuzzy.LONG_FROM": 5},
    "fuzzy 1 edit": {"search.query.fuzzy.LONG_FROM": 1000},
    "fuzzy limit=1": {"search.query.fuzzy.LIMIT": 1},
    "fuzzy limit=6": {"search.query.fuzzy.LIMIT": 6},
    "fuzzy min-length=5": {"search.query.fuzzy.MIN_LENGTH": 5},
    # synonyms
    "no-synonyms": {"synonyms": False},
    "no-body-exact": {"search.query.parsing.EXACT_FIELDS": {"title": "title_exact"}},
    # analysis (each gets a fresh index)
    "no-extra-stop-words": {"index.analysis.stopwords.EXTRA_STOP_WORDS": frozenset()},
    "min-stem=4": {"index.analysis.stemming.MIN_STEM": 4},
    "no-proclitic-rule": {"index.analysis.stemming.PROCLITICS": ""},
}




def apply(overrides: dict) -> dict:
    """Set each override, returning what to restore."""
    saved = {}
    for key, value in overrides.items():
        if key == "synonyms":
            continue
        target, _, attr = key.rpartition(".")
        module = importlib.import_module(target)
        if "[" in attr:
            name, entry = attr[:-1].split("[")
            table = getattr(module, name)
            saved[key] = table.get(entry, _ABSENT)
            if value is _ABSENT:
                table.pop(entry, None)
            else:
                table[entry] = value
        else:
            saved[key] = getattr(module, attr)
            setattr(module, attr, value)
    from index.analysis.stemming import root, stem
    from index.analysis.stopwords import stop_words

    stem.cache_clear()
    root.cache_clear()
    stop_words.cache_clear()
    return saved


def needs_own_index(overrides: dict) -> bool:
    return any(k.startswith("index.") and "SEARCH_FIELDS" not in k for k in overrides)


def build(folder: Path) -> None:
    from search import SearchIndex

    SearchIndex(folder).add([EVAL / "corpus.jsonl"])


def half(qid: str) -> str:
    """"A" or "B": a stable split of the queries that no setting can be fitted to."""
    return "AB"[hashlib.md5(qid.encode()).digest()[0] & 1]


def measure_lever(folder: Path, overrides: dict, queries, qrels) -> dict:
    from search import SearchIndex
    from search.evaluate import measure, run_queries

    start = time.perf_counter()
    cpu = time.process_time()
    with SearchIndex(folder, default_synonyms=overrides.get("synonyms", True)) as ix:
        run, _ = run_queries(ix, queries)
    cpu = time.process_time() - cpu
    result = measure(qrels, run).to_json()
    for name in "AB":
        part = {qid: ranked for qid, ranked in run.items() if half(qid) == name}
        result[f"half {name}"] = measure(qrels, part).to_json()["overall"]
    result["seconds"] = round(time.perf_counter() - start, 1)
    result["cpu ms per query"] = round(1000 * cpu / len(queries), 2)
    return result


def _jsonable(value):
    """Overrides that JSON cannot hold as they are (word sets) are written as lists."""
    return sorted(value) if isinstance(value, (set, frozenset)) else str(value)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("levers", nargs="*", help="lever names (default: all)")
    parser.add_argument("--list", action="store_true")
    parser.add_argument("--index", type=Path, help="an index of the corpus built with the defaults (reused)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out" / "levers.json")
    args = parser.parse_args()
    if args.list:
        for name, overrides in LEVERS.items():
            print(f"{name:<20} {overrides}")
        return
    if not EVAL.exists():
        sys.exit(f"{EVAL} not found: the arwikiqa evaluation set lives in ../shared")
    from search.evaluate import read_qrels, read_queries

    queries = read_queries(EVAL / "queries-dev.jsonl")
    qrels = read_qrels(EVAL / "qrels-dev.tsv")
    names = args.levers or list(LEVERS)
    results: dict = {}
    with tempfile.TemporaryDirectory(prefix="levers-") as tmp:
        shared = args.index or Path(tmp) / "defaults"
        print(f"{'lever':<20}{'nDCG@10':>9}{'RR@10':>8}{'R@100':>8}{'A nDCG':>8}{'B nDCG':>8}{'A R100':>8}{'B R100':>8}{'cpu ms/q':>9}  per source nDCG@10", flush=True)
        for name in names:
            overrides = LEVERS[name]
            saved = apply(overrides)
            try:
                if needs_own_index(overrides):
                    folder = Path(tmp) / name
                    build(folder)
                else:
                    folder = shared
                    if not folder.exists():
                        build(folder)  # query-time overrides do not change the index
                result = measure_lever(folder, overrides, queries, qrels)
            finally:
                apply(saved)
            results[name] = {"overrides": {k: v for k, v in overrides.items()}, **result}
            o = result["overall"]
            per = " ".join(f"{p}={v['nDCG@10']:.3f}" for p, v in result["by_prefix"].items())
            a, b = result["half A"], result["half B"]
            print(
                f"{name:<20}{o['nDCG@10']:>9.4f}{o['RR@10']:>8.4f}{o['R@100']:>8.4f}"
                f"{a['nDCG@10']:>8.4f}{b['nDCG@10']:>8.4f}{a['R@100']:>8.4f}{b['R@100']:>8.4f}"
                f"{result['cpu ms per query']:>9.2f}  {per}",
                flush=True,
            )
            args.out.parent.mkdir(parents=True, exist_ok=True)
            args.out.write_text(json.dumps(results, ensure_ascii=False, indent=2, default=_jsonable))


if __name__ == "__main__":
    main()
