"""Answering a query over the shards' actors, ranked exactly as one index ranks it.

The stages of :func:`search.pipeline.run_query`, with the work split by where the data is:

1. parse (here);
2. state: every shard's version, document counts and field lengths, summed
   (:class:`~search.cluster.statistics.Figures`);
3. rewrite and "did you mean" (here), on whole-index term statistics fetched from the
   shards in rounds (:func:`~search.cluster.statistics.resolve`);
4. rank: each shard matches and scores with the whole index's figures and returns, per
   tier, its best with the reranks' features; the coordinator merges them and reranks
   (:mod:`search.cluster.merge`), collapsing copies of a story across shards;
5. present: the owners make the page's hits and snippets, every shard lists its copies
   of the page's stories.
"""

from __future__ import annotations

from index.schema import build_schema
from search.cluster import merge
from search.cluster.actors import ShardSet
from search.cluster.shard import ShardRequest
from search.cluster.statistics import Collection, Figures, Key, MissingFigures, resolve
from search.pipeline import Request, nothing_indexed, require_words, rewrite
from search.query import build
from search.query.accusative import with_accusatives
from search.query.parse import ParsedQuery, parse
from search.query.phrases import as_words
from search.query.suggestions import suggest
from search.query.synonyms import Synonyms
from search.results import Facets, Results
from search.settings import RankingSettings

#: Rounds of "a shard lacked a term's figures" before giving up (one is the rule).
RANK_ROUNDS = 5


