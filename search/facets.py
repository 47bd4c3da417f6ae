"""Facets: how the documents matching a query spread over sources and months.

Counted over EVERY matching document (not only the page shown), from the sortable
``source`` and ``date`` columns, so the web page's filters and timeline and
``search query --facets`` agree with ``total``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import asdict, dataclass, field

from whoosh import query as q


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


def count(searcher, matching: q.Query, filter_q: q.Query | None) -> Facets:
    """Facets of every document ``matching`` finds within ``filter_q``.

    The matching set is collected unscored, then each document's raw column values
    are counted and only the distinct ones decoded: several times faster than
    Whoosh's ``groupedby``, which decodes a value per document.
    """
    docs = searcher.search(matching, limit=None, filter=filter_q, scored=False).docs()
    reader, date_field = searcher.reader(), searcher.schema["date"]
    by_source = Counter(map(reader.column_reader("source", translate=False).__getitem__, docs))
    by_day = Counter(map(reader.column_reader("date", translate=False).__getitem__, docs))
    no_date = by_day.pop(date_field.column_type.default_value(), 0)
    months: Counter[str] = Counter()
    for raw, n in by_day.items():
        day = date_field.from_column_value(raw)
        months[f"{day.year:04d}-{day.month:02d}"] += n
    no_source = by_source.pop(b"", 0)
    sources = {name.decode("utf-8"): n for name, n in by_source.items()}
    return Facets(
        sources=dict(sorted(sources.items(), key=lambda kv: (-kv[1], kv[0]))),
        months=dict(sorted(months.items())),
        no_source=no_source,
        no_date=no_date,
    )
