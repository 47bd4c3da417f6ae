"""An index without documents answers like a query without hits, everywhere: the library,
`search query` (text and JSON, with facets), `search eval`, stats and the web page.

Two ways to get one: an add whose only file could not be read (the index never had a
document, so it has no segment), and a folder emptied and added again (segments whose
documents are all deleted)."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from cli_support import run_main
from ingest_support import BODY, HEADLINE, write

from search import SearchIndex
from search.present.web import create_app

QUERY = "السواتر الترابية"


def _never_filled(tmp_path) -> SearchIndex:
    ix = SearchIndex(tmp_path / "ix")
    report = ix.add([write(tmp_path / "in" / "empty.txt", "")])
    assert report.failed == 1 and ix.exists()
    return ix


def _emptied(tmp_path) -> SearchIndex:
    ix = SearchIndex(tmp_path / "ix")
    page = write(tmp_path / "in" / "river.txt", HEADLINE + "\n\n" + BODY)
    assert ix.add([tmp_path / "in"]).added == 1
    page.unlink()
    assert ix.add([tmp_path / "in"]).removed == 1
    return ix


@pytest.fixture(params=[_never_filled, _emptied], ids=["never-filled", "emptied"])
def empty(request, tmp_path) -> SearchIndex:
    return request.param(tmp_path)


def test_the_library_answers_with_no_hits(empty):
    for sort in ("relevance", "date"):
        results = empty.query(QUERY, sort=sort, facets=True, since=None)
        assert (results.total, results.hits, results.empty_index) == (0, [], True)
        assert results.facets.sources == {} and (results.facets.no_source, results.facets.no_date) == (0, 0)
    assert empty.query('"السواتر الترابية" -نهر').total == 0
    assert empty.ranked(QUERY) == (0, [])
    assert empty.stats().documents == 0 and empty.stats().first_date is None
    assert empty.highlight(BODY, QUERY).count("<mark>") == 2


def test_a_filled_index_is_not_called_empty(tmp_path):
    ix = SearchIndex(tmp_path / "ix")
    ix.add([write(tmp_path / "in" / "river.txt", HEADLINE + "\n\n" + BODY)])
    assert not ix.query("الذهب").empty_index and not ix.query(QUERY).empty_index


def test_query_on_the_command_line_says_the_index_is_empty(empty, monkeypatch, capsys):
    code, out, err = run_main(monkeypatch, capsys, "query", QUERY, "--facets", "--index", str(empty.location))
    assert code == 0 and not err
    assert out.strip() == f"no documents in the index at {empty.location}: add some with `search index add PATH`"
    code, out, _ = run_main(monkeypatch, capsys, "query", QUERY, "--json", "--index", str(empty.location))
    data = json.loads(out)
    assert code == 0 and (data["total"], data["hits"]) == (0, [])


def test_a_query_with_nothing_to_look_for_is_still_refused(empty, monkeypatch, capsys):
    code, _, err = run_main(monkeypatch, capsys, "query", "في", "--index", str(empty.location))
    assert code == 2 and "nothing to search for" in err


def test_eval_and_stats_on_the_command_line(empty, monkeypatch, capsys, tmp_path):
    queries = write(tmp_path / "q.jsonl", json.dumps({"id": "1", "text": QUERY}, ensure_ascii=False) + "\n")
    qrels = write(tmp_path / "qrels.tsv", "1\triver\t1\n")
    code, out, err = run_main(monkeypatch, capsys, "eval", "--queries", str(queries), "--qrels", str(qrels),
                           "--json", "--index", str(empty.location))
    data = json.loads(out)
    assert code == 0 and "unexpected" not in err
    assert data["overall"]["nDCG@10"] == 0 and data["empty_queries"] == ["1"]
    code, out, _ = run_main(monkeypatch, capsys, "index", "stats", "--index", str(empty.location))
    assert code == 0 and "documents: 0" in out


def test_the_web_page_says_the_index_is_empty(empty):
    client = TestClient(create_app(empty))
    page = client.get("/", params={"q": QUERY})
    assert page.status_code == 200 and 'id="empty-index"' in page.text
    home = client.get("/")
    assert home.status_code == 200 and 'id="empty-index"' in home.text
    api = client.get("/api/search", params={"q": QUERY})
    assert api.status_code == 200 and (api.json()["total"], api.json()["hits"]) == (0, [])
