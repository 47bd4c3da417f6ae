"""Ranking quality, ours against the peers, on arwikiqa dev, all in one run.

    .venv/bin/pip install -e '.[bench]'          # tantivy, snowballstemmer
    .venv/bin/python benchmarks/quality.py [--out benchmarks/out/quality.json]

Every system indexes the same 1,981 passages (title + text) and answers the same 2,861
dev questions; its top 100 per query are scored with ir-measures (RR@10, nDCG@10,
R@100) through ``search.evaluate.measure``, the code behind ``search eval``.

Peers (BM25, OR of the query words over title and text, as in the issue's table):

* Whoosh ``StandardAnalyzer`` — no Arabic processing at all;
* SQLite FTS5, ``unicode61 remove_diacritics 2`` — ``bm25()``;
* Whoosh + Lucene-style normalization + tashaphyne ``light_stem`` with its defaults;
* Whoosh + Lucene-style normalization + Snowball Arabic (what Lucene-based engines do);
* tantivy + Snowball Arabic (tantivy's own ``stemmer("arabic")`` filter).

Ours: a fresh index built with ``SearchIndex.add`` and queried with
``SearchIndex.ranked``: exactly what ``search index add`` / ``search eval`` do, defaults
included (synonyms on).
"""

from __future__ import annotations

import argparse
import json
import re
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
EVAL = ROOT.parent / "shared" / "eval" / "arwikiqa"
DEPTH = 100

# -- Lucene-style Arabic normalization (ArabicNormalizationFilter), for the peers ----

_HARAKAT_TATWEEL = re.compile("[\u0640\u064b-\u065f\u0670]")
_LUCENE_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ى": "ي", "ة": "ه"})


def lucene_normalize(word: str) -> str:
    return _HARAKAT_TATWEEL.sub("", word).translate(_LUCENE_FOLD)


_TASHAPHYNE = None
_SNOWBALL = None


def tashaphyne_stem(word: str) -> str:
    global _TASHAPHYNE
    if _TASHAPHYNE is None:
        from tashaphyne.stemming import ArabicLightStemmer

        _TASHAPHYNE = ArabicLightStemmer()
    return _TASHAPHYNE.light_stem(word) or word


def snowball_stem(word: str) -> str:
    global _SNOWBALL
    if _SNOWBALL is None:
        import snowballstemmer

        _SNOWBALL = snowballstemmer.stemmer("arabic")
    return _SNOWBALL.stemWord(word)


# -- Whoosh peers ------------------------------------------------------------------


from whoosh.analysis.filters import Filter  # noqa: E402


class LuceneNormalize(Filter):
    """Whoosh filter applying :func:`lucene_normalize` (module level: Whoosh pickles it)."""

    def __call__(self, tokens):
        for t in tokens:
            t.text = lucene_normalize(t.text)
            yield t


def _whoosh_analyzer(kind: str):
    from whoosh.analysis import LowercaseFilter, RegexTokenizer, StandardAnalyzer, StemFilter

    if kind == "standard":
        return StandardAnalyzer()
    stemfn = tashaphyne_stem if kind == "tashaphyne" else snowball_stem
    # Words keep their harakat and tatweel, as Lucene's StandardTokenizer keeps them
    # (Whoosh's default \w+ would cut a vowelled word into pieces).
    return RegexTokenizer(r"(?:[^\W_]|[\u0640\u064B-\u065F\u0670])+") | LowercaseFilter() | LuceneNormalize() | StemFilter(stemfn=stemfn, cachesize=100_000)


def whoosh_run(kind: str, corpus: list[dict], queries) -> dict:
    from whoosh import query as q
    from whoosh.fields import ID, TEXT, Schema
    from whoosh.filedb.filestore import RamStorage
    from whoosh.scoring import BM25F

    analyzer = _whoosh_analyzer(kind)
    schema = Schema(id=ID(stored=True), title=TEXT(analyzer=analyzer), text=TEXT(analyzer=analyzer))
    ix = RamStorage().create_index(schema)
    with ix.writer() as writer:
        for doc in corpus:
            writer.add_document(id=doc["id"], title=doc.get("title", ""), text=doc["text"])
    run = {}
    with ix.searcher(weighting=BM25F()) as searcher:
        for query in queries:
            words = {t.text for t in analyzer(query.text)}
            clauses = [q.Term(f, w) for w in words for f in ("title", "text")]
            hits = searcher.search(q.Or(clauses), limit=DEPTH) if clauses else []
            run[query.id] = [(h["id"], h.score) for h in hits]
    return run


# -- SQLite FTS5 ---------------------------------------------------------------------


