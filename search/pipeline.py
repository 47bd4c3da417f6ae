"""The query pipeline, one stage per folder: parse → rewrite → match and score →
rerank → present.

* parse (:mod:`search.query.parse`): the syntax, analyzed as the index was; question
  frames dropped, synonyms attached; a question told from keywords (``kind``);
* rewrite (:mod:`search.query`): words typed without a space split (``joined``), near
  words for words no document has (``fuzzy``), keyword query words without their
  proclitic (``bare``); quoted phrases that leave nothing are searched as words (``phrases``);
* match and score (:mod:`search.rank.scoring`, with the queries of
  :mod:`search.query.build`): every matching document and its BM25F score (ranked by
  relevance, a query with tiers scores only the tier asked for: :mod:`search.rank.subset`,
  and of a keyword query's large tier only what can reach its top: :mod:`search.rank.ceiling`);
* match and score, keyword queries (:mod:`search.rank.headline`): scores multiplied by
  how much of the query the title holds, and as typed;
* rerank (:mod:`search.rank.tiers`, :mod:`search.rank.proximity`,
  :mod:`search.rank.title_order`): every-word matches first, the best of each tier
  reordered by proximity and (keyword queries) headline word order, or by date;
* present (:mod:`search.present`): syndicated copies grouped into stories
  (:mod:`search.present.stories`), hits with snippets, facets, "did you mean".

Every stage reads its knobs from one :class:`~search.settings.RankingSettings`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass

from index.errors import QueryError
from search.present import facets, stories
from search.present.hits import hits
from search.query.accusative import with_accusatives
from search.query.bare import with_bare_forms
from search.query.build import Filters
from search.query.fuzzy import with_near_words
from search.query.joined import split_words
from search.query.parse import ParsedQuery, parse
from search.query.phrases import as_words
from search.query.suggestions import suggest
from search.query.synonyms import Synonyms
from search.rank.scoring import Found, match
from search.rank.tiers import order
from search.results import Facets, Results
from search.settings import RankingSettings


@dataclass(frozen=True)
class Request:
    """One query and its options, as :class:`~search.engine.SearchIndex` checked them."""

    text: str
    limit: int = 10
    offset: int = 0
    source: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    sort: str = "relevance"
    facets: bool = False
    #: Ids and scores only (``search eval``): no snippets, no "did you mean".
    brief: bool = False
    #: Show each story once, its other copies listed under the best-ranked one.
    collapse: bool = True

    def filters(self) -> Filters:
        return Filters(source=self.source, since=self.since, until=self.until)


def run_query(request: Request, settings: RankingSettings, synonyms: Synonyms,
              open_searcher: Callable[[], AbstractContextManager]) -> Results:
    """Answer ``request``. The text is parsed before the index is opened, so a query
    with nothing to search for says so whatever the state of the index."""
    parsed = parse(request.text, synonyms, settings.parse)
    require_words(parsed)
    with open_searcher() as searcher:
        if not searcher.doc_count():
            return nothing_indexed(request)
        searched, rewrites = rewrite(searcher.reader(), parsed, settings)
        found = match(searcher, searched, request.filters(), settings, by_tier=request.sort == "relevance")
        if not found.total and searched.phrases:
            unquoted = _phrases_as_words(searcher, request, settings, synonyms)
            searched, rewrites, found = unquoted or (searched, rewrites, found)
        if not request.collapse:
            ranked = order(searcher, searched, found, request.offset + request.limit, request.sort, settings)
            return present(searcher, request, searched, rewrites, found, ranked[request.offset :], settings)
        codes = stories.codes(searcher)
        ranked = stories.collapse(
            codes, lambda depth: order(searcher, searched, found, depth, request.sort, settings),
            request.offset + request.limit,
            # The rerank reorders this many anyway: ranking as deep costs nothing more,
            # and leaves room for the copies without ranking twice.
            depth=settings.proximity.depth,
        )
        results = present(searcher, request, searched, rewrites, found, ranked[request.offset :], settings)
        results.total = stories.count(codes, found.matching)
        stories.with_copies(searcher, codes, ranked[request.offset :], results.hits)
        return results


def nothing_indexed(request: Request) -> Results:
    """The answer of an index without documents (none added yet, or every file removed):
    no hits, and no later stage run: BM25's idf takes the log of the number of documents,
    and the facets read segments that an index never given a document does not have."""
    return Results(query=request.text, total=0, facets=Facets() if request.facets else None, empty_index=True)


def require_words(parsed: ParsedQuery) -> None:
    if parsed.is_empty() and parsed.excluded:
        raise QueryError("the query only excludes (-word): add a word to look for")
    if parsed.is_empty():
        raise QueryError(
            "nothing to search for: the query has only common words (stop words) "
            "or punctuation; add a more specific word"
        )


def rewrite(reader, parsed: ParsedQuery, settings: RankingSettings) -> tuple[ParsedQuery, list[dict]]:
    """``parsed`` with the typed words' accusatives, joined words split, near words and
    (keyword queries) bare forms attached, and the rewrites to report (``[{"typed",
    "searched"}]``). Accusatives first, of the words as typed: the halves of a split word
    are searched as split."""
    parsed = with_accusatives(parsed, settings.words)
    parsed, rewrites = split_words(reader, parsed, settings.joined)
    parsed = with_near_words(reader, parsed, settings.near_words)
    return with_bare_forms(reader, parsed, settings), rewrites


def _phrases_as_words(searcher, request: Request, settings: RankingSettings,
                      synonyms: Synonyms) -> tuple[ParsedQuery, list[dict], Found] | None:
    """The query with its quoted phrases searched as words, if that finds something."""
    relaxed, unquoted = as_words(request.text, synonyms, settings.parse)
    relaxed, split = rewrite(searcher.reader(), relaxed, settings)
    if relaxed.is_empty():
        return None
    found = match(searcher, relaxed, request.filters(), settings, by_tier=request.sort == "relevance")
    return (relaxed, unquoted + split, found) if found.total else None


def present(searcher, request: Request, searched: ParsedQuery, rewrites: list[dict], found: Found,
            ranked: list[tuple[int, float]], settings: RankingSettings) -> Results:
    """The page of ``ranked`` hits, the facets of everything ``found``, what was searched."""
    terms = None if request.brief else searched.positive_terms
    return Results(
        query=request.text,
        total=found.total,
        hits=hits(searcher, ranked, terms, settings.snippets),
        facets=facets.count(searcher, found.docs) if request.facets else None,
        expansions=searched.expansions,
        suggestions=[] if request.brief else suggest(searcher, searched, settings.suggestions),
        rewrites=rewrites,
    )
