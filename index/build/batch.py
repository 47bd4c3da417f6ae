"""One writing session on an index: the writers of its shards' generations plus the manifest.

A sharded index (:mod:`index.build.shards`) is written by one session as one index:
the manifest, duplicates and syndicated copies are index-wide here, each document is
written to its shard (:mod:`index.build.shards.writers`), and each shard keeps its part
of that state when the session commits (:mod:`index.build.shards.state`).

The manifest (see :mod:`index.build.store`) remembers, for every file, its size,
modification time, SHA-1 and the document ids it produced. Re-adding an unchanged file
therefore costs a ``stat``; a changed file replaces its documents and drops the ones it
no longer has. The manifest is saved after Whoosh's commit: a crash in between only
means the next run re-reads those files, and since documents are replaced by id
nothing doubles. A fresh generation's is saved before it (:meth:`Batch.commit`).

The same article in two files (same normalized body, :mod:`index.ingest.duplicates`) is one
document: the manifest lists it under every file that holds it, and it is deleted only
when no file refers to it any more. Whoosh cannot replace a document twice in one
writer, so each id is written at most once per session and what depends on all files
(deleting orphans, re-pointing ``path``) is settled just before the commit
(:meth:`Batch.settle`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable
from pathlib import Path

from index.build.bodies import BodyKeys
from index.build.copies import CopyFinder
from index.build.fields import fill_twin_fields, record_fields, story_value
from index.build.holders import Holders
from index.build.limits import BuildSettings, file_too_large, record_problems
from index.build.memos import load_memos, save_memos
from index.build.report import AddReport, Progress
from index.build.shards import shard_of
from index.build.shards.state import merge_memos, split_manifest
from index.build.shards.writers import Shard, ShardedWriter
from index.build.signer import Signed, Signer
from index.build import writer_choice
from index.build.writer_choice import open_writer
from index.ingest.duplicates import body_key
from index.ingest.files import ReadProblem, Record, read_file

#: File in a generation keeping the analysis of every word form indexed (:mod:`index.build.memos`).
ANALYSIS_CACHE = "analysis.cache"
#: File in a generation keeping every document's MinHash and story (:mod:`index.build.copies`).
COPIES = "copies.npz"

#: Opens a session's writer over its shards when they are written elsewhere (:class:`Batch`).
OpenWriter = Callable[[list[Shard]], ShardedWriter]


def _fingerprint(path: Path) -> tuple[int, int]:
    st = path.stat()
    return st.st_size, st.st_mtime_ns


def _sha1(path: Path) -> str:
    digest = hashlib.sha1()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _is_file_key(key: str) -> bool:
    return not key.startswith("records:")


class Batch:
    """One writing session on an index: its shards' writers plus the index-wide manifest."""

    def __init__(self, shards: list[Shard], manifest: dict, parallel: bool = False,
                 settings: BuildSettings = BuildSettings(), writer: OpenWriter | None = None, progress: Progress = Progress()):
        """``shards``: every shard of the index (one for an unsharded index), each with the generation to
        write; ``manifest``: the index-wide one (:mod:`index.build.shards.state`); ``writer``: the writer when
        not this process's (a cluster's: every decision stays here); ``progress``: hears of segment merges."""
        self.shards, self.manifest = shards, manifest
        self.fresh = all(shard.fresh for shard in shards)
        if writer is None:
            memos = merge_memos([load_memos(shard.gen / ANALYSIS_CACHE) for shard in shards if not shard.fresh])
            procs = writer_choice.WRITER_PROCS if parallel and self.fresh and writer_choice.WRITER_PROCS > 1 else 0
            self.writer = ShardedWriter(
                shards, procs, memos, lambda ix, own, workers: open_writer(ix, own, memos, settings, workers, len(shards), progress)
            )
        else:
            self.writer = writer(shards)
        #: doc id → the manifest keys (files) that hold it; more than one for duplicates.
        self.refs = Holders.of_files(manifest["files"])
        #: body key → doc id, to find the document a duplicate belongs to (packed until the commit).
        self.bodies = BodyKeys(manifest.get("bodies"))
        manifest["bodies"] = {}
        self.written = self.refs.written  # the ids written in this session
        self.detached: set[str] = set()
        #: Story keys of syndicated copies, index-wide: each document written gets one as it is written.
        saved = [shard.gen / COPIES for shard in shards if not shard.fresh]
        self.copies = CopyFinder.load(saved) if saved else CopyFinder()
        #: A large first build signs records ahead in a helper process (forked here, before
        #: the caller's progress thread starts, as the writers are).
        self.signer = Signer(self.copies.settings) if parallel and self.fresh else None
        self.report = AddReport()

    def unique_id(self, wanted: str, path: str) -> str:
        """``wanted`` unless another file already holds it, else ``wanted-2``, ``wanted-3``…"""
        candidate, n = wanted, 1
        while self.refs.held_elsewhere(candidate, path):
            n += 1
            candidate = f"{wanted}-{n}"
        return candidate

    def write(self, record: Record, path_key: str, previous: set[str], signed: Signed | None = None) -> str:
        """Add or replace one document and return its id; ``previous`` are the file's old ids,
        ``signed`` its body's MinHash and key when signed ahead (:mod:`index.build.signer`).

        A record whose body another file already holds joins that document instead of
        making a second one. Ids taken from a file name are made unique.
        """
        signature, key = signed if signed is not None else (None, body_key(record.body))
        same = self.bodies.get(key) if key else None
        if same and self.refs.held_elsewhere(same, path_key):
            self.refs.add(same, path_key)
            if same in self.written or same not in previous:
                self.report.duplicates += 1
                return same
            record.id = same  # this file's own document, shared: its edits still apply
        elif record.provenance.get("id") == "file name":
            record.id = self.unique_id(record.id, path_key)
        self.refs.add(record.id, path_key)
        if key and (same is None or not self.refs.held(same)):
            self.bodies[key] = record.id
        fields = record_fields(record)
        fields["story"] = story_value(self.copies.assign(record.id, record.body, record.date, signature))
        if self.writer.shard(record.id).fresh:
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

    def add_stored(self, stored: dict) -> None:
        """Write a document as its stored fields give it (carried over from another generation);
        its story is found again among the documents of this one."""
        self._with_story(stored)
        self.writer.add_document(**fill_twin_fields(stored))

    def _with_story(self, stored: dict) -> None:
        """Give ``stored`` (fields read back from an index) the story key its document has
        here: kept when known, else found afresh. Keys are a column, not stored fields."""
        story = self.copies.story(stored["id"])
        if story is None:
            date = stored.get("date")
            day = date.date() if isinstance(date, dt.datetime) else None
            story = self.copies.assign(stored["id"], stored.get("body", ""), day)
        stored["story"] = story_value(story)

    def detach(self, path_key: str, ids: list[str]) -> None:
        """``path_key`` no longer holds ``ids``; :meth:`settle` deletes those left orphaned."""
        for doc_id in ids:
            self.refs.discard(doc_id, path_key)
        self.detached.update(ids)

    def forget(self, path_key: str) -> None:
        """The file ``path_key`` is gone: its manifest entry goes now, its documents at
        :meth:`settle` unless another file still holds them."""
        entry = self.manifest["files"].pop(path_key)
        self.detach(path_key, entry["ids"])

    def settle(self) -> None:
        """Delete documents no file holds any more; re-point ``path`` of survivors."""
        for doc_id in sorted(self.detached):
            holders = self.refs.of(doc_id)
            if not holders:
                self.refs.pop(doc_id)
                if doc_id not in self.written:
                    self.writer.delete(doc_id)
                    self.copies.forget(doc_id)
                    self.report.removed += 1
            elif doc_id not in self.written:
                self._repoint(doc_id, holders)
        self.bodies.keep_only(self.refs.__contains__)

    def _repoint(self, doc_id: str, holders: set[str]) -> None:
        """A shared document whose ``path`` file let go of it now points at a file that holds it."""
        stored = self.writer.stored(doc_id)
        if not stored or stored.get("path") in holders:
            return
        files = sorted(h for h in holders if _is_file_key(h))
        if files:
            stored["path"] = files[0]
        else:
            stored.pop("path", None)
        self._with_story(stored)
        self.writer.update_document(**fill_twin_fields(stored))

    def add_file(self, path: Path, source: str | None, progress: Progress, fields: dict | None = None) -> None:
        """Index one file unless it is unchanged since the manifest saw it."""
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
            if too_large := file_too_large(path, size):
                self.problem(too_large, progress)
                return
            sha1 = _sha1(path)
        except OSError as exc:
            self.problem(ReadProblem(str(path), f"cannot read: {exc.strerror or exc}"), progress)
            return
        if old and old["sha1"] == sha1 and old.get("source") == source:
            old.update(size=size, mtime_ns=mtime)
            self.report.unchanged += len(old["ids"])
            progress.advance(1)
            return
        old_ids = set(old["ids"]) if old else set()
        self.detach(key, list(old_ids))
        ids = []
        failed, again = len(self.report.problems), self.refs.again
        for item, signed in self._signed(read_file(path, fields)):
            if isinstance(item, ReadProblem):
                self.problem(item, progress)
                continue
            refused, warning = record_problems(item, path)
            if refused:
                self.problem(refused, progress)
                continue
            if warning:
                self.report.warnings.append(warning)
                progress.problem(warning)
            item.path = key
            if source:
                item.source = source
                item.provenance["source"] = "--source"
            ids.append(self.write(item, key, old_ids, signed))
            progress.advance(0, 1)
        if not ids and len(self.report.problems) == failed:
            self.problem(ReadProblem(str(path), "no documents in this file"), progress)
        if len(self.report.problems) > failed and old:
            # Part of the file could not be read: keep the documents it had before
            # rather than lose them to a damaged copy; the next change re-reads it.
            present = set(ids)
            kept = [i for i in old["ids"] if i not in present]
            for doc_id in kept:
                self.refs.add(doc_id, key)
            ids += kept
        if self.refs.again != again:
            # The file repeats an id. Only then a table of all its ids: for a file of a
            # million it was a 30 MB spike at the build's peak (benchmarks/README.md).
            ids = list(dict.fromkeys(ids))
        self.manifest["files"][key] = {
            "size": size, "mtime_ns": mtime, "sha1": sha1, "ids": ids, "source": source,
            "fields": fields or None,
        }
        self.report.files += 1
        progress.advance(1)

    def _signed(self, items: Iterable[Record | ReadProblem]) -> Iterable[tuple[Record | ReadProblem, Signed | None]]:
        """``items`` each with its body's signature and key when a helper signs ahead, else None."""
        if self.signer is None:
            return ((item, None) for item in items)
        return self.signer.ahead(items, lambda item: item.body if isinstance(item, Record) else None)

    def problem(self, problem: ReadProblem, progress: Progress) -> None:
        """Report what could not be indexed; the session goes on."""
        self.report.problems.append(problem)
        progress.problem(problem)

    def run(self, work: Callable[[], None]) -> AddReport:
        """Do ``work``, then commit; any error (or Ctrl-C) cancels the writer instead."""
        try:
            work()
        except BaseException:
            self.cancel()
            raise
        self.commit()
        return self.report

    def commit(self) -> None:
        """Commit every shard, then save each its part of the index-wide state.

        Fresh generations are read by no one until published (:mod:`index.build.add`;
        one left by a crash is deleted as stale), so theirs is saved as soon as every
        document is written, before the writers merge their segments, and the session
        lets go of it: a large first build's merge runs in the memory the copy finder,
        ids, body keys and vocabulary held."""
        self.settle()
        if self.signer is not None:
            self.signer.close()
        if not self.fresh:
            self.writer.commit()
            self._save(let_go=False)
            return
        self.writer.finish()
        self._save(let_go=True)
        self.writer.commit()

    def _save(self, let_go: bool) -> None:
        """Each shard's copy finder, analysis cache and part of the manifest, to its
        generation; with ``let_go`` each structure is dropped once saved, before the next
        is made (a 1M build's parent peaked with the memos, the body keys' dict and the
        manifest's JSON made beside all of them)."""
        count = len(self.shards)
        for number, shard in enumerate(self.shards):
            keep = None if count == 1 else (lambda doc_id, n=number: shard_of(doc_id, count) == n)
            self.copies.save(shard.gen / COPIES, keep)
        if let_go:
            self.copies, self.refs = CopyFinder(), Holders.of_files({})
            self.written = self.refs.written
        analyses = self.writer.analysis_cache()
        if analyses:
            for shard in self.shards:
                save_memos(shard.gen / ANALYSIS_CACHE, analyses)
        del analyses
        if let_go:
            self.writer.forget_vocabulary()
        self.manifest["bodies"] = self.bodies.saved()  # after the workers' last segments: not beside them
        if let_go:
            self.bodies = BodyKeys(None)
        for shard, part in zip(self.shards, split_manifest(self.manifest, count)):
            shard.store.save_manifest(shard.gen, part)
        if let_go:
            self.manifest.clear()

    def cancel(self) -> None:
        if self.signer is not None:
            self.signer.cancel()
        self.writer.cancel()
