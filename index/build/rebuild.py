"""Rebuilding an index: every root ever added is read again into a new generation,
which replaces the live one atomically (:meth:`index.build.store.Store.publish`)."""

from __future__ import annotations

from pathlib import Path

from index.build.batch import Batch, worth_parallel
from index.build.limits import BuildSettings
from index.build.report import AddReport, Progress
from index.build.store import Store
from index.errors import SearchError
from index.ingest.files import ReadProblem, find_files


def rebuild(store: Store, progress: Progress | None = None, settings: BuildSettings = BuildSettings()) -> AddReport:
    """Re-read every root ever added into a new generation and swap it in atomically;
    ``settings`` bounds the build's memory.

    Records added from code (:func:`index.build.add.add_records`) have no file to re-read
    and are copied over from the old index.
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
        parallel = worth_parallel(find_files(present))
        batch = Batch(store, gen, ix, manifest, fresh=True, parallel=parallel, settings=settings)
        carried = {k: v for k, v in old_manifest.get("files", {}).items() if k.startswith("records:")}

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
                _copy_records(store, carried, batch)

        report = batch.run(work)
        store.publish(gen)
        return report


def _copy_records(store: Store, carried: dict, batch: Batch) -> None:
    """Copy the documents added from code (``carried``: manifest key → entry) from the
    old generation, even one of an older schema (stored fields mean the same); when it
    cannot be read, report them as lost."""
    try:
        old = store.open_index(any_version=True)
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
                    batch.add_stored(stored)
                    batch.written.add(doc_id)
                    batch.report.added += 1
            batch.manifest["files"][key] = entry
