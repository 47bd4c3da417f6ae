"""`search eval`: queries through the query path, a TREC run, ir-measures metrics."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from cli import app
from search import SearchIndex
from search.evaluate import EvalInputError, evaluate, read_qrels, read_queries
from quality_corpus import QRELS, write_corpus, write_eval_files


@pytest.fixture(scope="module")
def indexed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("eval")
    location = folder / "ix"
    SearchIndex(location).add([write_corpus(folder)])
    return folder, location


def test_eval_writes_a_trec_run_in_the_order_query_shows(indexed, tmp_path):
    folder, location = indexed
    queries, qrels = write_eval_files(tmp_path)
    run = tmp_path / "run.txt"
    with SearchIndex(location) as ix:
        evaluate(ix, queries, qrels, run_path=run)
        lines = [line.split() for line in run.read_text(encoding="utf-8").splitlines()]
        by_query: dict[str, list[list[str]]] = {}
        for parts in lines:
            assert len(parts) == 6 and parts[1] == "Q0"
            by_query.setdefault(parts[0], []).append(parts)
        for qid, rows in by_query.items():
            assert [int(r[3]) for r in rows] == list(range(1, len(rows) + 1))
            scores = [float(r[4]) for r in rows]
            assert scores == sorted(scores, reverse=True) and len(set(scores)) == len(scores)
            text = next(q["text"] for q in map(json.loads, queries.read_text(encoding="utf-8").splitlines()) if q["id"] == qid)
            assert [r[2] for r in rows] == [h.id for h in ix.query(text, limit=100).hits]
    assert "sport-2" not in by_query  # found nothing: no line in the run


def test_eval_metrics_overall_and_per_prefix(indexed, tmp_path):
    _, location = indexed
    queries, qrels = write_eval_files(tmp_path)
    with SearchIndex(location) as ix:
        result = evaluate(ix, queries, qrels)
    # Three queries find their passage first; the fourth finds nothing and counts as 0.
    assert result.overall.queries == len(QRELS)
    assert result.overall.values["RR@10"] == pytest.approx(0.75)
    assert result.overall.values["R@100"] == pytest.approx(0.75)
    assert result.by_prefix["news"].values["nDCG@10"] == pytest.approx(1.0)
    assert result.by_prefix["sport"].values["RR@10"] == pytest.approx(0.5)
    assert result.empty_queries == ["sport-2"]


def test_eval_cli_json_and_run(indexed, tmp_path):
    _, location = indexed
    queries, qrels = write_eval_files(tmp_path)
    run = tmp_path / "run.txt"
    result = CliRunner().invoke(
        app, ["eval", "--queries", str(queries), "--qrels", str(qrels), "--run", str(run), "--json", "--index", str(location)]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data["overall"]) == {"queries", "RR@10", "nDCG@10", "R@100"}
    assert set(data["by_prefix"]) == {"news", "sport"}
    assert run.exists()


def test_bad_input_files_say_which_line(tmp_path):
    queries = tmp_path / "q.jsonl"
    queries.write_text('{"id": "a", "text": "نص"}\nnot json\n', encoding="utf-8")
    with pytest.raises(EvalInputError, match=r"q.jsonl:2"):
        read_queries(queries)
    qrels = tmp_path / "qrels.tsv"
    qrels.write_text("a\tb\n", encoding="utf-8")
    with pytest.raises(EvalInputError, match=r"qrels.tsv:1"):
        read_qrels(qrels)
    with pytest.raises(EvalInputError, match="no such file"):
        read_qrels(tmp_path / "missing.tsv")
