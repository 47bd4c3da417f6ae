"""Sharded indexes: one index folder holding several Whoosh indexes, each document in one.

Layout (a fixed contract: the cluster layer reads and writes the same)::

    INDEX/
      shards.json        {"format": 1, "shards": N, "hash": "blake2b-64"}
      write.lock         the one write lock of the whole index
      shard-00/          a complete index as :mod:`index.build.store` describes one:
      shard-01/            CURRENT, gen-NNNNNN/ (Whoosh segments, manifest.json, copies.npz,
      …                    analysis.cache)

An index folder without ``shards.json`` is one shard, the folder itself (the layout of
every index made before shards): it is read and written as before, never migrated.

A document lives in shard :func:`shard_of` of its id. The rule depends on the id
alone, so a later add sends a replaced document to the shard that holds it (it is
replaced, not doubled) and any process can find a document's shard without asking.
What is index-wide (the list of sources, duplicates, syndicated copies) is kept split
by the same rule, each shard holding its documents' part (:mod:`.state`), and joined
again by whoever writes the index (:mod:`.writers` routes each document to its shard).

Searching: :meth:`Shards.open_searcher` gives one Whoosh searcher over the segments of
every shard (:mod:`.searcher`), so collection statistics (document count, document frequencies, average
field lengths) are global by construction and a sharded index ranks exactly as one.
"""

from index.build.shards.layout import FORMAT, HASH, SHARDS_FILE, ShardMap, Shards, shard_folder, shard_of

__all__ = ["FORMAT", "HASH", "SHARDS_FILE", "ShardMap", "Shards", "shard_folder", "shard_of"]
