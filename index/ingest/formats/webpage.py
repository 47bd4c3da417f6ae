"""``.html`` / ``.htm``: a saved web page, read with trafilatura.

trafilatura finds the main text and the page's own metadata (title, publication date,
site name), which is more reliable than anything guessed from text. The main text
still goes through :func:`index.ingest.article.extract` to drop widget lines, captions and
the headline repeated at its top, and to find a date in the text when the metadata
has none.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path

from index.ingest.article import extract
from index.ingest.dates import parse_date
from index.ingest.encoding import decode
from index.ingest.records import ReadProblem, Record, file_stem

#: File name endings read here, longest first.
SUFFIXES = (".html", ".htm")

_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
# Only the page's own metadata, never a date guessed from its text: see index.ingest.dates.
_DATE_PARAMS = {"extensive_search": False, "original_date": True}


def page_text(data: bytes) -> str:
    """The HTML as text: the charset the page declares, else the detected one."""
    declared = _META_CHARSET.search(data[:4096])
    if declared:
        try:
            return data.decode(declared.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            pass
    return decode(data)


def read(path: Path, fields: Mapping[str, str] | None = None) -> Iterator[Record | ReadProblem]:
    """One record per page; ``fields`` does not apply."""
    import trafilatura

    html = page_text(path.read_bytes())
    doc = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, include_tables=False, date_extraction_params=_DATE_PARAMS
    )
    text = (doc.text if doc else None) or trafilatura.html2txt(html) or ""
    meta_title = (doc.title or "").strip() if doc else ""
    article = extract(text, title=meta_title or None)
    if article is None:
        yield ReadProblem(str(path), "no article text found in the page")
        return
    provenance = dict(article.provenance, id="file name")
    if meta_title:
        provenance["title"] = "html metadata"
    date = parse_date(doc.date) if doc else None
    if date:
        provenance["date"] = "html metadata"
    source = (doc.sitename or "").strip() if doc else ""
    if source:
        provenance["source"] = "html site name"
    yield Record(
        id=file_stem(path, SUFFIXES),
        title=article.title,
        body=article.body,
        source=source or article.source,
        date=date or article.date,
        url=(doc.url if doc else None) or None,
        path=str(path),
        provenance=provenance,
    )
