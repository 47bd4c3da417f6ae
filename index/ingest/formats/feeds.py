"""RSS 2.0 and Atom feeds (also RSS 1.0): one document per item, read with feedparser.

An item gives: title; link as url; ``pubDate`` / ``published`` / ``updated`` as date (the
day as written, in the feed's own zone: feedparser's parsed dates are in UTC, so the raw
string is read instead, see :mod:`index.ingest.timestamps`); ``content``, else
``description`` / ``summary``, as body with its HTML turned into text; the channel's title
as source; id from ``guid`` / ``id``, else the link.

A feed that is not well-formed XML is reported in one line; feedparser's lenient parser
still gives the items it could read, and those are indexed.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

from index.ingest.markup import to_text
from index.ingest.records import ReadProblem, Record, file_stem
from index.ingest.timestamps import parse_stamp

#: File name endings whose stem names a feed's items when they have no id or link.
SUFFIXES = (".rss.gz", ".atom.gz", ".xml.gz", ".rss", ".atom", ".xml", ".gz")


def _line(value: str | None) -> str:
    return " ".join(to_text(value or "").split())


def _body(entry) -> str:
    for content in entry.get("content") or ():
        text = to_text(content.get("value") or "")
        if text:
            return text
    return to_text(entry.get("summary") or "")


def _problem(parsed, read: int) -> str | None:
    """One line for a feed that is not well-formed (``read`` items were still read), or None."""
    if not parsed.get("bozo"):
        return None
    exc = parsed.get("bozo_exception")
    where = f" at line {exc.getLineNumber()}" if hasattr(exc, "getLineNumber") else ""
    what = exc.getMessage() if hasattr(exc, "getMessage") else str(exc)
    kept = f"; the {read} items the parser could read are indexed" if read else "; no item could be read"
    return f"broken XML{where}: {what}{kept}"


def read(path: Path, fields: Mapping[str, str] | None = None) -> Iterator[Record | ReadProblem]:
    """One record per item; ``fields`` does not apply."""
    import feedparser  # only when a feed is read

    parsed = feedparser.parse(path.read_bytes())
    read = 0
    source = _line(parsed.feed.get("title")) or None
    stem = file_stem(path, SUFFIXES)
    for number, entry in enumerate(parsed.entries, 1):
        title, body = _line(entry.get("title")), _body(entry)
        if not title and not body:
            yield ReadProblem(str(path), "item with no title and no text", record=number)
            continue
        link = (entry.get("link") or "").strip() or None
        guid = (entry.get("id") or "").strip()
        raw_date = entry.get("published") or entry.get("updated")
        stamp = parse_stamp(raw_date)
        provenance = {
            "id": "guid" if guid else ("link" if link else "item number"),
            "title": "item title" if title else "none",
            "date": ("published" if entry.get("published") else "updated") if stamp else ("unparsed field" if raw_date else "none"),
            "source": "feed title" if source else "none",
            "record": str(number),
        }
        if entry.get("author"):
            provenance["author"] = _line(entry["author"])
        read += 1
        yield Record(
            id=guid or link or f"{stem}-{number}",
            title=title,
            body=body,
            source=source,
            date=stamp.date if stamp else None,
            url=link,
            path=str(path),
            provenance=provenance,
        )
    if problem := _problem(parsed, read):
        yield ReadProblem(str(path), problem)
    elif not read:
        yield ReadProblem(str(path), "no item in this feed")
