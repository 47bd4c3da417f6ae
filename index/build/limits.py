"""What a document may be: the size above which a file or record is refused, and the
caveats reported about a record indexed anyway."""

from __future__ import annotations

from pathlib import Path

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
