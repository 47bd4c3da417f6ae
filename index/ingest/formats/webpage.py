"""``.html`` / ``.htm``: a saved web page from any site.

trafilatura finds the main text; what the page says about itself is collected by
:mod:`index.ingest.formats.pagemeta` and weighed here:

* headline: an ``<h1>`` that ``og:title``, JSON-LD or ``<title>`` confirms (once the
  site's name is cut from them), else ``og:title`` / JSON-LD / ``twitter:title`` without
  the site's name, else ``<title>`` without the site's name and trailing section names;
* date: the publication time in the page's metadata, as the site wrote it in its own
  zone; a UTC time is moved to the zone the site's other timestamps are written in, and
  yields to the date printed beside the headline when the two are a day apart (a UTC
  time falls on the day before the site's own date for part of a day); a UTC time at
  exactly 20:00 to 23:00, with nothing else to go by, is the site's midnight (a date
  without a time); else the date printed beside the headline
  (``الأربعاء، 07 أكتوبر 2020 - 12:09 م``);
* source: the publication's name from ``og:site_name``, else the page's domain; never a
  URL, nor the publisher company of the JSON-LD.

The main text still goes through :func:`index.ingest.article.extract` to drop widget
lines, captions and the headline repeated at its top.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from pathlib import Path

from index.ingest.article import extract, text_key
from index.ingest.dates import FoundDate, find_date, fold, parse_date
from index.ingest.encoding import decode
from index.ingest.formats.pagemeta import PageMeta, domain_label, read_meta, site_key, zone_of
from index.ingest.records import ReadProblem, Record, file_stem
from index.ingest.sources import OUTLET_WORDS
from index.ingest.timestamps import Stamp, parse_stamp

#: File name endings read here, longest first.
SUFFIXES = (".html", ".htm")

_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
# Only the page's own metadata, never a date guessed from its text: see index.ingest.dates.
_DATE_PARAMS = {"extensive_search": False, "original_date": True}
#: What separates a headline from the site's and sections' names in a title.
_SEPARATOR = re.compile(r"\s+(?:[-–—|:·•/»]|::)\s+|\s*[|•]\s*")
_URLISH = re.compile(r"^(?:https?://|www\.)|^[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}/?$", re.IGNORECASE)
#: Words that stand beside a site's name in a title without changing it (folded).
SITE_WORDS = OUTLET_WORDS | {"بوابه", "الالكترونيه", "الالكتروني", "الرسمي", "com", "arabic", "عربي"}
#: Lines around the headline searched for the date the page prints.
BEFORE_HEADLINE, AFTER_HEADLINE = 3, 6
#: Midnight in the zones of Arab sites (UTC+1 to UTC+4) written in UTC: a date without a time
#: that a site's software stored as its local midnight, and that falls on the day before.
SITE_MIDNIGHTS = frozenset(dt.time(hour) for hour in (20, 21, 22, 23))
#: A section name after a headline in ``<title>`` has at most this many words.
SECTION_WORDS = 4


def page_text(data: bytes) -> str:
    """The HTML as text: the charset the page declares, else the detected one."""
    declared = _META_CHARSET.search(data[:4096])
    if declared:
        try:
            return data.decode(declared.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            pass
    return decode(data)


def _site_names(meta: PageMeta) -> tuple[list[str], str | None]:
    names = [n for n in meta.site_names + meta.other_names if n and not _URLISH.match(n)]
    return names, domain_label(meta.host)


def site_like(segment: str, names: list[str], label: str | None, part: bool = True) -> bool:
    """True when a piece of a title is the site's name (perhaps with ``بوابة``, ``.com``…).

    With ``part``, a piece of the name counts too (``البيان`` of ``صحيفة البيان``): true of
    what ends a title, but a title may open with a place that is also in the site's name.
    """
    words = set(fold(segment).split())
    if not words or len(words) > 6:
        return False
    if _URLISH.match(segment.strip()):
        return True
    key = site_key(segment)
    for name in names:
        name_words = set(fold(name).split())
        if key == site_key(name) or (name_words <= words and words - name_words <= SITE_WORDS):
            return True
        if part and words < name_words and words - SITE_WORDS:
            return True  # "البيان" of "صحيفة البيان"
    return bool(label and len(label) >= 3 and key.isascii() and (label in key or len(key) >= 4 and key in label))


def strip_site(title: str, names: list[str], label: str | None) -> str:
    """``title`` without the site's name before or after it."""
    while True:
        cuts = list(_SEPARATOR.finditer(title))
        if not cuts:
            return title
        if site_like(title[cuts[-1].end() :], names, label):
            title = title[: cuts[-1].start()].strip()
        elif site_like(title[: cuts[0].start()], names, label, part=False):
            title = title[cuts[0].end() :].strip()
        else:
            return title


