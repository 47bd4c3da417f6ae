"""The systems we measure ourselves against, built from the same records.

For speed (benchmarks/speed.py):

* plain Whoosh: the same fields and stored fields as our schema, StandardAnalyzer,
  one writer process with the same ``limitmb``, highlights from Whoosh's highlighter;
* SQLite FTS5 with the ``unicode61`` tokenizer (diacritics removed), snippets from
  FTS5's ``snippet()``.

Run as a script to build one of them in a process of its own (so that its time and
memory can be measured like ours): ``python benchmarks/peers.py whoosh|fts5 CORPUS DIR``.

For ranking quality (benchmarks/quality.py), :data:`QUALITY_PEERS`: BM25, the OR of the
query's words over title and body, top :data:`DEPTH` per query, each index built once
in a folder of its own and reopened for every query set:

* Whoosh ``StandardAnalyzer``: no Arabic processing at all;
* SQLite FTS5, ``unicode61 remove_diacritics 2``, ``bm25()``;
* Whoosh + Lucene-style normalization + tashaphyne ``light_stem`` with its defaults;
* Whoosh + Lucene-style normalization + Snowball Arabic (what Lucene-based engines do);
* tantivy + Snowball Arabic (tantivy's own ``stemmer("arabic")`` filter).
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from whoosh.analysis.filters import Filter

from index.ingest.files import Record, read_file
from index.build.writer_choice import WRITER_LIMIT_MB

FTS_FILE = "fts.sqlite"


def records(corpus: Path) -> list[Record]:
    return [r for r in read_file(corpus) if isinstance(r, Record)]


def whoosh_schema():
    from whoosh.analysis import StandardAnalyzer
    from whoosh.fields import DATETIME, ID, STORED, TEXT, Schema

    analyzer = StandardAnalyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(analyzer=analyzer, stored=True),
        body=TEXT(analyzer=analyzer, stored=True),
        source=ID(stored=True, sortable=True),
        date=DATETIME(stored=True, sortable=True),
        path=STORED(),
        url=STORED(),
    )


def build_whoosh(corpus: Path, folder: Path) -> int:
    from whoosh import index

    folder.mkdir(parents=True, exist_ok=True)
    ix = index.create_in(str(folder), whoosh_schema())
    writer = ix.writer(limitmb=WRITER_LIMIT_MB)
    n = 0
    for r in records(corpus):
        fields = {"id": r.id, "title": r.title, "body": r.body, "path": str(corpus)}
        if r.source:
            fields["source"] = r.source
        if r.date:
            fields["date"] = dt.datetime(r.date.year, r.date.month, r.date.day)
        if r.url:
            fields["url"] = r.url
        writer.add_document(**fields)
        n += 1
    writer.commit()
    return n


def build_fts5(corpus: Path, folder: Path) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(folder / FTS_FILE)
    db.execute(
        "CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, body, source UNINDEXED,"
        " date UNINDEXED, path UNINDEXED, url UNINDEXED, tokenize='unicode61 remove_diacritics 2')"
    )
    rows = (
        (r.id, r.title, r.body, r.source, r.date.isoformat() if r.date else None, str(corpus), r.url)
        for r in records(corpus)
    )
    with db:
        db.executemany("INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    n = db.execute("SELECT count(*) FROM docs").fetchone()[0]
    db.close()
    return n


class WhooshSearcher:
    """Plain Whoosh: any of the words (OR) over title and body, top 10 with highlights."""

    def __init__(self, folder: Path):
        from whoosh import index
        from whoosh.qparser import MultifieldParser, OrGroup

        self.ix = index.open_dir(str(folder))
        self.searcher = self.ix.searcher()
        self.parser = MultifieldParser(["title", "body"], self.ix.schema, group=OrGroup)

    def query(self, text: str, limit: int = 10) -> list[tuple[str, str]]:
        hits = self.searcher.search(self.parser.parse(text), limit=limit)
        return [(hit["id"], hit.highlights("body")) for hit in hits]


class Fts5Searcher:
    """SQLite FTS5: any of the words, bm25 order, top 10 with snippet()."""

    def __init__(self, folder: Path):
        self.db = sqlite3.connect(folder / FTS_FILE)

    def query(self, text: str, limit: int = 10) -> list[tuple[str, str]]:
        words = " OR ".join('"' + w.replace('"', "") + '"' for w in text.split())
        return self.db.execute(
            "SELECT id, snippet(docs, 2, '<mark>', '</mark>', '…', 24) FROM docs"
            " WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT ?",
            (words, limit),
        ).fetchall()


# -- ranking-quality peers ------------------------------------------------------------

#: Documents each quality peer returns per query (R@100 needs 100).
DEPTH = 100
Run = dict[str, list[tuple[str, float]]]

_HARAKAT_TATWEEL = re.compile("[\u0640\u064b-\u065f\u0670]")
_LUCENE_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ى": "ي", "ة": "ه"})


def lucene_normalize(word: str) -> str:
    """Lucene's ArabicNormalizationFilter: harakat and tatweel out, alef/yeh/teh folded."""
    return _HARAKAT_TATWEEL.sub("", word).translate(_LUCENE_FOLD)


_STEMMERS: dict[str, Callable[[str], str]] = {}


