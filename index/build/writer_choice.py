"""Which writer a session's generation gets: Whoosh's, our bulk writer, or its parallel form.

Kept apart from :mod:`index.build.batch` (the session) because the cluster's tasks
(:mod:`search.cluster.build`) open the same writers for the shards they write.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from index.build.limits import BuildSettings
from index.build.report import Progress

#: Whoosh writer memory per process, in MB: large enough to keep segments few.
WRITER_LIMIT_MB = 256
#: Processes that analyze documents when a whole generation is written at once (shared
#: out among the shards of a sharded index).
WRITER_PROCS = min(2, os.cpu_count() or 1)
#: Input size from which a fresh generation is written by :data:`WRITER_PROCS` processes;
#: below it, starting processes costs more than it saves.
PARALLEL_MIN_BYTES = 4 << 20


def worth_parallel(files: Iterable[Path]) -> bool:
    """Whether a fresh generation of ``files`` is large enough for :data:`WRITER_PROCS` processes."""
    total = 0
    for path in files:
        try:
            total += path.stat().st_size
        except OSError:
            pass  # reported when the file is read
    return total >= PARALLEL_MIN_BYTES


def open_writer(ix, procs: int, memos: dict, settings: BuildSettings, workers: int, shards: int, progress: Progress = Progress()):
    """Our bulk writer (:mod:`index.whoosh_ext.segment`); with ``procs`` > 0, its
    parallel form (:mod:`index.whoosh_ext.parallel`) with that many worker processes.

    The parallel writer hands batches of documents to forked workers, each writing its
    own segments. It is used only on a fresh generation, where every document is an
    ``add_document``: deletions go through the parent while the workers add, which is
    right only because no document of the batch exists yet. A schema the bulk writer
    cannot write exactly (term vectors, spelling) gets Whoosh's. ``memos`` is the analysis of word
    forms already seen (:func:`index.build.memos.load_memos`); ``settings`` sizes the segments of the
    session's ``workers`` (those of all its ``shards``) to the build's memory.
    """
    # Whoosh's writer: not on the query path, so imported only here.
    from index.whoosh_ext.parallel import ParallelWriter
    from index.whoosh_ext.segment import BulkSegmentWriter, supports

    if not supports(ix.schema):
        return ix.writer(limitmb=WRITER_LIMIT_MB)
    if procs:
        return ParallelWriter(ix, procs, settings.flush_rule(workers, shards), memos, settings.merge_above, progress.phase,
                              settings.merge_fan_in)
    return BulkSegmentWriter(ix, memos, limitmb=WRITER_LIMIT_MB)
