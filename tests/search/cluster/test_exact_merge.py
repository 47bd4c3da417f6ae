"""The coordinator's arithmetic without Dask: three shards held by ShardSearcher objects
in this process answer as a 1-shard index of the same documents, query by query. The
cluster tests (test_cluster.py) run the same code over real worker processes."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest

from index.build.shards import ShardMap, shard_of
from search import SearchIndex
from search.cluster.coordinator import Coordinator
from search.cluster.shard import ShardSearcher
from search.cluster.statistics import MissingFigures
from search.pipeline import Request, run_query
from search.query.synonyms import load as load_synonyms
from search.settings import RankingSettings
from cluster_support import QUERIES, same, write_corpus
from story_support import story_records


class InProcessShards:
    """What :class:`search.cluster.actors.ShardSet` offers the coordinator, with the
    actors' objects called directly."""

    def __init__(self, folders: list[Path], settings: RankingSettings):
        self.shards = {k: ShardSearcher(str(f), settings) for k, f in enumerate(folders)}
        self.missing: set[int] = set()

    def start_query(self) -> None:
        pass

    def live(self) -> list[int]:
        return sorted(self.shards)

    def call(self, method: str, args: dict[int, tuple]) -> dict:
        # Through pickle, as to and from a worker.
        return {k: pickle.loads(pickle.dumps(getattr(self.shards[k], method)(*pickle.loads(pickle.dumps(a)))))
                for k, a in args.items()}


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    """(a 1-shard SearchIndex, a coordinator over 3 in-process shards) of the same records."""
    folder = tmp_path_factory.mktemp("merge")
    records = [json.loads(line) for line in write_corpus(folder).read_text(encoding="utf-8").splitlines()]
    records += story_records()
    one = SearchIndex(folder / "one")
    one.add_records(records)
    folders = [folder / "three" / f"shard-{k:02d}" for k in range(3)]
    for k, shard in enumerate(folders):
        SearchIndex(shard).add_records([r for r in records if shard_of(r["id"], 3) == k])
    ShardMap(folder / "three").create(3)
    settings = RankingSettings()
    coordinator = Coordinator(InProcessShards(folders, settings), settings, load_synonyms(None, use_default=True))
    return one, coordinator


def _ask(coordinator: Coordinator, text: str, **options):
    return coordinator.run(Request(text, **options))


@pytest.mark.parametrize("options", [{"collapse": False}, {"sort": "date", "collapse": False},
                                     {"facets": True, "limit": 30, "collapse": False},
                                     {"brief": True, "limit": 100, "collapse": False}])
def test_three_shards_rank_as_one_index(pair, options):
    one, coordinator = pair
    for text in QUERIES + ["تحقيقات الميناء", "الميناءالجديد", "الحكومت الرياظ", "وزيرالخارجية"]:
        request = Request(text, **options)
        a = run_query(request, one.settings, one.synonyms, one._searcher)
        b = coordinator.run(request)
        same(a, b)
        assert (a.facets, a.expansions) == (b.facets, b.expansions)


def test_a_shard_lacking_figures_gets_them_and_ranks_thesame(pair, monkeypatch):
    one, coordinator = pair
    coordinator._collection = None  # forget every figure fetched so far
    monkeypatch.setattr(coordinator, "_terms", lambda parsed: set())  # send none: the shards must ask
    for text in QUERIES[:4]:
        same(one.query(text, collapse=False), _ask(coordinator, text, collapse=False))


def test_missing_figures_travel_back_from_a_worker():
    lacking = MissingFigures({("body", "كلمة".encode())})
    assert pickle.loads(pickle.dumps(lacking)).keys == lacking.keys
