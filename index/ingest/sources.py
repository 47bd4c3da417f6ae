"""The source (outlet or agency) a page names in a clear byline or dateline.

Rules, each reported as provenance:

* ``label``: a line ``المصدر: X``.
* ``byline``: a short line ``X - متابعات`` / ``وكالات – X``: one side is a generic
  word (agencies, follow-ups, staff), the other names the outlet.
* ``dateline``: a paragraph opening ``CITY - AGENCY:`` or ``CITY (AGENCY) -`` with a
  known news agency, e.g. ``دمشق - سانا:``.

Anything less clear gives None: a wrong source would silently mis-file the article
under ``--source`` filters, while a missing one only leaves the field empty.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from index.ingest.dates import fold

#: Words that stand beside a source in a byline without being one (folded).
GENERIC = frozenset(
    {
        "وكالات", "متابعات", "خاص", "عواصم", "مراسلون", "مراسلين", "ترجمات", "ترجمه", "رصد",
        "تقارير", "تحرير", "محرر", "المحرر", "فريق التحرير", "اخبار", "الاخبار", "وكالات الانباء",
        "agencies", "staff", "news", "مواقع", "مواقع التواصل",
    }
)

#: News agencies recognised in datelines (folded).
AGENCIES = frozenset(
    {
        "رويترز", "فرانس برس", "ا ف ب", "اف ب", "ا.ف.ب", "د ب ا", "د.ب.ا", "الاناضول", "سانا", "واس",
        "وام", "قنا", "كونا", "بترا", "ونا", "بنا", "سبا", "العمانيه", "اسوشيتد برس", "شينخوا", "سبوتنيك",
        "يو بي اي", "واج", "ماب", "تاس", "ارنا", "ا ش ا", "اش ا", "reuters", "afp", "ap", "dpa",
    }
)

#: Words that mark a name as an outlet rather than a reporter (folded). A byline
#: ``حنان الحامدي – متابعات`` names a person: reporting her as the source would be wrong.
OUTLET_WORDS = frozenset(
    {
        "تلفزيون", "التلفزيون", "قناه", "صحيفه", "جريده", "وكاله", "موقع", "اذاعه", "راديو", "شبكه",
        "مجله", "نت", "بوابه", "مرصد", "اليوم", "الان", "نيوز", "بوست", "تايمز", "برس", "الخبر", "اخبار",
        "الاخبار", "الجديد", "انفو", "اونلاين", "24", "tv", "news", "net", "online", "post", "times", "press",
    }
)

_SEPARATOR = re.compile(r"\s+[-–—|/]\s+|\s*[–—|]\s*")
_LABEL = re.compile(r"^\s*(?:المصدر|source)\s*[:：]\s*(?P<name>[^.!?؟]{2,60})$", re.IGNORECASE)
_DATELINE = re.compile(
    r"^\s*(?P<city>[^\s:()\-–—]{2,20}(?:\s[^\s:()\-–—]{2,20})?)\s*"
    r"(?:[-–—]\s*(?P<agency>[^:()\-–—]{2,30}?)\s*:|\(\s*(?P<agency2>[^()]{2,30}?)\s*\)\s*[-–—:])"
)
_MAX_NAME_WORDS = 4


@dataclass(frozen=True)
class FoundSource:
    """A source name as written in the text, and the rule that found it."""

    name: str
    rule: str


def _clean(name: str) -> str:
    return name.strip(" \t\"'«»:،,.-–—")


def byline(line: str) -> FoundSource | None:
    """The outlet named by a byline line such as ``تلفزيون سوريا - متابعات``, else None."""
    line = line.strip()
    if not line or len(line.split()) > 2 * _MAX_NAME_WORDS + 1 or re.search(r"[.!?؟:]$|\d{1,2}:\d{2}", line):
        return None
    match = _LABEL.match(line)
    if match and len(match["name"].split()) <= _MAX_NAME_WORDS:
        return FoundSource(_clean(match["name"]), "label 'المصدر'")
    if ":" in line:
        return None  # "CITY - AGENCY: text…" opens a paragraph: see dateline()
    parts = [_clean(p) for p in _SEPARATOR.split(line)]
    if len(parts) != 2 or not all(parts) or any(len(p.split()) > _MAX_NAME_WORDS for p in parts):
        return None
    generic = [fold(p) in GENERIC for p in parts]
    if generic.count(True) != 1:
        return None
    name = parts[1 - generic.index(True)]
    return FoundSource(name, "byline") if looks_like_outlet(name) else None


def looks_like_outlet(name: str) -> bool:
    """An outlet name has a digit, Latin letters, a known agency or an outlet word in it."""
    folded = fold(name)
    if folded in AGENCIES or any(ch.isdigit() or "a" <= ch <= "z" for ch in folded):
        return True
    return any(word in OUTLET_WORDS for word in folded.split())


def dateline(line: str) -> FoundSource | None:
    """The agency of a paragraph that opens ``CITY - AGENCY:`` or ``CITY (AGENCY) -``."""
    match = _DATELINE.match(line)
    if not match:
        return None
    agency = _clean(match["agency"] or match["agency2"] or "")
    if fold(agency) in AGENCIES:
        return FoundSource(agency, "dateline")
    return None


def find_source(lines: Iterable[str]) -> FoundSource | None:
    """The first byline or dateline source among the lines around a headline, else None."""
    for line in lines:
        found = byline(line) or dateline(line)
        if found:
            return found
    return None
