"""``.jsonl`` / ``.jsonl.gz``: one JSON object per line (id, title, body or text, source, date, url).

Other field names are mapped with ``--field body=content``. The file is streamed, so a
large export is never held in memory whole.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path

from index.ingest.encoding import open_text
from index.ingest.records import ReadProblem, Record, file_stem, record_from_mapping

#: File name endings read here, longest first.
SUFFIXES = (".jsonl.gz", ".jsonl")


def read(path: Path, fields: Mapping[str, str] | None = None) -> Iterator[Record | ReadProblem]:
    stem = file_stem(path, SUFFIXES)
    with open_text(path) as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                yield ReadProblem(str(path), f"invalid JSON ({exc.msg})", number)
                continue
            if not isinstance(obj, dict):
                yield ReadProblem(str(path), "not a JSON object", number)
                continue
            record = record_from_mapping(obj, default_id=f"{stem}-{number}", path=str(path), fields=fields)
            if isinstance(record, str):
                yield ReadProblem(str(path), record, number)
            else:
                record.provenance["line"] = str(number)  # so later warnings can name the line
                yield record
