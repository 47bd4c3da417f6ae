"""``.txt``: a saved or scraped page, optionally opening with ``---`` front matter.

Front matter (``title``, ``source``, ``date``, ``url``) wins over anything extracted;
the rest is cleaned and read by :func:`index.ingest.article.extract`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

from index.ingest.article import extract
from index.ingest.dates import parse_date
from index.ingest.encoding import read_text
from index.ingest.records import ReadProblem, Record, file_stem

#: File name endings read here, longest first.
SUFFIXES = (".txt",)

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


def read(path: Path, fields: Mapping[str, str] | None = None) -> Iterator[Record | ReadProblem]:
    """One record per file; ``fields`` does not apply (a page has no field names)."""
    meta, text = split_front_matter(read_text(path))
    article = extract(text, title=meta.get("title"))
    if article is None:
        message = "empty file" if not text.strip() else "no article text (only page furniture)"
        yield ReadProblem(str(path), message)
        return
    provenance = dict(article.provenance, id="file name")
    if meta.get("title"):
        provenance["title"] = "front matter"
    date = parse_date(meta.get("date"))
    if date:
        provenance["date"] = "front matter"
    if meta.get("source"):
        provenance["source"] = "front matter"
    yield Record(
        id=file_stem(path, SUFFIXES),
        title=article.title,
        body=article.body,
        source=meta.get("source") or article.source,
        date=date or article.date,
        url=meta.get("url"),
        path=str(path),
        provenance=provenance,
    )
