"""The library's entry point: :class:`SearchIndex` opens, fills and queries an index."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from index.errors import IndexMissing, QueryError
from index.build.store import Store, default_location
from search.present import facets as facet_counts
from search.rank import ranking
from search.query.joined import split_words
from search.query.parsing import ParsedQuery, parse, unquoted
from search.results import Document, Hit, Results, Stats
from search.present.snippets import make_snippet
from search.query.suggestions import suggest
from search.query.synonyms import load as load_synonyms

if TYPE_CHECKING:  # the writer is imported when a method writes: queries start faster without it
    from index.ingest.files import Record
    from index.build.report import AddReport, Progress

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

    Queries reuse one open searcher while the index is unchanged; each query checks
    (two small file reads) whether another process added documents or rebuilt the
    index, and reopens what changed. Use one ``SearchIndex`` per thread, and
    :meth:`close` it (or use ``with``) to release its open files early.
    """

    def __init__(
        self,
        location: str | os.PathLike | None = None,
        synonyms: str | os.PathLike | None = None,
        default_synonyms: bool = True,
    ):
        """``synonyms``: a file of extra name groups (see :mod:`search.query.synonyms`), added to
        the list shipped with the project unless ``default_synonyms`` is false."""
        self.store = Store(Path(location) if location else default_location())
        self.synonyms = load_synonyms(synonyms, use_default=default_synonyms)
        self._searcher_open = None
        self._generation: Path | None = None
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
        fields: dict[str, str] | None = None,
    ) -> AddReport:
        """Index files and folders (.txt, .html, .csv, .tsv, .jsonl, .jsonl.gz); unchanged files are skipped.

        ``fields`` maps our field names to those of a JSONL/CSV file: ``{"body": "content"}``.
        """
        from index.build.add import add_paths

        return add_paths(self.store, [Path(p) for p in paths], source=source, progress=progress, fields=fields)

    def add_records(self, records: Iterable[Record | dict], origin: str = "records") -> AddReport:
        """Index records made in code: dicts with id, title, body, source, date, url."""
        from index.build.add import add_records

        return add_records(self.store, records, origin=origin)

    def rebuild(self, progress: Progress | None = None) -> AddReport:
        """Re-read every source added so far into a fresh index, swapped in when complete."""
        if not self.store.exists():
            raise IndexMissing(f"no index at {self.location}: create one with `search index add PATH`")
        from index.build.rebuild import rebuild

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
        offset: int = 0,
    ) -> tuple[ParsedQuery, ranking.Filters]:
        """Check the options and parse ``text``: one place for ``query`` and ``ranked``."""
        if sort not in SORTS:
            raise QueryError(f"unknown sort {sort!r}: use one of {', '.join(SORTS)}")
        if limit < 1:
            raise QueryError("--limit must be at least 1")
        if offset < 0:
            raise QueryError("the offset (page) cannot be negative")
        if since and until and since > until:
            raise QueryError("--since is after --until: swap the dates")
        parsed = parse(text, self.synonyms)
        if parsed.is_empty() and parsed.excluded:
            raise QueryError("the query only excludes (-word): add a word to look for")
        if parsed.is_empty():
            raise QueryError(
                "nothing to search for: the query has only common words (stop words) "
                "or punctuation; add a more specific word"
            )
        return parsed, ranking.Filters(source=source, since=since, until=until)

    @contextlib.contextmanager
    def _searcher(self) -> Iterator:
        """A Whoosh searcher kept open between queries, reopened when the index changes.

        Opening an index reads its table of contents and every segment's metadata; a
        program that asks many queries (``search eval``, a server) would pay that each
        time. A change is a new Whoosh commit (``index add``, here or in another
        process) or a rebuild (another generation). Whoosh's own ``Searcher.refresh`` is
        not used: when reusing segment readers it keeps readers of segments a merge has
        replaced, and serves replaced documents. A lock makes one ``SearchIndex`` safe
        to share between threads (its queries then run one at a time).
        """
        with self._lock:
            generation = self.store.live_generation()
            searcher = self._searcher_open
            if searcher is None or generation != self._generation or not searcher.up_to_date():
                self.close()
                self._searcher_open = self.store.open_searcher(weighting=ranking.weighting())
                self._generation = generation
            yield self._searcher_open

    def close(self) -> None:
        """Release the open searcher (files and memory maps); the next query reopens it."""
        if self._searcher_open is not None:
            self._searcher_open.close()
        self._searcher_open, self._generation = None, None

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _run(
        self, searcher, text: str, parsed: ParsedQuery, filters: ranking.Filters, limit: int, sort: str
    ) -> tuple[ParsedQuery, int, list[tuple[int, float]], list[dict]]:
        """``ranking.run`` after two repairs of what was typed, each reported as a rewrite
        ``{"typed", "searched"}``: words run together are split (:mod:`search.query.joined`),
        and when quoted phrases leave nothing, their words are searched unquoted.
        Returns ``(the parsed query searched, total, ranked, rewrites)``."""
        parsed, rewrites = split_words(searcher.reader(), parsed)
        total, ranked = ranking.run(searcher, parsed, filters, limit, sort)
        if total or not parsed.phrases:
            return parsed, total, ranked, rewrites
        plain, phrases = unquoted(text)
        relaxed, split = split_words(searcher.reader(), parse(plain, self.synonyms))
        if relaxed.is_empty():
            return parsed, total, ranked, rewrites
        total, ranked = ranking.run(searcher, relaxed, filters, limit, sort)
        if not total:
            return parsed, total, ranked, rewrites
        return relaxed, total, ranked, [{"typed": f'"{p}"', "searched": p} for p in phrases] + split

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
            _, total, ranked, _ = self._run(searcher, text, parsed, filters, limit, sort)
            return total, [(searcher.stored_fields(docnum)["id"], float(score)) for docnum, score in ranked]

    def query(
        self,
        text: str,
        limit: int = 10,
        source: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        sort: str = "relevance",
        offset: int = 0,
        facets: bool = False,
    ) -> Results:
        """Ranked hits for ``text`` (words, "phrases", -exclusions) with highlighted snippets.

        ``offset`` skips that many hits (pagination); ``facets=True`` also counts every
        matching document by source and month into ``Results.facets``.
        """
        parsed, filters = self._prepare(text, limit, source, since, until, sort, offset)
        with self._searcher() as searcher:
            parsed, total, ranked, rewrites = self._run(searcher, text, parsed, filters, offset + limit, sort)
            terms = parsed.positive_terms
            hits = []
            for docnum, score in ranked[offset:]:
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
            counted = facet_counts.count(searcher, ranking.matching(searcher.reader(), parsed), source, since, until) if facets else None
            suggestions = suggest(searcher, parsed)
        return Results(
            query=text, total=total, hits=hits, facets=counted,
            expansions=parsed.expansions, suggestions=suggestions, rewrites=rewrites,
        )

    def get(self, doc_id: str) -> Document | None:
        """The whole stored document with this id, or None."""
        with self._searcher() as searcher:
            stored = searcher.document(id=doc_id)
        if not stored:
            return None
        files = self.store.read_manifest().get("files", {})
        holders = sorted(k for k, entry in files.items() if doc_id in entry["ids"] and not k.startswith("records:"))
        first = stored.get("path")
        return Document(
            id=stored["id"],
            title=stored.get("title", ""),
            body=stored.get("body", ""),
            source=stored.get("source"),
            date=_as_date(stored.get("date")),
            path=first,
            url=stored.get("url"),
            paths=([first] if first else []) + [h for h in holders if h != first],
            provenance=stored.get("provenance") or {},
        )

    def stats(self) -> Stats:
        """Documents, documents per source, date range and size on disk."""
        with self.store.searcher() as searcher:
            reader = searcher.reader()
            sources = {
                term.decode("utf-8"): reader.doc_frequency("source", term)
                for term in reader.lexicon("source")
            }
            dates = [
                searcher.schema["date"].from_bytes(t)
                for t in searcher.schema["date"].sortable_terms(reader, "date")
            ]
            documents = searcher.doc_count()
        size = self.store.size_bytes()
        return Stats(
            location=str(self.location),
            documents=documents,
            sources=dict(sorted(sources.items(), key=lambda kv: (-kv[1], kv[0]))),
            first_date=_as_date(min(dates)) if dates else None,
            last_date=_as_date(max(dates)) if dates else None,
            size_bytes=size,
        )
