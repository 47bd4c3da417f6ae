"""Reading documents: files on disk become :class:`Record` objects ready to index.

Formats (one module each in :mod:`index.ingest.formats`): ``.txt`` saved or scraped pages
(front matter, boilerplate removal, headline, date and source extraction),
``.jsonl`` / ``.jsonl.gz``, ``.csv`` / ``.tsv``, ``.html`` / ``.htm``, TREC/SGML ``<DOC>``
records and RSS/Atom feeds (both told by their content, gzipped or not); any of
UTF-8, UTF-16, Windows-1256 or ISO-8859-6 (:mod:`index.ingest.encoding`). A problem with one
file or one line is reported as a :class:`ReadProblem` and never stops the others.

This module is the stable entry point: the names below are imported across the code.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from index.ingest.dates import parse_date
from index.ingest.formats import READERS, SUFFIXES, holds_many, read_file, reader_for, sniffed
from index.ingest.formats.text import FRONT_MATTER_KEYS, split_front_matter
from index.ingest.records import ReadProblem, Record, parse_field_mapping, record_from_mapping

__all__ = [
    "FRONT_MATTER_KEYS",
    "SUFFIXES",
    "ReadProblem",
    "Record",
    "find_files",
    "holds_many",
    "is_supported",
    "parse_date",
    "parse_field_mapping",
    "read_file",
    "record_from_mapping",
    "split_front_matter",
]


def is_supported(path: Path) -> bool:
    """True when a reader takes the file: by its ending, or by its first bytes (records, feeds)."""
    name = path.name.lower()
    if name.endswith(".txt") or name.endswith(tuple(suffix for suffix, _ in READERS)):
        return True
    return sniffed(path) and reader_for(path) is not None


def find_files(paths: list[Path]) -> Iterator[Path]:
    """Yield the supported files among ``paths``, walking folders recursively in name order."""
    for path in paths:
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    candidate = Path(root, name)
                    if is_supported(candidate):
                        yield candidate
        else:
            yield path
