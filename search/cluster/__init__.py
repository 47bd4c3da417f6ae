"""Sharded indexes built and searched on a Dask cluster (``distributed``), ranked as one index.

Dask does the cluster: its scheduler, workers, actors, the detection of dead workers.
Here: where the work goes (:mod:`~search.cluster.build`: a task per shard and chunk;
:mod:`~search.cluster.shard`: an actor per shard), how figures are shared so that
scores are the whole index's (:mod:`~search.cluster.statistics`), how the shards'
rankings become one (:mod:`~search.cluster.merge`, :mod:`~search.cluster.coordinator`)
and what a dead worker costs (:mod:`~search.cluster.actors`). The README's "On a
cluster" section explains the design and shows a set-up by hand.
"""

from __future__ import annotations

import logging
from pathlib import Path

from index.errors import SearchError

#: Seconds to wait for the scheduler to answer.
CONNECT_TIMEOUT = 10


def connect(address: str):
    """A Dask client of the scheduler at ``address`` (``tcp://HOST:PORT``), or a one-line error."""
    try:
        from distributed import Client
    except ImportError:
        raise SearchError("--cluster needs Dask: pip install 'arabic-news-search[cluster]'") from None
    # Dask's own log lines (a worker lost, a reconnection) are not the user's errors:
    # what a lost worker means is said once, by search.cluster.actors.
    logging.getLogger("distributed").setLevel(logging.CRITICAL)
    try:
        return Client(address, timeout=CONNECT_TIMEOUT)  # the default client: actors find theirs there
    except (OSError, TimeoutError, ValueError) as exc:
        raise SearchError(
            f"no Dask scheduler answers at {address} ({type(exc).__name__}): start one with `dask scheduler` "
            "and workers with `dask worker ADDRESS`, or leave out --cluster"
        ) from None


class Cluster:
    """What :class:`~search.engine.SearchIndex` does on a cluster: one client, connected
    when first needed, and the coordinator of the index's queries over its actors."""

    def __init__(self, address: str, root: Path, settings, synonyms, allow_partial: bool = False):
        self.address, self.root = address, root
        self.settings, self.synonyms, self.allow_partial = settings, synonyms, allow_partial
        self.client = None
        self.coordinator = None

    def _client(self):
        if self.client is None:
            self.client = connect(self.address)
        return self.client

    def add(self, paths: list[Path], source, fields, shards: int | None, progress, settings):
        from search.cluster import build

        return build.add(self._client(), self.root, paths, source=source, fields=fields, shards=shards,
                         progress=progress, settings=settings)

    def rebuild(self, progress, settings):
        from search.cluster import build

        return build.rebuild(self._client(), self.root, progress=progress, settings=settings)

    def run(self, request):
        """``request`` (:class:`search.pipeline.Request`) answered by the shards' actors."""
        if self.coordinator is None:
            from index.build.shards import ShardMap
            from index.errors import IndexMissing
            from search.cluster.actors import ShardSet
            from search.cluster.coordinator import Coordinator

            folders = ShardMap(self.root).folders()
            if not any((folder / "CURRENT").exists() for folder in folders):
                raise IndexMissing(f"no index at {self.root}: create one with `search index add PATH`")
            shards = ShardSet(self._client(), folders, self.settings, self.allow_partial)
            self.coordinator = Coordinator(shards, self.settings, self.synonyms)
        return self.coordinator.run(request)

    def close(self) -> None:
        if self.client is not None:
            self.client.close()
        self.client = self.coordinator = None


__all__ = ["Cluster", "connect"]
