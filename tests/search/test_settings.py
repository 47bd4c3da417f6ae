"""RankingSettings: one frozen object per index, read by every stage, no global state."""

from __future__ import annotations

import dataclasses
from dataclasses import replace

import pytest

from search import RankingSettings, SearchIndex

# "common" repeats a word every passage has, in its title too; "rare" has, once, the
# word that picks it out. Only the weighting of words by rarity puts "rare" first.
FILLER = [f"وصل الزوار إلى المدينة في اليوم {n} وتجولوا في أسواقها القديمة" for n in range(8)]
RECORDS = [{"id": f"filler-{n}", "title": "زيارة", "body": body} for n, body in enumerate(FILLER)] + [
    {"id": "common", "title": "المدينة", "body": "المدينة المدينة الكبيرة والمدينة الجديدة وأحياء المدينة"},
    {"id": "rare", "title": "تاريخ", "body": "بنيت القلعة على تل مرتفع قبل قرون طويلة وما زالت أسوارها قائمة"},
]
# A question: keyword queries weigh the headline "المدينة" far above rarity (search.rank.headline).
QUERY = "أين القلعة في المدينة؟"


@pytest.fixture(scope="module")
def location(tmp_path_factory):
    folder = tmp_path_factory.mktemp("settings") / "ix"
    SearchIndex(folder, default_synonyms=False).add_records(RECORDS)
    return folder


def _flat(settings: RankingSettings) -> RankingSettings:
    return replace(settings, scoring=replace(settings.scoring, idf_power=0.0))


def test_two_indexes_with_different_settings_rank_differently(location):
    shipped = SearchIndex(location, default_synonyms=False)
    flat = SearchIndex(location, default_synonyms=False, settings=_flat(RankingSettings()))
    first = [h.id for h in shipped.query(QUERY).hits]
    assert first[0] == "rare"
    assert flat.query(QUERY).hits[0].id == "common"
    # Asking the other index changed nothing here: no setting lives in a module.
    assert [h.id for h in shipped.query(QUERY).hits] == first
    assert shipped.ranked(QUERY) != flat.ranked(QUERY)


def test_the_default_is_the_shipped_ranking(location):
    default = SearchIndex(location, default_synonyms=False)
    explicit = SearchIndex(location, default_synonyms=False, settings=RankingSettings())
    assert default.settings == RankingSettings()
    assert default.ranked(QUERY, limit=20) == explicit.ranked(QUERY, limit=20)


def test_bm25_parameters_reach_the_scores(location):
    default = RankingSettings()
    k1 = replace(default, scoring=replace(default.scoring, k1=2.0))
    ours = SearchIndex(location, default_synonyms=False).ranked(QUERY)[1]
    theirs = SearchIndex(location, default_synonyms=False, settings=k1).ranked(QUERY)[1]
    assert dict(ours)["common"] != pytest.approx(dict(theirs)["common"])


def test_corrections_beyond_what_one_scan_keeps_are_refused_when_made():
    with pytest.raises(ValueError, match="near_words.max_edits"):
        replace(RankingSettings().near_words, max_edits=2)
    with pytest.raises(ValueError, match="suggestions.max_edits"):
        replace(RankingSettings().suggestions, max_edits=3)


def test_settings_are_frozen_and_hashable():
    settings = RankingSettings()
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.scoring.k1 = 2.0  # type: ignore[misc]
    assert hash(settings) == hash(RankingSettings())
    assert _flat(settings) != settings
