"""The writers of every shard of one index, which a writing session
(:class:`index.build.batch.Batch`) uses as one writer: each document goes to the
writer of its shard (:func:`index.build.shards.shard_of`).

An unsharded index is one shard, the index folder itself, written exactly as before.
A large fresh generation is written by forked workers (:mod:`index.whoosh_ext.parallel`);
with several shards the workers are shared out among them (one each when there are more
shards than workers), all forked before the caller's progress bar starts, and the
build's memory (:class:`~index.build.limits.BuildSettings`) is shared by all the
workers of all shards. The shards are thus written side by side, as one reading of the
input feeds them, under the one progress bar of the add.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from index.build.memos import Analyses
from index.build.shards.layout import shard_of
from index.build.shards.state import merge_memos
from index.build.store import Store


@dataclass
class Shard:
    """One shard being written: its store, the generation written and its Whoosh index,
    whether that generation is new (holds nothing yet), and its writer once opened."""

    store: Store
    gen: Path
    ix: object
    fresh: bool
    writer: object | None = None

    @classmethod
    def open(cls, store: Store, new: bool = False) -> Shard:
        """The shard's live generation, or a new one when it has none or ``new`` (a rebuild)."""
        gen = None if new else store.live_generation()
        if gen is None:
            store.remove_stale_generations()
            gen, ix = store.new_generation()
            return cls(store, gen, ix, True)
        return cls(store, gen, store.open_index(), False)


#: Opens a shard's writer: ``(ix, procs, workers)``, ``procs`` forked workers for this
#: shard (0: write in this process), ``workers`` in the whole session (they share its memory).
Opener = Callable[[object, int, int], object]


class ShardedWriter:
    """The writers of ``shards``, seen as one: a document goes to its shard's writer.

    ``procs``: forked workers for the whole session (0: none), shared out among the
    fresh shards, whose writers are opened now (before any thread of the caller
    starts); other writers open when their shard is first written, so a small add
    touches only the shards of its documents. ``memos``: the analysis of word forms
    every writer shares (:func:`index.build.shards.state.merge_memos`)."""

    def __init__(self, shards: list[Shard], procs: int, memos: dict, opener: Opener):
        self.shards, self.given, self.opener = shards, memos, opener
        per_shard = max(1, procs // len(shards)) if procs else 0
        self.workers = per_shard * len(shards)
        for shard in shards:
            if per_shard and shard.fresh:
                shard.writer = opener(shard.ix, per_shard, self.workers)

    @property
    def memos(self) -> dict:
        """The analysis of every word form seen: writers in this process extend the memo
        given in place; a forked writer makes its own once its workers are done (its
        parent keeps the new forms in compact tables meanwhile), so ask after commit."""
        made = [shard.writer.memos for shard in self.shards
                if shard.writer is not None and getattr(shard.writer, "memos", self.given) is not self.given]
        return merge_memos(made) if made else self.given

    def analysis_cache(self) -> Analyses | dict:
        """:attr:`memos` as the analysis cache keeps them: a single forked writer's tables
        as it holds them (:meth:`index.whoosh_ext.parallel.ParallelWriter.analysis_cache`)."""
        written = [shard.writer for shard in self.shards if shard.writer is not None]
        forked = self._forked()
        if len(forked) == 1 and written == forked:
            return forked[0].analysis_cache()
        return self.memos

    def shard(self, doc_id: str) -> Shard:
        """The shard that holds (or will hold) ``doc_id``."""
        return self.shards[shard_of(doc_id, len(self.shards)) if len(self.shards) > 1 else 0]

    def _writer(self, doc_id: str):
        shard = self.shard(doc_id)
        if shard.writer is None:
            shard.writer = self.opener(shard.ix, 0, self.workers)
        return shard.writer

    def add_document(self, **fields) -> None:
        self._writer(fields["id"]).add_document(**fields)

    def update_document(self, **fields) -> None:
        self._writer(fields["id"]).update_document(**fields)

    def delete(self, doc_id: str) -> None:
        self._writer(doc_id).delete_by_term("id", doc_id)

    def stored(self, doc_id: str) -> dict | None:
        """The stored fields of ``doc_id`` as committed in its shard, None if it has none."""
        with self.shard(doc_id).ix.searcher() as searcher:
            return searcher.document(id=doc_id)

    def finish(self) -> None:
        """Every document written, nothing committed: writers with forked workers wait
        for their segments (the others write theirs at :meth:`commit`)."""
        for writer in self._forked():
            writer.finish()

    def forget_vocabulary(self) -> None:
        """The forked writers' word tables let go, once :attr:`memos` is saved."""
        for writer in self._forked():
            writer.forget_vocabulary()

    def _forked(self) -> list:
        return [shard.writer for shard in self.shards if hasattr(shard.writer, "forget_vocabulary")]

    def commit(self) -> None:
        """Commit every shard written, one after another (:mod:`index.build.shards.state`
        says why a session stopped between two loses nothing); when one fails, the
        writers not yet committed are cancelled (their forked workers stopped)."""
        pending = [shard.writer for shard in self.shards if shard.writer is not None]
        try:
            while pending:
                pending[0].commit()
                pending.pop(0)
        except BaseException:
            for writer in pending[1:]:
                writer.cancel()
            raise

    def cancel(self) -> None:
        """Drop what every shard's writer holds; the live generations stay as they were."""
        for shard in self.shards:
            if shard.writer is not None and not getattr(shard.writer, "is_closed", False):
                shard.writer.cancel()
