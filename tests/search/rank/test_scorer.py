"""The array scorer (search.rank.scorer) must rank exactly as Whoosh scores.

A fixture index of generated Arabic articles (lengths, dates and sources vary, some
documents replaced so that segments hold deleted documents) is queried with words,
proclitic forms, synonyms, exclusions, phrases and filters. For every query tree the
scorer's documents, order and scores are compared with Whoosh's own searcher; a
DisjunctionMax (synonyms) is compared with Whoosh's scores of each of its names,
combined by the documented rule, since Whoosh's DisjunctionMaxMatcher ignores the
tie-break. Perturbing idf, length normalisation or a boost must break the comparison.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace

import numpy as np
import pytest
from whoosh import query as q

from search import RankingSettings, SearchIndex
from search.query.build import Filters, plan
from search.query.parse import parse
from search.rank import scorer as array_scorer
from search.rank.scoring import match
from search.rank.selection import top
from search.rank.tiers import order, required_matches

SETTINGS = RankingSettings()

WORDS = (
    "انسحاب القوات الأمريكية من العراق وزير الخارجية السعودي يلتقي نظيره الفرنسي في الرياض "
    "مباراة الهلال والنصر بطولة وبطولة الدوري أسعار النفط ترتفع بالأسواق العالمية داعش "
    "تنظيم الدولة الإسلامية الانسحاب والانسحاب بالانسحاب المدارس التعليم الطلاب الجامعة "
    "الاقتصاد الميزانية مجلس الوزراء الأمن الحدود الجنوبية المطر الطقس درجات الحرارة"
).split()
SOURCES = ("wire", "daily", "weekly")

QUERIES = [
    "انسحاب", "القوات", "الانسحاب القوات", "والانسحاب", "بطولة الدوري", "وبطولة",
    "أسعار النفط", "النفط العالمية الرياض", "وزير الخارجية السعودي يلتقي نظيره",
    "داعش", "تنظيم الدولة", "داعش العراق", "الهلال -النصر", "النفط -\"الأسواق العالمية\"",
    '"مجلس الوزراء"', '"درجات الحرارة" الطقس', "الطلاب الجامعة التعليم المدارس الميزانية",
    "ترتفع", "كلمة_غير_موجودة", "المطر كلمةغائبة",
]


def _record(rng: random.Random, n: int) -> dict:
    words = rng.choices(WORDS, k=rng.randint(3, 70))
    date = None if n % 7 == 0 else dt.date(2015, 1, 1) + dt.timedelta(days=rng.randint(0, 700))
    return {
        "id": f"doc-{n}",
        "title": " ".join(rng.choices(WORDS, k=rng.randint(2, 8))),
        "body": " ".join(words) + f" رقم {n}",
        "source": SOURCES[n % 3] if n % 11 else None,
        "date": date.isoformat() if date else None,
    }


@pytest.fixture(scope="module")
def index(tmp_path_factory) -> SearchIndex:
    rng = random.Random(11)
    ix = SearchIndex(tmp_path_factory.mktemp("scorer") / "index")
    records = [_record(rng, n) for n in range(90)]
    for start in range(0, 90, 30):  # several commits: several segments
        ix.add_records(records[start : start + 30])
    changed = [dict(r, body=r["body"] + " تحديث") for r in records[5:12]]
    ix.add_records(changed)  # replaced documents stay in their segment, deleted
    yield ix
    ix.close()


def _any_query(text: str, index: SearchIndex) -> q.Query:
    """The tree the ranking scores: any word or root, every phrase, no exclusion."""
    return _any_query_from(parse(text, index.synonyms))


def _has_dismax(query: q.Query) -> bool:
    return isinstance(query, q.DisjunctionMax) or any(_has_dismax(c) for c in query.children())


def _whoosh_scores(searcher, query: q.Query) -> dict[int, float]:
    """Whoosh's scores, except that a DisjunctionMax combines Whoosh's scores of its parts."""
    if not _has_dismax(query):
        return {docnum: score for score, docnum in searcher.search(query, limit=None).top_n}
    parts = [_whoosh_scores(searcher, sub) for sub in query.subqueries] if hasattr(query, "subqueries") else None
    if isinstance(query, q.DisjunctionMax):
        out = {}
        for doc in set().union(*parts):
            values = [p.get(doc, 0.0) for p in parts]
            out[doc] = (max(values) + query.tiebreak * (sum(values) - max(values))) * query.boost
        return out
    if isinstance(query, q.Or):
        out = {}
        for part in parts:
            for doc, score in part.items():
                out[doc] = out.get(doc, 0.0) + score
        return {d: s * query.boost for d, s in out.items()} if len(parts) > 1 else out
    if isinstance(query, q.And):
        common = set.intersection(*(set(p) for p in parts))
        return {d: sum(p[d] for p in parts) * query.boost for d in common}
    if isinstance(query, q.AndNot):
        a, b = _whoosh_scores(searcher, query.a), _whoosh_scores(searcher, query.b)
        return {d: s for d, s in a.items() if d not in b}
    raise AssertionError(f"no reference for {type(query).__name__}")


def _difference(index: SearchIndex, text: str) -> float:
    """Largest score difference between the scorer and Whoosh (inf if documents or order differ)."""
    tree = _any_query(text, index)
    with index._searcher() as searcher:
        expected = _whoosh_scores(searcher, tree)
        found = array_scorer.for_searcher(searcher).evaluate(tree)
        docs = found.docs()
        if set(docs.tolist()) != set(expected):
            return float("inf")
        ours = top(found.scores, docs, len(docs)).tolist()
        theirs = [d for d, _ in sorted(expected.items(), key=lambda kv: (-kv[1], kv[0]))]
        worst = max((abs(found.scores[d] - expected[d]) for d in expected), default=0.0)
        # Documents whose scores are equal within rounding may swap; nothing else may.
        for a, b in zip(ours, theirs):
            if a != b and abs(expected[a] - expected[b]) > 1e-9:
                return float("inf")
        return worst


def test_fixture_has_several_segments_and_deletions(index):
    with index._searcher() as searcher:
        scorer = array_scorer.for_searcher(searcher)
        assert len(scorer.leaves) > 1
        assert not scorer.live.all()


@pytest.mark.parametrize("text", QUERIES)
def test_scores_equal_whoosh(index, text):
    assert _difference(index, text) < 1e-6


def test_synonym_queries_use_dismax(index):
    assert _has_dismax(_any_query("داعش", index))


def test_field_lengths_are_whoosh_quantized_lengths(index):
    with index._searcher() as searcher:
        scorer = array_scorer.for_searcher(searcher)
        for field in ("title", "body", "body_exact", "title_root"):
            lengths = scorer.lengths(field)
            for docnum in range(searcher.doc_count_all()):
                assert lengths[docnum] == (searcher.doc_field_length(docnum, field, 0) or 0)


@pytest.mark.parametrize(
    "perturb",
    ["idf", "length", "boost"],
)
def test_comparison_catches_a_wrong_formula(index, monkeypatch, perturb):
    """The equivalence test is only worth something if it fails on a wrong scorer."""
    if perturb == "idf":  # body terms weighted as if their idf were 30% higher
        original = array_scorer.ArrayScorer.term_scores

        def wrong_idf(self, fieldname, text):
            docs, scores = original(self, fieldname, text)
            return docs, scores * (1.3 if fieldname == "body" else 1.0)

        monkeypatch.setattr(array_scorer.ArrayScorer, "term_scores", wrong_idf)
    elif perturb == "length":
        monkeypatch.setattr(array_scorer, "_BYTE_TO_LENGTH", array_scorer._BYTE_TO_LENGTH * 0 + 10.0)
    else:  # term boosts ignored
        original = array_scorer.ArrayScorer._accumulate

        def no_boost(self, query, factor, into):
            if isinstance(query, q.Term):
                query = q.Term(query.fieldname, query.text)
            original(self, query, factor, into)

        monkeypatch.setattr(array_scorer.ArrayScorer, "_accumulate", no_boost)
    index.close()  # a fresh searcher: no cached lengths
    worst = max(_difference(index, text) for text in QUERIES)
    index.close()
    assert worst > 1e-3


def _reference_run(searcher, parsed, filters, limit, settings):
    """The ranking rule (scoring.match, tiers.order) through Whoosh's searcher (its
    implementation before the array scorer)."""
    words = plan(parsed, settings).words
    any_q = _any_query_from(parsed, settings)
    docs = set(searcher.docs_for_query(any_q))
    if filters.query() is not None:
        docs &= set(searcher.docs_for_query(filters.query()))
    word_docs = [set(searcher.docs_for_query(w)) for w in words]
    counts = {d: sum(d in found for found in word_docs) for d in docs}
    need = required_matches(len(words), settings.scoring)
    tier = {d for d in docs if counts[d] >= need} if need > 1 else docs
    # limit=None: on this small multi-segment index, Whoosh's top-k search (limit=N)
    # misses better documents of later segments; the full result list does not.
    ranked = [(h.docnum, h.score) for h in searcher.search(any_q, limit=None, filter=tier)][:limit] if tier else []
    rest = docs - tier
    if rest and limit > len(ranked):
        ranked += [(h.docnum, h.score) for h in searcher.search(any_q, limit=None, filter=rest)][: limit - len(ranked)]
    return len(docs), ranked


def _any_query_from(parsed, settings=SETTINGS):
    built = plan(parsed, settings)
    parts = built.phrases + ([q.Or(built.words + built.fallbacks)] if built.words else [])
    tree = parts[0] if len(parts) == 1 else q.And(parts)
    return q.AndNot(tree, built.excluded) if built.excluded is not None else tree


FILTERS = [
    Filters(),
    Filters(source="wire"),
    Filters(since=dt.date(2015, 6, 1)),
    Filters(source="daily", since=dt.date(2015, 3, 1), until=dt.date(2016, 3, 1)),
]


@pytest.mark.parametrize("filters", FILTERS, ids=["none", "source", "since", "source+range"])
def test_run_keeps_the_tier_rule_and_filters(index, filters):
    # The reference is Whoosh's BM25F alone; the proximity rerank, the idf weighting of
    # query words and the keyword-query rules (headline factors, title order) have their
    # own tests.
    bm25f = replace(SETTINGS, proximity=replace(SETTINGS.proximity, weight=0.0),
                    scoring=replace(SETTINGS.scoring, idf_power=0.0),
                    keywords=replace(SETTINGS.keywords, enabled=False))
    plain = SearchIndex(index.location, settings=bm25f)
    for text in QUERIES:
        parsed = parse(text, plain.synonyms)
        if parsed.is_empty() or any(c.alternatives for c in parsed.concepts):
            continue
        with plain._searcher() as searcher:
            for limit in (3, 200):
                found = match(searcher, parsed, filters, bm25f)
                total, ranked = found.total, order(searcher, parsed, found, limit, "relevance", bm25f)
                ref_total, reference = _reference_run(searcher, parsed, filters, limit, bm25f)
                assert total == ref_total, text
                assert len(ranked) == len(reference), text
                for (doc, score), (ref_doc, ref_score) in zip(ranked, reference):
                    assert abs(score - ref_score) < 1e-6, text
                    if doc != ref_doc:  # only equal scores may swap
                        assert abs(score - dict(reference).get(doc, -1)) < 1e-9, text
    plain.close()


def test_date_sort_puts_undated_documents_last(index):
    results = index.query("النفط الهلال المطر الطلاب", limit=200, sort="date")
    dates = [hit.date for hit in results.hits]
    assert None in dates and dates[0] is not None
    first_undated = dates.index(None)
    assert all(d is None for d in dates[first_undated:])
    dated = dates[:first_undated]
    assert dated == sorted(dated, reverse=True)
    assert len(results.hits) == results.total
