"""Writing documents into the index: incremental adds and full rebuilds.

The manifest (see :mod:`index.build.store`) remembers every path the user added (its
"roots", re-read by a rebuild) and, for every file, its size, modification time,
SHA-1 and the document ids it produced. Re-adding an unchanged file therefore costs a
``stat``; a changed file replaces its documents and drops the ones it no longer has.
The manifest is saved after Whoosh's commit: a crash in between only means the next
run re-reads those files, and since documents are replaced by id nothing doubles.

The same article in two files (same normalized body, :mod:`index.ingest.duplicates`) is one
document: the manifest lists it under every file that holds it, and it is deleted only
when no file refers to it any more. Whoosh cannot replace a document twice in one
writer, so each id is written at most once per session and what depends on all files
(deleting orphans, re-pointing ``path``) is settled just before the commit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from index.ingest.files import ReadProblem, Record, find_files, read_file, record_from_mapping
from index.ingest.duplicates import body_key
from index.errors import SearchError
from index.build.memos import load_memos, save_memos
from index.schema import EXACT_FIELDS, ROOT_FIELDS
from index.build.store import Store

#: Whoosh writer memory per process, in MB: large enough to keep segments few.
WRITER_LIMIT_MB = 256
#: Processes that analyze documents when a whole generation is written at once.
WRITER_PROCS = min(2, os.cpu_count() or 1)
#: Input size from which a fresh generation is written by :data:`WRITER_PROCS` processes;
#: below it, starting processes costs more than it saves.
PARALLEL_MIN_BYTES = 4 << 20

#: File in a generation keeping the analysis of every word form indexed (``index.whoosh_ext.bulk``).
ANALYSIS_CACHE = "analysis.cache"

#: The largest single document indexed, in bytes: a whole file for one-document
#: formats (checked with ``stat``, before reading), one record for multi-document ones.
#: A news article is a few kB; a bigger "document" is a log, a dump or a mistake, and
#: would cost minutes and gigabytes of memory for nothing anyone can read in a snippet.
MAX_DOCUMENT_BYTES = 10 * 2**20

#: Formats holding many documents per file: their size is checked per record instead.
MULTI_DOCUMENT_SUFFIXES = (".jsonl", ".jsonl.gz", ".csv", ".csv.gz")


class Progress:
    """What a long operation reports; the library's default reports nothing.

    The CLI passes a subclass that draws a progress bar (see :mod:`search.present.terminal`).
    """

    def start(self, total: int, label: str) -> None:
        """``total`` units of work are about to be done."""

    def advance(self, units: int = 1, documents: int = 0) -> None:
        """``units`` more are done, having produced ``documents`` documents."""

    def problem(self, problem: ReadProblem) -> None:
        """A file or line could not be read; the run goes on."""

    def waiting(self) -> None:
        """Another process holds the index's write lock; this run waits for it."""

    def finish(self) -> None:
        """The work is over (also called after an error)."""


