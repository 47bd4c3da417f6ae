"""From the text of a saved page to an article: headline, clean body, date and source.

The steps, in order: drop page furniture (:mod:`index.ingest.boilerplate`); take the first
line that is not a date line or byline as the headline; collapse the headline's
repeats; look for the date (:mod:`index.ingest.dates`) and source (:mod:`index.ingest.sources`) in
the few lines around the headline; and keep the rest as the body, without the date
line and byline, which are metadata rather than article text.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from index.ingest.boilerplate import clean_lines
from index.ingest.dates import find_date, fold, is_date_line, labeled_date
from index.ingest.sources import byline, find_source

#: How many non-blank lines after the headline may still be byline or dateline.
HEADER_AFTER = 5
#: How many non-blank lines above the headline (once furniture is gone) count as header.
HEADER_BEFORE = 2
#: A line this long is article text, which ends the header.
PARAGRAPH_WORDS = 25
#: Two headline variants at least this similar are one headline shown twice.
SAME_HEADLINE = 0.8
#: Lines above a repeated headline with at most this many words are menu or section names…
NAV_WORDS = 5
#: … when there are at most this many of them.
NAV_LINES = 4

_PUNCT = re.compile(r"[^\w\s]")


@dataclass
class Article:
    """What a page says about itself; ``provenance`` names the rule behind each field."""

    title: str
    body: str
    date: dt.date | None = None
    source: str | None = None
    provenance: dict[str, str] = field(default_factory=dict)


def text_key(line: str) -> str:
    """A line compared without hamza forms, case, punctuation or spacing."""
    return " ".join(_PUNCT.sub(" ", fold(line)).split())


def same_headline(a: str, b: str) -> bool:
    """True when ``b`` repeats headline ``a``, exactly or as a near variant (``بـ`` / ``في``)."""
    if not a or not b or not 0.5 <= len(a) / len(b) <= 2:
        return False
    ka, kb = text_key(a), text_key(b)
    if not ka or not kb:
        return False
    if ka == kb:
        return True
    matcher = SequenceMatcher(None, ka, kb, autojunk=False)
    return matcher.quick_ratio() >= SAME_HEADLINE and matcher.ratio() >= SAME_HEADLINE


def _is_meta(line: str) -> bool:
    return is_date_line(line) or byline(line) is not None or labeled_date([line]) is not None


def below_navigation(lines: list[str], head: int) -> int | None:
    """The real headline's index when ``lines[head]`` is a menu word or section name above it.

    Scraped pages may open with the site's menu or the section's name (``أخبار``,
    ``أخبار العالم العربي``) and then show the headline twice (page title, then article
    heading). A few short lines that are not repeated, above a longer line that is, are
    navigation: the repeated line is the headline. A first line that is itself repeated
    is the headline, whatever its length.
    """
    shown = [i for i in range(head, len(lines)) if lines[i]][: NAV_LINES + 2]
    if len(shown) < 3 or same_headline(lines[head], lines[shown[1]]):
        return None
    for k in range(1, len(shown) - 1):
        above = [len(lines[i].split()) for i in shown[:k]]
        if max(above) > NAV_WORDS:
            return None
        candidate = lines[shown[k]]
        if len(candidate.split()) > max(above) and same_headline(candidate, lines[shown[k + 1]]):
            return shown[k]
    return None


def extract(text: str, title: str | None = None) -> Article | None:
    """The article in ``text``; ``title`` (front matter, HTML metadata) wins over the headline.

    None when nothing but furniture is left.
    """
    lines = clean_lines(text.splitlines())
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    start = 0
    if title:
        title_rule = "given"
        head = -1
    else:
        head = next((i for i, line in enumerate(lines) if line and not _is_meta(line)), None)
        if head is None:
            return None
        title_rule = "first line" if lines[head] == first else "headline after page furniture"
        real = below_navigation(lines, head)
        if real is not None:
            head, title_rule = real, "repeated headline below navigation"
        title = lines[head]
        start = head + 1
    # Header: a few lines above and below the headline, up to the first real paragraph.
    before = [i for i in range(head - 1, -1, -1) if lines[i]][:HEADER_BEFORE] if head > 0 else []
    after: list[int] = []
    repeats: set[int] = set()
    previous = title
    for i in range(start, len(lines)):
        line = lines[i]
        if not line:
            continue
        if len(after) >= HEADER_AFTER:
            break
        if same_headline(previous, line) or same_headline(title, line) and not after:
            repeats.add(i)  # the headline (or the text's own headline) shown again
            continue
        previous = line
        if len(line.split()) >= PARAGRAPH_WORDS:
            after.append(i)
            break
        after.append(i)
    header = [lines[i] for i in sorted(before) + after]
    found_date = find_date(header, (line for i, line in enumerate(lines) if i not in before and i not in after))
    found_source = find_source(header)
    meta = {i for i in before + after if _is_meta(lines[i])}
    if found_date and found_date.rule.startswith("label"):
        meta |= {i for i, line in enumerate(lines) if labeled_date([line])}
    body = [line for i, line in enumerate(lines[start:], start) if i not in repeats and i not in meta]
    return Article(
        title=title,
        body=_join(body),
        date=found_date.date if found_date else None,
        source=found_source.name if found_source else None,
        provenance={
            "title": title_rule,
            "date": found_date.rule if found_date else "none",
            "source": found_source.rule if found_source else "none",
        },
    )


def _join(lines: list[str]) -> str:
    """Lines back into text, with runs of blank lines collapsed to one."""
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()
