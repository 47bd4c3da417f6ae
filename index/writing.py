"""Writing documents into the index: incremental adds and full rebuilds.

The manifest (see :mod:`index.store`) remembers every path the user added (its
"roots", re-read by a rebuild) and, for every file, its size, modification time,
SHA-1 and the document ids it produced. Re-adding an unchanged file therefore costs a
``stat``; a changed file replaces its documents and drops the ones it no longer has.
The manifest is saved after Whoosh's commit: a crash in between only means the next
run re-reads those files, and since documents are replaced by id nothing doubles.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from index.documents import ReadProblem, Record, find_files, read_file, record_from_mapping
from index.schema import EXACT_FIELDS, ROOT_FIELDS
from index.store import Store

#: Whoosh writer memory per process, in MB: large enough to keep segments few.
WRITER_LIMIT_MB = 256


class Progress:
    """What a long operation reports; the library's default reports nothing.

    The CLI passes a subclass that draws a progress bar (see :mod:`search.terminal`).
    """

    def start(self, total: int, label: str) -> None:
        """``total`` units of work are about to be done."""

    def advance(self, units: int = 1, documents: int = 0) -> None:
        """``units`` more are done, having produced ``documents`` documents."""

    def problem(self, problem: ReadProblem) -> None:
        """A file or line could not be read; the run goes on."""

    def finish(self) -> None:
        """The work is over (also called after an error)."""


@dataclass
class AddReport:
    """What an add or rebuild did: counts of documents, and the problems met."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    files: int = 0
    problems: list[ReadProblem] = field(default_factory=list)

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
    return fields


class _Batch:
    """One writing session on one generation: the Whoosh writer plus the manifest."""

    def __init__(self, store: Store, gen: Path, ix, manifest: dict, fresh: bool):
        self.store, self.gen, self.manifest, self.fresh = store, gen, manifest, fresh
        self.writer = ix.writer(limitmb=WRITER_LIMIT_MB)
        self.owner = {doc_id: p for p, entry in manifest["files"].items() for doc_id in entry["ids"]}
        self.report = AddReport()

    def unique_id(self, wanted: str, path: str) -> str:
        """``wanted`` unless another file already owns it, else ``wanted-2``, ``wanted-3``…"""
        candidate, n = wanted, 1
        while self.owner.get(candidate, path) != path:
            n += 1
            candidate = f"{wanted}-{n}"
        return candidate

    def write(self, record: Record, path_key: str, existed: bool) -> str:
        """Add or replace one document; ids taken from a file name are made unique."""
        if record.provenance.get("id") == "file name":
            record.id = self.unique_id(record.id, path_key)
        self.owner[record.id] = path_key
        fields = _to_fields(record)
        if self.fresh:
            self.writer.add_document(**fields)
            self.report.added += 1
        else:
            self.writer.update_document(**fields)
            if existed:
                self.report.updated += 1
            else:
                self.report.added += 1
        return record.id

    def add_file(self, path: Path, source: str | None, progress: Progress) -> None:
        key = str(path.resolve()) if path.exists() else str(path)
        old = self.manifest["files"].get(key)
        try:
            size, mtime = _fingerprint(path)
            if old and (old["size"], old["mtime_ns"]) == (size, mtime) and old.get("source") == source:
                self.report.unchanged += len(old["ids"])
                progress.advance(1)
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
        ids = []
        for item in read_file(path):
            if isinstance(item, ReadProblem):
                self._problem(item, progress)
                continue
            item.path = key
            if source:
                item.source = source
                item.provenance["source"] = "--source"
            ids.append(self.write(item, key, item.id in old_ids))
            progress.advance(0, 1)
        for gone in old_ids - set(ids):
            self.writer.delete_by_term("id", gone)
            self.owner.pop(gone, None)
            self.report.removed += 1
        self.manifest["files"][key] = {
            "size": size, "mtime_ns": mtime, "sha1": sha1, "ids": ids, "source": source,
        }
        self.report.files += 1
        progress.advance(1)

    def _problem(self, problem: ReadProblem, progress: Progress) -> None:
        self.report.problems.append(problem)
        progress.problem(problem)

    def commit(self) -> None:
        self.writer.commit()
        self.store.save_manifest(self.gen, self.manifest)

    def cancel(self) -> None:
        self.writer.cancel()


def _remember_roots(manifest: dict, paths: Iterable[Path], source: str | None) -> None:
    roots = manifest["roots"]
    for path in paths:
        entry = {"path": str(path.resolve()), "source": source}
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
) -> AddReport:
    """Index files and folders (recursively), skipping files unchanged since last time."""
    progress = progress or Progress()
    missing = [p for p in paths if not p.exists()]
    present = [p for p in paths if p.exists()]
    with store.write_lock():
        gen = store.live_generation()
        fresh = gen is None
        if fresh:
            store.remove_stale_generations()
            gen, ix = store.new_generation()
            manifest = store.read_manifest(gen)
        else:
            ix = store.open_index()
            manifest = store.read_manifest(gen)
        batch = _Batch(store, gen, ix, manifest, fresh)
        batch.report.problems.extend(ReadProblem(str(p), "no such file or folder") for p in missing)
        for problem in batch.report.problems:
            progress.problem(problem)
        _remember_roots(manifest, present, source)
        files = list(find_files(present))

        def work() -> None:
            progress.start(len(files), "indexing")
            try:
                for path in files:
                    batch.add_file(path, source, progress)
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
                batch.write(record, f"records:{origin}", record.id in known)
                if record.id not in known:
                    entry["ids"].append(record.id)
                    known.add(record.id)

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
    with store.write_lock():
        old_gen = store.live_generation()
        old_manifest = store.read_manifest(old_gen)
        store.remove_stale_generations()
        gen, ix = store.new_generation()
        manifest = {"roots": [], "files": {}}
        batch = _Batch(store, gen, ix, manifest, fresh=True)
        roots = old_manifest.get("roots", [])
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
                        batch.add_file(file, root.get("source"), progress)
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
    except Exception:
        return
    with old.searcher() as searcher:
        for key, entry in carried.items():
            for doc_id in entry["ids"]:
                stored = searcher.document(id=doc_id)
                if stored:
                    batch.writer.add_document(**_with_exact(stored))
                    batch.report.added += 1
            batch.manifest["files"][key] = entry
