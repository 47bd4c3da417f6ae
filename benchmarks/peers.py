"""The systems we measure ourselves against, built from the same records.

* plain Whoosh: the same fields and stored fields as our schema, StandardAnalyzer,
  one writer process with the same ``limitmb``, highlights from Whoosh's highlighter;
* SQLite FTS5 with the ``unicode61`` tokenizer (diacritics removed), snippets from
  FTS5's ``snippet()``.

Run as a script to build one of them in a process of its own (so that its time and
memory can be measured like ours): ``python benchmarks/peers.py whoosh|fts5 CORPUS DIR``.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import sys
from pathlib import Path

from index.ingest.files import Record, read_file
from index.build.batch import WRITER_LIMIT_MB

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


if __name__ == "__main__":
    system, corpus, folder = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    count = {"whoosh": build_whoosh, "fts5": build_fts5}[system](corpus, folder)
    print(count)
