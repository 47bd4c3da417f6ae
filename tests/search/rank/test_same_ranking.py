"""The query-side speed-ups of issue 16 rank exactly as exhaustive scoring did.

Why: each speed-up computes what the ranking computed before from fewer documents or
fewer operations (positions read by block skip and bisection, headline factors only
for documents whose title holds a query word, sums and unions in place). Here the
computations they replaced are kept as references, and every query is answered twice
on one multi-segment index with deletions and long posting lists (several of Whoosh's
blocks per term): once as shipped, once with the references put back. Hits, their
order and their scores must be identical, to the last bit, for keyword and question
queries, phrases, exclusions, source and date filters, date sort, tied scores, and with
and without grouping of copies.
"""

from __future__ import annotations

import datetime as dt
import random

import numpy as np
import pytest
from whoosh import query as q

from random_news import SOURCES, add_in_segments, random_record
from search import SearchIndex
from search.query import build
from search.query.build import Filters
from search.query.parse import parse
from search.rank import headline, positions, scoring
from search.rank import scorer as array_scorer

WORDS = (
    "انسحاب القوات الأمريكية من العراق وزير الخارجية السعودي يلتقي نظيره الفرنسي في الرياض "
    "مباراة الهلال والنصر بطولة وبطولة الدوري أسعار النفط ترتفع بالأسواق العالمية داعش "
    "تنظيم الدولة الإسلامية الانسحاب والانسحاب بالانسحاب المدارس التعليم الطلاب الجامعة"
).split()
QUERIES = [
    "الرياض", "وزير الخارجية", "أسعار النفط العالمية", "والانسحاب القوات", "بطولة الدوري الهلال",
    "داعش", "تنظيم الدولة", "الهلال -النصر", '"أسعار النفط" ترتفع', '"مجلس الوزراء"',
    "ما سبب انسحاب القوات الأمريكية من العراق؟", "كيف ترتفع أسعار النفط", "الطلاب الجامعة التعليم المدارس",
    "متساوية", "كلمةغائبة الرياض",
]
OPTIONS = [{}, {"sort": "date"}, {"source": "wire"}, {"since": dt.date(2015, 6, 1)}, {"collapse": False},
           {"limit": 3, "offset": 2}]




def _tied(n: int) -> dict:
    """Documents scoring the same for "متساوية": the same words, each with its own number."""
    return {"id": f"tie-{n}", "title": "خبر متساوية", "body": f"نص متساوية قصير {n}",
            "source": SOURCES[n % 3], "date": f"2015-0{1 + n % 9}-10"}


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    rng = random.Random(16)
    ix = SearchIndex(tmp_path_factory.mktemp("same") / "index", default_synonyms=True)
    records = [random_record(rng, n, WORDS) for n in range(600)] + [_tied(n) for n in range(12)]
    rng.shuffle(records)
    add_in_segments(ix, records)
    yield ix
    ix.close()


# -- the computations the speed-ups replaced ------------------------------------


def _positions_reference(searcher, fieldname, terms, docnums):
    """Every term's positions through Whoosh's public matcher API, document by document."""
    found: dict[int, list[int]] = {}
    for term in terms:
        for leaf, base in searcher.reader().leaf_readers():
            if (fieldname, term) not in leaf:
                continue
            matcher = leaf.postings(fieldname, term)
            for docnum in sorted(docnums):
                local = docnum - base
                if not 0 <= local < leaf.doc_count_all() or not matcher.is_active():
                    continue
                if matcher.id() < local:
                    matcher.skip_to(local)
                if matcher.is_active() and matcher.id() == local:
                    found.setdefault(docnum, []).extend(matcher.value_as("positions"))
    for values in found.values():
        values.sort()
    return found


def _factors_reference(scorer, parsed, settings, among=None):
    """The headline factors of every document (``among`` aside), each clause evaluated over the collection."""
    keywords = settings.keywords
    title = build.weights(parsed, settings).title_only()

    def any_form(forms):
        found = np.zeros(scorer.size, dtype=bool)
        for form in forms:
            found |= scorer.evaluate(q.Term(headline.TITLE_FORMS, form)).mask
        return found

    covered, typed = np.zeros(scorer.size), np.zeros(scorer.size)
    for concept in parsed.concepts:
        in_title = scorer.evaluate(build.concept_query(concept, title, settings)).mask
        covered += in_title
        if len(concept.forms) > 1:
            typed += in_title
        else:
            typed += np.where(any_form(concept.forms), 1.0, keywords.bare_as_typed * any_form(concept.bare_forms))
    words = len(parsed.concepts)
    dense = (1 + keywords.coverage * covered / words) * (1 + keywords.as_typed * typed / words)
    if keywords.title_share:
        reader = scorer.searcher.reader()
        lengths = np.array([reader.doc_field_length(n, headline.TITLE_LENGTH, 0) for n in range(scorer.size)], float)
        dense *= 1 + keywords.title_share * headline.title_share(covered, lengths)
    return np.arange(scorer.size), dense


