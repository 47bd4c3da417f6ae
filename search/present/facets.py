"""Facets: how the documents matching a query spread over sources and months.

Counted over EVERY document the query matched (not only the page shown): the very
documents ``Results.documents`` counts, filters applied, as the ranking found them
(:class:`search.rank.scoring.Found`), so the web page's filters and timeline and
``search query --facets`` agree with it. Every syndicated copy counts, under its own
source: a facet says how many articles each outlet ran, while ``total`` counts stories. Sources and days are read from the
sortable ``source`` and ``date`` columns.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from search.results import Facets


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


def count(searcher, docs: np.ndarray) -> Facets:
    """Facets of the documents ``docs`` (document numbers the query matched)."""
    sources, dates = _codes(searcher)
    source_names, source_codes = sources
    day_names, day_codes = dates
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
