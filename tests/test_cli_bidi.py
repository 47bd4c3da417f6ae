"""``--bidi`` and SEARCH_BIDI from the command line: Arabic shaped and in visual order for
terminals without right-to-left support, only when asked, and never in JSON."""

from __future__ import annotations

import json
import re
import sys

import pytest
from typer.testing import CliRunner

import cli
from search.present.bidi import visual_line

PRESENTATION_FORMS = re.compile("[\ufe70-\ufeff]")
QUERY = "انسحاب الرقة"


def run(*args: str):
    return CliRunner().invoke(cli.app, list(args), catch_exceptions=False)


def run_main(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    """The console-script entry point, which prints the error lines."""
    monkeypatch.setattr(sys, "argv", ["search", *args])
    with pytest.raises(SystemExit) as exit_info:
        cli.main()
    out, err = capsys.readouterr()
    return exit_info.value.code, out, err


def shaped(text: str) -> bool:
    return bool(PRESENTATION_FORMS.search(text))


@pytest.fixture
def indexed(corpus, index_dir):
    assert run("index", "add", str(corpus), "--index", str(index_dir)).exit_code == 0
    return index_dir


def test_query_is_shaped_with_bidi_and_not_without(indexed):
    with_bidi = run("query", QUERY, "--index", str(indexed), "--bidi")
    assert with_bidi.exit_code == 0 and shaped(with_bidi.output)
    assert visual_line("تقرير عن الوضع في الرقة") in with_bidi.output
    assert "of 3 matching documents" in with_bidi.output
    without = run("query", QUERY, "--index", str(indexed))
    assert not shaped(without.output) and "تقرير عن الوضع في الرقة" in without.output


def test_json_is_the_same_with_bidi(indexed):
    plain = run("query", QUERY, "--index", str(indexed), "--json").output
    assert run("query", QUERY, "--index", str(indexed), "--json", "--bidi").output == plain
    assert run("--bidi", "query", QUERY, "--index", str(indexed), "--json").output == plain
    assert "<mark>" in json.loads(plain)["hits"][0]["snippet"]
    assert not shaped(run("show", "rec-1", "--index", str(indexed), "--json", "--bidi").output)


@pytest.mark.parametrize(
    ("env", "flags", "expected"),
    [
        ("1", [], True),
        ("0", [], False),
        ("1", ["--no-bidi"], False),  # the flag wins
        ("0", ["--bidi"], True),
        (None, [], False),  # off by default
    ],
)
def test_search_bidi_env_var(indexed, monkeypatch, env, flags, expected):
    if env is None:
        monkeypatch.delenv("SEARCH_BIDI", raising=False)
    else:
        monkeypatch.setenv("SEARCH_BIDI", env)
    result = run("query", QUERY, "--index", str(indexed), *flags)
    assert result.exit_code == 0 and shaped(result.output) is expected


def test_global_flag_applies_to_the_command_and_the_command_flag_wins(indexed):
    assert shaped(run("--bidi", "query", QUERY, "--index", str(indexed)).output)
    assert not shaped(run("--bidi", "query", QUERY, "--index", str(indexed), "--no-bidi").output)
    assert not shaped(run("query", QUERY, "--index", str(indexed)).output)  # nothing left over from the last run


def test_show_and_analyze_with_bidi(indexed):
    shown = run("show", "rec-1", "--index", str(indexed), "--bidi").output
    assert visual_line("مفاوضات لتبادل الأسرى") in shown and "id: rec-1" in shown
    tokens = run("analyze", "من «الرقة»", "--bidi").output
    # A table row stays left to right, each column turned on its own: typed, then its term.
    assert f"{visual_line('الرقة')}  →  {visual_line('رقه')}" in tokens


def test_an_error_quoting_arabic_is_turned(monkeypatch, capsys, indexed):
    code, _, err = run_main(monkeypatch, capsys, "show", "الرقة", "--index", str(indexed), "--bidi")
    assert code == 1 and visual_line("الرقة") in err
