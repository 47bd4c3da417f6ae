"""Reading documents: files on disk become :class:`Record` objects ready to index.

Formats: ``.txt`` (UTF-8; title = first non-empty line, body = the rest) and
``.jsonl`` / ``.jsonl.gz`` (one JSON object per line: id, title, body or text, source,
date, url). A problem with one file or one line is reported as a :class:`ReadProblem`
and never stops the others.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

#: File name endings this reader understands, longest first.
SUFFIXES = (".jsonl.gz", ".jsonl", ".txt")


@dataclass
class Record:
    """One article as it will be indexed. ``date`` is a date or None."""

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
    """Something in a file that could not be read; ``line`` is set for JSONL."""

    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


def is_supported(path: Path) -> bool:
    """True when the file's name ends in one of :data:`SUFFIXES`."""
    return path.name.lower().endswith(SUFFIXES)


def file_stem(path: Path) -> str:
    """The file name without its (possibly double) extension: ``a.jsonl.gz`` → ``a``."""
    name = path.name
    for suffix in SUFFIXES:
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return path.stem


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


def parse_date(value: object) -> dt.date | None:
    """Accept ``YYYY-MM-DD`` or an ISO date-time string; anything else is None."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        try:
            return dt.datetime.fromisoformat(text).date()
        except ValueError:
            return None


def read_file(path: Path) -> Iterator[Record | ReadProblem]:
    """Yield the records of one file, and a ReadProblem for each part that failed."""
    name = path.name.lower()
    try:
        if name.endswith(".txt"):
            yield from _read_txt(path)
        elif name.endswith((".jsonl", ".jsonl.gz")):
            yield from _read_jsonl(path)
        else:
            yield ReadProblem(str(path), f"unsupported file type (use {', '.join(SUFFIXES)})")
    except OSError as exc:
        yield ReadProblem(str(path), f"cannot read: {exc.strerror or exc}")
    except (UnicodeDecodeError, EOFError, gzip.BadGzipFile) as exc:
        yield ReadProblem(str(path), f"cannot decode: {exc}")


FRONT_MATTER_KEYS = ("title", "source", "date", "url")


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """Split a leading ``---`` block of ``key: value`` lines from the text.

    Only :data:`FRONT_MATTER_KEYS` are kept; a block that never closes is not front matter.
    """
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return {}, text
    for end in range(1, len(lines)):
        if lines[end].strip() == "---":
            meta = {}
            for line in lines[1:end]:
                key, sep, value = line.partition(":")
                key = key.strip().lower()
                if sep and key in FRONT_MATTER_KEYS and value.strip():
                    meta[key] = value.strip()
            return meta, "\n".join(lines[end + 1 :])
    return {}, text


def _read_txt(path: Path) -> Iterator[Record | ReadProblem]:
    meta, text = split_front_matter(path.read_text(encoding="utf-8-sig"))
    lines = text.splitlines()
    while lines and not lines[0].strip():
        lines.pop(0)
    if not lines and not meta.get("title"):
        yield ReadProblem(str(path), "empty file")
        return
    title = meta.get("title") or lines[0].strip()
    if lines and lines[0].strip() == title:
        lines.pop(0)
    date = parse_date(meta.get("date"))
    yield Record(
        id=file_stem(path),
        title=title,
        body="\n".join(lines).strip(),
        source=meta.get("source"),
        date=date,
        url=meta.get("url"),
        path=str(path),
        provenance={
            "title": "front matter" if meta.get("title") else "first line",
            "date": "front matter" if date else "none",
            "source": "front matter" if meta.get("source") else "none",
            "id": "file name",
        },
    )


def _open_text(path: Path):
    if path.name.lower().endswith(".gz"):
        return gzip.open(path, "rt", encoding="utf-8-sig")
    return open(path, encoding="utf-8-sig")


def _read_jsonl(path: Path) -> Iterator[Record | ReadProblem]:
    stem = file_stem(path)
    with _open_text(path) as handle:
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
            record = record_from_mapping(obj, default_id=f"{stem}-{number}", path=str(path))
            if isinstance(record, str):
                yield ReadProblem(str(path), record, number)
            else:
                record.provenance["line"] = str(number)
                yield record


def record_from_mapping(obj: dict, default_id: str, path: str | None = None) -> Record | str:
    """Build a Record from a dict with the JSONL field names; a str explains a rejection."""
    body = obj.get("body")
    if body is None:
        body = obj.get("text")
    title = obj.get("title") or ""
    if not isinstance(body, str) or not isinstance(title, str):
        return "field 'body' (or 'text') and 'title' must be strings"
    if not body.strip() and not title.strip():
        return "no title and no body"
    raw_date = obj.get("date")
    date = parse_date(raw_date)
    source = obj.get("source")
    return Record(
        id=str(obj.get("id") or default_id),
        title=title.strip(),
        body=body.strip(),
        source=str(source) if source else None,
        date=date,
        url=str(obj["url"]) if obj.get("url") else None,
        path=path,
        provenance={
            "title": "field" if title else "none",
            "date": "field" if date else ("unparsed field" if raw_date else "none"),
            "source": "field" if source else "none",
        },
    )
