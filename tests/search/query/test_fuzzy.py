"""Misspelled query words (search.query.fuzzy): met by the indexed words one or two edits away."""

from __future__ import annotations

from dataclasses import replace

import pytest

from ingest_support import records_index

from search import RankingSettings, SearchIndex
from search.query import fuzzy
from search.query.parse import parse
from search.settings import NearWordSettings

RECORDS = [
    {"id": "answer", "title": "أوروبا", "body": "يبلغ عدد سكان موريتانيا نحو أربعة ملايين نسمة"},
    {"id": "other", "title": "أوروبا", "body": "ارتفع عدد سكان المدن الكبرى وتضاعف عدد سكان الضواحي"},
    {"id": "unrelated", "title": "رياضة", "body": "فاز المنتخب بالمباراة النهائية"},
]


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    return records_index(tmp_path_factory, "fuzzy", RECORDS)


@pytest.fixture(scope="module")
def without_near_words(index):
    """The same index, near words off."""
    default = RankingSettings()
    off = replace(default, near_words=replace(default.near_words, weight=0.0))
    return SearchIndex(index.location, default_synonyms=False, settings=off)


def test_a_misspelled_name_finds_the_passage_with_the_right_spelling(index):
    assert index.query("سكان موريطانيا").hits[0].id == "answer"


def test_without_near_words_the_misspelled_name_counts_for_nothing(without_near_words):
    assert without_near_words.query("سكان موريطانيا").hits[0].id == "other"


def test_near_words_find_documents_of_their_own(index, without_near_words):
    alone = index.query("موريطانيا", limit=10)
    assert [h.id for h in alone.hits] == ["answer"] and alone.total == 1
    assert "موريتانيا" in alone.suggestions  # still told the spelling the documents use
    assert without_near_words.query("موريطانيا", limit=10).total == 0


def test_facets_count_what_near_words_find(index):
    results = index.query("موريطانيا", facets=True)
    assert results.total == 1
    assert sum(results.facets.sources.values()) + results.facets.no_source == 1


def test_a_word_the_index_has_is_not_corrected(index):
    with index._searcher() as searcher:
        reader = searcher.reader()
        known, misspelled = parse("موريتانيا موريطانيا").concepts
        assert fuzzy.near_stems(reader, known, NearWordSettings()) == ()
        assert fuzzy.near_stems(reader, misspelled, NearWordSettings()) == ("موريتانيا",)