def fts5_run(corpus: list[dict], queries) -> dict:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, text, tokenize='unicode61 remove_diacritics 2')")
    db.executemany("INSERT INTO docs VALUES (?, ?, ?)", [(d["id"], d.get("title", ""), d["text"]) for d in corpus])
    run = {}
    for query in queries:
        words = sorted(set(re.findall(r"\w+", query.text)))
        if not words:
            run[query.id] = []
            continue
        match = " OR ".join('"' + w.replace('"', '""') + '"' for w in words)
        rows = db.execute(
            "SELECT id, bm25(docs) FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT ?", (match, DEPTH)
        ).fetchall()
        run[query.id] = [(doc_id, -score) for doc_id, score in rows]
    return run


# -- tantivy ---------------------------------------------------------------------------


def tantivy_run(corpus: list[dict], queries) -> dict:
    import tantivy

    analyzer = (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.stemmer("arabic"))
        .build()
    )
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    builder.add_text_field("title", tokenizer_name="ar_snowball")
    builder.add_text_field("text", tokenizer_name="ar_snowball")
    schema = builder.build()
    ix = tantivy.Index(schema)
    ix.register_tokenizer("ar_snowball", analyzer)
    writer = ix.writer(heap_size=100_000_000, num_threads=1)
    for doc in corpus:
        writer.add_document(tantivy.Document(id=doc["id"], title=doc.get("title", ""), text=doc["text"]))
    writer.commit()
    ix.reload()
    searcher = ix.searcher()
    run = {}
    for query in queries:
        words = set(analyzer.analyze(query.text))
        if not words:
            run[query.id] = []
            continue
        clauses = [
            (tantivy.Occur.Should, tantivy.Query.term_query(schema, field, w)) for w in words for field in ("title", "text")
        ]
        result = searcher.search(tantivy.Query.boolean_query(clauses), DEPTH)
        run[query.id] = [(searcher.doc(address)["id"][0], score) for score, address in result.hits]
    return run


# -- ours ------------------------------------------------------------------------------


def ours_run(corpus_path: Path, queries) -> dict:
    from search import SearchIndex
    from search.evaluate import run_queries

    with tempfile.TemporaryDirectory(prefix="quality-") as tmp:
        with SearchIndex(Path(tmp) / "ix") as ix:
            ix.add([corpus_path])
            run, _ = run_queries(ix, queries)
    return run


SYSTEMS = {
    "Whoosh StandardAnalyzer": lambda corpus, queries: whoosh_run("standard", corpus, queries),
    "SQLite FTS5 unicode61 remove_diacritics 2": fts5_run,
    "Whoosh + normalization + tashaphyne defaults": lambda corpus, queries: whoosh_run("tashaphyne", corpus, queries),
    "Whoosh + normalization + Snowball Arabic": lambda corpus, queries: whoosh_run("snowball", corpus, queries),
    "tantivy + Snowball Arabic": tantivy_run,
    "ours (search eval defaults)": lambda corpus, queries: ours_run(EVAL / "corpus.jsonl", queries),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out" / "quality.json")
    parser.add_argument("--only", nargs="*", help="run only systems whose name contains one of these words")
    args = parser.parse_args()
    if not EVAL.exists():
        sys.exit(f"{EVAL} not found: the arwikiqa evaluation set lives in ../shared")
    from search.evaluate import read_qrels, read_queries
    from search.evaluate import measure

    corpus = [json.loads(line) for line in open(EVAL / "corpus.jsonl", encoding="utf-8")]
    queries = read_queries(EVAL / "queries-dev.jsonl")
    qrels = read_qrels(EVAL / "qrels-dev.tsv")
    table = {}
    print(f"{'system':<46}{'nDCG@10':>9}{'RR@10':>8}{'R@100':>8}{'seconds':>9}", flush=True)
    for name, system in SYSTEMS.items():
        if args.only and not any(word.lower() in name.lower() for word in args.only):
            continue
        start = time.perf_counter()
        try:
            run = system(corpus, queries)
        except ImportError as exc:
            print(f"{name:<46}  skipped: {exc} (pip install -e '.[bench]')", flush=True)
            continue
        seconds = time.perf_counter() - start
        result = measure(qrels, run).to_json()
        result["seconds"] = round(seconds, 1)
        table[name] = result
        o = result["overall"]
        print(f"{name:<46}{o['nDCG@10']:>9.4f}{o['RR@10']:>8.4f}{o['R@100']:>8.4f}{seconds:>9.1f}", flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(table, ensure_ascii=False, indent=2))
    print(f"written: {args.out}")


if __name__ == "__main__":
    main()
