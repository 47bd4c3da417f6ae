"""Adding to and rebuilding a sharded index on a Dask cluster.

Mode: shards live in a folder every worker can read and write (a shared or network
file system: NFS, CephFS, a cloud file share), the index folder's path the same on
every machine. This process reads the files into records and routes each to its
shard (:func:`index.build.shards.shard_of` of its id); the analysis and writing,
the costly part, run as one task per shard and chunk on the workers, in parallel
across shards and in order within one (each chunk's task waits for the previous).
Each chunk is one add of :func:`index.build.add.add_records`: one Whoosh commit under
the shard's write lock, so a worker killed mid-chunk leaves the shard as its last
commit left it (the kernel drops the dead writer's lock). Dask reruns a task whose
worker died on another worker; and records replace the documents of the same id, so
running the same command again finishes the job without duplicating anything.

What a local ``index add`` decides index-wide (:mod:`index.build.shards.state`: a
record duplicating an article of another file, syndicated copies, the roots a rebuild
re-reads) is decided here within each shard: each chunk is a separate add of records.
Copies of one story that fall into different shards are therefore not grouped, and a
rebuild carries each shard's records over rather than re-reading files.

Each worker's own disk (shards placed on the workers that hold them) is not
supported yet: it needs the shard map to name the worker of each shard and the
actors to be pinned there.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterable
from pathlib import Path

from index.build.report import AddReport, Progress
from index.build.shards import ShardMap, Shards, shard_of
from index.build.store import Store
from index.ingest.files import ReadProblem, Record, find_files, read_file

#: The files added on the cluster, with their fingerprints when last added whole: an
#: unchanged file is skipped, as ``index add`` skips it on one machine.
SEEN = "cluster-files.json"
#: Records per task: a task's records travel to its worker at once, and a killed
#: worker costs at most one chunk of work per shard.
CHUNK = 2000


def _write(folder: str, records: list[Record], origin: str, after: AddReport | None = None) -> AddReport:
    """On a worker: one chunk into one shard (``after``: the previous chunk's report,
    there only to order the tasks)."""
    from index.build.add import add_records

    return add_records(Shards(folder), records, origin=origin)


def _rebuild(folder: str) -> AddReport:
    """On a worker: one shard rebuilt into a new generation, swapped in when complete."""
    from index.build.rebuild import rebuild

    return rebuild(Shards(folder)) if Store(folder).exists() else AddReport()


def _fingerprint(path: Path, source: str | None, fields: dict | None) -> list:
    stat = path.stat()
    return [stat.st_size, stat.st_mtime_ns, source, fields or None]


def _records(paths: Iterable[Path], source: str | None, fields: dict | None, seen: dict,
             report: AddReport, progress: Progress) -> Iterable[tuple[str, Record]]:
    """Every record of ``paths`` with the key of its file, but for files ``seen`` (key →
    fingerprint, count) has as they are now; ``seen`` learns the others."""
    files = list(find_files(list(paths)))
    progress.start(len(files), "reading")
    try:
        for path in files:
            key = str(path.resolve())
            fingerprint = _fingerprint(path, source, fields)
            if key in seen and seen[key][0] == fingerprint:
                report.unchanged += seen[key][1]
                progress.advance(1)
                continue
            count = 0
            for item in read_file(path, fields):
                if isinstance(item, ReadProblem):
                    report.problems.append(item)
                    progress.problem(item)
                    continue
                item.path = key
                if source:
                    item.source = source
                    item.provenance["source"] = "--source"
                count += 1
                yield key, item
            seen[key] = [fingerprint, count]
            report.files += 1
            progress.advance(1)
    finally:
        progress.finish()


def add(client, root: Path, paths: list[Path], source: str | None = None, fields: dict | None = None,
        shards: int | None = None, progress: Progress | None = None, chunk: int = CHUNK) -> AddReport:
    """Index ``paths`` into the sharded index at ``root`` on the cluster of ``client``,
    holding the index's write lock (at its root) meanwhile; each shard's add takes the
    shard's own lock as well. ``chunk``: records per task."""
    progress = progress or Progress()
    report = AddReport()
    for path in paths:
        if not path.exists():
            report.problems.append(ReadProblem(str(path), "no such file or folder"))
            progress.problem(report.problems[-1])
    layout = Shards(root, shards)  # another number of shards than the index has is refused here
    plain = layout.map.count() is None and (layout.root_exists() or (shards or 1) == 1)
    # The index's one write lock, at its root; for an unsharded index that is its one
    # shard's lock, which the task takes.
    with contextlib.nullcontext() if plain else layout.lock_store.write_lock(on_wait=progress.waiting):
        folders = [store.root for store in layout.prepare()]
        return _add(client, root, folders, paths, source, fields, progress, report, chunk)


def _add(client, root: Path, folders: list[Path], paths: list[Path], source: str | None, fields: dict | None,
         progress: Progress, report: AddReport, chunk: int) -> AddReport:
    seen = _read_seen(root)
    pending: dict[tuple[int, str], list[Record]] = {}
    last: dict[int, object] = {}
    tasks = []

    def send(k: int, origin: str) -> None:
        chunk = pending.pop((k, origin))
        task = client.submit(_write, str(folders[k]), chunk, origin, last.get(k), pure=False, retries=2)
        last[k] = task
        tasks.append(task)

    for origin, record in _records([p for p in paths if p.exists()], source, fields, seen, report, progress):
        k = shard_of(record.id, len(folders))
        pending.setdefault((k, origin), []).append(record)
        if len(pending[(k, origin)]) >= chunk:
            send(k, origin)
    for k, origin in list(pending):
        send(k, origin)
    progress.start(len(tasks), f"writing {len(folders)} shards on the cluster")
    try:
        for _, part in _as_done(client, tasks):
            _merge(report, part)
            progress.advance(1)
    finally:
        progress.finish()
    _write_seen(root, seen)  # only now: a file whose records were not all written is read again
    return report


def _read_seen(root: Path) -> dict:
    try:
        return json.loads((root / SEEN).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError):
        return {}  # every file is read again: records replace their own ids, nothing is lost


def _write_seen(root: Path, seen: dict) -> None:
    tmp = root / (SEEN + ".tmp")
    tmp.write_text(json.dumps(seen, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, root / SEEN)


def rebuild(client, root: Path, progress: Progress | None = None) -> AddReport:
    """Rebuild every shard of the index at ``root``, one task per shard."""
    progress = progress or Progress()
    layout = ShardMap(root)
    folders = layout.folders()
    report = AddReport()
    with contextlib.nullcontext() if layout.count() is None else Store(root).write_lock(on_wait=progress.waiting):
        tasks = [client.submit(_rebuild, str(folder), pure=False, retries=2) for folder in folders]
        progress.start(len(tasks), f"rebuilding {len(folders)} shards on the cluster")
        try:
            for _, part in _as_done(client, tasks):
                _merge(report, part)
                progress.advance(1)
        finally:
            progress.finish()
    return report


def _as_done(client, tasks: list):
    from distributed import as_completed

    yield from as_completed(tasks, with_results=True, loop=client.loop)


def _merge(report: AddReport, part: AddReport) -> None:
    for name in ("added", "updated", "unchanged", "removed", "duplicates"):
        setattr(report, name, getattr(report, name) + getattr(part, name))
    report.problems.extend(part.problems)
    report.warnings.extend(part.warnings)
