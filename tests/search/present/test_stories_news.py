"""Copies on real news (SaudiNewsNet, in ../shared): one syndicated release is one story,
the next event's report written from the same template is another."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from search import SearchIndex

CORPUS = Path(__file__).resolve().parents[3].parent / "shared/corpus/saudinewsnet/articles.jsonl.gz"
PAYMENTS = "حققت الشبكة السعودية للمدفوعات"  # the opening of one press release
FLIGHTS = ("الطائرة الإغاثية السعودية الخامسة", "الطائرة الإغاثية السعودية السادسة")

pytestmark = pytest.mark.skipif(not CORPUS.exists(), reason="../shared not present (fresh clone): no SaudiNewsNet corpus")


@pytest.fixture(scope="module")
def news(tmp_path_factory) -> tuple[SearchIndex, list[dict]]:
    wanted = (PAYMENTS, *FLIGHTS)
    with gzip.open(CORPUS, "rt", encoding="utf-8") as lines:
        articles = [a for a in map(json.loads, lines) if any(w in a["body"][:200] for w in wanted)]
    ix = SearchIndex(tmp_path_factory.mktemp("news") / "index")
    ix.add_records(articles)
    return ix, articles


def _stories(ix: SearchIndex, query: str) -> list[set[str]]:
    return [{h.id} | {c.id for c in h.copies} for h in ix.query(query, limit=100).hits]


def test_a_press_release_run_by_many_outlets_is_one_story(news):
    ix, articles = news
    release = {a["id"] for a in articles if PAYMENTS in a["body"][:200]}
    assert len(release) >= 10
    found = _stories(ix, "الشبكة السعودية للمدفوعات")
    assert max(len(s & release) for s in found) >= len(release) - 1


def test_the_next_flight_reported_from_the_same_template_is_another_story(news):
    ix, articles = news
    fifth = {a["id"] for a in articles if FLIGHTS[0] in a["body"][:200]}
    sixth = {a["id"] for a in articles if FLIGHTS[1] in a["body"][:200]}
    assert fifth and sixth
    for story in _stories(ix, "الطائرة الإغاثية عدن"):
        assert not (story & fifth and story & sixth)
