"""One reader per file format; :func:`read_file` picks it by the file name's ending.

Each reader takes the path and an optional ``--field`` mapping and yields
:class:`~index.ingest.records.Record` and :class:`~index.ingest.records.ReadProblem` objects, so a
bad line or row never stops the rest of the file.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from index.ingest.encoding import Undecodable
from index.ingest.formats import jsonl, table, text, webpage
from index.ingest.records import ReadProblem, Record

Reader = Callable[[Path, "Mapping[str, str] | None"], Iterator["Record | ReadProblem"]]

#: File name endings and their readers, longest ending first.
READERS: tuple[tuple[str, Reader], ...] = tuple(
    (suffix, module.read) for module in (jsonl, text, table, webpage) for suffix in module.SUFFIXES
)
SUFFIXES = tuple(suffix for suffix, _ in READERS)


def reader_for(path: Path) -> Reader | None:
    name = path.name.lower()
    return next((reader for suffix, reader in READERS if name.endswith(suffix)), None)


def read_file(path: Path, fields: Mapping[str, str] | None = None) -> Iterator[Record | ReadProblem]:
    """Yield the records of one file, and a ReadProblem for each part that failed."""
    reader = reader_for(path)
    if reader is None:
        yield ReadProblem(str(path), f"unsupported file type (use {', '.join(SUFFIXES)})")
        return
    try:
        yield from reader(path, fields)
    except OSError as exc:
        yield ReadProblem(str(path), f"cannot read: {exc.strerror or exc}")
    except Undecodable as exc:
        yield ReadProblem(str(path), f"skipped, {exc}")
    except (UnicodeDecodeError, EOFError, gzip.BadGzipFile) as exc:
        yield ReadProblem(str(path), f"skipped, cannot decode: {exc}")
