"""What a results page shows, computed from library objects (no HTML here).

Kept apart from the routes so the templates stay dumb: links that keep the other
filters, the pages around the current one, timeline bars scaled to the busiest month,
and whatever "did you mean" / alias expansion the Results carry.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from urllib.parse import urlencode

from search import Facets, Results

#: Hits per page in the browser and in /api/search.
PAGE_SIZE = 10
#: The deepest page served: deeper pages cost more and nobody reads them.
MAX_PAGE = 500


@dataclass
class Request:
    """The search the user asked for, as it appears in the URL."""

    q: str = ""
    source: str = ""
    since: str = ""
    until: str = ""
    sort: str = "relevance"
    page: int = 1
    #: "all" lists every syndicated copy as its own hit (``--no-collapse``); empty: one per story.
    copies: str = ""

    def url(self, path: str = "/", **changes: object) -> str:
        """This search with ``changes``; any filter change goes back to page 1."""
        params = {**self.__dict__, "page": 1, **changes}
        kept = {k: v for k, v in params.items() if v and not (k == "sort" and v == "relevance") and not (k == "page" and v == 1)}
        return path + ("?" + urlencode(kept) if kept else "")


@dataclass
class Facet:
    label: str
    count: int
    url: str
    active: bool = False


@dataclass
class Bar:
    month: str
    count: int
    height: int  # percent of the busiest month
    url: str
    active: bool = False


@dataclass
class Page:
    """Everything the results template needs."""

    request: Request
    results: Results
    pages: int
    page_links: list[tuple[int, str]] = field(default_factory=list)
    sources: list[Facet] = field(default_factory=list)
    timeline: list[Bar] = field(default_factory=list)
    suggestions: list[tuple[str, str]] = field(default_factory=list)
    expansions: list[str] = field(default_factory=list)

    @property
    def first_rank(self) -> int:
        return (self.request.page - 1) * PAGE_SIZE + 1


def texts(value: object) -> list[str]:
    """Display strings for the suggestions/expansions a Results may carry (issue 4).

    Accepts the shapes that make sense: a string, ``{"text": typed, "synonyms": [...]}``,
    a mapping of typed word to alternatives, or a list of any of these.
    """
    if not value:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        if "text" in value:
            others = texts(value.get("synonyms") or value.get("alternatives"))
            return [f"{value['text']} ← {'، '.join(others)}" if others else str(value["text"])]
        return [f"{key} ← {'، '.join(texts(alts))}" for key, alts in value.items()]
    out: list[str] = []
    for item in value:
        out.extend(texts(item))
    return out


def build(request: Request, results: Results) -> Page:
    pages = min(MAX_PAGE, max(1, math.ceil(results.total / PAGE_SIZE)))
    window = range(max(1, request.page - 3), min(pages, request.page + 3) + 1)
    page = Page(
        request=request,
        results=results,
        pages=pages,
        page_links=[(n, request.url(page=n)) for n in window],
        suggestions=[(s, request.url(q=s)) for s in texts(getattr(results, "suggestions", None))],
        expansions=texts(getattr(results, "expansions", None))
        + [f"{r['typed']} ← {r['searched']}" for r in getattr(results, "rewrites", [])],
    )
    if results.facets is not None:
        page.sources = _sources(request, results.facets)
        page.timeline = _timeline(request, results.facets)
    return page


def _sources(request: Request, facets: Facets) -> list[Facet]:
    listed = [
        Facet(name, n, request.url(source="" if name == request.source else name), active=name == request.source)
        for name, n in facets.sources.items()
    ]
    if request.source and request.source not in facets.sources:
        listed.insert(0, Facet(request.source, 0, request.url(source=""), active=True))
    return listed


def _timeline(request: Request, facets: Facets) -> list[Bar]:
    months = facets.timeline()
    top = max((n for _, n in months), default=0) or 1
    bars = []
    for month, n in months:
        since, until = (d.isoformat() for d in Facets.month_range(month))
        active = request.since == since and request.until == until
        url = request.url(since="", until="") if active else request.url(since=since, until=until)
        bars.append(Bar(month, n, max(2, round(100 * n / top)) if n else 0, url, active))
    return bars
