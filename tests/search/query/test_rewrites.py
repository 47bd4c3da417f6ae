"""What the engine searches instead of what was typed, and says so (``Results.rewrites``):
words typed without a space (search.query.joined) and quoted phrases that no document holds."""

from __future__ import annotations

import io
import json

import pytest

from ingest_support import records_index

from search.query.joined import _cuts
from search.settings import JoinedSettings
from search.present.terminal import Terminal

RECORDS = [
    {"id": "sea", "title": "البحر الميت", "body": "تراجع منسوب البحر الميت مترا في عام 2010 وفق تقرير جديد"},
    {"id": "oil", "title": "اقتصاد", "body": "ارتفعت أسعار النفط اليوم في الأسواق"},
    {"id": "apart", "title": "اقتصاد", "body": "تراجع إنتاج النفط بينما استقرت أسعار الذهب"},
    {"id": "year", "title": "رياضة", "body": "فاز المنتخب بلقب البطولة لعام 2006 بعد مباراة صعبة"},
]


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    return records_index(tmp_path_factory, "rewrites", RECORDS)


def ids(results) -> list[str]:
    return [h.id for h in results.hits]


# Where a space may be missing: before a second article, between letters and digits.
@pytest.mark.parametrize(
    ("word", "halves"),
    [
        ("البحرالميت", ["البحر", "الميت"]),
        ("عبدالسلام", ["عبد", "السلام"]),
        ("تتطورالاعراض", ["تتطور", "الاعراض"]),
        ("لعام2006", ["لعام", "2006"]),
        ("2006لعام", ["2006", "لعام"]),
    ],
)
def test_joined_words_are_cut_where_a_space_is_missing(word, halves):
    assert [[word[:c], word[c:]] for c in _cuts(word, JoinedSettings())] == [halves]


# Never cut: a particle or a bare article would be a half (a verb's prefix, a word's own ال).
@pytest.mark.parametrize("word", ["سيتنحي", "الخنفي", "ستنطلق", "الالتماس", "ال20", "و2005", "1999و2005"])
def test_words_are_not_cut_elsewhere(word):
    assert _cuts(word, JoinedSettings()) == []


def test_a_joined_word_finds_the_two_words_and_says_so(index):
    results = index.query("منسوب البحرالميت")
    assert ids(results)[0] == "sea"
    assert results.rewrites == [{"typed": "البحرالميت", "searched": "البحر الميت"}]
    assert ids(index.query("لعام2006"))[0] == "year"


def test_a_known_word_is_never_split(index):
    assert index.query("الميت").rewrites == []


def test_a_phrase_finds_only_adjacent_words(index):
    results = index.query('"أسعار النفط"')
    assert ids(results) == ["oil"] and results.rewrites == []


def test_a_phrase_no_document_holds_is_searched_as_words(index):
    results = index.query('"أسعار الفضة النفط"')
    assert set(ids(results)) == {"oil", "apart"}
    assert results.rewrites == [{"typed": '"أسعار الفضة النفط"', "searched": "أسعار الفضة النفط"}]


def test_exclusions_stay_when_phrases_are_relaxed(index):
    results = index.query('"أسعار الفضة النفط" -الذهب')
    assert ids(results) == ["oil"]


def test_nothing_found_either_way_reports_no_rewrite(index):
    results = index.query('"كلمات لا توجد"')
    assert results.total == 0 and results.rewrites == []


def test_rewrites_are_shown_in_json_and_in_the_terminal(index):
    results = index.query("منسوب البحرالميت")
    assert json.loads(json.dumps(results.to_json()))["rewrites"] == results.rewrites
    out = io.StringIO()
    Terminal(stdout=out, stderr=io.StringIO(), color=False).results(results)
    assert "searched for: البحر الميت (typed: البحرالميت)" in out.getvalue()
