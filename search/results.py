"""Typed results handed to library users, the CLI and JSON output."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field

from search.present.facets import Facets


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


@dataclass
class Token:
    """One analyzed token: the indexed ``text`` and where it stands in the original."""

    text: str
    start: int
    end: int


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

    def to_json(self) -> dict:
        data = asdict(self)
        data["date"] = _iso(self.date)
        data["score"] = round(self.score, 4)
        return data


@dataclass
class Results:
    """A page of hits; ``total`` counts every matching document, not only this page."""

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

    def to_json(self) -> dict:
        data = {
            "query": self.query,
            "total": self.total,
            "hits": [h.to_json() for h in self.hits],
            "expansions": self.expansions,
            "suggestions": self.suggestions,
            "rewrites": self.rewrites,
        }
        if self.facets is not None:
            data["facets"] = self.facets.to_json()
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

    def to_json(self) -> dict:
        data = asdict(self)
        data["first_date"] = _iso(self.first_date)
        data["last_date"] = _iso(self.last_date)
        return data
