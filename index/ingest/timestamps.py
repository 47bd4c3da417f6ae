"""Timestamps in metadata (feeds, TREC fields, HTML meta tags): the day they state, in their own zone.

A news item's date is the day its publisher printed, in the publisher's zone. Converting
``Sun, 15 Apr 2018 01:37:17 +0400`` to UTC (or to the reader's zone) would file the
article under 14 April, a day it was not published; so the day is taken as written, and
the zone is kept beside it for a caller that knows better (a web page whose other stamps
name the site's zone, see :mod:`index.ingest.formats.pagemeta`).

Forms read: ISO 8601 (``2020-06-03T03:01+0400``, ``2020-12-01 02:00:00``, ``…Z``),
RFC 822 (feeds, ANT's ``TIME``), compact ``19940513`` and TREC's ``940513``, numeric
``05/13/1994 14:52`` and, through :func:`index.ingest.dates.parse_date`, any written date
that module knows (``الأربعاء، 07 أكتوبر 2020 - 12:09 م``).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from dataclasses import dataclass

from index.ingest.dates import parse_date

_ISO = re.compile(
    r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:[T ]\s*(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,]\d+)?)?)?"
    r"\s*(?P<zone>Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?(?![\d:])"
)
_COMPACT = re.compile(r"^(?P<y>\d{4}|\d{2})(?P<m>\d{2})(?P<d>\d{2})(?:[T ]?(?P<H>\d{2})(?P<M>\d{2})(?P<S>\d{2})?)?(?!\d)")
_NUMERIC = re.compile(r"^(?P<a>\d{1,2})[/.-](?P<b>\d{1,2})[/.-](?P<y>\d{4})(?:\s+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?)?")
_RFC822_MONTH = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b", re.I)
#: Two-digit years (TREC's ``940513``) below this are 20xx, the others 19xx.
PIVOT = 50


@dataclass(frozen=True)
class Stamp:
    """The day a timestamp states; ``offset`` is its zone when written, ``moment`` its instant then."""

    date: dt.date
    offset: dt.timedelta | None = None
    moment: dt.datetime | None = None

    def in_zone(self, offset: dt.timedelta) -> dt.date:
        """The day this instant falls on in another zone (the day as written when it has no zone)."""
        if self.moment is None or self.offset is None:
            return self.date
        return self.moment.astimezone(dt.timezone(offset)).date()


def _zone(text: str | None) -> dt.timedelta | None:
    if not text:
        return None
    if text.upper() in ("Z", "UTC", "GMT"):
        return dt.timedelta(0)
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    if hours > 14 or minutes > 59:
        return None
    return sign * dt.timedelta(hours=hours, minutes=minutes)


def _stamp(year: int, month: int, day: int, clock: tuple[int, int, int] | None, offset: dt.timedelta | None) -> Stamp | None:
    try:
        date = dt.date(year, month, day)
    except ValueError:
        return None
    if not 1900 <= year <= dt.date.today().year + 1:
        return None
    moment = None
    if clock is not None and offset is not None:
        try:
            moment = dt.datetime(year, month, day, *clock, tzinfo=dt.timezone(offset))
        except ValueError:
            return None
    return Stamp(date, offset, moment)


def _clock(match: re.Match) -> tuple[int, int, int] | None:
    if match.groupdict().get("H") is None:
        return None
    return int(match["H"]), int(match["M"]), int(match["S"] or 0)


def parse_stamp(value: object, month_first: bool = False, hint: dt.date | None = None) -> Stamp | None:
    """The day ``value`` states, or None when it is not a date this module can read.

    ``month_first`` reads an ambiguous ``05/04/1994`` as 4 May (the US convention of TREC
    and LDC collections); ``hint`` (a date written elsewhere, e.g. in the record's id)
    decides such a date when one reading matches it.
    """
    if isinstance(value, dt.datetime):
        return Stamp(value.date())
    if isinstance(value, dt.date):
        return Stamp(value)
    if not isinstance(value, str) or not value.strip():
        return None
    text = " ".join(value.split())
    if match := _ISO.match(text):
        return _stamp(int(match["y"]), int(match["m"]), int(match["d"]), _clock(match), _zone(match["zone"]))
    if match := _COMPACT.match(text):
        year = int(match["y"])
        if len(match["y"]) == 2:
            year += 2000 if year < PIVOT else 1900
        return _stamp(year, int(match["m"]), int(match["d"]), _clock(match), None)
    if match := _NUMERIC.match(text):
        return _numeric(match, month_first, hint)
    if _RFC822_MONTH.search(text):
        parts = email.utils.parsedate_tz(text)
        if parts:
            offset = dt.timedelta(seconds=parts[9]) if parts[9] is not None else None
            return _stamp(parts[0], parts[1], parts[2], tuple(parts[3:6]), offset)
    date = parse_date(text)
    return Stamp(date) if date else None


def _numeric(match: re.Match, month_first: bool, hint: dt.date | None) -> Stamp | None:
    a, b, year = int(match["a"]), int(match["b"]), int(match["y"])
    readings = [(b, a), (a, b)] if month_first else [(a, b), (b, a)]  # (day, month)
    stamps = [s for day, month in readings if month <= 12 and (s := _stamp(year, month, day, _clock(match), None))]
    if hint:
        stamps.sort(key=lambda s: s.date != hint)
    return stamps[0] if stamps else None
