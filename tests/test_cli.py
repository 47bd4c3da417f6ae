"""The ``search`` command through typer's CliRunner, and its error handling through ``main``."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

import cli
from cli_support import run_main

runner = CliRunner()


def run(*args: str):
    result = runner.invoke(cli.app, list(args), catch_exceptions=False)
    return result


@pytest.fixture
def indexed(corpus, index_dir):
    result = run("index", "add", str(corpus), "--index", str(index_dir))
    assert result.exit_code == 0, result.output
    return index_dir


def test_add_prints_a_summary(corpus, index_dir):
    result = run("index", "add", str(corpus), "--index", str(index_dir))
    assert "6 added, 0 updated, 0 unchanged" in result.output
    again = run("index", "add", str(corpus), "--index", str(index_dir))
    assert "0 added, 0 updated, 6 unchanged" in again.output


def test_query_text_output(indexed):
    result = run("query", "انسحاب الرقة", "--index", str(indexed))
    assert result.exit_code == 0
    first = result.output.splitlines()[0]
    assert "تقرير عن الوضع في الرقة" in first
    assert "of 3 matching documents" in result.output


def test_query_json_shape(indexed):
    result = run("query", "انسحاب", "--index", str(indexed), "--json", "--limit", "2")
    data = json.loads(result.output)
    assert data["query"] == "انسحاب" and data["total"] == 3 and len(data["hits"]) == 2
    hit = data["hits"][0]
    assert set(hit) == {"id", "title", "source", "date", "score", "snippet", "path", "url", "copies"}
    assert "<mark>" in hit["snippet"]
    assert hit["date"] is None or len(hit["date"]) == 10


def test_query_filters_from_the_command_line(indexed):
    result = run(
        "query", "انسحاب", "--index", str(indexed), "--json",
        "--source", "desert-news", "--since", "2018-01-01", "--sort", "date",
    )
    assert [h["id"] for h in json.loads(result.output)["hits"]] == ["rec-1"]


def test_env_var_selects_the_index(indexed, monkeypatch):
    monkeypatch.setenv("SEARCH_INDEX", str(indexed))
    result = run("query", "النفط", "--json")
    assert json.loads(result.output)["hits"][0]["id"] == "economy"


def test_show_json(indexed):
    data = json.loads(run("show", "rec-1", "--index", str(indexed), "--json").output)
    assert data["id"] == "rec-1" and data["url"] == "https://example.org/rec-1"
    assert data["date"] == "2018-01-05" and "body" in data


def test_stats_json(indexed):
    data = json.loads(run("index", "stats", "--index", str(indexed), "--json").output)
    assert data["documents"] == 6
    assert data["sources"]["test-wire"] == 2


def test_rebuild(indexed):
    result = run("index", "rebuild", "--index", str(indexed))
    assert result.exit_code == 0 and "6 added" in result.output


def test_analyze_json_offsets():
    text = "الانْسِحَابُ من «الرقة»"
    tokens = json.loads(run("analyze", text, "--json").output)
    assert [set(t) for t in tokens] == [{"text", "start", "end"}] * 2
    assert [text[t["start"] : t["end"]] for t in tokens] == ["الانْسِحَابُ", "الرقة"]


def test_missing_index_is_one_line_and_exit_1(monkeypatch, capsys, tmp_path):
    code, out, err = run_main(monkeypatch, capsys, "query", "انسحاب", "--index", str(tmp_path / "none"))
    assert code == 1
    assert err.count("\n") == 1 and "search index add" in err and "Traceback" not in err


def test_bad_date_is_one_line_and_exit_2(monkeypatch, capsys, indexed):
    code, _, err = run_main(monkeypatch, capsys, "query", "انسحاب", "--since", "yesterday", "--index", str(indexed))
    assert code == 2 and "YYYY-MM-DD" in err and err.count("\n") == 1


def test_missing_files_are_reported_and_exit_1(monkeypatch, capsys, corpus, index_dir):
    code, _, err = run_main(monkeypatch, capsys, "index", "add", str(corpus), str(corpus / "nope.txt"), "--index", str(index_dir))
    assert code == 1
    assert "nope.txt" in err and "6 added" in err


def test_unknown_document_is_exit_1(monkeypatch, capsys, indexed):
    code, _, err = run_main(monkeypatch, capsys, "show", "nope", "--index", str(indexed))
    assert code == 1 and "nope" in err
