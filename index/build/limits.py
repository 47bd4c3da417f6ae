"""What a build may take: the size above which a file or record is refused, the caveats
reported about a record indexed anyway, and the memory of the whole build
(:class:`BuildSettings`)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from index.errors import InvalidOption
from index.ingest.files import holds_many
from index.ingest.records import ReadProblem, Record

#: The largest single document indexed, in bytes: a whole file for one-document
#: formats (checked with ``stat``, before reading), one record for multi-document ones.
#: A news article is a few kB; a bigger "document" is a log, a dump or a mistake, and
#: would cost minutes and gigabytes of memory for nothing anyone can read in a snippet.
MAX_DOCUMENT_BYTES = 10 * 2**20


def file_too_large(path: Path, size: int) -> ReadProblem | None:
    """A problem when a one-document file is above :data:`MAX_DOCUMENT_BYTES` (files of many
    documents, :func:`index.ingest.files.holds_many`, are checked per record instead)."""
    if size <= MAX_DOCUMENT_BYTES or holds_many(path):
        return None
    return ReadProblem(str(path), f"{_megabytes(size)} is more than the {_megabytes(MAX_DOCUMENT_BYTES)} a document may have; skipped")


def _megabytes(size: int) -> str:
    return f"{size / 2**20:.1f} MB"


def record_problems(record: Record, path: Path) -> tuple[ReadProblem | None, ReadProblem | None]:
    """(why the record is refused, a warning about a record indexed anyway)."""
    line = int(record.provenance["line"]) if record.provenance.get("line") else None
    size = len(record.title.encode("utf-8")) + len(record.body.encode("utf-8"))
    if size > MAX_DOCUMENT_BYTES:
        message = f"document {record.id!r} has {_megabytes(size)}, more than {_megabytes(MAX_DOCUMENT_BYTES)}; skipped"
        return ReadProblem(str(path), message, line), None
    if record.provenance.get("date") == "unparsed field":
        message = f"document {record.id!r}: date not understood (use YYYY-MM-DD); indexed without a date"
        return None, ReadProblem(str(path), message, line)
    return None, None


# -- how much memory a build may take ------------------------------------------------

#: Memory a build may take when nothing else is said: the peak resident memory of all
#: its processes together. 1 GB fits a laptop beside a browser, and holds segments
#: large enough that a 30k-article build keeps its index as small as plain Whoosh's.
DEFAULT_MEMORY = 1 << 30
#: The least a build is given: below it the processes' fixed cost (interpreter, modules,
#: the analysis of the language's common word forms) leaves nothing for postings.
MIN_MEMORY = 512 << 20
#: What a build takes besides its writer workers' postings, fitted to the builds of
#: 30k and 60k articles (benchmarks/README.md, "Build memory"): the parent with its
#: analysis of every word form, and the signer, which overlap the workers' peaks only
#: in part (the signer is done before the last segments are written).
FIXED_MEMORY = 352 << 20
#: A writer worker's own interpreter and its table of terms.
WORKER_MEMORY = 64 << 20
#: What each shard beyond the first adds to a first build of a sharded index
#: (:mod:`index.build.shards`): its own parent writer, numbering the word forms it meets,
#: and its worker's table of their terms; fitted to the 30k build as 3 shards against
#: 1 (benchmarks/README.md, "Sharded indexes").
SHARD_MEMORY = 96 << 20
#: A writer worker's memory per posting it holds, the writing of its segment included
#: (about 23 bytes held, the rest the sort's temporaries and the segment's term tables).
POSTING_BYTES = 38
#: Fewest postings per segment: smaller segments repeat the common terms so often
#: that the index grows faster than the memory saved.
MIN_FLUSH_POSTINGS = 500_000
#: What a writer worker adds to its resident memory while it writes a segment, per
#: posting it holds: the postings' sorted copies and the segment's term tables.
FLUSH_BYTES = 13
#: What the rest of the build adds while the workers write their segments: the parent
#: reads on until the queued batches are full, the signer signs ahead. A 1M build with
#: 16 MB passed the setting by 1 MB: its sum rose up to 17 MB above the rule's mark
#: between two readings (benchmarks/README.md, "Build memory").
FLUSH_RESERVE = 32 << 20

_UNITS = {"": 1, "B": 1} | {
    spelling: 2 ** (10 * power) for power, letter in enumerate("KMG", 1) for spelling in (letter, letter + "B", letter + "IB")
}


def parse_memory(text: str) -> int:
    """Bytes in ``text``: a number with an optional unit, ``1GB``, ``512MB``, ``1.5G``
    (units are binary: 1 GB is 1024 MB); :class:`InvalidOption` (one line) otherwise."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([A-Za-z]*)\s*", text)
    unit = match and _UNITS.get(match.group(2).upper())
    if not match or not unit:
        raise InvalidOption(f"memory {text!r} is not a size: write it like 1GB or 512MB")
    return int(float(match.group(1)) * unit)


