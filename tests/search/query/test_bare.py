"""Bare forms (search.query.bare): a clinging proclitic dropped where the documents say the
bare word is the commoner reading, for keyword queries only."""

from __future__ import annotations

from dataclasses import replace

import pytest
from ingest_support import records_index

from index.analysis.stemming import stem
from search import RankingSettings, SearchIndex
from search.pipeline import rewrite
from search.query.bare import bare
from search.query.parse import parse

SETTINGS = RankingSettings()
# قوات is common, بقوات rare (and stems apart from it: بقو); لبنان is common, بنان rare.
RECORDS = [
    {"id": "forces-1", "title": "انتشار قوات حفظ السلام في الجنوب", "body": "وصلت قوات حفظ السلام إلى القرى"},
    {"id": "forces-2", "title": "قوات الأمن تعيد فتح الطريق", "body": "أعادت قوات الأمن فتح الطريق الساحلي"},
    {"id": "forces-3", "title": "وصول قوات جديدة إلى الحدود", "body": "تمركزت قوات جديدة قرب المعبر"},
    {"id": "forces-4", "title": "الدفاع المدني يخمد حريقا", "body": "شاركت قوات الدفاع المدني في إخماد الحريق"},
    {"id": "clinging", "title": "الحكومة تستعين بقوات إضافية", "body": "قررت الحكومة الاستعانة بقوات إضافية"},
    {"id": "lebanon-1", "title": "لبنان يستضيف مؤتمر الطاقة", "body": "يستضيف لبنان مؤتمرا للطاقة المتجددة"},
    {"id": "lebanon-2", "title": "انتخابات لبنان البلدية", "body": "تجري في لبنان انتخابات بلدية"},
    {"id": "lebanon-3", "title": "أمطار غزيرة", "body": "هطلت أمطار غزيرة على لبنان"},
    {"id": "singer", "title": "الفنانة بنان تطلق أغنية", "body": "أطلقت الفنانة بنان أغنية جديدة"},
]


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    ix = records_index(tmp_path_factory, "bare", RECORDS)
    yield ix
    ix.close()


def _bare(index, word):
    with index._searcher() as searcher:
        return bare(searcher.reader(), parse(word).concepts[0], SETTINGS.words)


def test_a_clinging_proclitic_is_dropped_when_the_bare_word_is_commoner(index):
    assert stem("بقوات") != stem("قوات")  # the index never meets them
    assert _bare(index, "بقوات") == ((stem("قوات"),), ("قوات",))


def test_a_word_is_not_split_when_its_bare_form_is_rarer(index):
    assert _bare(index, "لبنان") == ((), ())


def test_a_word_without_a_proclitic_or_of_too_few_letters_is_left_alone(index):
    assert _bare(index, "قوات") == ((), ())
    assert _bare(index, "بنان") == ((), ())  # بنان → نان: too short
    assert _bare(index, "تنظيم الدولة") == ((), ())  # not one word


@pytest.mark.parametrize("text,expected", [("بقوات", (stem("قوات"),)), ("هل بقوات؟", ())])
def test_only_keyword_queries_get_bare_forms(index, text, expected):
    with index._searcher() as searcher:
        searched, _ = rewrite(searcher.reader(), parse(text), SETTINGS)
    assert searched.concepts[0].bare_stems == expected


def test_bare_forms_can_be_turned_off(index):
    off = replace(SETTINGS, keywords=replace(SETTINGS.keywords, bare_forms=False))
    with index._searcher() as searcher:
        searched, _ = rewrite(searcher.reader(), parse("بقوات"), off)
    assert searched.concepts[0].bare_stems == ()


def test_the_bare_word_finds_the_documents_that_have_it(index):
    off = SearchIndex(index.location, default_synonyms=False,
                      settings=replace(SETTINGS, keywords=replace(SETTINGS.keywords, bare_forms=False)))
    with_bare = [doc for doc, _ in index.ranked("بقوات", limit=20)[1]]
    without = [doc for doc, _ in off.ranked("بقوات", limit=20)[1]]
    assert without == ["clinging"]  # بقو, and no variant of it, is in no other document
    assert with_bare[0] == "clinging"  # the form typed still ranks first
    assert {"forces-1", "forces-2", "forces-3", "forces-4"} == set(with_bare[1:])
    off.close()
