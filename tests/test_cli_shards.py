"""Every command on a 3-shard index made with `search index add --shards 3`, against the
same files in one shard: the same output, `index stats` saying how many shards."""

from __future__ import annotations

import json

import pytest
from cli_support import run_main
from fastapi.testclient import TestClient

from search import SearchIndex
from search.present.web import create_app
from shard_support import shard_records


@pytest.fixture
def indexes(tmp_path, monkeypatch, capsys):
    """(one shard, three shards) over the same JSONL files, both made from the command line."""
    folder = tmp_path / "in"
    folder.mkdir()
    records = shard_records()
    for n, part in enumerate((records[:80], records[80:])):
        (folder / f"part-{n}.jsonl").write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in part), encoding="utf-8"
        )
    one, three = tmp_path / "one", tmp_path / "three"
    assert run_main(monkeypatch, capsys, "index", "add", str(folder / "part-0.jsonl"), "--index", str(one))[0] == 0
    assert run_main(monkeypatch, capsys, "index", "add", str(folder / "part-0.jsonl"), "--index", str(three),
                    "--shards", "3")[0] == 0
    for index in (one, three):  # a later add: no --shards, the index keeps its number
        assert run_main(monkeypatch, capsys, "index", "add", str(folder / "part-1.jsonl"), "--index", str(index))[0] == 0
    return one, three


def _both(monkeypatch, capsys, indexes, *args: str) -> tuple[dict, dict]:
    outputs = []
    for index in indexes:
        code, out, err = run_main(monkeypatch, capsys, *args, "--index", str(index))
        assert code == 0, err
        outputs.append(json.loads(out))
    return outputs[0], outputs[1]


def _hits(answer: dict) -> list:
    return sorted((round(h["score"], 6), h["id"], h["snippet"], tuple(c["id"] for c in h["copies"])) for h in answer["hits"])


def test_stats_say_how_many_shards(monkeypatch, capsys, indexes):
    one, three = _both(monkeypatch, capsys, indexes, "index", "stats", "--json")
    assert (one["shards"], three["shards"]) == (1, 3)
    assert one["documents"] == three["documents"] == len(shard_records())
    assert one["sources"] == three["sources"]
    lines = []
    for index in indexes:
        code, out, _ = run_main(monkeypatch, capsys, "index", "stats", "--index", str(index))
        assert code == 0
        lines.append([line for line in out.splitlines() if line.startswith("shards:")])
    assert lines == [[], ["shards:    3"]]  # an unsharded index says nothing of shards


def test_another_number_of_shards_is_one_line(monkeypatch, capsys, indexes, tmp_path):
    code, _, err = run_main(monkeypatch, capsys, "index", "add", str(tmp_path / "in"), "--index", str(indexes[1]),
                            "--shards", "2")
    assert code == 2 and len(err.strip().splitlines()) == 1 and "3 shards" in err


@pytest.mark.parametrize("args", [
    ["query", "انسحاب القوات", "--json"],
    ["query", "الميناء الجديد", "--json", "--facets"],
    ["query", "النفط", "--json", "--source", "wire-b", "--sort", "date"],
    ["query", "المنتخب", "--json", "--no-collapse", "--since", "2023-03-01"],
    ["similar", "port-a", "--json"],
    ["similar", "war-0", "--json", "--limit", "4"],
])
def test_query_and_similar_answer_as_one_index(monkeypatch, capsys, indexes, args):
    one, three = _both(monkeypatch, capsys, indexes, *args)
    assert one["hits"] and _hits(three) == _hits(one)
    assert {k: v for k, v in three.items() if k != "hits"} == {k: v for k, v in one.items() if k != "hits"}


def test_show_and_rebuild(monkeypatch, capsys, indexes):
    assert _both(monkeypatch, capsys, indexes, "show", "port-c", "--json")[1]["id"] == "port-c"
    one, three = _both(monkeypatch, capsys, indexes, "show", "port-c", "--json")
    assert one == three
    code, _, err = run_main(monkeypatch, capsys, "index", "rebuild", "--index", str(indexes[1]))
    assert code == 0, err
    one, three = _both(monkeypatch, capsys, indexes, "query", "الميناء", "--json")
    assert _hits(three) == _hits(one)
    assert _both(monkeypatch, capsys, indexes, "index", "stats", "--json")[1]["shards"] == 3


def test_eval_scores_as_one_index(monkeypatch, capsys, indexes, tmp_path):
    queries, qrels = tmp_path / "q.jsonl", tmp_path / "qrels.tsv"
    asked = [("q1", "انسحاب القوات", "war-0"), ("q2", "أسعار النفط", "economy-2"), ("q3", "الميناء الجديد", "port-c")]
    queries.write_text("".join(json.dumps({"id": q, "text": t}, ensure_ascii=False) + "\n" for q, t, _ in asked),
                       encoding="utf-8")
    qrels.write_text("".join(f"{q}\t{d}\t1\n" for q, _, d in asked), encoding="utf-8")
    one, three = _both(monkeypatch, capsys, indexes, "eval", "--queries", str(queries), "--qrels", str(qrels), "--json")
    assert one == three


def test_the_web_page_answers_as_one_index(indexes):
    clients = [TestClient(create_app(SearchIndex(index))) for index in indexes]
    for path, params in [("/api/search", {"q": "الميناء"}), ("/api/doc/port-b", {}), ("/api/similar/port-a", {})]:
        one, three = (client.get(path, params=params).json() for client in clients)
        if "hits" in one:
            assert _hits(three) == _hits(one)
            one.pop("hits"), three.pop("hits")
        assert one == three
    assert "الميناء" in clients[1].get("/", params={"q": "الميناء"}).text
