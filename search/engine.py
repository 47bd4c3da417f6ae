"""The library's entry point: :class:`SearchIndex` opens, fills and queries an index."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

from index.documents import Record
from index.errors import IndexMissing, QueryError
from index.store import Store, default_location
from index.writing import AddReport, Progress, add_paths, add_records, rebuild
from search import ranking
from search.parsing import ParsedQuery, parse
from search.results import Document, Hit, Results, Stats
from search.snippets import make_snippet
from search.suggestions import suggest
from search.synonyms import load as load_synonyms

SORTS = ("relevance", "date")


def _as_date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


class SearchIndex:
    """An Arabic news index in a folder.

    >>> ix = SearchIndex("my-index")              # nothing is created until you add
    >>> ix.add(["articles/"], source="wire")      # files and folders, incremental
    >>> for hit in ix.query("انسحاب داعش").hits:
    ...     print(hit.title, hit.snippet)
    """

    def __init__(
        self,
        location: str | os.PathLike | None = None,
        synonyms: str | os.PathLike | None = None,
        default_synonyms: bool = True,
    ):
        """``synonyms``: a file of extra name groups (see :mod:`search.synonyms`), added to
        the list shipped with the project unless ``default_synonyms`` is false."""
        self.store = Store(Path(location) if location else default_location())
        self.synonyms = load_synonyms(synonyms, use_default=default_synonyms)
        self._open: tuple[Path | None, object] | None = None
        self._lock = threading.RLock()

    @property
    def location(self) -> Path:
        return self.store.root

    def exists(self) -> bool:
        return self.store.exists()

    # -- building ------------------------------------------------------------

    def add(
        self,
        paths: Iterable[str | os.PathLike],
        source: str | None = None,
        progress: Progress | None = None,
    ) -> AddReport:
        """Index ``.txt``/``.jsonl``/``.jsonl.gz`` files and folders; unchanged files are skipped."""
        return add_paths(self.store, [Path(p) for p in paths], source=source, progress=progress)

    def add_records(self, records: Iterable[Record | dict], origin: str = "records") -> AddReport:
        """Index records made in code: dicts with id, title, body, source, date, url."""
        return add_records(self.store, records, origin=origin)

    def rebuild(self, progress: Progress | None = None) -> AddReport:
        """Re-read every source added so far into a fresh index, swapped in when complete."""
        if not self.store.exists():
            raise IndexMissing(f"no index at {self.location}: create one with `search index add PATH`")
        return rebuild(self.store, progress=progress)

    # -- reading -------------------------------------------------------------

    def _prepare(
        self,
        text: str,
        limit: int,
        source: str | None,
        since: dt.date | None,
        until: dt.date | None,
        sort: str,
    ) -> tuple[ParsedQuery, ranking.Filters]:
        """Check the options and parse ``text``: one place for ``query`` and ``ranked``."""
        if sort not in SORTS:
            raise QueryError(f"unknown sort {sort!r}: use one of {', '.join(SORTS)}")
        if limit < 1:
            raise QueryError("--limit must be at least 1")
        if since and until and since > until:
            raise QueryError("--since is after --until: swap the dates")
        parsed = parse(text, self.synonyms)
        if parsed.is_empty():
            raise QueryError(
                "nothing to search for: the query has only common words (stop words) "
                "or punctuation; add a more specific word"
            )
        return parsed, ranking.Filters(source=source, since=since, until=until)

    @contextlib.contextmanager
    def _searcher(self) -> Iterator:
        """A Whoosh searcher kept open between queries, refreshed when the index changes.

        Opening an index reads its table of contents and every segment's metadata; a
        program that asks many queries (``search eval``, a server) would pay that each
        time. The searcher is reopened when another generation goes live (rebuild) and
        refreshed when a commit adds segments (add). A lock makes one ``SearchIndex``
        safe to share between threads (its queries then run one at a time).
        """
        with self._lock:
            gen = self.store.live_generation()
            if self._open is None or self._open[0] != gen:
                self.close()
                ix = self.store.open_index()
                self._open = (gen, ix.searcher(weighting=ranking.weighting()))
            elif not self._open[1].up_to_date():
                self._open = (gen, self._open[1].refresh())
            yield self._open[1]

    def close(self) -> None:
        """Release the open searcher (files and memory maps); the next query reopens it."""
        if self._open is not None:
            self._open[1].close()
            self._open = None

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def ranked(
        self,
        text: str,
        limit: int = 10,
        source: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        sort: str = "relevance",
    ) -> tuple[int, list[tuple[str, float]]]:
        """``(total, [(id, score), ...])``: the ranking :meth:`query` shows, without snippets."""
        parsed, filters = self._prepare(text, limit, source, since, until, sort)
        with self._searcher() as searcher:
            total, ranked = ranking.run(searcher, parsed, filters, limit, sort)
            return total, [(searcher.stored_fields(docnum)["id"], float(score)) for docnum, score in ranked]

    def query(
        self,
        text: str,
        limit: int = 10,
        source: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        sort: str = "relevance",
    ) -> Results:
        """Ranked hits for ``text`` (words, "phrases", -exclusions) with highlighted snippets."""
        parsed, filters = self._prepare(text, limit, source, since, until, sort)
        terms = parsed.positive_terms
        with self._searcher() as searcher:
            total, ranked = ranking.run(searcher, parsed, filters, limit, sort)
            hits = []
            for docnum, score in ranked:
                stored = searcher.stored_fields(docnum)
                hits.append(
                    Hit(
                        id=stored["id"],
                        title=stored.get("title", ""),
                        source=stored.get("source"),
                        date=_as_date(stored.get("date")),
                        score=float(score),
                        snippet=make_snippet(stored.get("body", ""), terms).html(),
                        path=stored.get("path"),
                        url=stored.get("url"),
                    )
                )
            suggestions = suggest(searcher, parsed)
        return Results(query=text, total=total, hits=hits, expansions=parsed.expansions, suggestions=suggestions)

    def get(self, doc_id: str) -> Document | None:
        """The whole stored document with this id, or None."""
        ix = self.store.open_index()
        with ix.searcher() as searcher:
            stored = searcher.document(id=doc_id)
        if not stored:
            return None
        return Document(
            id=stored["id"],
            title=stored.get("title", ""),
            body=stored.get("body", ""),
            source=stored.get("source"),
            date=_as_date(stored.get("date")),
            path=stored.get("path"),
            url=stored.get("url"),
        )

    def stats(self) -> Stats:
        """Documents, documents per source, date range and size on disk."""
        ix = self.store.open_index()
        with ix.searcher() as searcher:
            reader = searcher.reader()
            sources = {
                term.decode("utf-8"): reader.doc_frequency("source", term)
                for term in reader.lexicon("source")
            }
            dates = [
                ix.schema["date"].from_bytes(t)
                for t in ix.schema["date"].sortable_terms(reader, "date")
            ]
            documents = searcher.doc_count()
        size = sum(f.stat().st_size for f in self.location.rglob("*") if f.is_file())
        return Stats(
            location=str(self.location),
            documents=documents,
            sources=dict(sorted(sources.items(), key=lambda kv: (-kv[1], kv[0]))),
            first_date=_as_date(min(dates)) if dates else None,
            last_date=_as_date(max(dates)) if dates else None,
            size_bytes=size,
        )
