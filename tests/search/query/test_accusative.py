"""The accusative tanween alef (search.query.accusative): a typed word also meets its
indefinite accusative (``شاب`` → ``شابًا``), never where no alef can be written."""

from __future__ import annotations

from dataclasses import replace

import pytest
from ingest_support import records_index

from index.analysis.stemming import stem
from search import RankingSettings, SearchIndex
from search.query import accusative
from search.query.parse import parse

SETTINGS = RankingSettings()
RECORDS = [
    {"id": "loan", "title": "اليونان تطلب قرضًا جديدًا من الصندوق", "body": "طلبت الحكومة قرضا جديدا"},
    {"id": "unmarked", "title": "تدريب أربعين شابا على الإسعاف", "body": "دربت الجمعية أربعين شابا"},
    {"id": "other", "title": "الصندوق يوافق على برنامج", "body": "وافق الصندوق على برنامج الإصلاح"},
]


def _stems(word: str, words=SETTINGS.words) -> tuple[str, ...]:
    """As the rewrite stage fills them in (search.pipeline.rewrite)."""
    return accusative.with_accusatives(parse(word), words).concepts[0].accusative_stems


# Forms that meet: the typed word and its accusative with the alef.
@pytest.mark.parametrize("typed,written", [
    ("شاب", "شابًا"),
    ("جديد", "جديدًا"),
    ("قرض", "قرضا"),  # the mark left out: the commoner spelling
    ("عربي", "عربيًا"),
    ("مواطن", "مواطنًا"),  # whatever stem the index gives the accusative form
])
def test_a_typed_word_meets_its_accusative(typed, written):
    assert stem(parse(written).concepts[0].forms[0]) in _stems(typed)


# Words that stay apart: no tanween alef can follow them, or the word is too short.
@pytest.mark.parametrize("typed", [
    "الشاب",  # definite: never tanween
    "مدينة",  # ة takes the tanween without an alef
    "أمريكا",  # already ends in alef
    "سماء",  # hamza
    "أب",  # two letters: أبا is another word
])
def test_a_word_that_cannot_carry_the_alef_gets_no_accusative(typed):
    assert _stems(typed) == ()


def test_a_name_of_several_words_gets_no_accusative():
    assert accusative.stems(("تنظيم", "الدولة"), ("تنظيم", "الدوله")) == ()


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    ix = records_index(tmp_path_factory, "accusative", RECORDS)
    yield ix
    ix.close()


def test_the_dictionary_form_typed_finds_the_accusative_headline_first(index):
    assert [doc for doc, _ in index.ranked("قرض جديد", limit=5)[1]][0] == "loan"
    assert [doc for doc, _ in index.ranked("شاب", limit=5)[1]] == ["unmarked"]


def test_the_accusative_can_be_turned_off(index):
    off = SearchIndex(index.location, default_synonyms=False,
                      settings=replace(SETTINGS, words=replace(SETTINGS.words, accusative_boost=0.0)))
    try:
        assert off.ranked("شاب", limit=5)[1] == []
        # Nor highlighted, nor counted by the headline's word order: none are filled in.
        assert _stems("شاب", off.settings.words) == ()
        assert "<mark>" not in off.highlight("أربعين شابًا", "شاب")
    finally:
        off.close()
