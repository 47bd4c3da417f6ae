"""One shard held open on a Dask worker (an actor), answering the coordinator's rounds.

A shard is a complete index folder (:class:`~index.build.store.Store`) that every worker
can read. The actor keeps its Whoosh searcher open between queries, reopened when the
shard changes, and answers:

* :meth:`ShardSearcher.state`: its version, document counts and field lengths;
* :meth:`ShardSearcher.frequencies` / :meth:`ShardSearcher.words`: term statistics, summed
  by the coordinator into the whole index's (:mod:`search.cluster.statistics`);
* :meth:`ShardSearcher.rank`: the query matched and scored with those figures; per
  ranking tier its best documents with what the reranks read of each (proximity bonus,
  headline word order), its story keys and facets;
* :meth:`ShardSearcher.present`: hits with snippets for its documents on the page, and
  its copies of the page's stories.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from index.build.store import Store
from search.cluster.statistics import CollectionSearcher, Figures, Key, MissingFigures
from search.present import facets as facet_counts
from search.present.hits import hits
from search.present.stories import story_keys
from search.query.build import Filters
from search.query.kind import keyword_rules
from search.query.parse import ParsedQuery
from search.rank import proximity, title_order
from search.rank import scorer as array_scorer
from search.rank.scoring import match, weighting
from search.rank.selection import top
from search.rank.tiers import newest, rerank_depth, tiers
from search.results import Copy, Facets, Hit, as_date
from search.settings import RankingSettings


@dataclass(frozen=True)
class ShardState:
    """What the coordinator sums: ``token`` changes whenever the shard does."""

    token: tuple | None
    documents: int
    live: int
    lengths: dict[str, int]


@dataclass(frozen=True)
class ShardRequest:
    """One query for one shard: what to rank and the whole index's figures."""

    parsed: ParsedQuery
    filters: Filters
    sort: str
    #: How many documents of the whole ranking the coordinator needs.
    limit: int
    figures: Figures
    facets: bool = False
    stories: bool = False


@dataclass
class ShardRanking:
    """A shard's part of one ranking. ``tiers``: per tier, ``(docnum, score)`` of its best
    (the depth the reranks see, ties included); sorted by date, one list of
    ``(docnum, score, dated, date)``."""

    total: int
    tiers: list[list[tuple]]
    bonuses: dict[int, float] = field(default_factory=dict)
    ordered: dict[int, int] = field(default_factory=dict)
    #: Story key of every document listed (0: a document with no copies known).
    story: dict[int, int] = field(default_factory=dict)
    #: The distinct story keys among every match, and how many matches have none.
    story_keys: np.ndarray | None = None
    keyless: int = 0
    facets: Facets | None = None


