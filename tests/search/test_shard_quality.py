"""On arwikiqa (needs ../shared), a 3-shard index ranks as the 1-shard one: nDCG@10 within
0.002 and the same top 10 (ties aside) for at least 95 % of the first 200 dev queries.
benchmarks/shards.py runs the whole dev set."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from search import SearchIndex
from search.evaluate import read_qrels, read_queries, run_queries

REPO = Path(__file__).resolve().parents[2]
ARWIKIQA = REPO.parent / "shared" / "eval" / "arwikiqa"
QUERIES = 200

sys.path.insert(0, str(REPO / "benchmarks"))

pytestmark = pytest.mark.skipif(not ARWIKIQA.exists(), reason="../shared/eval/arwikiqa not present (fresh clone)")


def test_three_shards_rank_arwikiqa_as_one(tmp_path):
    from shards import compare_runs

    queries = read_queries(ARWIKIQA / "queries-dev.jsonl")[:QUERIES]
    qrels = read_qrels(ARWIKIQA / "qrels-dev.tsv")
    runs = []
    for shards in (1, 3):
        with SearchIndex(tmp_path / f"qa-{shards}", shards=shards) as ix:
            ix.add([ARWIKIQA / "corpus.jsonl"])
            assert ix.stats().shards == shards
            runs.append(run_queries(ix, queries)[0])
    compared = compare_runs(runs, qrels)
    one, three = compared["ndcg@10"]
    assert abs(one - three) <= 0.002 and one > 0.5
    assert compared["top10_agree_share"] >= 0.95