def tashaphyne_stem(word: str) -> str:
    if "tashaphyne" not in _STEMMERS:
        from tashaphyne.stemming import ArabicLightStemmer

        _STEMMERS["tashaphyne"] = ArabicLightStemmer().light_stem
    return _STEMMERS["tashaphyne"](word) or word


def snowball_stem(word: str) -> str:
    if "snowball" not in _STEMMERS:
        import snowballstemmer

        _STEMMERS["snowball"] = snowballstemmer.stemmer("arabic").stemWord
    return _STEMMERS["snowball"](word)


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
    tokenizer = RegexTokenizer(r"(?:[^\W_]|[\u0640\u064B-\u065F\u0670])+")
    return tokenizer | LowercaseFilter() | LuceneNormalize() | StemFilter(stemfn=stemfn, cachesize=100_000)


def whoosh_quality_build(kind: str, corpus: list[Record], folder: Path) -> None:
    from whoosh import index
    from whoosh.fields import ID, TEXT, Schema

    analyzer = _whoosh_analyzer(kind)
    schema = Schema(id=ID(stored=True), title=TEXT(analyzer=analyzer), text=TEXT(analyzer=analyzer))
    ix = index.create_in(str(folder), schema)
    with ix.writer(limitmb=WRITER_LIMIT_MB) as writer:
        for doc in corpus:
            writer.add_document(id=doc.id, title=doc.title or "", text=doc.body)


def whoosh_quality_run(kind: str, folder: Path, queries) -> Run:
    from whoosh import index
    from whoosh import query as q
    from whoosh.scoring import BM25F

    analyzer = _whoosh_analyzer(kind)
    run = {}
    with index.open_dir(str(folder)).searcher(weighting=BM25F()) as searcher:
        for query in queries:
            words = {t.text for t in analyzer(query.text)}
            clauses = [q.Term(f, w) for w in sorted(words) for f in ("title", "text")]
            hits = searcher.search(q.Or(clauses), limit=DEPTH) if clauses else []
            run[query.id] = [(h["id"], h.score) for h in hits]
    return run


def fts5_quality_build(corpus: list[Record], folder: Path) -> None:
    db = sqlite3.connect(folder / FTS_FILE)
    db.execute("CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, text, tokenize='unicode61 remove_diacritics 2')")
    with db:
        db.executemany("INSERT INTO docs VALUES (?, ?, ?)", [(d.id, d.title or "", d.body) for d in corpus])
    db.close()


def fts5_quality_run(folder: Path, queries) -> Run:
    db = sqlite3.connect(folder / FTS_FILE)
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
    db.close()
    return run


def _tantivy_index(folder: Path, create: bool):
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
    ix = tantivy.Index(schema, path=str(folder), reuse=not create)
    ix.register_tokenizer("ar_snowball", analyzer)
    return ix, schema, analyzer


def tantivy_quality_build(corpus: list[Record], folder: Path) -> None:
    import tantivy

    ix, _, _ = _tantivy_index(folder, create=True)
    writer = ix.writer(heap_size=100_000_000, num_threads=1)
    for doc in corpus:
        writer.add_document(tantivy.Document(id=doc.id, title=doc.title or "", text=doc.body))
    writer.commit()
    writer.wait_merging_threads()


def tantivy_quality_run(folder: Path, queries) -> Run:
    import tantivy

    ix, schema, analyzer = _tantivy_index(folder, create=False)
    ix.reload()
    searcher = ix.searcher()
    run = {}
    for query in queries:
        words = sorted(set(analyzer.analyze(query.text)))
        if not words:
            run[query.id] = []
            continue
        clauses = [
            (tantivy.Occur.Should, tantivy.Query.term_query(schema, field, w)) for w in words for field in ("title", "text")
        ]
        result = searcher.search(tantivy.Query.boolean_query(clauses), DEPTH)
        run[query.id] = [(searcher.doc(address)["id"][0], score) for score, address in result.hits]
    return run


@dataclass(frozen=True)
class QualityPeer:
    """A peer for benchmarks/quality.py: ``build(records, empty folder)``, then
    ``run(folder, queries)`` → ``{query id: [(doc id, score), ...]}``."""

    name: str
    slug: str
    build: Callable[[list[Record], Path], None]
    run: Callable[[Path, list], Run]


QUALITY_PEERS = (
    QualityPeer("Whoosh StandardAnalyzer", "whoosh-standard",
                partial(whoosh_quality_build, "standard"), partial(whoosh_quality_run, "standard")),
    QualityPeer("SQLite FTS5 unicode61 remove_diacritics 2", "fts5", fts5_quality_build, fts5_quality_run),
    QualityPeer("Whoosh + normalization + tashaphyne defaults", "whoosh-tashaphyne",
                partial(whoosh_quality_build, "tashaphyne"), partial(whoosh_quality_run, "tashaphyne")),
    QualityPeer("Whoosh + normalization + Snowball Arabic", "whoosh-snowball",
                partial(whoosh_quality_build, "snowball"), partial(whoosh_quality_run, "snowball")),
    QualityPeer("tantivy + Snowball Arabic", "tantivy", tantivy_quality_build, tantivy_quality_run),
)

if __name__ == "__main__":
    system, corpus, folder = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    count = {"whoosh": build_whoosh, "fts5": build_fts5}[system](corpus, folder)
    print(count)
