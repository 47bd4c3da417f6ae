"""A sharded index answers every query exactly as one index of the same documents:
same hits, scores, snippets, copies, totals, facets, expansions and suggestions
(ties aside: documents of equal score may come in another order)."""

from __future__ import annotations

import datetime as dt
from itertools import groupby

import pytest

from index.build.shards import shard_of
from search import SearchIndex
from shard_support import QUERIES, shard_records

SHARDS = 3


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    """The same records as one shard and as three."""
    base = tmp_path_factory.mktemp("shards")
    records = shard_records()
    one, three = SearchIndex(base / "one"), SearchIndex(base / "three", shards=SHARDS)
    one.add_records(records)
    three.add_records(records)
    yield one, three
    one.close()
    three.close()


def _options(options: dict) -> dict:
    return {k: dt.date.fromisoformat(v) if k in ("since", "until") else v for k, v in options.items()}


def _answer(results, by_date: bool = False) -> dict:
    """What a query answers, hits grouped by equal (rounded) score, and by date too when
    sorted by date: within a group their order is not part of the answer."""

    def key(hit):
        return (hit.date if by_date else None, round(hit.score, 6))

    ranked = [
        (k, sorted((h.id, h.title, h.snippet, h.source, h.date, tuple(c.id for c in h.copies)) for h in group))
        for k, group in groupby(results.hits, key=key)
    ]
    return {
        "ranked": ranked, "total": results.total, "documents": results.documents, "facets": results.facets,
        "expansions": results.expansions, "suggestions": results.suggestions, "rewrites": results.rewrites,
    }


def test_the_records_are_spread_over_every_shard(pair):
    one, three = pair
    records = shard_records()
    assert {shard_of(r["id"], SHARDS) for r in records} == set(range(SHARDS))
    assert three.stats().documents == one.stats().documents == len(records)


@pytest.mark.parametrize("text,options", QUERIES, ids=[q for q, _ in QUERIES])
def test_every_query_answers_as_one_index(pair, text, options):
    one, three = pair
    options = {"limit": 50, **_options(options)}
    expected, got = one.query(text, **options), three.query(text, **options)
    assert expected.hits, f"{text!r} finds nothing: the table should test something"
    assert _answer(got, options.get("sort") == "date") == _answer(expected, options.get("sort") == "date")


@pytest.mark.parametrize("text", [q for q, o in QUERIES if not o])
def test_ranked_lists_every_document_with_the_same_scores(pair, text):
    one, three = pair
    total_one, ranked_one = one.ranked(text, limit=100)
    total_three, ranked_three = three.ranked(text, limit=100)
    assert total_three == total_one
    grouped = [sorted((round(s, 6), i) for i, s in ranked) for ranked in (ranked_one, ranked_three)]
    assert grouped[0] == grouped[1]


@pytest.mark.parametrize("doc_id", ["port-a", "war-0", "economy-2", "sport-3", "vaccine"])
def test_similar_and_get_answer_as_one_index(pair, doc_id):
    one, three = pair
    assert _answer(three.similar(doc_id, limit=8)) == _answer(one.similar(doc_id, limit=8))
    assert three.get(doc_id) == one.get(doc_id)


def test_copies_in_other_shards_are_one_story(pair):
    """The agency story's copies live in several shards and still share one story."""
    _, three = pair
    story = {"port-a", "port-b", "port-c", "port-d", "port-e"}
    assert len({shard_of(i, SHARDS) for i in story}) > 1
    hits = three.query("الميناء الجديد في الساحل الشرقي", limit=20).hits
    grouped = [h for h in hits if h.id in story]
    assert len(grouped) == 1
    assert {grouped[0].id, *(c.id for c in grouped[0].copies)} == story


def test_stats_count_the_shards(pair):
    one, three = pair
    assert one.stats().shards == 1 and three.stats().shards == SHARDS
    a, b = one.stats().to_json(), three.stats().to_json()
    for key in ("documents", "sources", "first_date", "last_date"):
        assert a[key] == b[key]
    assert b["shards"] == SHARDS