@dataclass(frozen=True)
class FlushRule:
    """When a writer worker writes the postings it holds out as a segment.

    At :attr:`postings` of them, or sooner when the build's processes would together
    pass :attr:`memory` if every worker wrote a segment as large as its own now. The
    count alone assumes the rest of the build stays as large as it was measured; the
    parent and the signer grow with the collection (every word form's analysis, every
    document's signature), so the workers look at what the build actually holds."""

    #: Postings a worker writes at the latest (:meth:`BuildSettings.flush_postings`).
    postings: int
    #: The build's memory setting in bytes; None: by the count alone.
    memory: int | None = None
    #: Writer workers, which may all write a segment at once.
    workers: int = 1
    #: Postings a worker holds at least before the memory makes it write them.
    least: int = MIN_FLUSH_POSTINGS

    def due(self, held: int, build: int | None) -> bool:
        """Whether a worker holding ``held`` postings writes them now, ``build`` being
        the resident bytes of the build's processes together (None when unknown)."""
        if held >= self.postings:
            return True
        if self.memory is None or build is None or held < self.least:
            return False
        return build + self.workers * FLUSH_BYTES * held + FLUSH_RESERVE > self.memory

    def wanted(self, held: int, build: int) -> int:
        """When the memory makes a worker holding ``held`` postings write a segment under
        a quarter of :attr:`postings` (``build`` being the build's resident bytes then), the
        memory setting that would have let every worker hold all :attr:`postings`; else 0.

        Such a build has outgrown its memory setting: the rest of it (the parent's state
        of every document and word form) leaves the workers too little, and each further
        segment is small; the caller tells the user (:func:`index.build.add.add_paths`).
        A quarter, not half: a build that kept its setting and an index of the usual size
        had a segment forced under half (benchmarks/README.md, "Build memory")."""
        if self.memory is None or 4 * held >= self.postings:
            return 0
        grown = self.workers * ((self.postings - held) * POSTING_BYTES + self.postings * FLUSH_BYTES)
        return build + grown + FLUSH_RESERVE


@dataclass(frozen=True)
class BuildSettings:
    """How a build may use the machine: one object handed from the caller
    (``search index add --memory``, ``SearchIndex(build=...)``) to every part that
    holds memory, each taking its share from :attr:`memory` (never a module global).

    The parts are sized from it, and the writer workers write their segments early when
    the build as a whole nears it (:class:`FlushRule`); benchmarks/README.md ("Build
    memory") has how close builds come and which parts do not follow it yet.

    The parent's state grows with the collection (about 0.6 kB per document and 0.27 kB
    per word form): towards a million articles at 1 GB it leaves the workers
    less than :data:`MIN_FLUSH_POSTINGS` each. They then still write segments of that
    floor, not smaller ones (a smaller segment saves little memory and repeats the common
    terms again), so the build passes the setting rather than the index growing without
    bound, and the build ends with a warning naming the setting that would have kept
    segments full size (:meth:`FlushRule.wanted`): give such collections that much."""

    #: Peak resident memory of the build's processes together, in bytes.
    memory: int = DEFAULT_MEMORY
    #: Postings per segment of a writer worker, when set: instead of what ``memory``
    #: leaves (:meth:`flush_postings`), for measuring segment sizes and for tests.
    segment_postings: int | None = None
    #: A fresh build that wrote more segments than this merges them into one at its end
    #: (:mod:`index.whoosh_ext.merge`): each segment repeats the term dictionary and costs
    #: every query its own lookups (benchmarks/README.md, "Merging a build's segments");
    #: None: never.
    merge_above: int | None = 2
    #: Segments that merge reads at a time: each open one costs its readers' tables
    #: (under 1 MB), so more are first merged down to this many (benchmarks/README.md).
    merge_fan_in: int = 256

    def __post_init__(self) -> None:
        if self.memory < MIN_MEMORY:
            raise InvalidOption(f"memory {_megabytes(self.memory)} is less than the {_megabytes(MIN_MEMORY)} a build needs")

    @classmethod
    def parse(cls, memory: str) -> BuildSettings:
        """Settings from a size as written on the command line (``1GB``, ``512MB``)."""
        return cls(memory=parse_memory(memory))

    def flush_postings(self, workers: int, shards: int = 1) -> int:
        """Postings a writer worker holds before it writes them out as a segment: what
        is left of :attr:`memory` after the fixed costs (those of ``shards`` shards
        written side by side among them), shared by the ``workers``.
        A flush is the worker's peak (:class:`index.whoosh_ext.inversion.Grouped`), and
        fewer, larger segments keep the index small, so the rest goes to them."""
        if self.segment_postings:
            return self.segment_postings
        left = self.memory - FIXED_MEMORY - workers * WORKER_MEMORY - (shards - 1) * SHARD_MEMORY
        return max(MIN_FLUSH_POSTINGS, left // (max(workers, 1) * POSTING_BYTES))

    def flush_rule(self, workers: int, shards: int = 1) -> FlushRule:
        """When each of ``workers`` writer workers (of ``shards`` shards) writes a segment:
        by :meth:`flush_postings`, and by the build's memory unless the segment size is set."""
        return FlushRule(self.flush_postings(workers, shards), None if self.segment_postings else self.memory, workers)


_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _resident(pid: int) -> int:
    """Resident bytes of ``pid`` and its descendants, as the build's memory is counted
    (each process's resident pages, pages shared since a fork once per process)."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        total += int(Path(f"/proc/{current}/statm").read_text().split()[1]) * _PAGE
        for task in Path(f"/proc/{current}/task").iterdir():
            todo += map(int, (task / "children").read_text().split())
    return total


def build_resident() -> int | None:
    """Resident bytes of the whole build, asked by one of its workers (its parent, the
    workers and helpers; :class:`FlushRule` checks it), or None where the system does
    not say (no ``/proc``) or a process ended while being read."""
    try:
        return _resident(os.getppid())
    except (OSError, ValueError, IndexError):
        return None
