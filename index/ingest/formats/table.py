"""``.csv`` / ``.tsv`` with a header row naming the columns (id, title, body or text, …).

Column names are matched without regard to case or surrounding spaces; other names
are mapped with ``--field body=content``. ``.tsv`` is tab-separated; a ``.csv`` may use
commas, semicolons or tabs (spreadsheet exports vary), guessed from the header line.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

from index.ingest.encoding import read_text
from index.ingest.records import ReadProblem, Record, file_stem, record_from_mapping

#: File name endings read here, longest first.
SUFFIXES = (".csv", ".tsv")

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # article bodies exceed the 128 KB default

_DELIMITERS = ",;\t"


def _delimiter(path: Path, header: str) -> str:
    if path.name.lower().endswith(".tsv"):
        return "\t"
    counts = {d: header.count(d) for d in _DELIMITERS}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def read(path: Path, fields: Mapping[str, str] | None = None) -> Iterator[Record | ReadProblem]:
    text = read_text(path)
    if not text.strip():
        yield ReadProblem(str(path), "empty file")
        return
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(path, text.split("\n", 1)[0]))
    header = [name.strip().lower() for name in next(rows)]
    fields = {ours: theirs.strip().lower() for ours, theirs in (fields or {}).items()}
    missing = [theirs for theirs in fields.values() if theirs not in header]
    if missing:
        yield ReadProblem(str(path), f"no column {', '.join(map(repr, missing))} (columns: {', '.join(header)})")
        return
    named = set(header) | set(fields)
    if not named & {"body", "text", "title"}:
        yield ReadProblem(
            str(path),
            f"no 'body', 'text' or 'title' column (columns: {', '.join(header)}): "
            "name one with --field body=COLUMN",
        )
        return
    stem = file_stem(path, SUFFIXES)
    for number, row in enumerate(rows, 1):
        if not any(cell.strip() for cell in row):
            continue
        obj = {name: cell for name, cell in zip(header, row) if name}
        record = record_from_mapping(obj, default_id=f"{stem}-{number}", path=str(path), fields=fields)
        if isinstance(record, str):
            yield ReadProblem(str(path), record, rows.line_num)
        else:
            yield record
