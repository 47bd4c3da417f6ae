"""Adding to and rebuilding a sharded index on a Dask cluster, into the same index as on one machine.

Mode: shards live in a folder every worker can read and write (a shared or network
file system: NFS, CephFS, a cloud file share), the index folder's path the same on
every machine, this process's included.

This process runs the writing session of a local ``index add`` or ``index rebuild``
(:func:`index.build.add.add_paths`, :func:`index.build.rebuild.rebuild`) under the
index's write lock: it reads the files, and makes every index-wide decision (the
manifest and its file fingerprints, duplicates, syndicated copies and their story
codes, orphans) exactly as there, so the index is the same document for document.
Only the analysis and Whoosh writing, the costly part, go to the workers:
:class:`ClusterWriter` is the session's writer, handing each shard's prepared
documents to one task per shard and chunk, in parallel across shards and in order
within one (each chunk's task waits for the previous).

Faults: each task is one Whoosh commit to its shard's generation, atomic, so a worker
killed mid-chunk leaves it as its last commit left it. Dask runs the task again on
another worker; a task run again after its commit finds its documents there and
replaces them, so nothing doubles. The manifest is saved, and a first build's generations
published, only once every task is done, as on one machine: a build stopped before
then leaves files that the same command reads again.

Each worker's own disk (shards placed on the workers that hold them) is not
supported yet: it needs the shard map to name the worker of each shard and the
actors to be pinned there.
"""

from __future__ import annotations

from pathlib import Path

from index.build.limits import BuildSettings
from index.build.report import AddReport, Progress
from index.build.shards import Shards, shard_of
from index.build.shards.writers import Shard, ShardedWriter

#: Documents per task: a task's documents travel to its worker at once, and a killed
#: worker costs at most one chunk of work per shard.
CHUNK = 2000


def _write(folder: str, gen: str, ops: list[tuple[str, object]], settings: BuildSettings, after=None) -> int:
    """On a worker: ``ops`` (``("add" | "update", fields)`` or ``("delete", id)``) written
    into the generation ``gen`` of the shard at ``folder`` in one commit, with the
    analysis memo kept beside it. ``after``: the previous chunk's result, there only
    to order the tasks. Documents to add are replaced instead when the first is there
    already: this task is then a rerun of one that committed (the session writes each
    id once, and a commit holds all of a task's documents or none)."""
    from index.build.batch import ANALYSIS_CACHE
    from index.build.writer_choice import open_writer
    from index.build.memos import load_memos, save_memos
    from index.build.store import Store

    store, where = Store(folder), Path(gen)
    ix = store.open_index(where, any_version=True)  # a first build's has no manifest yet
    first = next((value["id"] for kind, value in ops if kind == "add"), None)
    with ix.searcher() as searcher:
        again = first is not None and searcher.document_number(id=first) is not None
    memos = load_memos(where / ANALYSIS_CACHE)
    writer = ShardedWriter([Shard(store, where, ix, not again)], 0, memos,
                           lambda index, own, workers: open_writer(index, own, memos, settings, workers, 1))
    try:
        for kind, value in ops:
            if kind == "delete":
                writer.delete(value)
            elif kind == "add" and not again:
                writer.add_document(**value)
            else:
                writer.update_document(**value)
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
    if memos:
        save_memos(where / ANALYSIS_CACHE, memos)
    return len(ops)


class ClusterWriter(ShardedWriter):
    """A session's writer whose shards are written by tasks on the cluster of ``client``.

    Documents are routed to their shard as by :class:`ShardedWriter` and sent when a
    shard has ``chunk`` of them; :meth:`commit` sends the rest and waits for every task.
    Reading a committed document (:meth:`stored`) is done here, from the shared folder."""

    def __init__(self, client, shards: list[Shard], settings: BuildSettings, progress: Progress, chunk: int):
        super().__init__(shards, 0, {}, lambda ix, own, workers: None)  # no writer opens here: tasks write
        self.client, self.settings, self.progress, self.chunk = client, settings, progress, chunk
        self.pending: list[list[tuple[str, object]]] = [[] for _ in shards]
        self.last: list[object | None] = [None for _ in shards]
        self.tasks: list = []

    def _queue(self, doc_id: str, op: tuple[str, object]) -> None:
        k = shard_of(doc_id, len(self.shards)) if len(self.shards) > 1 else 0
        self.pending[k].append(op)
        if len(self.pending[k]) >= self.chunk:
            self._send(k)

    def _send(self, k: int) -> None:
        ops, self.pending[k] = self.pending[k], []
        shard = self.shards[k]
        task = self.client.submit(_write, str(shard.store.root), str(shard.gen), ops, self.settings, self.last[k],
                                  pure=False, retries=2)
        self.last[k] = task
        self.tasks.append(task)

    def add_document(self, **fields) -> None:
        self._queue(fields["id"], ("add", fields))

    def update_document(self, **fields) -> None:
        self._queue(fields["id"], ("update", fields))

    def delete(self, doc_id: str) -> None:
        self._queue(doc_id, ("delete", doc_id))

    def commit(self) -> None:
        """Send what is left and wait for every task; the first error is raised (after
        the tasks not yet run are cancelled)."""
        from distributed import as_completed

        for k, ops in enumerate(self.pending):
            if ops:
                self._send(k)
        self.progress.start(len(self.tasks), f"writing {len(self.shards)} shards on the cluster")
        try:
            for _ in as_completed(self.tasks, with_results=True, loop=self.client.loop):
                self.progress.advance(1)
        except BaseException:
            self.cancel()
            raise
        finally:
            self.progress.finish()

    def cancel(self) -> None:
        """Drop the documents not sent and the tasks not yet done; what the tasks
        committed stays, and the manifest, not saved, has the files read again."""
        self.pending = [[] for _ in self.shards]
        if self.tasks:
            self.client.cancel(self.tasks)


def _opener(client, settings: BuildSettings, progress: Progress, chunk: int):
    return lambda shards: ClusterWriter(client, shards, settings, progress, chunk)


def add(client, root: Path, paths: list[Path], source: str | None = None, fields: dict | None = None,
        shards: int | None = None, progress: Progress | None = None, chunk: int = CHUNK,
        settings: BuildSettings = BuildSettings()) -> AddReport:
    """``index add`` of ``paths`` into the index at ``root`` (made with ``shards`` shards
    when new), written on the cluster of ``client``; ``chunk``: documents per task."""
    from index.build.add import add_paths

    progress = progress or Progress()
    return add_paths(Shards(root, shards), paths, source=source, progress=progress, fields=fields,
                     settings=settings, writer=_opener(client, settings, progress, chunk))


def rebuild(client, root: Path, progress: Progress | None = None, chunk: int = CHUNK,
            settings: BuildSettings = BuildSettings()) -> AddReport:
    """``index rebuild`` of the index at ``root``, written on the cluster of ``client``."""
    from index.build.rebuild import rebuild as rebuild_here

    progress = progress or Progress()
    return rebuild_here(Shards(root), progress=progress, settings=settings,
                        writer=_opener(client, settings, progress, chunk))
