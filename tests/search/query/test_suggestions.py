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


def test_corrections_fewest_edits_first_then_most_frequent(tmp_path):
    from search.query.suggestions import corrections

    ix = SearchIndex(tmp_path / "ix")
    bodies = ["زيارة مكتبه الجامعة"] * 3 + ["افتتاح مكتب جديد", "مكاتب الشركة", "مكتبات المدينة", "مكتبتنا العامة"]
    ix.add_records([{"id": f"m{i}", "title": "خبر", "body": b} for i, b in enumerate(bodies)])
    with ix._searcher() as searcher:
        found = corrections(searcher.reader(), "body_exact", "مكتبي", 5)
    # مكتبه and مكتب are one edit away (مكتبه in more documents), مكاتب and مكتبات two
    # (equal frequency: alphabetical), مكتبتنا three: too far.
    assert found == ["مكتبه", "مكتب", "مكاتب", "مكتبات"]


def test_one_scan_per_word_serves_every_number_of_edits(location, monkeypatch):
    from search.query import suggestions

    scans = []
    real_scan = suggestions._scan
    monkeypatch.setattr(suggestions, "_scan", lambda *args: scans.append(args) or real_scan(*args))
    with SearchIndex(location)._searcher() as searcher:
        reader = searcher.reader()
        two = suggestions.corrections(reader, "body_exact", "البوكمل", None, 2)
        one = suggestions.corrections(reader, "body_exact", "البوكمل", None, 1)
    assert len(scans) == 1
    assert one == ["البوكمال"] and two[0] == "البوكمال" and set(one) <= set(two)
    with pytest.raises(ValueError):
        suggestions.corrections(reader, "body_exact", "البوكمل", None, suggestions.MAX_EDITS + 1)
