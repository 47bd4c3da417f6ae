"""What a reader produces: :class:`Record` (one article) and :class:`ReadProblem`.

Also the mapping from a producer's own field names (``content``, ``headline``…) to
ours, shared by the JSONL and CSV readers so both accept ``--field body=content``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from index.ingest.dates import find_date, parse_date
from index.errors import InvalidOption
from index.ingest.sources import find_source

#: The fields a record has; ``--field`` may map any of them to another name.
FIELD_NAMES = ("id", "title", "body", "source", "date", "url")


@dataclass
class Record:
    """One article as it will be indexed. ``date`` is a date or None.

    ``provenance`` says, per field, which rule produced the value (``"front matter"``,
    ``"headline"``, ``"label تاريخ الخبر"``…), so a user can see why a title or date is
    what it is.
    """

    id: str
    title: str
    body: str
    source: str | None = None
    date: dt.date | None = None
    url: str | None = None
    path: str | None = None
    provenance: dict[str, str] = field(default_factory=dict)


@dataclass
class ReadProblem:
    """Something in a file that could not be read.

    ``line`` is set for JSONL and CSV; ``record`` (the 1-based position of a ``<DOC>``
    record or a feed item) for files holding many documents without one per line.
    """

    path: str
    message: str
    line: int | None = None
    record: int | None = None

    def __str__(self) -> str:
        where = self.path
        if self.record:
            where = f"{self.path}:record {self.record}"
        elif self.line:
            where = f"{self.path}:{self.line}"
        return f"{where}: {self.message}"


def file_stem(path: Path, suffixes: Iterable[str]) -> str:
    """The file name without the first of ``suffixes`` it ends with (``a.jsonl.gz`` → ``a``),
    else without its last extension: the id of a document named after its file."""
    name = path.name
    for suffix in suffixes:
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return path.stem


def parse_field_mapping(specs: Iterable[str] | None) -> dict[str, str]:
    """``["body=content,title=headline"]`` → ``{"body": "content", "title": "headline"}``.

    Each spec may hold several comma-separated pairs, and the option may be repeated.
    Raises :class:`~index.errors.InvalidOption` with the fix when a pair is malformed.
    """
    mapping: dict[str, str] = {}
    for spec in specs or ():
        for pair in spec.split(","):
            if not pair.strip():
                continue
            ours, sep, theirs = pair.partition("=")
            ours, theirs = ours.strip().lower(), theirs.strip()
            if not sep or not theirs:
                raise InvalidOption(f"--field wants FIELD=NAME pairs like body=content, not {pair.strip()!r}")
            if ours not in FIELD_NAMES:
                raise InvalidOption(f"--field {pair.strip()!r}: FIELD must be one of {', '.join(FIELD_NAMES)}")
            mapping[ours] = theirs
    return mapping


def apply_mapping(obj: Mapping, fields: Mapping[str, str] | None) -> Mapping:
    """A view of ``obj`` where each of our field names reads the producer's name."""
    if not fields:
        return obj
    mapped = {k: v for k, v in obj.items() if k not in fields}
    for ours, theirs in fields.items():
        if theirs in obj:
            mapped[ours] = obj[theirs]
        else:
            mapped.pop(ours, None)
    return mapped


def record_from_mapping(
    obj: Mapping, default_id: str, path: str | None = None, fields: Mapping[str, str] | None = None
) -> Record | str:
    """Build a Record from a dict with the JSONL field names; a str explains a rejection.

    ``fields`` maps our names to the producer's (see :func:`parse_field_mapping`).
    A record without a date or source gets one only from a clear label, date line or
    byline at the top of its body (see :mod:`index.ingest.dates`, :mod:`index.ingest.sources`).
    """
    obj = apply_mapping(obj, fields)
    body = obj.get("body")
    if body is None:
        body = obj.get("text")
    if body is None:
        body = ""
    title = obj.get("title") or ""
    if not isinstance(body, str) or not isinstance(title, str):
        return "field 'body' (or 'text') and 'title' must be strings"
    if not body.strip() and not title.strip():
        missing = [f"'{fields[k]}'" for k in ("body", "title") if fields and k in fields]
        return f"no title and no body (no field {' or '.join(missing)})" if missing else "no title and no body"
    raw_date = obj.get("date")
    date = parse_date(raw_date)
    date_rule = "field" if date else ("unparsed field" if raw_date else "none")
    source = obj.get("source")
    source_rule = "field" if source else "none"
    lines = body.strip().splitlines()[:6]
    if date is None:
        found = find_date(lines, [])
        if found:
            date, date_rule = found.date, f"body: {found.rule}"
    if not source:
        found_source = find_source(lines)
        if found_source:
            source, source_rule = found_source.name, f"body: {found_source.rule}"
    return Record(
        id=str(obj.get("id") or default_id),
        title=title.strip(),
        body=body.strip(),
        source=str(source) if source else None,
        date=date,
        url=str(obj["url"]) if obj.get("url") else None,
        path=path,
        provenance={"title": "field" if title else "none", "date": date_rule, "source": source_rule},
    )
