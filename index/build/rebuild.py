"""Rebuilding an index: every root ever added is read again into a new generation of
each shard, which replaces the live one atomically (:meth:`index.build.store.Store.publish`)."""

from __future__ import annotations

from pathlib import Path

from index.build.batch import Batch, OpenWriter
from index.build.writer_choice import worth_parallel
from index.build.limits import BuildSettings
from index.build.report import AddReport, Progress
from index.build.shards.state import merge_manifests
from index.build.shards.writers import Shard
from index.build.shards import Shards, shard_of
from index.build.store import Store
from index.errors import SearchError
from index.ingest.files import ReadProblem, find_files


def rebuild(shards: Shards, progress: Progress | None = None, settings: BuildSettings = BuildSettings(),
            writer: OpenWriter | None = None) -> AddReport:
    """Re-read every root ever added into a new generation of every shard and swap them
    in, each atomically; ``settings`` bounds the build's memory; ``writer``: where the
    documents are written when not in this process (:class:`index.build.batch.Batch`).

    Records added from code (:func:`index.build.add.add_records`) have no file to re-read
    and are copied over from the old index. The shards are swapped one after another:
    a rebuild stopped between two leaves some shards rebuilt and the others as they
    were, every document still in one of them; running it again finishes the job.
    """
    progress = progress or Progress()
    with shards.lock_store.write_lock(on_wait=progress.waiting):
        stores = shards.prepare()
        old_manifest = merge_manifests([store.read_manifest(store.live_generation(), strict=True) for store in stores])
        parts = [Shard.open(store, new=True) for store in stores]
        manifest = {"roots": [], "files": {}}
        roots = old_manifest.get("roots", [])
        present = [Path(r["path"]) for r in roots if Path(r["path"]).exists()]
        parallel = worth_parallel(find_files(present))
        batch = Batch(parts, manifest, parallel=parallel, settings=settings, writer=writer, progress=progress)
        carried = {k: v for k, v in old_manifest.get("files", {}).items() if k.startswith("records:")}
        del old_manifest  # every file's entry: not held through the build and its merge

        def work() -> None:
            for root in roots:
                path = Path(root["path"])
                if not path.exists():
                    batch.problem(ReadProblem(str(path), "no longer exists; its documents are dropped"), progress)
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
                _copy_records(stores, carried, batch)

        report = batch.run(work)
        for part in parts:
            part.store.publish(part.gen)
        return report


def _copy_records(stores: list[Store], carried: dict, batch: Batch) -> None:
    """Copy the documents added from code (``carried``: manifest key → entry) from the
    old generation of their shard, even one of an older schema (stored fields mean the
    same); when one cannot be read, report them as lost."""
    try:
        old = [store.open_index(any_version=True) if store.live_generation() else None for store in stores]
    except SearchError:
        for key, entry in carried.items():
            lost = ReadProblem(key, f"{len(entry['ids'])} documents added from code are in the unreadable old index: add them again")
            batch.report.problems.append(lost)
        return
    searchers = [ix.searcher() if ix is not None else None for ix in old]
    try:
        for key, entry in carried.items():
            for doc_id in entry["ids"]:
                searcher = searchers[shard_of(doc_id, len(stores)) if len(stores) > 1 else 0]
                stored = searcher.document(id=doc_id) if searcher is not None else None
                if stored and doc_id not in batch.written:  # not already re-read from a file
                    batch.add_stored(stored)
                    batch.written.add(doc_id)
                    batch.report.added += 1
            batch.manifest["files"][key] = entry
    finally:
        for searcher in searchers:
            if searcher is not None:
                searcher.close()
