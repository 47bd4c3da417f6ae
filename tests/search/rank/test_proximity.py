"""The proximity rerank (search.rank.proximity): query words standing together rank higher."""

from __future__ import annotations

from dataclasses import replace

import pytest

from search import RankingSettings, SearchIndex
from search.rank import proximity

WINDOW = RankingSettings().proximity.window

# Two passages with the same words, the same counts and the same length: BM25F cannot
# tell them apart. Only in "near" do the two query words stand side by side.
FAR = "زار الوزير العاصمة صباحا ثم عقد اجتماعا طويلا مع التجار وبعد ذلك سافر إلى جورجيا مساء"
NEAR = "زار الوزير صباحا ثم عقد اجتماعا طويلا مع التجار وبعد ذلك سافر إلى العاصمة جورجيا مساء"


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    ix = SearchIndex(tmp_path_factory.mktemp("proximity") / "ix", default_synonyms=False)
    # "far" is added first, so it wins the tie when proximity is off.
    ix.add_records([{"id": "far", "title": "خبر", "body": FAR}, {"id": "near", "title": "خبر", "body": NEAR}])
    return ix


def test_words_standing_together_rank_first(index):
    assert [h.id for h in index.query("العاصمة جورجيا").hits] == ["near", "far"]


def test_without_proximity_the_passages_tie(index):
    default = RankingSettings()
    off = replace(default, proximity=replace(default.proximity, weight=0.0))
    hits = SearchIndex(index.location, default_synonyms=False, settings=off).query("العاصمة جورجيا").hits
    assert hits[0].score == pytest.approx(hits[1].score)


def test_a_proclitic_form_counts_as_the_word(index, tmp_path):
    ix = SearchIndex(tmp_path / "ix", default_synonyms=False)
    records = [("far", FAR), ("near", NEAR)]
    ix.add_records([{"id": i, "title": "خبر", "body": b.replace("جورجيا", "وجورجيا")} for i, b in records])
    assert ix.query("العاصمة جورجيا").hits[0].id == "near"


def test_pair_frequency_counts_only_occurrences_within_the_window():
    assert proximity._pair_frequency([0], [1], WINDOW) == 1.0
    assert proximity._pair_frequency([0, 10], [2], WINDOW) == 0.25
    assert proximity._pair_frequency([0], [WINDOW + 1], WINDOW) == 0.0
