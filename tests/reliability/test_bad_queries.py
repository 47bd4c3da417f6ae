"""Bad queries: a clear one-line message with exit code 2, or a sensible literal
search with exit code 0; never a traceback (exit code 3 means one slipped through)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from index.errors import QueryError
from reliability_helpers import REPO, run_main, subprocess_env
from search import SearchIndex

ARTICLES = {
    "withdrawal": ("انسحاب القوات من المدينة", "أعلنت الحكومة انسحاب القوات من المدينة بعد المفاوضات."),
    "oil": ("ارتفاع أسعار النفط", "ارتفعت أسعار النفط في الأسواق بعد قرار الحكومة."),
    "snow": ("الثلوج في الجنوب", "تساقطت الثلوج على قرى الجنوب وانقطعت الكهرباء."),
}

#: query → "search" (exit 0, a literal search) or "refuse" (exit 2, one clear line).
CASES = {
    '"انسحاب القوات': "search",  # unclosed quote: the phrase runs to the end
    'انسحاب "': "search",
    "(انسحاب": "search",  # parentheses are text, not syntax
    "انسحاب)) ((": "search",
    "AND": "search",  # operators are ordinary words
    "OR": "search",
    "NOT": "search",
    "انسحاب AND OR NOT": "search",
    "-": "refuse",  # nothing left to look for
    "- -": "refuse",
    "-انسحاب": "refuse",  # only an exclusion
    "من في على إلى": "refuse",  # only stop words
    "؟!،«»": "refuse",  # only punctuation
    "انسحاب " * 1429 + "ا": "search",  # 10,000 characters
    "ب" * 10_000: "search",  # one 10,000-letter word
    "foo:bar": "search",  # unknown field: literal words
    "title:انسحاب": "search",
    "date:2019-99-99": "search",
    "*": "refuse",
    "انسح*": "search",
    "\x00\x01": "refuse",
}


@pytest.fixture(scope="module")
def index(tmp_path_factory) -> Path:
    location = tmp_path_factory.mktemp("queries") / "ix"
    SearchIndex(location).add_records(
        {"id": key, "title": title, "body": body, "date": "2019-03-01"} for key, (title, body) in ARTICLES.items()
    )
    return location


@pytest.mark.parametrize("text", list(CASES), ids=[repr(t[:20]) for t in CASES])
def test_bad_query_through_the_console_entry(index, text):
    code, out, err = run_main("query", text, "--index", str(index), "--json")
    assert "Traceback" not in err + out
    if CASES[text] == "search":
        assert code == 0, err
        assert json.loads(out)["query"] == text
    else:
        assert code == 2
        assert err.startswith("error: ") and len(err.strip().splitlines()) == 1


def test_literal_search_still_finds_the_words(index):
    for text in ('"انسحاب القوات', "(انسحاب", "انسحاب AND OR NOT", "title:انسحاب"):
        code, out, _ = run_main("query", text, "--index", str(index), "--json")
        assert code == 0 and [h["id"] for h in json.loads(out)["hits"]][:1] == ["withdrawal"], text


@pytest.mark.parametrize(
    "options",
    [
        ["--since", "2019-13-45"],
        ["--until", "yesterday"],
        ["--since", "2020-01-01", "--until", "2019-01-01"],
        ["--sort", "sideways"],
    ],
)
def test_invalid_dates_and_options_are_one_line_exit_2(index, options):
    code, _, err = run_main("query", "انسحاب", "--index", str(index), *options)
    assert code == 2
    assert err.startswith("error: ") and len(err.strip().splitlines()) == 1


def test_cli_runner_sees_our_error_not_a_crash(index):
    """Through typer's CliRunner (which bypasses ``main``) a refused query surfaces as
    our QueryError, the class ``main`` prints as one line, and a good one exits 0."""
    runner = CliRunner()
    refused = runner.invoke(app, ["query", "من في على", "--index", str(index)])
    assert isinstance(refused.exception, QueryError)
    fine = runner.invoke(app, ["query", '"انسحاب (القوات', "--index", str(index), "--json"])
    assert fine.exit_code == 0, fine.output
    assert json.loads(fine.stdout)["total"] >= 1


@pytest.mark.parametrize("text,expected", [('"انسحاب (', 0), ("-", 2)])
def test_bad_query_in_a_real_subprocess(index, text, expected):
    done = subprocess.run(
        [sys.executable, "-m", "cli", "query", text, "--index", str(index)],
        cwd=REPO, env=subprocess_env(), capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == expected, done.stderr
    assert "Traceback" not in done.stderr


def test_usage_error_is_exit_2_without_traceback(index):
    code, _, err = run_main("query", "انسحاب", "--limit", "many", "--index", str(index))
    assert code == 2
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert "--limit" in err and "search query --help" in err


def test_missing_index_is_one_line_exit_1(tmp_path):
    code, _, err = run_main("query", "انسحاب", "--index", str(tmp_path / "nowhere"))
    assert code == 1
    assert "search index add" in err and len(err.strip().splitlines()) == 1
