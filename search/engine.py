"""The library's entry point: :class:`SearchIndex` opens, fills and queries an index."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from index.build.shards import Shards
from index.build.store import Store, default_location
from index.errors import DocumentMissing, IndexMissing, QueryError
from search.cluster import Cluster
from search.pipeline import Request, rewrite, run_query
from search.present.snippets import highlight
from search.query.parse import parse
from search.query.synonyms import load as load_synonyms
from search.rank.scoring import weighting
from search.names import resolve
from search.results import Document, Results, Stats, as_date
from search.settings import RankingSettings
from search.similar import SimilarSettings, similar

if TYPE_CHECKING:  # the writer is imported when a method writes: queries start faster without it
    from index.build.limits import BuildSettings
    from index.build.report import AddReport, Progress
    from index.ingest.files import Record
    from search.evaluate import Evaluation

#: The orders ``query`` can sort hits in.
SORTS = ("relevance", "date")


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
        settings: RankingSettings = RankingSettings(),
        build: BuildSettings | None = None,
        shards: int | None = None,
        cluster: str | None = None,
        allow_partial: bool = False,
    ):
        """``synonyms``: a file of extra name groups (see :mod:`search.query.synonyms`), added to
        the list shipped with the project unless ``default_synonyms`` is false.
        ``settings``: every query-time knob (:class:`~search.settings.RankingSettings`);
        the defaults are the shipped ranking. ``build``: how much memory adding and
        rebuilding may take (:class:`~index.build.limits.BuildSettings`; default 1 GB).
        ``shards``: the number of shards of a new index (:mod:`index.build.shards`); an
        existing index keeps its own, and another number is an :class:`InvalidOption`.
        Without it (or with 1) a new index is one shard, the folder itself.
        ``cluster``: a Dask scheduler (``tcp://HOST:PORT``) whose workers add, rebuild and answer
        (:mod:`search.cluster`); ``allow_partial``: answer from the shards that are up (``Results.missing_shards``)."""
        root = Path(location) if location else default_location()
        #: The index folder's own store: its write lock, and the whole index when unsharded.
        self.store = Store(root)
        #: Every shard, read and written as one index.
        self.shards = Shards(root, shards)
        self.synonyms = load_synonyms(synonyms, use_default=default_synonyms)
        self.settings = settings
        self.build = build
        self._searcher_open = None
        self._generation: tuple[Path | None, ...] | None = None
        self._lock = threading.RLock()
        self.cluster = Cluster(cluster, root, settings, self.synonyms, allow_partial) if cluster else None

    @property
    def location(self) -> Path:
        return self.store.root

    def exists(self) -> bool:
        return self.shards.exists()

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
        if self.cluster:
            return self.cluster.add([Path(p) for p in paths], source, fields, self.shards.wanted, progress,
                                    self._build_settings())
        from index.build.add import add_paths

        return add_paths(self.shards, [Path(p) for p in paths], source=source, progress=progress, fields=fields,
                         settings=self._build_settings())

    def add_records(self, records: Iterable[Record | dict], origin: str = "records") -> AddReport:
        """Index records made in code: dicts with id, title, body, source, date, url."""
        from index.build.add import add_records

        return add_records(self.shards, records, origin=origin)

    def rebuild(self, progress: Progress | None = None) -> AddReport:
        """Re-read every source added so far into a fresh index, swapped in when complete."""
        if not self.shards.exists():
            raise IndexMissing(f"no index at {self.location}: create one with `search index add PATH`")
        if self.cluster:
            return self.cluster.rebuild(progress, self._build_settings())
        from index.build.rebuild import rebuild

        return rebuild(self.shards, progress=progress, settings=self._build_settings())

    def _run(self, request: Request) -> Results:
        """``request`` answered here, or by the shards' actors on the cluster."""
        if self.cluster:
            return self.cluster.run(request)
        return run_query(request, self.settings, self.synonyms, self._searcher)

    def _build_settings(self) -> BuildSettings:
        from index.build.limits import BuildSettings

        return self.build or BuildSettings()

    # -- reading -------------------------------------------------------------

    def _request(
        self,
        text: str,
        limit: int,
        source: str | None,
        since: dt.date | None,
        until: dt.date | None,
        sort: str,
        offset: int = 0,
        facets: bool = False,
        brief: bool = False,
        collapse: bool = True,
    ) -> Request:
        """Check the options: one place for ``query`` and ``ranked``."""
        if sort not in SORTS:
            raise QueryError(f"unknown sort {sort!r}: use one of {', '.join(SORTS)}")
        if limit < 1:
            raise QueryError("--limit must be at least 1")
        if offset < 0:
            raise QueryError("the offset (page) cannot be negative")
        if since and until and since > until:
            raise QueryError("--since is after --until: swap the dates")
        return Request(text, limit, offset, source, since, until, sort, facets, brief, collapse)

    @contextlib.contextmanager
    def _searcher(self) -> Iterator:
        """A Whoosh searcher kept open between queries, reopened when the index changes.

        Opening an index reads its table of contents and every segment's metadata; a
        program that asks many queries (``search eval``, a server) would pay that each
        time. A change is a new Whoosh commit (``index add``, here or in another
        process) or a rebuild (another generation), in any shard. Whoosh's own ``Searcher.refresh`` is
        not used: when reusing segment readers it keeps readers of segments a merge has
        replaced, and serves replaced documents. A lock makes one ``SearchIndex`` safe
        to share between threads (its queries then run one at a time).
        """
        with self._lock:
            generation = self.shards.live_generation()
            searcher = self._searcher_open
            if searcher is None or generation != self._generation or not searcher.up_to_date():
                self._close_searcher()
                self._searcher_open = self.shards.open_searcher(weighting=weighting(self.settings.scoring))
                self._generation = generation
            yield self._searcher_open

    def close(self) -> None:
        """Release the open searcher (files and memory maps) and any cluster client; the next query reopens them."""
        self._close_searcher()
        if self.cluster:
            self.cluster.close()

    def _close_searcher(self) -> None:
        if self._searcher_open is not None:
            self._searcher_open.close()
        self._searcher_open, self._generation = None, None

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
        """``(total, [(id, score), ...])``: the ranking :meth:`query` shows, without snippets,
        every document counted and listed: syndicated copies are never collapsed here, so
        an evaluation sees each document."""
        request = self._request(text, limit, source, since, until, sort, brief=True, collapse=False)
        results = self._run(request)
        return results.total, [(hit.id, hit.score) for hit in results.hits]

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
        collapse: bool = True,
    ) -> Results:
        """Ranked hits for ``text`` (words, "phrases", -exclusions) with highlighted snippets.

        ``offset`` skips that many hits (pagination); ``facets=True`` also counts every
        matching document by source and month into ``Results.facets``. Syndicated copies
        of one story are one hit, the others in ``Hit.copies`` and ``total`` counting
        stories (``Results.documents`` counts documents); ``collapse=False`` lists every
        copy as its own hit.
        """
        request = self._request(text, limit, source, since, until, sort, offset, facets, collapse=collapse)
        return self._run(request)

    def highlight(self, text: str, query: str) -> str:
        """The whole of ``text``, HTML-escaped, with ``<mark>`` around every word that
        ``query`` searches for, as the snippets of :meth:`query` mark them: a document view."""
        parsed = parse(query, self.synonyms, self.settings.parse)
        if parsed.is_empty():
            return highlight(text, set()).html()
        with self._searcher() as searcher:
            searched, _ = rewrite(searcher.reader(), parsed, self.settings)
        return highlight(text, searched.positive_terms).html()

    def evaluate(
        self,
        queries: str | os.PathLike,
        qrels: str | os.PathLike,
        run: str | os.PathLike | None = None,
        progress: Progress | None = None,
    ) -> Evaluation:
        """Run a query set as :meth:`query` ranks it and score it (RR@10, nDCG@10, R@100):
        queries are JSON lines ``{"id", "text"}``, judgments ``query_id<TAB>doc_id<TAB>relevance``.
        ``run``: also write the TREC run there."""
        from search.evaluate import evaluate

        return evaluate(self, Path(queries), Path(qrels), run_path=Path(run) if run else None, progress=progress)

    def get(self, doc_id: str) -> Document | None:
        """The whole stored document with this id, or None.

        ``doc_id`` may also name a file an article was read from (``NAME.txt``, ``NAME``
        or its path, :mod:`search.names`); a name that several documents share raises
        :class:`~index.errors.QueryError` listing the ids or paths to use.
        """
        files = self.shards.read_manifest().get("files", {})
        with self._searcher() as searcher:
            docnum = self._document_number(searcher, doc_id, files)
            stored = None if docnum is None else searcher.stored_fields(docnum)
        if not stored:
            return None
        doc_id = stored["id"]
        holders = sorted(k for k, entry in files.items() if doc_id in entry["ids"] and not k.startswith("records:"))
        first = stored.get("path")
        return Document(
            id=stored["id"],
            title=stored.get("title", ""),
            body=stored.get("body", ""),
            source=stored.get("source"),
            date=as_date(stored.get("date")),
            path=first,
            url=stored.get("url"),
            paths=([first] if first else []) + [h for h in holders if h != first],
            provenance=stored.get("provenance") or {},
        )

    def similar(self, doc_id: str, limit: int = 10, settings: SimilarSettings = SimilarSettings()) -> Results:
        """The ``limit`` stories most like the document ``doc_id`` (an id or a file name, as
        :meth:`get` takes), its own story (itself and its copies) left out; a
        :class:`Results` like :meth:`query`'s. Raises :class:`DocumentMissing` when there is
        no such document."""
        if limit < 1:
            raise QueryError("--limit must be at least 1")
        with self._searcher() as searcher:
            docnum = self._document_number(searcher, doc_id)
            if docnum is None:
                raise DocumentMissing.named(doc_id)
            return similar(searcher, docnum, limit, settings, self.settings.snippets)

    def _document_number(self, searcher, doc_id: str, files: dict | None = None) -> int | None:
        """The document ``doc_id`` names: its id, else a file it was read from
        (:func:`~search.names.resolve`, which raises when several documents share the name)."""
        docnum = searcher.document_number(id=doc_id)
        if docnum is None:
            named = resolve(self.shards.read_manifest().get("files", {}) if files is None else files, doc_id)
            docnum = searcher.document_number(id=named) if named else None
        return docnum

    def stats(self) -> Stats:
        """Documents, documents per source, date range, size on disk and number of shards."""
        with self.shards.searcher() as searcher:
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
        size = self.shards.size_bytes()
        return Stats(
            location=str(self.location),
            documents=documents,
            sources=dict(sorted(sources.items(), key=lambda kv: (-kv[1], kv[0]))),
            first_date=as_date(min(dates)) if dates else None,
            last_date=as_date(max(dates)) if dates else None,
            size_bytes=size,
            shards=self.shards.count(),
        )
