"""Facets: how the documents matching a query spread over sources and months.

Counted over EVERY matching document (not only the page shown), from the sortable
``source`` and ``date`` columns, so the web page's filters and timeline and
``search query --facets`` agree with ``total``.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import Counter
from dataclasses import asdict, dataclass, field

import numpy as np
from whoosh import query as q

from search.rank import scorer as array_scorer


@dataclass
class Facets:
    """Counts of matching documents: ``sources`` largest first, ``months`` (YYYY-MM) in order.

    Documents without a source or a date are counted in ``no_source`` / ``no_date``
    instead, so every facet adds up to the query's total.
    """

    sources: dict[str, int] = field(default_factory=dict)
    months: dict[str, int] = field(default_factory=dict)
    no_source: int = 0
    no_date: int = 0

    def timeline(self) -> list[tuple[str, int]]:
        """Every month from the first to the last, empty ones as 0, so gaps show as gaps."""
        if not self.months:
            return []
        keys = list(self.months)
        year, month = map(int, keys[0].split("-"))
        last = tuple(map(int, keys[-1].split("-")))
        out = []
        while (year, month) <= last:
            key = f"{year:04d}-{month:02d}"
            out.append((key, self.months.get(key, 0)))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return out

    def to_json(self) -> dict:
        return asdict(self)


def month_range(month: str) -> tuple[dt.date, dt.date]:
    """First and last day of ``YYYY-MM``: the since/until that filter to one timeline bar."""
    first = dt.date.fromisoformat(month + "-01")
    following = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return first, following - dt.timedelta(days=1)


#: Facet columns of the last few index states, keyed by their segments (see :func:`_columns`).
_CACHE: dict[tuple, tuple[list[str], list[str]]] = {}
_CACHE_SIZE = 4


def _columns(searcher) -> tuple[list[str], list[str]]:
    """Per document number: its source and its day as YYYY-MM-DD ("" when missing).

    Read once per set of segments and cached, since segments never change once
    written (deletions only hide documents, which then never match): later queries,
    even on a reopened index, count with list lookups instead of decoding columns.
    """
    reader = searcher.reader()
    key = tuple((leaf.segment().segment_id(), leaf.doc_count_all()) for leaf, _ in reader.leaf_readers())
    if key in _CACHE:
        return _CACHE[key]
    date_field = searcher.schema["date"]
    missing_day = date_field.column_type.default_value()
    names: dict[bytes, str] = {b"": ""}
    days: dict[int, str] = {missing_day: ""}
    sources: list[str] = []
    dates: list[str] = []
    for leaf, _ in reader.leaf_readers():  # in document-number order
        size = leaf.doc_count_all()
        # A segment where no document has a source (or date) has no column for it.
        for raw in leaf.column_reader("source", translate=False) if leaf.has_column("source") else [b""] * size:
            if raw not in names:
                names[raw] = raw.decode("utf-8")
            sources.append(names[raw])
        for raw in leaf.column_reader("date", translate=False) if leaf.has_column("date") else [missing_day] * size:
            if raw not in days:
                days[raw] = date_field.from_column_value(raw).date().isoformat()
            dates.append(days[raw])
    while len(_CACHE) >= _CACHE_SIZE:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[key] = (sources, dates)
    return sources, dates


def count(searcher, matching: q.Query, source: str | None = None, since: dt.date | None = None,
          until: dt.date | None = None) -> Facets:
    """Facets of every document ``matching`` finds from ``source`` between ``since`` and ``until``.

    The filters are applied here on the cached columns (the same rules as the
    query's filters: exact source, days inclusive), not through Whoosh's filter
    sets, which cost more than the whole count.
    """
    docs = array_scorer.for_searcher(searcher).evaluate(matching).docs()
    sources, dates = _codes(searcher)
    source_names, source_codes = sources
    day_names, day_codes = dates
    if source:
        wanted = source_names.index(source) if source in source_names else -1
        docs = docs[source_codes[docs] == wanted]
    if since or until:
        low = bisect.bisect_left(day_names, since.isoformat()) if since else 1
        high = bisect.bisect_right(day_names, until.isoformat()) if until else len(day_names)
        codes = day_codes[docs]
        docs = docs[(codes >= max(low, 1)) & (codes < high)]  # code 0: no date
    per_source = np.bincount(source_codes[docs], minlength=len(source_names))
    per_day = np.bincount(day_codes[docs], minlength=len(day_names))
    by_source = Counter({name: int(n) for name, n in zip(source_names, per_source) if n})
    by_month: Counter = Counter()
    for day, n in zip(day_names, per_day):
        if n:
            by_month[day[:7]] += int(n)
    no_source = by_source.pop("", 0)
    no_date = by_month.pop("", 0)
    return Facets(
        sources=dict(sorted(by_source.items(), key=lambda kv: (-kv[1], kv[0]))),
        months=dict(sorted(by_month.items())),
        no_source=no_source,
        no_date=no_date,
    )


#: Column codes of the last few index states, keyed like :data:`_CACHE`.
_CODES: dict[tuple, tuple] = {}


def _codes(searcher) -> tuple[tuple[list[str], np.ndarray], tuple[list[str], np.ndarray]]:
    """The columns of :func:`_columns` as (sorted distinct values, one code per document):
    counting a broad query's documents is then one ``bincount``, not a Python loop.
    Code 0 of the days is "" (no date): it sorts first."""
    sources, dates = _columns(searcher)
    key = id(sources)
    if key not in _CODES or _CODES[key][0] is not sources:
        encoded = []
        for column in (sources, dates):
            names = sorted(set(column) | {""})
            index = {name: code for code, name in enumerate(names)}
            encoded.append((names, np.fromiter(map(index.__getitem__, column), dtype=np.int64, count=len(column))))
        while len(_CODES) >= _CACHE_SIZE:
            _CODES.pop(next(iter(_CODES)))
        _CODES[key] = (sources, *encoded)
    return _CODES[key][1], _CODES[key][2]
