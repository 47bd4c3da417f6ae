"""Did you mean: indexed words close to query words that found little."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from cli import app
from search import SearchIndex


@pytest.fixture(scope="module")
def location(tmp_path_factory):
    location = tmp_path_factory.mktemp("suggest") / "ix"
    SearchIndex(location).add_records(
        [
            {"id": f"d{i}", "title": "البوكمال", "body": f"قصف مدينة البوكمال الحدودية والمناطق المحيطة {i}."}
            for i in range(4)
        ]
    )
    return location


def test_misspelled_word_gets_the_indexed_word(location):
    results = SearchIndex(location).query("البوكمل")
    assert results.suggestions and results.suggestions[0] == "البوكمال"


def test_no_suggestions_when_the_query_finds_plenty(location):
    assert SearchIndex(location).query("البوكمال").suggestions == []


def test_suggestions_in_terminal_and_json(location):
    runner = CliRunner()
    data = json.loads(runner.invoke(app, ["query", "البوكمل", "--json", "--index", str(location)]).stdout)
    assert data["suggestions"][0] == "البوكمال"
    out = runner.invoke(app, ["query", "البوكمل", "--index", str(location)]).stdout
    assert "هل تقصد" in out and "البوكمال" in out
