"""The ranking rule of issue 2: for keyword queries, documents with every word first."""

from __future__ import annotations

import pytest

from search import RankingSettings, SearchIndex
from search.rank.tiers import required_matches

SCORING = RankingSettings().scoring

FILLER = "وقال المتحدث إن الاجتماع عقد في مقر الوزارة صباح اليوم. "


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    location = tmp_path_factory.mktemp("ranking") / "ix"
    ix = SearchIndex(location, default_synonyms=False)
    ix.add_records(
        [
            # Only some of the words, but many times and in the title: high BM25.
            {"id": "some-1", "title": "الميناء الميناء", "body": "الميناء " * 12 + FILLER},
            {"id": "some-2", "title": "حريق كبير", "body": "حريق هائل حريق في المخزن. " * 5 + FILLER},
            {"id": "some-3", "title": "الميناء والحريق", "body": "اندلع حريق في الميناء. " * 4 + FILLER},
            # Every word, once each, in a long body.
            {"id": "all", "title": "أخبار محلية", "body": FILLER * 6 + "اندلع حريق في مخزن قرب الميناء ليلا. " + FILLER * 6},
        ]
    )
    return ix


def test_keyword_queries_are_in_the_strict_range():
    assert SCORING.all_words_up_to >= 3
    for words in (1, 2, 3):
        assert required_matches(words, SCORING) == words


@pytest.mark.parametrize("text", ["حريق الميناء مخزن", "مخزن الميناء"])
def test_document_with_every_word_ranks_first(index, text):
    hits = index.query(text, limit=10).hits
    assert hits[0].id == "all"  # the only document with every word
    assert {h.id for h in hits} >= {"some-1", "some-2", "some-3"}  # partial matches still answer


def test_long_queries_have_no_tiers():
    for words in range(SCORING.all_words_up_to + 1, SCORING.all_words_up_to + 8):
        assert required_matches(words, SCORING) <= 1


def test_a_long_question_ranks_the_rare_words_above_the_count_of_words(tmp_path):
    # "generic" has three of the four words, all common; "answer" has two, one of them the
    # only word that names the subject. A tier of most words would put "generic" first.
    ix = SearchIndex(tmp_path / "ix", default_synonyms=False)
    common = "افتتح المتحف في المدينة"
    records = [{"id": f"filler-{n}", "title": "أخبار", "body": f"{common} يوم {n} وزاره السكان"} for n in range(6)]
    records += [
        {"id": "generic", "title": "أخبار", "body": "افتتح متحف جديد في المدينة القديمة وسط حضور كبير"},
        {"id": "answer", "title": "تاريخ", "body": "فتح متحف اللوفر أبوابه للجمهور قبل أكثر من قرنين"},
    ]
    ix.add_records(records)
    assert ix.query("متى افتتح متحف اللوفر في المدينة؟").hits[0].id == "answer"