@dataclass
class AddReport:
    """What an add or rebuild did: counts of documents, and the problems met."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    duplicates: int = 0
    files: int = 0
    #: What could not be indexed (a file, a line): these make ``failed``.
    problems: list[ReadProblem] = field(default_factory=list)
    #: Documents indexed with a caveat (a date not understood): reported, not failures.
    warnings: list[ReadProblem] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return len(self.problems)


def _fingerprint(path: Path) -> tuple[int, int]:
    st = path.stat()
    return st.st_size, st.st_mtime_ns


def _sha1(path: Path) -> str:
    digest = hashlib.sha1()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _too_large(path: Path, size: int) -> ReadProblem | None:
    """A problem when a one-document file is above :data:`MAX_DOCUMENT_BYTES`."""
    if size <= MAX_DOCUMENT_BYTES or path.name.lower().endswith(MULTI_DOCUMENT_SUFFIXES):
        return None
    return ReadProblem(str(path), f"{_megabytes(size)} is more than the {_megabytes(MAX_DOCUMENT_BYTES)} a document may have; skipped")


def _megabytes(size: int) -> str:
    return f"{size / 2**20:.1f} MB"


def _record_problems(record: Record, path: Path) -> tuple[ReadProblem | None, ReadProblem | None]:
    """(why the record is refused, a warning about a record indexed anyway)."""
    line = int(record.provenance["line"]) if record.provenance.get("line") else None
    size = len(record.title.encode("utf-8")) + len(record.body.encode("utf-8"))
    if size > MAX_DOCUMENT_BYTES:
        message = f"document {record.id!r} has {_megabytes(size)}, more than {_megabytes(MAX_DOCUMENT_BYTES)}; skipped"
        return ReadProblem(str(path), message, line), None
    if record.provenance.get("date") == "unparsed field":
        message = f"document {record.id!r}: date not understood (use YYYY-MM-DD); indexed without a date"
        return None, ReadProblem(str(path), message, line)
    return None, None


def _with_exact(fields: dict) -> dict:
    """Copy each searched field into its unstemmed and root twins (``index.schema``)."""
    for twins in (EXACT_FIELDS, ROOT_FIELDS):
        for name, twin in twins.items():
            if fields.get(name):
                fields[twin] = fields[name]
    return fields


def _to_fields(record: Record) -> dict:
    fields = _with_exact({"id": record.id, "title": record.title, "body": record.body})
    if record.source:
        fields["source"] = record.source
    if record.date:
        fields["date"] = dt.datetime(record.date.year, record.date.month, record.date.day)
    if record.path:
        fields["path"] = record.path
    if record.url:
        fields["url"] = record.url
    if record.provenance:
        fields["provenance"] = dict(record.provenance)
    return fields


def _is_file_key(key: str) -> bool:
    return not key.startswith("records:")


def _input_bytes(files: Iterable[Path]) -> int:
    total = 0
    for path in files:
        try:
            total += path.stat().st_size
        except OSError:
            pass  # reported when the file is read
    return total


def _open_writer(ix, parallel: bool, memos: dict):
    """Our bulk writer (:mod:`index.whoosh_ext.bulk`); for a large fresh generation, its parallel form.

    The parallel writer hands batches of documents to :data:`WRITER_PROCS` forked
    workers, each writing its own segments. It is used only on a fresh generation,
    where every document is an ``add_document``: deletions go through the parent while
    the workers add, which is right only because no document of the batch exists yet.
    A schema the bulk writer cannot write exactly (term vectors, spelling) gets Whoosh's.
    ``memos`` is the analysis of word forms already seen (:func:`index.build.memos.load_memos`).
    """
    from index.whoosh_ext.bulk import BulkSegmentWriter, ParallelWriter, supports  # Whoosh's writer: not on the query path

    if not supports(ix.schema):
        return ix.writer(limitmb=WRITER_LIMIT_MB)
    if parallel and WRITER_PROCS > 1:
        return ParallelWriter(ix, WRITER_PROCS, memos=memos)
    return BulkSegmentWriter(ix, memos, limitmb=WRITER_LIMIT_MB)


class _Batch:
    """One writing session on one generation: the Whoosh writer plus the manifest."""

    def __init__(self, store: Store, gen: Path, ix, manifest: dict, fresh: bool, parallel: bool = False):
        self.store, self.gen, self.ix, self.manifest, self.fresh = store, gen, ix, manifest, fresh
        self.writer = _open_writer(ix, parallel and fresh, {} if fresh else load_memos(gen / ANALYSIS_CACHE))
        #: doc id → the manifest keys (files) that hold it; more than one for duplicates.
        self.refs: dict[str, set[str]] = {}
        for p, entry in manifest["files"].items():
            for doc_id in entry["ids"]:
                self.refs.setdefault(doc_id, set()).add(p)
        #: body key → doc id, to find the document a duplicate belongs to.
        self.bodies: dict[str, str] = manifest.setdefault("bodies", {})
        self.written: set[str] = set()
        self.detached: set[str] = set()
        self.report = AddReport()

    def unique_id(self, wanted: str, path: str) -> str:
        """``wanted`` unless another file already holds it, else ``wanted-2``, ``wanted-3``…"""
        candidate, n = wanted, 1
        while self.refs.get(candidate, set()) - {path}:
            n += 1
            candidate = f"{wanted}-{n}"
        return candidate

    def write(self, record: Record, path_key: str, previous: set[str]) -> str:
        """Add or replace one document and return its id; ``previous`` are the file's old ids.

        A record whose body another file already holds joins that document instead of
        making a second one. Ids taken from a file name are made unique.
        """
        key = body_key(record.body)
        same = self.bodies.get(key) if key else None
        if same and self.refs.get(same, set()) - {path_key}:
            self.refs[same].add(path_key)
            if same in self.written or same not in previous:
                self.report.duplicates += 1
                return same
            record.id = same  # this file's own document, shared: its edits still apply
        elif record.provenance.get("id") == "file name":
            record.id = self.unique_id(record.id, path_key)
        self.refs.setdefault(record.id, set()).add(path_key)
        if key and (same is None or not self.refs.get(same)):
            self.bodies[key] = record.id
        fields = _to_fields(record)
        if self.fresh:
            self.writer.add_document(**fields)
            self.report.added += 1
        else:
            self.writer.update_document(**fields)
            if record.id in previous:
                self.report.updated += 1
            else:
                self.report.added += 1
        self.written.add(record.id)
        return record.id

    def detach(self, path_key: str, ids: list[str]) -> None:
        """``path_key`` no longer holds ``ids``; :meth:`settle` deletes those left orphaned."""
        for doc_id in ids:
            self.refs.get(doc_id, set()).discard(path_key)
        self.detached.update(ids)

    def settle(self) -> None:
        """Delete documents no file holds any more; re-point ``path`` of survivors."""
        for doc_id in sorted(self.detached):
            holders = self.refs.get(doc_id)
            if not holders:
                self.refs.pop(doc_id, None)
                if doc_id not in self.written:
                    self.writer.delete_by_term("id", doc_id)
                    self.report.removed += 1
            elif doc_id not in self.written:
                self._repoint(doc_id, holders)
        for key, doc_id in list(self.bodies.items()):
            if doc_id not in self.refs:
                del self.bodies[key]

    def _repoint(self, doc_id: str, holders: set[str]) -> None:
        """A shared document whose ``path`` file let go of it now points at a file that holds it."""
        with self.ix.searcher() as searcher:
            stored = searcher.document(id=doc_id)
        if not stored or stored.get("path") in holders:
            return
        files = sorted(h for h in holders if _is_file_key(h))
        if files:
            stored["path"] = files[0]
        else:
            stored.pop("path", None)
        self.writer.update_document(**_with_exact(stored))

    def add_file(self, path: Path, source: str | None, progress: Progress, fields: dict | None = None) -> None:
        key = str(path.resolve()) if path.exists() else str(path)
        old = self.manifest["files"].get(key)
        if old and old.get("fields") != (fields or None):
            old = dict(old, sha1=None)  # read again under the new field mapping
        try:
            size, mtime = _fingerprint(path)
            if old and old["sha1"] and (old["size"], old["mtime_ns"]) == (size, mtime) and old.get("source") == source:
                self.report.unchanged += len(old["ids"])
                progress.advance(1)
                return
            if too_large := _too_large(path, size):
                self._problem(too_large, progress)
                return
            sha1 = _sha1(path)
        except OSError as exc:
            self._problem(ReadProblem(str(path), f"cannot read: {exc.strerror or exc}"), progress)
            return
        if old and old["sha1"] == sha1 and old.get("source") == source:
            old.update(size=size, mtime_ns=mtime)
            self.report.unchanged += len(old["ids"])
            progress.advance(1)
            return
        old_ids = set(old["ids"]) if old else set()
        self.detach(key, list(old_ids))
        ids = []
        failed = len(self.report.problems)
        for item in read_file(path, fields):
            if isinstance(item, ReadProblem):
                self._problem(item, progress)
                continue
            refused, warning = _record_problems(item, path)
            if refused:
                self._problem(refused, progress)
                continue
            if warning:
                self.report.warnings.append(warning)
                progress.problem(warning)
            item.path = key
            if source:
                item.source = source
                item.provenance["source"] = "--source"
            ids.append(self.write(item, key, old_ids))
            progress.advance(0, 1)
        if not ids and len(self.report.problems) == failed:
            self._problem(ReadProblem(str(path), "no documents in this file"), progress)
        if len(self.report.problems) > failed and old:
            # Part of the file could not be read: keep the documents it had before
            # rather than lose them to a damaged copy; the next change re-reads it.
            kept = [i for i in old["ids"] if i not in ids]
            for doc_id in kept:
                self.refs.setdefault(doc_id, set()).add(key)
            ids += kept
        self.manifest["files"][key] = {
            "size": size, "mtime_ns": mtime, "sha1": sha1, "ids": list(dict.fromkeys(ids)), "source": source,
            "fields": fields or None,
        }
        self.report.files += 1
        progress.advance(1)

    def _problem(self, problem: ReadProblem, progress: Progress) -> None:
        self.report.problems.append(problem)
        progress.problem(problem)

    def commit(self) -> None:
        self.settle()
        self.writer.commit()
        if getattr(self.writer, "memos", None):
            save_memos(self.gen / ANALYSIS_CACHE, self.writer.memos)
        self.store.save_manifest(self.gen, self.manifest)

    def cancel(self) -> None:
        self.writer.cancel()


def _remember_roots(manifest: dict, paths: Iterable[Path], source: str | None, fields: dict | None) -> None:
    roots = manifest["roots"]
    for path in paths:
        entry = {"path": str(path.resolve()), "source": source, "fields": fields or None}
        roots[:] = [r for r in roots if r["path"] != entry["path"]] + [entry]


def _run(batch: _Batch, work: Callable[[], None]) -> AddReport:
    try:
        work()
    except BaseException:
        batch.cancel()
        raise
    batch.commit()
    return batch.report


def add_paths(
    store: Store,
    paths: list[Path],
    source: str | None = None,
    progress: Progress | None = None,
    fields: dict[str, str] | None = None,
) -> AddReport:
    """Index files and folders (recursively), skipping files unchanged since last time.

    ``fields`` maps our field names to a JSONL/CSV producer's (``{"body": "content"}``).
    """
    progress = progress or Progress()
    missing = [p for p in paths if not p.exists()]
    present = [p for p in paths if p.exists()]
    with store.write_lock(on_wait=progress.waiting):
        gen = store.live_generation()
        fresh = gen is None
        if fresh:
            store.remove_stale_generations()
            gen, ix = store.new_generation()
            manifest = store.read_manifest(gen)
        else:
            ix = store.open_index()
            manifest = store.read_manifest(gen)
        files = list(find_files(present))
        parallel = fresh and _input_bytes(files) >= PARALLEL_MIN_BYTES
        batch = _Batch(store, gen, ix, manifest, fresh, parallel)
        batch.report.problems.extend(ReadProblem(str(p), "no such file or folder") for p in missing)
        for problem in batch.report.problems:
            progress.problem(problem)
        _remember_roots(manifest, present, source, fields)

        def work() -> None:
            progress.start(len(files), "indexing")
            try:
                for path in files:
                    batch.add_file(path, source, progress, fields)
            finally:
                progress.finish()

        report = _run(batch, work)
        if fresh:
            store.publish(gen)
        return report


def add_records(store: Store, records: Iterable[Record | dict], origin: str = "records") -> AddReport:
    """Index records given by code (dicts use the JSONL field names); ids replace ids."""
    with store.write_lock():
        gen = store.live_generation()
        fresh = gen is None
        if fresh:
            gen, ix = store.new_generation()
        else:
            ix = store.open_index()
        manifest = store.read_manifest(gen)
        batch = _Batch(store, gen, ix, manifest, fresh)
        entry = manifest["files"].setdefault(
            f"records:{origin}", {"size": 0, "mtime_ns": 0, "sha1": "", "ids": [], "source": None}
        )
        known = set(entry["ids"])

        def work() -> None:
            for n, item in enumerate(records, 1):
                record = item if isinstance(item, Record) else record_from_mapping(item, f"{origin}-{n}")
                if isinstance(record, str):
                    batch.report.problems.append(ReadProblem(origin, record, n))
                    continue
                doc_id = batch.write(record, f"records:{origin}", known)
                if doc_id not in known:
                    entry["ids"].append(doc_id)
                    known.add(doc_id)

        report = _run(batch, work)
        if fresh:
            store.publish(gen)
        return report


def rebuild(store: Store, progress: Progress | None = None) -> AddReport:
    """Re-read every root ever added into a new generation and swap it in atomically.

    Records added from code (:func:`add_records`) have no file to re-read and are
    copied over from the old index.
    """
    progress = progress or Progress()
    with store.write_lock(on_wait=progress.waiting):
        old_gen = store.live_generation()
        old_manifest = store.read_manifest(old_gen, strict=True)
        store.remove_stale_generations()
        gen, ix = store.new_generation()
        manifest = {"roots": [], "files": {}}
        roots = old_manifest.get("roots", [])
        present = [Path(r["path"]) for r in roots if Path(r["path"]).exists()]
        parallel = _input_bytes(find_files(present)) >= PARALLEL_MIN_BYTES
        batch = _Batch(store, gen, ix, manifest, fresh=True, parallel=parallel)
        carried = {k: v for k, v in old_manifest.get("files", {}).items() if k.startswith("records:")}

        def work() -> None:
            for root in roots:
                path = Path(root["path"])
                if not path.exists():
                    batch._problem(ReadProblem(str(path), "no longer exists; its documents are dropped"), progress)
                    continue
                manifest["roots"].append(root)
                files = list(find_files([path]))
                progress.start(len(files), f"rebuilding {path.name}")
                try:
                    for file in files:
                        batch.add_file(file, root.get("source"), progress, root.get("fields"))
                finally:
                    progress.finish()
            if carried:
                _copy_records(store, carried, batch)

        report = _run(batch, work)
        store.publish(gen)
        return report


def _copy_records(store: Store, carried: dict, batch: _Batch) -> None:
    try:
        old = store.open_index()
    except SearchError:
        for key, entry in carried.items():
            lost = ReadProblem(key, f"{len(entry['ids'])} documents added from code are in the unreadable old index: add them again")
            batch.report.problems.append(lost)
        return
    with old.searcher() as searcher:
        for key, entry in carried.items():
            for doc_id in entry["ids"]:
                stored = searcher.document(id=doc_id)
                if stored and doc_id not in batch.written:  # not already re-read from a file
                    batch.writer.add_document(**_with_exact(stored))
                    batch.written.add(doc_id)
                    batch.report.added += 1
            batch.manifest["files"][key] = entry
