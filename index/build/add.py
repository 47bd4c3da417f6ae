"""Adding documents to an index: files and folders (:func:`add_paths`), or records
given by code (:func:`add_records`).

An add writes into the live generation of each shard (a fresh one when there is none
yet; an unsharded index is one shard, :mod:`index.build.shards`) and remembers every path it was given as a "root" in the manifest, which a rebuild
(:mod:`index.build.rebuild`) re-reads. A folder given again is taken as it now is:
the documents of files deleted from it go, as a rebuild would drop them.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable
from pathlib import Path

from index.build.batch import Batch, OpenWriter
from index.build.writer_choice import worth_parallel
from index.build.limits import BuildSettings
from index.build.report import AddReport, Progress
from index.build.shards.state import merge_manifests
from index.build.shards.writers import Shard
from index.build.shards import Shards
from index.ingest.files import ReadProblem, Record, find_files, record_from_mapping


def _remember_roots(manifest: dict, paths: Iterable[Path], source: str | None, fields: dict | None) -> None:
    roots = manifest["roots"]
    for path in paths:
        entry = {"path": str(path.resolve()), "source": source, "fields": fields or None}
        roots[:] = [r for r in roots if r["path"] != entry["path"]] + [entry]


def _gone(path: str) -> bool:
    """Whether nothing is at ``path`` any more. A path that cannot be looked at (a folder
    without permission) is not gone: its documents stay until it can be read again."""
    try:
        os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return True
    except OSError:
        return False
    return False


def _under(path: str, folders: list[str]) -> bool:
    return any(path.startswith(folder.rstrip(os.sep) + os.sep) for folder in folders)


def _forget_vanished(batch: Batch, folders: list[Path], found: Iterable[Path]) -> None:
    """Drop the files the manifest lists under ``folders`` (given again) that no longer
    exist, and the roots among them. Only what is gone is dropped: a file that is still
    there but could not be read keeps its documents (:meth:`Batch.add_file`), and
    files outside these folders are not looked at."""
    given = [str(folder.resolve()) for folder in folders]
    seen = {str(path.resolve()) for path in found}
    files, roots = batch.manifest["files"], batch.manifest["roots"]
    for key in [k for k in files if k not in seen and _under(k, given) and _gone(k)]:
        batch.forget(key)
    roots[:] = [r for r in roots if not (_under(r["path"], given) and _gone(r["path"]))]


def open_shards(shards: Shards) -> tuple[list[Shard], dict]:
    """Every shard to write (its live generation, or a fresh one) and the index-wide
    manifest; makes ``shards.json`` for a new sharded index. The caller holds the lock."""
    parts = [Shard.open(store) for store in shards.prepare()]
    return parts, merge_manifests([part.store.read_manifest(part.gen) for part in parts])


def publish_fresh(parts: list[Shard]) -> None:
    """Make the shards' new generations live (those that had none)."""
    for part in parts:
        if part.fresh:
            part.store.publish(part.gen)


def add_paths(
    shards: Shards,
    paths: list[Path],
    source: str | None = None,
    progress: Progress | None = None,
    fields: dict[str, str] | None = None,
    settings: BuildSettings = BuildSettings(),
    writer: OpenWriter | None = None,
) -> AddReport:
    """Index files and folders (recursively), skipping files unchanged since last time.

    ``fields`` maps our field names to a JSONL/CSV producer's (``{"body": "content"}``);
    ``settings`` bounds the build's memory; ``writer``: where the documents are written
    when not in this process (:class:`index.build.batch.Batch`).
    """
    progress = progress or Progress()
    missing = [p for p in paths if not p.exists()]
    present = [p for p in paths if p.exists()]
    with shards.lock_store.write_lock(on_wait=progress.waiting):
        parts, manifest = open_shards(shards)
        files = list(find_files(present))
        parallel = all(part.fresh for part in parts) and worth_parallel(files)
        batch = Batch(parts, manifest, parallel, settings, writer, progress)
        batch.report.problems.extend(ReadProblem(str(p), "no such file or folder") for p in missing)
        for problem in batch.report.problems:
            progress.problem(problem)
        _remember_roots(manifest, present, source, fields)

        def work() -> None:
            _forget_vanished(batch, [p for p in present if p.is_dir()], files)
            progress.start(len(files), "indexing")
            try:
                for path in files:
                    batch.add_file(path, source, progress, fields)
            finally:
                progress.finish()

        report = batch.run(work)
        publish_fresh(parts)
        if outgrown := _memory_outgrown(parts, settings):
            report.warnings.append(outgrown)
            progress.problem(outgrown)
        return report


def _memory_outgrown(parts: list[Shard], settings: BuildSettings) -> ReadProblem | None:
    """A warning when the build's writers wrote small segments because the rest of the
    build left them too little of the memory setting (:meth:`FlushRule.wanted`)."""
    wanted = max((getattr(getattr(part.writer, "wanted_memory", None), "value", 0) for part in parts), default=0)
    if not wanted:
        return None
    setting = f"{settings.memory / 2**30:g}GB" if settings.memory % 2**28 == 0 else f"{settings.memory // 2**20}MB"
    return ReadProblem(f"--memory {setting}", (
        "too small for this collection: its segments were written small (a larger, slower index); "
        f"about --memory {math.ceil(wanted / 2**28) / 4:g}GB keeps them full size"))


def add_records(shards: Shards, records: Iterable[Record | dict], origin: str = "records") -> AddReport:
    """Index records given by code (dicts use the JSONL field names); ids replace ids."""
    with shards.lock_store.write_lock():
        parts, manifest = open_shards(shards)
        batch = Batch(parts, manifest)
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

        report = batch.run(work)
        publish_fresh(parts)
        return report
