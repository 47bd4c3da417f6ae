"""Publication dates: parse a date field, or find the date a page states beside its headline.

Arabic news pages write dates many ways: Egyptian/Gulf month names (``نوفمبر``),
Levantine ones (``تشرين الثاني``), Maghrebi ones (``جوان``), pairs
(``تشرين الاول/اكتوبر``), numeric forms (``2018.11.27``, ``14-10-2017``,
``27/11/2018``, ISO) and Arabic-Indic digits. dateparser knows neither the Levantine
names nor the dotted form, so those are matched here; dateparser is kept for what
follows an explicit label (``Published: Nov 2, 2017``), where a wrong guess is unlikely.

Only two places are trusted, because a page mentions many dates and *no date is better
than a wrong one*: a line that starts with a label (``تاريخ الخبر:``, ``نشر في``…),
and a line beside the headline that is nothing but a date (with time, weekday, city).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from index.analysis.normalize import normalize_text

#: Month names as they look after :func:`fold` (hamza on alef and taa marbuta folded).
MONTHS: dict[int, tuple[str, ...]] = {
    1: ("يناير", "كانون الثاني", "كانون ثاني", "جانفي", "january", "jan"),
    2: ("فبراير", "شباط", "فيفري", "february", "feb"),
    3: ("مارس", "اذار", "march", "mar"),
    4: ("ابريل", "نيسان", "افريل", "april", "apr"),
    5: ("مايو", "ايار", "ماي", "may"),
    6: ("يونيو", "يونيه", "حزيران", "جوان", "june", "jun"),
    7: ("يوليو", "يوليه", "تموز", "جويليه", "july", "jul"),
    8: ("اغسطس", "اب", "اوت", "غشت", "august", "aug"),
    9: ("سبتمبر", "ايلول", "شتنبر", "september", "sept", "sep"),
    10: ("اكتوبر", "تشرين الاول", "تشرين اول", "october", "oct"),
    11: ("نوفمبر", "تشرين الثاني", "تشرين ثاني", "نونبر", "november", "nov"),
    12: ("ديسمبر", "كانون الاول", "كانون اول", "دجنبر", "december", "dec"),
}
_MONTH_OF = {name: number for number, names in MONTHS.items() for name in names}
_MONTH = "(?:" + "|".join(sorted(map(re.escape, _MONTH_OF), key=len, reverse=True)) + r")(?![\w])"
# "تشرين الاول/اكتوبر", "اكتوبر (تشرين الاول)": the first name decides, the second must agree.
_MONTHS = rf"(?P<month>{_MONTH})(?:\s*[/\-]\s*(?P<month2>{_MONTH})|\s*\(\s*(?P<month3>{_MONTH})\s*\))?"
_YEAR = r"(?P<year>\d{4})(?!\d)\s*(?:م(?![\w]))?"

_PATTERNS = [
    # 02 نوفمبر 2017, 2 من شهر تشرين الثاني/نوفمبر عام 2017, 2 nov. 2017
    re.compile(rf"(?<![\d.])(?P<day>\d{{1,2}})\s*(?:من\s+)?(?:شهر\s+)?{_MONTHS}\.?\s*[,،]?\s*(?:عام\s+|سنه\s+)?{_YEAR}"),
    # نوفمبر 2، 2017 / november 2, 2017
    re.compile(rf"{_MONTHS}\s+(?P<day>\d{{1,2}})\s*[,،]\s*{_YEAR}"),
    # 2018-11-27, 2018.11.27, 2018/11/27 (also the date part of an ISO date-time)
    re.compile(r"(?<![\d.\/-])(?P<year>\d{4})(?P<sep>[-/.])(?P<month>\d{1,2})(?P=sep)(?P<day>\d{1,2})(?![\d])"),
    # 27/11/2018, 14-10-2017, 27.11.2018
    re.compile(r"(?<![\d.\/-])(?P<day>\d{1,2})(?P<sep>[-/.])(?P<month>\d{1,2})(?P=sep)(?P<year>\d{4})(?![\d.\/-]?\d)"),
]

#: Labels that introduce the publication date, folded; longest first.
LABELS = tuple(
    sorted(
        (
            "تاريخ الخبر", "تاريخ النشر", "تاريخ نشر الخبر", "تاريخ نشر المقال", "تاريخ المقال",
            "تاريخ الاضافه", "تاريخ", "نشر في", "نشر بتاريخ", "نشر يوم", "نشرت في",
            "published on", "published", "posted on", "date",
        ),
        key=len,
        reverse=True,
    )
)
_LABEL = re.compile(r"^[\s•·*\-]*(?P<label>" + "|".join(map(re.escape, LABELS)) + r")(?![\w])\s*[:：\-–]?\s*(?P<rest>.*)$")

#: What may stand beside a date on a date line and still leave it "only a date".
_FILLER = re.compile(
    r"\d{1,2}:\d{2}(?::\d{2})?\s*(?:ص|م|am|pm)?(?![\w])"
    r"|(?<![\w])(?:الاحد|الاثنين|الاتنين|الثلاثاء|الاربعاء|الخميس|الجمعه|السبت"
    r"|sunday|monday|tuesday|wednesday|thursday|friday|saturday"
    r"|محرم|صفر|ربيع|جمادي|جمادى|رجب|شعبان|رمضان|شوال|ذو|ذي|القعده|الحجه|الاول|الاخر|الاخره|الثاني"
    r"|اخر تحديث|تحديث|بتوقيت|توقيت|gmt|utc|هـ|ه|م|\d+)(?![\w])"
    r"|[|/\\\-–—,،.:()\[\]]"
)
_MAX_DATE_LINE_WORDS = 12


@dataclass(frozen=True)
class FoundDate:
    """A date found in text, and the rule that found it (reported as provenance)."""

    date: dt.date
    rule: str


def fold(text: str) -> str:
    """Text folded like the index folds words (hamza, taa marbuta, digits, case), one space apart."""
    return " ".join(normalize_text(text).split())


def _valid(year: int, month: int, day: int) -> dt.date | None:
    if not 1950 <= year <= dt.date.today().year + 1:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _date_of(match: re.Match) -> dt.date | None:
    groups = match.groupdict()
    year, day = int(groups["year"]), int(groups["day"])
    month_text = groups["month"]
    if month_text.isdigit():
        month = int(month_text)
        if groups.get("sep") and match.re is _PATTERNS[3] and month > 12 >= day:
            day, month = month, day  # 11/27/2018: a US-style month/day/year
    else:
        month = _MONTH_OF[month_text]
        other = groups.get("month2") or groups.get("month3")
        if other and _MONTH_OF[other] != month:
            return None
    return _valid(year, month, day)


def _matches(folded: str) -> list[tuple[dt.date, int, int]]:
    """Every date in folded text, as (date, start, end), earliest first, never overlapping."""
    found: list[tuple[dt.date, int, int]] = []
    for pattern in _PATTERNS:
        for match in pattern.finditer(folded):
            if any(s < match.end() and match.start() < e for _, s, e in found):
                continue
            date = _date_of(match)
            if date:
                found.append((date, match.start(), match.end()))
    return sorted(found, key=lambda item: item[1])


@lru_cache(maxsize=4096)
def dates_in(text: str) -> tuple[dt.date, ...]:
    """All dates written in ``text``, in order of appearance."""
    return tuple(date for date, _, _ in _matches(fold(text)))


def parse_date(value: object) -> dt.date | None:
    """A date from a field or front matter: ISO first, then any one form this module knows."""
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
        pass
    try:
        return dt.datetime.fromisoformat(text).date()
    except ValueError:
        pass
    if len(text) <= 80:
        found = dates_in(text)
        if len(set(found)) == 1:
            return found[0]
    return None


def is_date_line(line: str) -> bool:
    """True for a line that is only a date, perhaps with time, weekday, Hijri date and city.

    Such a line beside a headline is the page's own publication date; a date inside a
    sentence is an event date and is never taken for one.
    """
    folded = fold(line)
    if not folded or len(folded.split()) > _MAX_DATE_LINE_WORDS:
        return False
    found = _matches(folded)
    if not found or len({date for date, _, _ in found}) > 1:
        return False
    rest = folded
    for _, start, end in reversed(found):
        rest = rest[:start] + " " + rest[end:]
    rest = _FILLER.sub(" ", rest)
    return len(rest.split()) <= 2


def labeled_date(lines: Sequence[str], start: int = 0) -> FoundDate | None:
    """The date after the first label (``تاريخ الخبر: 14-10-2017``) in ``lines``.

    The date may also stand on the line after a label that ends its own line.
    """
    for i in range(start, len(lines)):
        match = _LABEL.match(fold(lines[i]))
        if not match:
            continue
        rest = match["rest"]
        if not rest and i + 1 < len(lines):
            rest = fold(lines[i + 1])
        if is_date_line(rest):
            date = _matches(rest)[0][0]
        elif len(rest.split()) <= 6 and not _matches(rest):
            date = _dateparser(rest)
        else:
            continue  # a sentence that merely starts like a label ("تاريخ سوريا…")
        if date:
            return FoundDate(date, f"label '{match['label']}'")
    return None


def _dateparser(text: str) -> dt.date | None:
    """dateparser for a labeled value our patterns missed (English and other spellings)."""
    if not text or len(text) > 60 or not re.search(r"\d", text):
        return None
    import dateparser  # slow to import: only when a label holds an unusual date

    parsed = dateparser.parse(
        text, languages=["ar", "en", "fr"], settings={"STRICT_PARSING": True, "PREFER_DAY_OF_MONTH": "first"}
    )
    return _valid(parsed.year, parsed.month, parsed.day) if parsed else None


def find_date(header: Sequence[str], rest: Iterable[str] = ()) -> FoundDate | None:
    """The publication date of a page, or None when it is not stated clearly.

    ``header`` are the lines around the headline (byline, dateline); ``rest`` the
    remaining lines, where only a labeled date counts. Order of trust: a label beside
    the headline, a date line beside the headline, a label anywhere else.
    """
    found = labeled_date(header)
    if found:
        return found
    for line in header:
        if is_date_line(line):
            return FoundDate(dates_in(line)[0], "date line beside headline")
    return labeled_date(list(rest))
