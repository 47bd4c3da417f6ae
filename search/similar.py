"""Stories like a given one (``search similar ID``, :meth:`SearchIndex.similar`).

A reader who found one story wants the others about the same thing: earlier and later
reports, other angles, not the same article again. The document's key terms are those
frequent in it and rare in the collection, weighted as Bo1 (Amati's divergence from
randomness, the weighting Terrier uses for query expansion) weighs the terms of a
feedback document; they are searched as one OR query, and the best-ranked stories
other than the document's own (itself and its syndicated copies) are the answer,
grouped into stories as a query's hits are. The answer is a :class:`~search.results.Results`
like a query's, so front ends show it, and ``--json`` prints it, the same way.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from whoosh.query import Or, Term

from search.present import stories
from search.present.hits import hits
from search.rank import scorer as array_scorer
from search.rank.selection import top
from search.results import Results
from search.settings import SnippetSettings


@dataclass(frozen=True)
class SimilarSettings:
    """How a document becomes the query that finds its neighbours."""

    #: Key terms searched: enough to say what a story is about, few enough that one
    #: shared common word does not decide.
    terms: int = 20
    #: Weight of the title's terms, counted again on top of the body's: a headline
    #: says what the story is about in few words.
    title_weight: float = 2.0
    #: Terms in fewer documents than this are left out: a misspelling or a name found
    #: only in this story and its copies finds nothing else.
    min_documents: int = 2


def key_terms(searcher, title: str, body: str, settings: SimilarSettings) -> dict[str, float]:
    """The ``settings.terms`` best terms of a document by Bo1 weight, as the ``body`` field
    indexes them: ``w = tf·log2((1 + λ)/λ) + log2(1 + λ)``, λ the term's mean frequency
    per document in the collection."""
    analyzer = searcher.schema["body"]
    counts = Counter(analyzer.process_text(body, mode="index"))
    for term in analyzer.process_text(title, mode="index"):
        counts[term] += settings.title_weight
    reader = searcher.reader()
    documents = max(1, searcher.doc_count_all())
    weights = {}
    for term, tf in counts.items():
        if reader.doc_frequency("body", term) < settings.min_documents:
            continue
        mean = reader.frequency("body", term) / documents
        weights[term] = tf * math.log2((1 + mean) / mean) + math.log2(1 + mean)
    best = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[: settings.terms]
    return dict(best)


def similar(searcher, docnum: int, limit: int, settings: SimilarSettings, snippets: SnippetSettings) -> Results:
    """The ``limit`` stories most like document ``docnum``'s, its own story left out.

    Scored by the array scorer (BM25F, :mod:`search.rank.scorer`) as one weighted OR:
    twenty terms of a long article match most of the collection, which Whoosh's
    matchers would walk one document at a time (a quarter of a second a document)."""
    stored = searcher.stored_fields(docnum)
    terms = key_terms(searcher, stored.get("title", ""), stored.get("body", ""), settings)
    codes = stories.codes(searcher)
    own = int(codes.codes[docnum])
    if not terms:
        return Results(query=stored["id"], total=0)
    query = Or([Term("body", t, boost=w) for t, w in terms.items()])
    scored = array_scorer.for_searcher(searcher).evaluate(query)
    others = scored.docs()
    others = others[codes.codes[others] != own]

    def rank(depth: int) -> list[tuple[int, float]]:
        return [(int(d), float(scored.scores[d])) for d in top(scored.scores, others, depth)]

    ranked = stories.collapse(codes, rank, limit)
    page = hits(searcher, ranked, set(terms), snippets)
    stories.with_copies(searcher, codes, ranked, page)
    return Results(query=stored["id"], total=stories.count(codes, others), hits=page, documents=len(others))