def _with_references(monkeypatch) -> None:
    monkeypatch.setattr(positions, "positions", _positions_reference)
    monkeypatch.setattr(headline, "factors", _factors_reference)
    monkeypatch.setattr(scoring, "_sum", lambda vectors: np.add.reduce(vectors))
    monkeypatch.setattr(scoring, "_any_of", lambda masks: np.logical_or.reduce(masks))
    for module in ("proximity", "title_order"):  # they imported the function by name
        monkeypatch.setattr(f"search.rank.{module}.term_positions", _positions_reference)


def _answers(ix: SearchIndex) -> list:
    out = []
    for text in QUERIES:
        for options in OPTIONS:
            results = ix.query(text, **({"limit": 10} | options))
            out.append((text, options, results.total, [(h.id, h.score, [c.id for c in h.copies]) for h in results.hits]))
        out.append((text, "ranked", ix.ranked(text, limit=100)))
    return out


def test_the_fixture_has_segments_deletions_long_lists_and_ties(index):
    with index._searcher() as searcher:
        scorer = array_scorer.for_searcher(searcher)
        assert len(scorer.leaves) > 1 and not scorer.live.all()
        assert len(scorer.term_scores("body", "رياض")[0]) > 300  # several 128-posting blocks
    scores = [h.score for h in index.query("متساوية", limit=12).hits]
    assert len(scores) == 12 and len(set(scores)) < len(scores)


def test_every_answer_is_the_same_as_with_exhaustive_scoring(index, monkeypatch):
    shipped = _answers(index)
    index.close()  # a fresh searcher: no positions or postings cached by the shipped code
    _with_references(monkeypatch)
    reference = _answers(index)
    assert len(shipped) == len(reference)
    for ours, theirs in zip(shipped, reference):
        assert ours == theirs


def test_positions_match_whoosh_for_every_document(index):
    with index._searcher() as searcher:
        docnums = list(range(0, searcher.doc_count_all(), 3))
        for terms in (["رياض"], ["رياض", "والرياض"], ["نفط", "انسحاب", "كلمةغائبة"]):
            assert positions.positions(searcher, "body", terms, docnums) == \
                _positions_reference(searcher, "body", terms, docnums)


@pytest.mark.parametrize("text", ["الرياض", "وزير الخارجية", "والانسحاب القوات", "تنظيم الدولة", "بالأسواق النفط"])
def test_headline_factors_are_the_dense_ones_where_the_title_has_a_word(index, text):
    with index._searcher() as searcher:
        parsed = parse(text, index.synonyms)
        scorer = array_scorer.for_searcher(searcher)
        docs, values = headline.factors(scorer, parsed, index.settings)
        _, dense = _factors_reference(scorer, parsed, index.settings)
        sparse = np.ones(scorer.size)
        sparse[docs] = values
        assert np.array_equal(sparse, dense)  # bit for bit, 1 exactly elsewhere


def test_match_scores_are_bit_for_bit_the_exhaustive_ones(index, monkeypatch):
    with index._searcher() as searcher:
        shipped = [scoring.match(searcher, parse(t, index.synonyms), Filters(), index.settings) for t in QUERIES]
        _with_references(monkeypatch)
        reference = [scoring.match(searcher, parse(t, index.synonyms), Filters(), index.settings) for t in QUERIES]
    for ours, theirs in zip(shipped, reference):
        assert np.array_equal(ours.docs, theirs.docs)
        assert np.array_equal(ours.scores, theirs.scores)
        assert np.array_equal(ours.counts, theirs.counts)


def test_term_scores_are_bm25f_per_posting_bit_for_bit(index):
    """The length part of BM25 is computed per document once; per posting, as before."""
    with index._searcher() as searcher:
        scorer = array_scorer.for_searcher(searcher)
        K1 = scorer.K1
        for field, text in (("body", "رياض"), ("title", "نفط"), ("body_exact", "الرياض"), ("title_root", "نفط")):
            docs, scores = scorer.term_scores(field, text)
            assert len(docs)
            btext = searcher.schema[field].to_bytes(text)
            _, tf, frequency = scorer.postings(field, btext)
            idf = scorer.idf(field, btext, frequency)
            B, avgfl = scorer._field_B.get(field, scorer._B), searcher.avg_field_length(field) or 1
            fl = scorer.lengths(field)[docs]
            assert np.array_equal(scores, idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / avgfl))))


def test_positions_kept_per_term_are_bounded_and_answers_unchanged(index, monkeypatch):
    """A common word's positions, read over many queries, are dropped past a bound (a
    long-running server must not keep every document's): later answers are the same."""
    first = _answers(index)
    index.close()
    monkeypatch.setattr(array_scorer, "POSITIONS_PER_TERM", 5)
    assert _answers(index) == first
    with index._searcher() as searcher:
        kept = array_scorer.for_searcher(searcher)._positions.values()
        # The bound, plus what one ranking read after the last check (ranked() goes 100 deep).
        assert kept and max(len(known) for known in kept) <= 5 + 150
