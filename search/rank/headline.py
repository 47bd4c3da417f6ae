"""Headline factors of a keyword query: how much of the query its title holds, and as typed.

A reader looking for a story types words of its headline. BM25F adds a title match to
a body match; it does not see that one headline holds every word typed while another
holds one of them and a body repeats the rest. So, for a keyword query
(:mod:`search.query.kind`), each matching document's score is multiplied by

* ``1 + coverage · c``: c is the share of the query's words (concepts) its title holds,
  in any form the word's clause meets (stem, proclitic variant, bare form, exact form,
  synonym; a name of several words as a phrase). Every word counts 1, whatever its
  rarity: a headline with the common word typed is as much the one remembered;
* ``1 + as_typed · e``: e is the mean over the words of 1 when the title holds the
  form typed, ``bare_as_typed`` when it holds the word's bare form only
  (:mod:`search.query.bare`), else 0 (a name of several words: 1 when the title holds
  it). Typed forms are what the reader saw; a respelled word is met by its bare form;
* ``1 + title_share · s``: s is the share of the title's indexed words (stop words
  dropped) that are query words it holds. Two outlets' headlines of one story often
  both hold every word typed; words remembered from a headline of six words pick it
  out better than from one of twelve (the likelihood of drawing them from it), so
  the short headline, mostly the words typed, goes first.

Questions are not touched: a passage's title there is an article's name.
"""

from __future__ import annotations

import numpy as np
from whoosh import query as q
from index.schema import EXACT_FIELDS
from search.query import build
from search.query.parse import ParsedQuery
from search.rank.scorer import ArrayScorer
from search.settings import RankingSettings

TITLE_FORMS = EXACT_FIELDS["title"]
#: The field whose stored length is a title's length: its words once stop words are dropped.
TITLE_LENGTH = "title"


def _docs(scorer: ArrayScorer, query: q.Query, among: np.ndarray | None = None) -> np.ndarray:
    """The documents ``query`` matches, ascending, as :meth:`ArrayScorer.evaluate`'s mask
    has them: a term's documents, the union of an Or's or a DisjunctionMax's parts, and
    anything else (phrases, ...) evaluated. Why: evaluating would make a score vector of
    the collection's size per clause, where a title clause matches a few documents."""
    parts = _parts(scorer, query)
    if among is not None:  # only these documents' factors are asked for
        parts = [part[_within(part, among)] for part in parts]
    if len(parts) == 1:
        return parts[0]
    return np.unique(np.concatenate(parts)) if parts else np.empty(0, dtype=np.int64)


def _parts(scorer: ArrayScorer, query: q.Query) -> list[np.ndarray]:
    """The ascending document arrays whose union :func:`_docs` is (one union at the end,
    not one per level of the query tree)."""
    if isinstance(query, q.Term):
        return [scorer.term_postings(query.fieldname, query.text)[0]]
    if (isinstance(query, q.Or) and not query.scale and not getattr(query, "minmatch", 0)) \
            or isinstance(query, q.DisjunctionMax):
        return [docs for sub in query.subqueries for docs in _parts(scorer, sub)]
    return [scorer.evaluate(query).docs()]


def _title_queries(parsed: ParsedQuery, settings: RankingSettings) -> list[tuple[q.Query, tuple[q.Query, q.Query] | None]]:
    """Per query word, what :func:`factors` looks for in titles: the word's title clause,
    and for a word typed as one form, its forms as written and bare (None otherwise).
    :func:`listed` asks the same queries, so a document it leaves out has factor 1."""
    title = build.weights(parsed, settings).title_only()

    def as_written(forms: tuple[str, ...]) -> q.Query:
        return q.Or([q.Term(TITLE_FORMS, form) for form in forms])

    return [(build.concept_query(c, title, settings),
             (as_written(c.forms), as_written(c.bare_forms)) if len(c.forms) == 1 else None)
            for c in parsed.concepts]


def _within(among: np.ndarray, docs: np.ndarray) -> np.ndarray:
    """Which of ``among`` (ascending) are in ``docs`` (ascending), as a mask over ``among``."""
    at = np.searchsorted(docs, among)
    inside = at < len(docs)
    inside[inside] = docs[at[inside]] == among[inside]
    return inside


def listed(scorer: ArrayScorer, parsed: ParsedQuery, settings: RankingSettings) -> np.ndarray:
    """Per document number, whether :func:`factors` lists it (its title holds a form of a
    query word); every other document's factor is 1."""
    mask = np.zeros(scorer.size, dtype=bool)
    for clause, pair in _title_queries(parsed, settings):
        for query in (clause, *(pair or ())):
            for docs in _parts(scorer, query):
                mask[docs] = True
    return mask


def factors(scorer: ArrayScorer, parsed: ParsedQuery, settings: RankingSettings,
            among: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(documents whose title holds a form of a query word, ascending; the product of the
    two factors for each); every other document's factor is 1. ``among`` (ascending):
    only those documents are asked for (a tier scored alone, :mod:`search.rank.subset`).

    Rule: the factors are computed with the same operations, in the same order, as over
    every document, so a score multiplied by them is the same to the last bit; only the
    documents whose title has nothing (factor exactly 1) are not visited.
    """
    keywords = settings.keywords
    queries = _title_queries(parsed, settings)
    titled = [_docs(scorer, clause, among) for clause, _ in queries]
    forms = [None if pair is None else (_docs(scorer, pair[0], among), _docs(scorer, pair[1], among))
             for _, pair in queries]
    every = titled + [docs for pair in forms if pair is not None for docs in pair]
    docs = np.unique(np.concatenate(every)) if every else np.empty(0, dtype=np.int64)
    covered = np.zeros(len(docs))
    typed = np.zeros(len(docs))
    for in_title, pair in zip(titled, forms):
        in_title = _within(docs, in_title)
        covered += in_title
        if pair is None:
            typed += in_title
        else:
            bare = keywords.bare_as_typed * _within(docs, pair[1])
            typed += np.where(_within(docs, pair[0]), 1.0, bare)
    words = len(parsed.concepts)
    product = (1 + keywords.coverage * covered / words) * (1 + keywords.as_typed * typed / words)
    if keywords.title_share:
        product *= 1 + keywords.title_share * title_share(covered, scorer.lengths_of(TITLE_LENGTH, docs))
    return docs, product


def title_share(covered: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Per document, the share of its title's indexed words that are query words: the
    words its title holds over the title's length, at most 1 (a name of several words
    counts once but is several words long), 0 where the title holds none."""
    length = np.maximum(lengths, covered)
    return np.divide(covered, length, out=np.zeros(len(covered)), where=length > 0)