def _without_sections(title: str) -> str:
    """``headline - section - section`` → ``headline`` when every other piece is short."""
    first, *rest = _SEPARATOR.split(title)
    if rest and all(len(piece.split()) <= SECTION_WORDS for piece in rest) and len(first.split()) > SECTION_WORDS:
        return first
    return title


def page_headline(meta: PageMeta) -> tuple[str, str] | None:
    """(headline, rule) from the page's own statements, or None when it makes none."""
    names, label = _site_names(meta)
    stated = [(rule, strip_site(text, names, label)) for rule, text in meta.titles if text]
    stated = [(rule, text) for rule, text in stated if not site_like(text, names, label, part=False)]
    for h1 in meta.h1:
        if not h1 or site_like(h1, names, label):
            continue
        key = text_key(h1)
        for rule, text in stated:
            after = _SEPARATOR.match(text, len(h1)) if len(text) > len(h1) else None
            if text_key(text) == key or (after and text_key(text[: len(h1)]) == key):
                return h1, f"h1 matching {rule}"
    for rule, text in stated:
        if text and rule != "html title":
            return text, rule
    for rule, text in stated:
        if text:
            return _without_sections(text), rule
    return None


def publication(meta: PageMeta) -> tuple[str, str] | None:
    """(publication name, rule): og:site_name unless it is a URL, else the page's domain."""
    for name in meta.site_names:
        if name and not _URLISH.match(name):
            return name, "og:site_name"
    host = meta.host
    return (host, "page domain") if host else None


def _beside_headline(meta: PageMeta, title: str) -> FoundDate | None:
    """The date printed in the lines just above or below the headline."""
    key = text_key(title)
    span = next((s for h1, s in zip(meta.h1, meta.h1_lines) if key and text_key(h1) == key), None)
    if span is None:
        at = next((i for i, line in enumerate(meta.lines) if key and text_key(line) == key), None)
        span = (at, at + 1) if at is not None else (meta.h1_lines[0] if meta.h1_lines else None)
    if span is None:
        return None
    start, end = span
    return find_date(meta.lines[end : end + AFTER_HEADLINE] + meta.lines[max(0, start - BEFORE_HEADLINE) : start])


def page_date(meta: PageMeta, title: str) -> tuple[dt.date, str] | None:
    """(publication day in the site's zone, rule), or None."""
    stamps = [(rule, stamp) for rule, raw in meta.published if (stamp := parse_stamp(raw))]
    zone = zone_of([s for _, s in stamps] + [parse_stamp(raw) for raw in meta.other_times])
    printed = _beside_headline(meta, title)
    if not stamps:
        return (printed.date, f"html text: {printed.rule}") if printed else None
    rule, stamp = stamps[0]
    date = stamp.date
    if _utc_time(stamp):
        if zone:
            date, rule = stamp.in_zone(zone), f"{rule}, in the site's zone"
        if printed and abs((printed.date - date).days) == 1:
            return printed.date, f"html text: {printed.rule}"
        if not zone and not printed and stamp.moment.time() in SITE_MIDNIGHTS:
            return date + dt.timedelta(days=1), f"{rule}, the site's midnight in UTC"
    return date, rule


def _utc_time(stamp: Stamp) -> bool:
    """A time of day given in UTC; a bare midnight stands for a date without time and stays."""
    return stamp.offset == dt.timedelta(0) and stamp.moment is not None and stamp.moment.time() != dt.time(0)


def read(path: Path, fields: Mapping[str, str] | None = None) -> Iterator[Record | ReadProblem]:
    """One record per page; ``fields`` does not apply."""
    import trafilatura

    html = page_text(path.read_bytes())
    meta = read_meta(html)
    doc = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, include_tables=False, date_extraction_params=_DATE_PARAMS
    )
    text = (doc.text if doc else None) or trafilatura.html2txt(html) or ""
    headline = page_headline(meta)
    if headline is None and doc and (doc.title or "").strip():
        headline = (doc.title.strip(), "html metadata")
    article = extract(text, title=headline[0] if headline else None)
    if article is None:
        yield ReadProblem(str(path), "no article text found in the page")
        return
    provenance = dict(article.provenance, id="file name")
    if headline:
        provenance["title"] = headline[1]
    date = article.date
    if found_date := page_date(meta, article.title):
        date, provenance["date"] = found_date
    elif not date and doc and (fallback := parse_date(doc.date)):
        date, provenance["date"] = fallback, "html metadata"
    source = article.source
    if found_source := publication(meta):
        source, provenance["source"] = found_source
    yield Record(
        id=file_stem(path, SUFFIXES),
        title=article.title,
        body=article.body,
        source=source,
        date=date,
        url=meta.url or (doc.url if doc else None) or None,
        path=str(path),
        provenance=provenance,
    )
