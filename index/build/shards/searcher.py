"""One Whoosh searcher over the segments of every shard of an index (:mod:`index.build.shards`).

Whoosh reads an index of many segments as a :class:`~whoosh.reading.MultiReader` over
one reader per segment; a sharded index is read the same way, over the segments of all
its shards. Every statistic BM25F takes (document count, document frequency, total
field length) is then the sum over all shards, and every stage of a query (tiers,
exact forms, proximity, facets, stories, similar, lookups by id) sees one collection:
a sharded index ranks exactly as the same documents in one index. Only Whoosh's public
API is used: a reader's leaves, ``MultiReader``, ``Searcher``.
"""

from __future__ import annotations

from whoosh.reading import MultiReader
from whoosh.searching import Searcher


class ShardSearcher(Searcher):
    """A searcher over several indexes' segments, up to date while every index is."""

    @classmethod
    def over(cls, opened: list[tuple[object, object]], **kwargs) -> ShardSearcher:
        """A searcher over ``opened`` (``(ix, reader)`` of each shard, as
        :meth:`index.build.store.Store.open_live_reader` gives them), which it closes.

        Empty readers (a shard without documents) are left out: a ``MultiReader``
        expects segments. With none left, the first shard's empty reader is searched."""
        leaves = [leaf for _, reader in opened for leaf, _ in reader.leaf_readers() if leaf.doc_count_all()]
        reader = MultiReader(leaves) if leaves else opened[0][1]
        searcher = cls(reader, **kwargs)
        searcher.shards = [(ix, shard_reader.generation()) for ix, shard_reader in opened]
        return searcher

    def up_to_date(self) -> bool:
        """Whether no shard has committed since this searcher was opened."""
        return all(ix.latest_generation() == generation for ix, generation in self.shards)