class Coordinator:
    """Queries of one sharded index over a :class:`~search.cluster.actors.ShardSet`."""

    def __init__(self, shards: ShardSet, settings: RankingSettings, synonyms: Synonyms):
        self.shards = shards
        self.settings = settings
        self.synonyms = synonyms
        self.schema = build_schema()
        self._collection: Collection | None = None

    # -- statistics ------------------------------------------------------------

    def collection(self) -> Collection:
        """The whole index's figures now; kept while no shard changes."""
        states = self.shards.call("state", {k: () for k in self.shards.live()})
        version = tuple((k, states[k].token) for k in sorted(states))
        if self._collection is None or self._collection.figures.version != version:
            lengths: dict[str, int] = {}
            for state in states.values():
                for name, length in state.lengths.items():
                    lengths[name] = lengths.get(name, 0) + length
            figures = Figures(version, sum(s.documents for s in states.values()), lengths)
            self._collection = Collection(figures, self.schema, sum(s.live for s in states.values()))
        return self._collection

    def _fetch(self, collection: Collection, keys: set[Key]) -> None:
        keys = sorted(k for k in keys if not collection.known(k))
        if not keys:
            return
        counts = self.shards.call("frequencies", {k: (keys,) for k in self.shards.live()})
        for n, key in enumerate(keys):
            collection.learn(key, sum(c[n][0] for c in counts.values()), sum(c[n][1] for c in counts.values()))

    def _fetch_words(self, collection: Collection, fieldname: str) -> None:
        total: dict[bytes, tuple[int, int]] = {}
        for words in self.shards.call("words", {k: (fieldname,) for k in self.shards.live()}).values():
            for term, (documents, occurrences) in words.items():
                before = total.get(term, (0, 0))
                total[term] = (before[0] + documents, before[1] + occurrences)
        collection.learn_words(fieldname, total)

    def _resolve(self, collection: Collection, stage):
        return resolve(collection, stage, lambda keys: self._fetch(collection, keys),
                       lambda name: self._fetch_words(collection, name))

    def _terms(self, parsed: ParsedQuery) -> set[Key]:
        """The terms a shard will ask the figures of: every term of the query's clauses,
        and each word's stems in every searched field (word weights, proximity)."""
        plan = build.plan(parsed, self.settings)
        clauses = [*plan.words, *plan.fallbacks, *plan.phrases, *(n for n in plan.near if n is not None)]
        found: set[Key] = set()
        for clause in clauses:
            for name, text in clause.iter_all_terms(phrases=True):
                if name in self.schema and self.schema[name].scorable:
                    found.add((name, self.schema[name].to_bytes(text)))
        for concept in parsed.concepts:
            for word in (*concept.stems, *concept.forms, *concept.bare_stems, *concept.bare_forms):
                for name in self.schema.names():
                    if self.schema[name].scorable:
                        found.add((name, self.schema[name].to_bytes(word)))
        return found

    # -- the query ---------------------------------------------------------------

    def run(self, request: Request) -> Results:
        """:func:`search.pipeline.run_query` over the shards."""
        settings = self.settings
        parsed = parse(request.text, self.synonyms, settings.parse)
        require_words(parsed)
        self.shards.start_query()
        collection = self.collection()
        if not collection.live and not self.shards.missing:
            return self._marked(nothing_indexed(request))
        if not collection.live:  # every shard that holds documents is missing
            return self._marked(Results(query=request.text, total=0, facets=Facets() if request.facets else None))
        # The query's own terms (its words' accusatives with them) first, in one round:
        # most rewrites ask for nothing else.
        self._fetch(collection, self._terms(with_accusatives(parsed, settings.words)))
        searched, rewrites = self._resolve(collection, lambda reader: rewrite(reader, parsed, settings))
        wanted = request.offset + request.limit
        first = max(settings.proximity.depth, wanted) if request.collapse else wanted
        parts = self._rank(collection, searched, request, first)
        if not sum(p.total for p in parts.values()) and searched.phrases:
            as_typed, unquoted = as_words(request.text, self.synonyms, settings.parse)
            relaxed, split = self._resolve(collection, lambda reader: rewrite(reader, as_typed, settings))
            if not relaxed.is_empty():
                tried = self._rank(collection, relaxed, request, first)
                if sum(p.total for p in tried.values()):
                    searched, rewrites, parts = relaxed, unquoted + split, tried
        depth = first
        ranked = self._order(searched, request, parts, depth)
        if request.collapse:
            while True:
                grouped = merge.collapse(parts, ranked)
                if len(grouped) >= wanted or len(ranked) < depth:
                    ranked = grouped[:wanted]
                    break
                depth *= 2
                parts = self._rank(collection, searched, request, depth)
                ranked = self._order(searched, request, parts, depth)
        page = ranked[request.offset :]
        results = Results(
            query=request.text,
            total=sum(p.total for p in parts.values()),
            hits=self._present(parts, page, None if request.brief else searched.positive_terms, request.collapse),
            facets=merge.facets(parts) if request.facets else None,
            expansions=searched.expansions,
            suggestions=[] if request.brief else self._resolve(
                collection, lambda reader: suggest(reader, searched, settings.suggestions)),
            rewrites=rewrites,
        )
        if request.collapse:
            results.total = merge.story_count(parts)
        return self._marked(results)

    def _marked(self, results: Results) -> Results:
        results.missing_shards = sorted(self.shards.missing)
        return results

    def _order(self, parsed: ParsedQuery, request: Request, parts: dict, limit: int) -> list:
        if request.sort == "date":
            return merge.by_date(parts, limit)
        return merge.by_relevance(parsed, parts, limit, self.settings)

    def _rank(self, collection: Collection, parsed: ParsedQuery, request: Request, limit: int) -> dict:
        """Every shard's part of the ranking of ``parsed`` (its first ``limit`` documents)."""
        needed = self._terms(parsed)
        for _ in range(RANK_ROUNDS):
            self._fetch(collection, needed)
            figures = collection.figures
            sent = Figures(figures.version, figures.documents, figures.lengths,
                           {k: figures.frequencies.get(k, 0) for k in needed})
            shard_request = ShardRequest(parsed, request.filters(), request.sort, limit, sent,
                                         facets=request.facets, stories=request.collapse)
            parts = self.shards.call("rank", {k: (shard_request,) for k in self.shards.live()})
            lacking = set().union(*(p.keys for p in parts.values() if isinstance(p, MissingFigures)))
            if not lacking:
                return parts
            needed |= lacking
        raise RuntimeError(f"shards still lacked term statistics after {RANK_ROUNDS} rounds")

    def _present(self, parts: dict, page: list, terms: set[str] | None, collapse: bool) -> list:
        """The page's hits, made by their shards, with their stories' copies from every shard."""
        if not page:
            return []
        keys = [parts[s].story.get(d, 0) for (s, d), _ in page] if collapse else [0] * len(page)
        stories = sorted({k for k in keys if k})
        asked = {k: ([(d, score) for (s, d), score in page if s == k], terms, stories)
                 for k in self.shards.live() if stories or any(s == k for (s, _), _ in page)}
        answers = self.shards.call("present", asked)
        made = {}
        members: dict[int, list] = {}
        for k, (hits, copies) in answers.items():
            mine = [doc for doc, _ in page if doc[0] == k]
            made.update(zip(mine, hits))
            for key, listed in copies.items():
                members.setdefault(key, []).extend(((k, d), copy) for d, copy in listed)
        docs = [doc for doc, _ in page if doc in made]
        hits = [made[doc] for doc in docs]
        if collapse:
            merge.with_copies(docs, hits, [keys[n] for n, (doc, _) in enumerate(page) if doc in made], members)
        return hits


__all__ = ["Coordinator"]
