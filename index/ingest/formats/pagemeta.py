"""What a saved web page says about itself: its headline, publication date and publication name.

A page states these several times, each with its own flaw: ``<title>`` and often
``og:title`` carry the site's name (``… - اليوم السابع``) and section names; the page
holds an ``<h1>`` for the logo as well as the headline; ``og:site_name`` may be a URL;
a timestamp in UTC (``…T21:30:00Z``) can fall on the day before the date the site
printed in its own zone; some sites state the date only in the text beside the
headline (``الأربعاء، 07 أكتوبر 2020``). So every statement is collected here
(:func:`read_meta`) and the rules in :mod:`index.ingest.formats.webpage` compare them.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from index.ingest.dates import fold

#: Meta tags (``property``, ``name`` or ``itemprop``, lower case) holding the headline, best first.
TITLE_KEYS = ("og:title", "twitter:title", "headline", "dc.title")
#: Meta tags holding the publication time, best first.
PUBLISHED_KEYS = (
    "article:published_time", "og:article:published_time", "datepublished", "pubdate", "publishdate",
    "publish-date", "publish_date", "article.published", "dc.date.issued", "dcterms.issued", "dc.date",
    "date", "sailthru.date", "parsely-pub-date", "original-publish-date",
)
#: Meta tags whose time is not the publication's but whose zone is the site's.
OTHER_TIME_KEYS = ("article:modified_time", "og:updated_time", "datemodified", "lastmod", "dcterms.modified")
#: Elements that end a line of visible text.
BLOCKS = frozenset(
    "address article aside blockquote br dd div dl dt figcaption figure footer form h1 h2 h3 h4 h5 h6 header "
    "hr li main nav ol p pre section table td th tr ul".split()
)
_HIDDEN = frozenset({"script", "style", "noscript", "template", "svg", "head"})
_ARTICLE_TYPES = re.compile(r"Article|BlogPosting|Report|WebPage", re.IGNORECASE)


@dataclass
class PageMeta:
    """Everything a page states about its headline, date and name, in document order."""

    #: (rule, text) of headline statements: meta tags, JSON-LD, then ``<title>``.
    titles: list[tuple[str, str]] = field(default_factory=list)
    #: The visible ``<h1>`` texts, in document order.
    h1: list[str] = field(default_factory=list)
    #: og:site_name values as written (perhaps a URL).
    site_names: list[str] = field(default_factory=list)
    #: Other names of the site, only used to recognise it in a title: application-name,
    #: publisher, the text or logo ``alt`` of links to the home page.
    other_names: list[str] = field(default_factory=list)
    #: (rule, raw value) of publication times; ``other_times`` only tell the site's zone.
    published: list[tuple[str, str]] = field(default_factory=list)
    other_times: list[str] = field(default_factory=list)
    url: str | None = None
    #: Visible text, one block per line, and the lines each ``<h1>`` spans.
    lines: list[str] = field(default_factory=list)
    h1_lines: list[tuple[int, int]] = field(default_factory=list)

    @property
    def host(self) -> str | None:
        """The page's host without ``www.``, from its own URL or a site name written as one."""
        for candidate in [self.url, *self.site_names]:
            if candidate and re.match(r"^(?:https?://|www\.)", candidate.strip(), re.IGNORECASE):
                host = urlsplit(candidate.strip() if "//" in candidate else "//" + candidate.strip()).hostname
                if host:
                    return host.removeprefix("www.")
        return None


def one_line(text: str | None) -> str:
    return " ".join((text or "").replace("\u00a0", " ").split())


def domain_label(host: str | None) -> str | None:
    """The name part of a host: ``youm7`` for ``www.youm7.com``, ``assabah`` for ``assabah.com.tn``."""
    if not host:
        return None
    parts = [p for p in host.lower().split(".") if p and p != "www"]
    if len(parts) >= 3 and parts[-2] in ("com", "co", "org", "net", "gov", "edu", "ac", "info"):
        return parts[-3]
    return parts[-2] if len(parts) >= 2 else (parts[0] if parts else None)


def _json_ld(text: str, meta: PageMeta) -> None:
    try:
        data = json.loads(text, strict=False)
    except (ValueError, RecursionError):
        return
    stack = [data]
    while stack:
        item = stack.pop(0)
        if isinstance(item, list):
            stack.extend(item)
            continue
        if not isinstance(item, dict):
            continue
        stack.extend(v for k, v in item.items() if k in ("@graph", "mainEntity", "itemListElement") and isinstance(v, (list, dict)))
        if not _ARTICLE_TYPES.search(str(item.get("@type", ""))):
            continue
        if isinstance(item.get("headline"), str):
            meta.titles.append(("json-ld headline", one_line(item["headline"])))
        if isinstance(item.get("datePublished"), str):
            meta.published.append(("json-ld datePublished", item["datePublished"]))
        if isinstance(item.get("dateModified"), str):
            meta.other_times.append(item["dateModified"])
        publisher = item.get("publisher")
        if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
            meta.other_names.append(one_line(publisher["name"]))


