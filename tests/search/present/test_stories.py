"""Syndicated copies shown once (search.present.stories): from Python, the CLI and JSON."""

from __future__ import annotations

import json
from io import StringIO

from typer.testing import CliRunner

import cli
from search import Terminal
from story_support import COPIES


def test_copies_are_one_hit_listing_the_others(story_ix):
    results = story_ix.query("الميناء")
    ids = [h.id for h in results.hits]
    assert len(COPIES & set(ids)) == 1  # the story once
    story = next(h for h in results.hits if h.id in COPIES)
    assert {c.id for c in story.copies} | {story.id} == COPIES
    assert [c.date for c in story.copies] == sorted(c.date for c in story.copies)  # oldest first
    assert "fishers" in ids  # the same subject by other hands is another story
    assert results.total == 3 and results.documents == 5


def test_no_collapse_lists_every_copy_as_its_own_hit(story_ix):
    results = story_ix.query("الميناء", collapse=False)
    assert COPIES <= {h.id for h in results.hits}
    assert all(h.copies == [] for h in results.hits)
    assert results.total == results.documents == 5


def test_ranked_and_evaluation_see_every_document(story_ix):
    total, ranked = story_ix.ranked("الميناء", limit=10)
    assert total == 5 and COPIES <= {doc_id for doc_id, _ in ranked}


def test_pages_never_repeat_a_story(story_ix):
    first = story_ix.query("الميناء", limit=1)
    rest = story_ix.query("الميناء", limit=10, offset=1)
    shown = [first.hits[0].id, *(h.id for h in rest.hits)]
    assert len(shown) == 3 and len(COPIES & set(shown)) == 1


def test_json_gives_every_hit_its_copies(story_ix, tmp_path):
    result = CliRunner().invoke(cli.app, ["query", "الميناء", "--json", "--index", str(story_ix.location)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["total"] == 3 and data["documents"] == 5
    story = next(h for h in data["hits"] if h["id"] in COPIES)
    assert len(story["copies"]) == 2
    assert set(story["copies"][0]) == {"id", "title", "source", "date"}
    assert all(h["copies"] == [] for h in data["hits"] if h["id"] not in COPIES)


def test_cli_no_collapse(story_ix):
    result = CliRunner().invoke(cli.app, ["query", "الميناء", "--json", "--no-collapse", "--index", str(story_ix.location)])
    assert result.exit_code == 0, result.output
    assert COPIES <= {h["id"] for h in json.loads(result.output)["hits"]}


def test_terminal_names_the_outlets_of_the_copies(story_ix):
    out = StringIO()
    Terminal(stdout=out, color=False).results(story_ix.query("الميناء"))
    text = out.getvalue()
    story = next(h for h in story_ix.query("الميناء").hits if h.id in COPIES)
    names = ", ".join(c.source for c in story.copies)
    assert f"+ 2 copies: {names}" in text
    assert "3 of 3 matching stories (5 documents)" in text


def test_filters_count_stories_among_what_they_keep(story_ix):
    results = story_ix.query("الميناء", source="agency-c")
    assert [h.id for h in results.hits] == ["port-c"]
    assert {c.id for c in results.hits[0].copies} == {"port-a", "port-b"}  # the same article elsewhere
    assert results.total == results.documents == 1
