"""The Snowball recall field: a word the light stemmer keeps apart can still find a passage."""

from __future__ import annotations

import pickle

import pytest

from index.analysis import ArabicSnowballAnalyzer
from search import SearchIndex, parsing


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    ix = SearchIndex(tmp_path_factory.mktemp("snowball") / "ix", default_synonyms=False)
    ix.add_records(
        [
            # اليابان and يابانية: different light stems and roots, one Snowball stem.
            {"id": "japan", "title": "شركات", "body": "وصلت شركات يابانية إلى السوق المحلية"},
            {"id": "other", "title": "اقتصاد", "body": "ارتفعت أسعار النفط في الأسواق"},
        ]
    )
    return ix


def test_a_snowball_match_finds_the_passage(index):
    assert [h.id for h in index.query("اليابان").hits] == ["japan"]


def test_without_the_snowball_field_it_is_missed(index, monkeypatch):
    monkeypatch.setattr(parsing, "SNOWBALL_BOOST", 0.0)
    assert index.query("اليابان").hits == []


def test_snowball_analyzer_pickles_small():
    analyzer = ArabicSnowballAnalyzer()
    data = pickle.dumps(analyzer)
    assert len(data) < 1000
    assert [t.text for t in pickle.loads(data)("اليابان يابانية")] == [t.text for t in analyzer("يابانية اليابان")]
