"""The ranking rule of issue 2: for keyword queries, documents with every word first."""

from __future__ import annotations

import pytest

from search import SearchIndex
from search.ranking import ALL_WORDS_UP_TO, required_matches

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
    assert ALL_WORDS_UP_TO >= 3
    for words in (1, 2, 3):
        assert required_matches(words) == words


@pytest.mark.parametrize("text", ["حريق الميناء مخزن", "مخزن الميناء"])
def test_document_with_every_word_ranks_first(index, text):
    hits = index.query(text, limit=10).hits
    assert hits[0].id == "all"  # the only document with every word
    assert {h.id for h in hits} >= {"some-1", "some-2", "some-3"}  # partial matches still answer


def test_long_queries_keep_most_words_first():
    # A long question need not contain every word, but most of them.
    for words in range(ALL_WORDS_UP_TO + 1, ALL_WORDS_UP_TO + 8):
        need = required_matches(words)
        assert 1 <= need <= words
