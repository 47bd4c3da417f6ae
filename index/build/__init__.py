"""Writing the index: the store and its generations, one writing session (batch) over
the Whoosh writers of the index's shards and the manifest, the add and rebuild runs
built on it, and the shards of an index (:mod:`index.build.shards`)."""
