"""Integration over the real pages in ../shared/seeds (skipped in a fresh clone)."""

from __future__ import annotations

from pathlib import Path

import pytest

from search import SearchIndex

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds not present (fresh clone)")

#: The two seed pages that speak of a withdrawal (read by hand): they use different
#: inflections (انسحاب / لـ انسحابه / انسحاب له).
WITHDRAWAL_PAGES = {"001_77b17fb1c50acb1e", "003_9aed169284d176bc"}


@pytest.fixture(scope="module")
def seeds_index(tmp_path_factory) -> SearchIndex:
    ix = SearchIndex(tmp_path_factory.mktemp("seeds") / "index")
    report = ix.add([SEEDS])
    assert report.failed == 0 and report.added == 5
    return ix


def test_withdrawal_query_returns_the_two_withdrawal_articles(seeds_index):
    results = seeds_index.query("انسحاب")
    assert {h.id for h in results.hits} == WITHDRAWAL_PAGES
    for hit in results.hits:
        assert "<mark>" in hit.snippet and "انسحاب" in hit.snippet


def test_every_seed_page_is_searchable_by_a_word_it_contains(seeds_index):
    for path in SEEDS.glob("*.txt"):
        assert seeds_index.get(path.stem) is not None
    assert len(seeds_index.query("البوكمال؟").hits) >= 2
