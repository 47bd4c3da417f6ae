"""Keyword queries rank by the headline (search.rank.headline, search.query.build.weights,
search.rank.title_order); questions rank as they always did.

Each case below is an order the question ranking gets the other way round: the
assertions are checked with the keyword rules on and off.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from ingest_support import records_index

from search import RankingSettings, SearchIndex
from search.pipeline import rewrite
from search.query.parse import parse
from search.rank import headline
from search.rank import scorer as array_scorer

SETTINGS = RankingSettings()
OFF = replace(SETTINGS, keywords=replace(SETTINGS.keywords, enabled=False))
FILLER = [
    {"id": f"filler-{n}", "title": f"أخبار اليوم {n}", "body": f"تقرير عن الطقس والأسواق والرياضة في اليوم {n}"}
    for n in range(12)
]
RECORDS = FILLER + [
    # The headline holds both words; another story repeats them in its body.
    {"id": "headline", "title": "إغلاق المصنع القديم في المدينة",
     "body": "قررت البلدية ذلك بعد شكاوى السكان من الدخان"},
    {"id": "body", "title": "جولة في المنطقة الصناعية",
     "body": "إغلاق المصنع مطلب قديم. إغلاق المصنع تأخر كثيرا، والمصنع ما زال يعمل رغم قرار الإغلاق"},
    # Both headlines hold both words: one as typed, one inflected.
    {"id": "inflected", "title": "المرشحين للانتخابات", "body": "قائمة المرشحين للانتخابات البلدية وبرامجهم"},
    {"id": "typed", "title": "المرشحون يستعدون في الانتخابات البلدية المقبلة", "body": "بدأت الحملات"},
    # The same words in both headlines: in the order typed, and the other way round.
    {"id": "reversed", "title": "الجسر بدأ ترميم", "body": "أعلنت الوزارة خطة للطرق"},
    {"id": "ordered", "title": "ترميم بدأه الجسر", "body": "أعلنت الوزارة خطة للطرق"},
    # Both headlines hold both words: a short one, and a long one whose body repeats them.
    {"id": "short", "title": "افتتاح المتحف الوطني", "body": "حضر الحفل عدد من المسؤولين"},
    {"id": "long", "title": "افتتاح المتحف بعد ترميم القاعات",
     "body": "افتتاح المتحف اليوم بعد افتتاح المتحف القديم"},
]


@pytest.fixture(scope="module")
def location(tmp_path_factory):
    with records_index(tmp_path_factory, "headline", RECORDS) as ix:
        return ix.location


def _first(location, settings, text):
    with SearchIndex(location, default_synonyms=False, settings=settings) as ix:
        return ix.ranked(text)[1][0][0]


@pytest.mark.parametrize(
    "text,keywords,question",
    [
        ("إغلاق المصنع", "headline", "body"),  # title weight and coverage
        ("المرشحون الانتخابات", "typed", "inflected"),  # the forms typed
        ("ترميم الجسر", "ordered", "reversed"),  # the order typed
    ],
)
def test_keyword_queries_rank_the_headline_first(location, text, keywords, question):
    assert _first(location, SETTINGS, text) == keywords
    assert _first(location, OFF, text) == question


def test_word_order_alone_decides_between_headlines_otherwise_equal(location):
    no_order = replace(SETTINGS, keywords=replace(SETTINGS.keywords, order=0.0))
    with SearchIndex(location, default_synonyms=False, settings=no_order) as ix:
        (first, a), (second, b) = ix.ranked("ترميم الجسر")[1][:2]
    assert (first, second) == ("reversed", "ordered") and a == b  # a tie, kept in index order
    assert _first(location, SETTINGS, "ترميم الجسر") == "ordered"


def test_a_short_headline_of_the_words_goes_before_a_long_one(location):
    no_share = replace(SETTINGS, keywords=replace(SETTINGS.keywords, title_share=0.0))
    assert _first(location, no_share, "افتتاح المتحف") == "long"  # its body repeats the words
    assert _first(location, SETTINGS, "افتتاح المتحف") == "short"


def test_headline_factors(location):
    """(1 + 3·share of words in the title) × (1 + share of words in it as typed)
    × (1 + 0.25·share of the title's indexed words that are query words)."""
    with SearchIndex(location, default_synonyms=False) as ix, ix._searcher() as searcher:
        parsed, _ = rewrite(searcher.reader(), parse("المرشحون الانتخابات"), SETTINGS)
        docs, values = headline.factors(array_scorer.for_searcher(searcher), parsed, SETTINGS)
        found = dict(zip(docs.tolist(), values.tolist()))  # a document not listed: 1
        factor = {doc: found.get(searcher.document_number(id=doc), 1.0) for doc in ("typed", "inflected", "filler-0")}
    # typed: 5 indexed words (في is a stop word), 2 of them typed; inflected: 2 of 2
    assert factor == {"typed": pytest.approx(8.0 * 1.1), "inflected": pytest.approx(4.0 * 1.25), "filler-0": 1.0}


@pytest.mark.parametrize("text", ["ما سبب إغلاق المصنع؟", "من هم المرشحون في الانتخابات", "متى بدأ ترميم الجسر"])
def test_questions_rank_as_without_the_keyword_rules(location, text):
    with SearchIndex(location, default_synonyms=False) as on, \
            SearchIndex(location, default_synonyms=False, settings=OFF) as off:
        assert on.ranked(text, limit=50) == off.ranked(text, limit=50)
