"""The public types a query hands to library users, the CLI, the web page and JSON."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def as_date(value: object) -> dt.date | None:
    """A stored date field as a date (the index stores datetimes), None if absent."""
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


@dataclass
class Token:
    """One analyzed token: the indexed ``text`` and where it stands in the original."""

    text: str
    start: int
    end: int


@dataclass
class Copy:
    """Another copy of a hit's story (the same article run by another outlet, :mod:`search.present.stories`)."""

    id: str
    title: str
    source: str | None
    date: dt.date | None

    def to_json(self) -> dict:
        return {"id": self.id, "title": self.title, "source": self.source, "date": _iso(self.date)}


@dataclass
class Hit:
    """One matching document. ``snippet`` is HTML-escaped text with ``<mark>`` around matches."""

    id: str
    title: str
    source: str | None
    date: dt.date | None
    score: float
    snippet: str
    path: str | None = None
    url: str | None = None
    #: The other copies of this hit's story, oldest first; empty when it has none or
    #: when the query was asked not to collapse them (``collapse=False``).
    copies: list[Copy] = field(default_factory=list)

    def to_json(self) -> dict:
        data = asdict(self)
        data["date"] = _iso(self.date)
        data["score"] = round(self.score, 4)
        data["copies"] = [c.to_json() for c in self.copies]
        return data


@dataclass
class Facets:
    """Counts of matching documents: ``sources`` largest first, ``months`` (YYYY-MM) in order.

    Counted over every matching document, not only the page shown (search.present.facets).
    Documents without a source or a date are counted in ``no_source`` / ``no_date``
    instead, so every facet adds up to the query's ``documents`` (every copy counted).
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

    @staticmethod
    def month_range(month: str) -> tuple[dt.date, dt.date]:
        """First and last day of ``YYYY-MM``: the since/until that filter to one timeline bar."""
        first = dt.date.fromisoformat(month + "-01")
        following = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
        return first, following - dt.timedelta(days=1)

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class Results:
    """A page of hits. ``total`` counts every matching story (syndicated copies once),
    not only this page; ``documents`` every matching document. They are equal when
    copies are not collapsed."""

    query: str
    total: int
    hits: list[Hit] = field(default_factory=list)
    #: Counts by source and month of every matching document, when asked for (``facets=True``).
    facets: Facets | None = None
    #: Words the query was expanded with: ``[{"text": typed, "synonyms": [names]}]``.
    expansions: list[dict] = field(default_factory=list)
    #: Indexed words close to query words that found little ("did you mean").
    suggestions: list[str] = field(default_factory=list)
    #: What was searched instead of what was typed: ``[{"typed", "searched"}]`` (words
    #: typed without a space between them; quoted phrases no document holds, searched
    #: as plain words).
    rewrites: list[dict] = field(default_factory=list)
    #: The index holds no documents at all (none added yet, or all removed): there was
    #: nothing to search, which front ends say instead of "no results".
    empty_index: bool = False
    #: Matching documents, every copy counted (None: the same as ``total``).
    documents: int | None = None
    #: Shards of a cluster that did not answer (``allow_partial``): the hits and counts
    #: are those of the other shards.
    missing_shards: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.documents is None:
            self.documents = self.total

    def to_json(self) -> dict:
        data = {
            "query": self.query,
            "total": self.total,
            "documents": self.documents,
            "hits": [h.to_json() for h in self.hits],
            "expansions": self.expansions,
            "suggestions": self.suggestions,
            "rewrites": self.rewrites,
        }
        if self.facets is not None:
            data["facets"] = self.facets.to_json()
        if self.missing_shards:
            data["missing_shards"] = self.missing_shards
        return data


@dataclass
class Document:
    """A whole stored document, as ``search show`` prints it."""

    id: str
    title: str
    body: str
    source: str | None = None
    date: dt.date | None = None
    path: str | None = None
    url: str | None = None
    #: Every file that holds this article (the same body saved twice is one document).
    paths: list[str] = field(default_factory=list)
    #: Which rule produced each field: ``{"title": "headline after page furniture", …}``.
    provenance: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict:
        data = asdict(self)
        data["date"] = _iso(self.date)
        return data


@dataclass
class Stats:
    """What an index holds."""

    location: str
    documents: int
    sources: dict[str, int]
    first_date: dt.date | None
    last_date: dt.date | None
    size_bytes: int
    #: Shards the index is split into (1: an unsharded index; :mod:`index.build.shards`).
    shards: int = 1

    def to_json(self) -> dict:
        data = asdict(self)
        data["first_date"] = _iso(self.first_date)
        data["last_date"] = _iso(self.last_date)
        return data