def _text_lines(root, meta: PageMeta) -> None:
    """The page's visible text, one block per line; where each ``<h1>`` starts and ends."""
    from lxml import etree

    lines: list[str] = []
    current: list[str] = []
    hidden = 0
    h1_start: list[int] = []

    def flush() -> None:
        line = one_line("".join(current))
        current.clear()
        if line:
            lines.append(line)

    for event, element in etree.iterwalk(root, events=("start", "end")):
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if event == "start":
            if tag in _HIDDEN:
                hidden += 1
            if hidden:
                continue
            if tag in BLOCKS:
                flush()
            if tag == "h1":
                h1_start.append(len(lines))
            if element.text and isinstance(element.tag, str):
                current.append(element.text)
        else:
            if tag in _HIDDEN:
                hidden -= 1
            elif not hidden:
                if tag in BLOCKS:
                    flush()
                if tag == "h1" and h1_start:
                    meta.h1.append(one_line(element.text_content()))
                    meta.h1_lines.append((h1_start.pop(), len(lines)))
            if element.tail and not hidden:
                current.append(element.tail)
    flush()
    meta.lines = lines


def read_meta(html: str) -> PageMeta:
    """Collect the page's statements about itself; an unparsable page gives an empty PageMeta."""
    import lxml.html
    from lxml import etree

    meta = PageMeta()
    html = re.sub(r"^\s*<\?xml[^>]*\?>", "", html)  # lxml refuses a str with an encoding declaration
    try:
        root = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return meta
    tagged: dict[str, list[str]] = {}
    for element in root.iter("meta"):
        key = (element.get("property") or element.get("name") or element.get("itemprop") or "").strip().lower()
        content = element.get("content")
        if key and content and content.strip():
            tagged.setdefault(key, []).append(content.strip())
    meta.titles = [(key, one_line(v)) for key in TITLE_KEYS for v in tagged.get(key, [])]
    meta.site_names = [one_line(v) for v in tagged.get("og:site_name", [])]
    meta.other_names = [one_line(v) for key in ("application-name", "apple-mobile-web-app-title") for v in tagged.get(key, [])]
    meta.published = [(key, v) for key in PUBLISHED_KEYS for v in tagged.get(key, [])]
    meta.other_times = [v for key in OTHER_TIME_KEYS for v in tagged.get(key, [])]
    for script in root.iter("script"):
        if "ld+json" in (script.get("type") or "").lower() and script.text:
            _json_ld(script.text, meta)
    for element in root.iter("time"):
        stamp = element.get("datetime")
        if stamp and (element.get("itemprop", "").lower() == "datepublished" or element.get("pubdate") is not None):
            meta.published.append(("time datePublished", stamp))
        elif stamp:
            meta.other_times.append(stamp)
    title = root.find(".//title")
    if title is not None and one_line(title.text_content()):
        meta.titles.append(("html title", one_line(title.text_content())))
    for element in root.iter("link"):
        if (element.get("rel") or "").lower() == "canonical" and element.get("href"):
            meta.url = element.get("href").strip()
    meta.url = next(iter(tagged.get("og:url", [])), None) or meta.url
    meta.other_names += _home_link_names(root, meta.host)
    _text_lines(root, meta)
    return meta


def _home_link_names(root, host: str | None) -> list[str]:
    """What links to the site's home page say (the logo's ``alt``, a short text): the site's name."""
    homes = {"/", "./"} | ({f"{scheme}://{www}{host}{slash}" for scheme in ("http", "https") for www in ("", "www.") for slash in ("", "/")} if host else set())
    names = []
    for link in root.iter("a"):
        if (link.get("href") or "").strip() not in homes:
            continue
        texts = [one_line(link.text_content())] + [one_line(img.get("alt")) for img in link.iter("img")]
        names += [t for t in texts if t and len(t.split()) <= 4]
    return list(dict.fromkeys(names))


def site_key(text: str) -> str:
    """A site name compared without case, hamza forms, spaces or punctuation (``CNNArabic.com``)."""
    return re.sub(r"[\W_]+", "", fold(text))


def zone_of(stamps: list) -> dt.timedelta | None:
    """The site's zone: the first non-UTC offset its timestamps are written in."""
    return next((s.offset for s in stamps if s and s.offset), None)
