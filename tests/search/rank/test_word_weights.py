"""Query words weighted by how rare they are (ScoringSettings.idf_power, search.rank.scoring)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from search import RankingSettings, SearchIndex
from search.query.parse import parse
from search.rank.scoring import word_weights

# "المدينة" is in every passage; "القلعة" in one. A passage that repeats the common word
# (title included) must not outrank the only passage with the word that picks it out.
FILLER = [f"وصل الزوار إلى المدينة في اليوم {n} وتجولوا في أسواقها القديمة" for n in range(8)]
COMMON = "المدينة المدينة الكبيرة والمدينة الجديدة وأحياء المدينة"
RARE = "بنيت القلعة على تل مرتفع قبل قرون طويلة وما زالت أسوارها قائمة حتى اليوم"
# Asked as a question: the rule under test is the question ranking's. A keyword query
# gives the headline its weight (search.rank.headline), and in ten documents the two
# words' idf differ far less than a common and a rare word of a real collection do, so
# the headline "المدينة" would rightly win there.
QUESTION = "أين القلعة في المدينة؟"


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    ix = SearchIndex(tmp_path_factory.mktemp("weighting") / "ix", default_synonyms=False)
    records = [{"id": f"filler-{n}", "title": "زيارة", "body": body} for n, body in enumerate(FILLER)]
    records += [
        {"id": "common", "title": "المدينة", "body": COMMON},
        {"id": "rare", "title": "تاريخ", "body": RARE},
    ]
    ix.add_records(records)
    return ix


def test_the_rare_word_outweighs_a_repeated_common_one(index):
    assert index.query(QUESTION).hits[0].id == "rare"


def test_without_idf_weighting_the_repeated_common_word_wins(index):
    default = RankingSettings()
    flat = replace(default, scoring=replace(default.scoring, idf_power=0.0))
    assert SearchIndex(index.location, default_synonyms=False, settings=flat).query(QUESTION).hits[0].id == "common"


def test_weights_are_at_most_one_and_rarer_words_weigh_more(index):
    with index._searcher() as searcher:
        common, rare, absent = word_weights(searcher, parse("المدينة القلعة كوكب"), RankingSettings().scoring)
    assert 0 < common < rare < absent <= 1.0
