"""Similar stories (search.similar): Python, the CLI and the web API."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

import cli
from search import DocumentMissing, SimilarSettings
from search.present.web import create_app
from search.similar import key_terms
from story_support import COPIES


def test_the_story_on_the_same_subject_comes_first_and_its_own_copies_never(story_ix):
    results = story_ix.similar("port-b")
    ids = [h.id for h in results.hits]
    assert ids[0] == "fishers"
    assert not COPIES & set(ids)
    assert not any(COPIES & {c.id for c in h.copies} for h in results.hits)


def test_other_stories_come_as_stories_with_their_copies(story_ix):
    results = story_ix.similar("fishers")
    story = results.hits[0]
    assert story.id in COPIES and {story.id} | {c.id for c in story.copies} == COPIES


def test_limit(story_ix):
    assert len(story_ix.similar("port-a", limit=1).hits) == 1


def test_a_missing_document_is_one_clear_error(story_ix):
    with pytest.raises(DocumentMissing, match="no document with id or file name 'nope'"):
        story_ix.similar("nope")


def test_key_terms_are_what_the_story_is_about(story_ix):
    with story_ix._searcher() as searcher:
        doc = searcher.document(id="fishers")
        terms = key_terms(searcher, doc["title"], doc["body"], SimilarSettings(terms=5))
    assert len(terms) <= 5 and terms  # common words are stop words; rare ones lead


def test_cli_prints_the_json_of_a_query(story_ix):
    runner = CliRunner()
    result = runner.invoke(cli.app, ["similar", "port-a", "--json", "--limit", "2", "--index", str(story_ix.location)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) >= {"query", "total", "documents", "hits"}
    assert len(data["hits"]) <= 2 and set(data["hits"][0]) >= {"id", "title", "snippet", "copies"}


def test_cli_missing_document_exits_like_show(story_ix, capsys, monkeypatch):
    monkeypatch.setattr("sys.argv", ["search", "similar", "nope", "--index", str(story_ix.location)])
    with pytest.raises(SystemExit) as stopped:
        cli.main()
    assert stopped.value.code == 1
    err = capsys.readouterr().err
    assert "no document with id or file name 'nope'" in err and "Traceback" not in err


def test_web_api_and_the_document_page(story_ix):
    client = TestClient(create_app(story_ix))
    data = client.get("/api/similar/fishers", params={"limit": 3}).json()
    assert data["hits"][0]["id"] in COPIES and len(data["hits"][0]["copies"]) == 2
    assert client.get("/api/similar/nope").status_code == 404
    page = client.get("/doc/fishers").text
    assert "قصص مشابهة" in page and "/doc/port-" in page


def test_web_results_page_lists_copies_expandable(story_ix):
    client = TestClient(create_app(story_ix))
    page = client.get("/", params={"q": "الميناء"}).text
    assert page.count('<details class="copies">') == 1
    data = client.get("/api/search", params={"q": "الميناء"}).json()
    assert sum(len(h["copies"]) for h in data["hits"]) == 2


def test_web_lists_every_copy_when_asked(story_ix):
    """copies=all is the page's and the API's --no-collapse; the page's links keep it."""
    client = TestClient(create_app(story_ix))
    data = client.get("/api/search", params={"q": "الميناء", "copies": "all"}).json()
    assert COPIES <= {h["id"] for h in data["hits"]}
    assert all(h["copies"] == [] for h in data["hits"])
    page = client.get("/", params={"q": "الميناء", "copies": "all"}).text
    assert '<details class="copies">' not in page
    assert 'name="copies" value="all" checked' in page
    assert client.get("/api/search", params={"q": "الميناء", "copies": "some"}).status_code == 400
