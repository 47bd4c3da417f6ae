"""The shards' actors on a Dask cluster, and what happens when a worker dies.

Each shard is held open by one actor (:class:`~search.cluster.shard.ShardSearcher`),
placed round-robin on the workers. Every round of a query calls one method on every
shard at once. A worker that died (its connection closed, the scheduler forgot the
actor) takes its actors with it: the shard is reopened by a new actor on a live
worker, from the folder every worker reads, and the call asked again once. When no
worker can take it, the shard is missing: the query fails with one line naming it,
or, with ``allow_partial``, answers from the other shards and says which were missing.
Dask's own scheduler notices dead workers; nothing here watches them.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from index.errors import SearchError
from search.cluster.shard import ShardSearcher
from search.settings import RankingSettings

#: Seconds to wait for a worker to open a shard, and for one call of a round.
START_TIMEOUT = 60
CALL_TIMEOUT = 600


class ShardsMissing(SearchError):
    """Shards no live worker could open (the query cannot be answered whole)."""

    def __init__(self, shards: list[int], folders: list[Path], reason: str):
        names = ", ".join(f"shard {k} ({folders[k]})" for k in shards)
        super().__init__(
            f"{names} unavailable: {reason}; start a worker (`dask worker SCHEDULER`) and ask again, "
            "or answer from the other shards with --allow-partial"
        )
        self.shards = shards


def _faults() -> tuple[type[BaseException], ...]:
    """What a call raises when the actor's worker is gone (not an error of the query):
    Dask raises OSError ("Unable to contact Actor's worker") or its connection errors
    for a call in flight, and RuntimeError ("Worker holding Actor was lost") for a new
    call on an actor the scheduler has given up (see :func:`_is_fault`)."""
    from distributed.client import FutureCancelledError
    from distributed.scheduler import KilledWorker

    return OSError, KilledWorker, FutureCancelledError, TimeoutError, RuntimeError


def _is_fault(exc: BaseException) -> bool:
    """A RuntimeError is a fault only when Dask says an actor was lost: any other is a bug."""
    return not isinstance(exc, RuntimeError) or "Actor" in str(exc)


class ShardSet:
    """One actor per shard of the index at ``folders`` on the cluster of ``client``."""

    def __init__(self, client, folders: list[Path], settings: RankingSettings, allow_partial: bool = False):
        self.client = client
        self.folders = folders
        self.settings = settings
        self.allow_partial = allow_partial
        self.actors: dict[int, object] = {}
        #: Shards left out of the current query (``allow_partial``).
        self.missing: set[int] = set()
        self.faults = _faults()
        self._place(list(range(len(folders))))

    def _workers(self) -> list[str]:
        return sorted(self.client.scheduler_info(n_workers=-1)["workers"])

    def _place(self, shards: list[int]) -> None:
        """Start an actor for each of ``shards``, spread over the live workers."""
        workers = self._workers()
        if not workers:
            return self._lost(shards, "the cluster has no worker")
        futures = {}
        for n, k in enumerate(shards):
            futures[k] = self.client.submit(
                ShardSearcher, str(self.folders[k]), self.settings, actor=True, pure=False,
                key=f"shard-{k:02d}-{uuid.uuid4().hex[:8]}", workers=[workers[n % len(workers)]],
                allow_other_workers=True,
            )
        for k, future in futures.items():
            try:
                self.actors[k] = future.result(timeout=START_TIMEOUT)
                self.missing.discard(k)
            except SearchError as exc:  # the shard's folder cannot be opened by the workers
                self._lost([k], str(exc))
            except self.faults as exc:
                if not _is_fault(exc):
                    raise
                self._lost([k], "no live worker could open it")

    def _lost(self, shards: list[int], reason: str) -> None:
        for k in shards:
            self.actors.pop(k, None)
        if not self.allow_partial:
            raise ShardsMissing(sorted(shards), self.folders, reason)
        self.missing.update(shards)

    def start_query(self) -> None:
        """A new query: shards missing so far get another chance (a worker may have joined)."""
        if self.missing or len(self.actors) < len(self.folders):
            self._place(sorted(set(range(len(self.folders))) - set(self.actors)))

    def live(self) -> list[int]:
        return sorted(self.actors)

    def call(self, method: str, args: dict[int, tuple]) -> dict[int, object]:
        """``method(*args[k])`` on the actor of every shard ``k`` at once; a shard whose
        worker died is reopened elsewhere and asked again, once."""
        futures = {}
        failed: list[int] = []
        for k, arg in args.items():
            try:
                futures[k] = getattr(self.actors[k], method)(*arg)
            except self.faults as exc:
                if not _is_fault(exc):
                    raise
                failed.append(k)
        answers = {}
        for k, future in futures.items():
            try:
                answers[k] = future.result(timeout=CALL_TIMEOUT)
            except self.faults as exc:
                if not _is_fault(exc):
                    raise
                failed.append(k)
        if failed:
            for k in failed:
                self.actors.pop(k, None)
            self._place(failed)
            for k in failed:
                if k in self.actors:
                    try:
                        answers[k] = getattr(self.actors[k], method)(*args[k]).result(timeout=CALL_TIMEOUT)
                    except self.faults as exc:
                        if not _is_fault(exc):
                            raise
                        self._lost([k], "its worker died twice during the query")
        return answers

    def close(self) -> None:
        self.actors.clear()