class ShardSearcher:
    """The actor of one shard (see the module's docstring). Plain Python: the tests and
    a single process use it without Dask."""

    def __init__(self, folder: str, settings: RankingSettings):
        self.store = Store(folder)
        self.settings = settings
        self._searcher = None
        self._generation = None
        self._collection: CollectionSearcher | None = None
        self._keys: np.ndarray | None = None
        self._open()  # a damaged shard fails here, where the coordinator names it

    def _open(self):
        """The shard's plain searcher, reopened when another process changed the shard."""
        generation = self.store.live_generation()
        if generation is None:
            return None
        if self._searcher is None or generation != self._generation or not self._searcher.up_to_date():
            self.close()
            self._searcher = self.store.open_searcher(weighting=weighting(self.settings.scoring))
            self._generation = generation
        return self._searcher

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
        self._searcher = self._generation = self._collection = self._keys = None

    def state(self) -> ShardState:
        searcher = self._open()
        if searcher is None:  # a shard not written yet holds no documents (index.build.shards)
            return ShardState(None, 0, 0, {})
        reader = searcher.reader()
        lengths = {name: reader.field_length(name) for name in searcher.schema.names() if searcher.schema[name].scorable}
        token = (self._generation.name, reader.generation())
        return ShardState(token, reader.doc_count_all(), reader.doc_count(), lengths)

    def frequencies(self, keys: list[Key]) -> list[tuple[int, int]]:
        """Per (field, term bytes): its document frequency and occurrences in this shard."""
        searcher = self._open()
        if searcher is None:
            return [(0, 0)] * len(keys)
        reader = searcher.reader()
        return [(reader.doc_frequency(f, t), reader.frequency(f, t)) for f, t in keys]

    def words(self, fieldname: str) -> dict[bytes, tuple[int, int]]:
        """Every word of ``fieldname`` in this shard with its two frequencies."""
        searcher = self._open()
        if searcher is None:
            return {}
        reader = searcher.reader()
        return {t: (reader.doc_frequency(fieldname, t), reader.frequency(fieldname, t)) for t in reader.lexicon(fieldname)}

    def _scored_by(self, figures: Figures) -> CollectionSearcher | None:
        """A searcher of this shard answering ``figures``; kept while their version holds,
        so the array scorer's caches (:func:`~search.rank.scorer.for_searcher`) live on."""
        plain = self._open()
        if plain is None:
            return None
        held = self._collection
        if held is None or held.figures.version != figures.version or held.ixreader is not plain.reader():
            self._collection = CollectionSearcher(plain.reader(), figures, weighting=plain.weighting, closereader=False)
        else:
            held.figures.frequencies.update(figures.frequencies)
        return self._collection

    def rank(self, request: ShardRequest) -> ShardRanking | MissingFigures:
        """This shard's part of the ranking, or the terms whose figures it lacks."""
        searcher = self._scored_by(request.figures)
        if searcher is None:
            return ShardRanking(0, [[], []])
        try:
            return self._rank(searcher, request)
        except MissingFigures as missing:
            return missing

    def _rank(self, searcher: CollectionSearcher, request: ShardRequest) -> ShardRanking:
        settings, parsed = self.settings, request.parsed
        found = match(searcher, parsed, request.filters, settings)
        keys = self._story_keys(searcher)
        if request.sort == "date":
            dates, dated = array_scorer.for_searcher(searcher).dates("date")
            chosen = newest(searcher, found, request.limit)
            listed = [[(int(d), float(found.scores[d]), bool(dated[d]), int(dates[d])) for d in chosen]]
            ranking = ShardRanking(found.total, listed)
        else:
            ranking = ShardRanking(found.total, [])
            for tier in tiers(parsed, found, settings):
                chosen = top(found.scores, tier, rerank_depth(parsed, request.limit, settings), ties=True)
                ranking.tiers.append([(int(d), float(found.scores[d])) for d in chosen])
                self._features(searcher, parsed, [int(d) for d in chosen], ranking)
        ranking.story = {d: int(keys[d]) for tier in ranking.tiers for d, *_ in tier}
        if request.stories:
            matched = keys[found.docs]
            ranking.story_keys = np.unique(matched[matched != 0])
            ranking.keyless = int(np.count_nonzero(matched == 0))
        if request.facets:
            ranking.facets = facet_counts.count(searcher, found.docs)
        return ranking

    def _features(self, searcher, parsed: ParsedQuery, docnums: list[int], into: ShardRanking) -> None:
        """What the reranks read of each listed document, computed here where its positions are."""
        if not docnums:
            return
        if proximity.applies(parsed, self.settings):
            into.bonuses.update(proximity.bonuses(searcher, parsed, docnums, self.settings))
        if keyword_rules(parsed, self.settings.keywords) and title_order.applies(parsed, self.settings):
            into.ordered.update(title_order.ordered_pairs(searcher, parsed, docnums, self.settings))

    def _story_keys(self, searcher) -> np.ndarray:
        """Per document number its story key (0: none), read once per open shard."""
        if self._keys is None:
            self._keys = story_keys(searcher.reader()).astype(np.int64)
        return self._keys

    def present(self, page: list[tuple[int, float]], terms: set[str] | None,
                stories: list[int]) -> tuple[list[Hit], dict[int, list[tuple[int, Copy]]]]:
        """Hits of this shard's documents on the page, and its live documents of each story key."""
        searcher = self._open()
        if searcher is None:
            return [], {}
        found = hits(searcher, page, terms, self.settings.snippets)
        keys, reader = self._story_keys(searcher), searcher.reader()
        members: dict[int, list[tuple[int, Copy]]] = {}
        for key in stories:
            for docnum in np.flatnonzero(keys == key):
                if reader.is_deleted(int(docnum)):
                    continue
                stored = searcher.stored_fields(int(docnum))
                copy = Copy(id=stored["id"], title=stored.get("title", ""), source=stored.get("source"),
                            date=as_date(stored.get("date")))
                members.setdefault(key, []).append((int(docnum), copy))
        return found, members
