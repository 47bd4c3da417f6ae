"""News vocabulary: synonym groups, phrase names, user files, visible expansion."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from cli import app
from search import SearchIndex
from search.query.parse import parse
from search.query.synonyms import SynonymsError, default_synonyms, load


@pytest.fixture(scope="module")
def location(tmp_path_factory):
    location = tmp_path_factory.mktemp("synonyms") / "ix"
    SearchIndex(location).add_records(
        [
            {"id": "phrase", "title": "مفاوضات الانسحاب", "body": "تجري مفاوضات مع تنظيم «الدولة» من أجل انسحاب عناصره من المدينة."},
            {"id": "apart", "title": "تنظيم المرور", "body": "أعلنت الدولة خطة لتنظيم المرور، وقال مسؤول إن تنظيم السير ضروري."},
            {"id": "countries", "title": "قمة", "body": "اجتمع قادة الدول الإسلامية في قمة طارئة."},
            {"id": "sdf", "title": "تقدم ميداني", "body": "تقدمت قوات سوريا الديمقراطية نحو القرى الشرقية."},
            {"id": "spring", "title": "مهرجان الربيع", "body": "افتتح مهرجان الزهور في الحديقة الكبرى."},
        ]
    )
    return location


def test_default_list_links_the_names_of_the_organization():
    syn = default_synonyms()
    names = {" ".join(n) for n in syn.alternatives(("داعش",))}
    assert {"تنظيم الدوله", "الدوله الاسلاميه", "isis", "isil"} <= names
    assert ("داعش",) in syn.groups[("قسد",)] or ("قوات", "سوريا", "الديمقراطيه") in syn.groups[("قسد",)]


def test_a_word_finds_a_multi_word_name_as_a_phrase(location):
    hits = SearchIndex(location).query("داعش").hits
    ids = [h.id for h in hits]
    assert ids[0] == "phrase"
    assert "apart" not in ids  # تنظيم … الدولة, but not together
    assert "countries" not in ids  # الدول الإسلامية (Islamic countries) is not الدولة الإسلامية


def test_typed_multi_word_name_expands_to_the_short_one(location):
    hits = SearchIndex(location).query("قسد").hits
    assert [h.id for h in hits] == ["sdf"]
    parsed = parse("قوات سوريا الديمقراطية", default_synonyms())
    assert parsed.expansions and "قسد" in parsed.expansions[0]["synonyms"]


def test_islamic_countries_do_not_expand():
    assert parse("الدول الإسلامية", default_synonyms()).expansions == []


def test_user_file_adds_groups_and_can_replace_the_default(location, tmp_path):
    user = tmp_path / "mine.txt"
    user.write_text("# my words\nالربيع | مهرجان الزهور\n", encoding="utf-8")
    assert SearchIndex(location).query("الربيع").hits[0].id == "spring"  # title word
    only_user = SearchIndex(location, synonyms=user, default_synonyms=False)
    assert only_user.query("مهرجان الزهور").expansions == [{"text": "مهرجان الزهور", "synonyms": ["الربيع"]}]
    assert only_user.query("داعش").total == 0
    both = SearchIndex(location, synonyms=user)
    assert both.query("داعش").hits[0].id == "phrase"


def test_bad_user_file_is_one_clear_error(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("وحيد\n", encoding="utf-8")
    with pytest.raises(SynonymsError, match=r"bad.txt:1"):
        load(bad)
    with pytest.raises(SynonymsError, match="no such synonyms file"):
        load(tmp_path / "missing.txt")


def test_expansion_is_visible_in_json_and_explain(location):
    runner = CliRunner()
    result = runner.invoke(app, ["query", "انسحاب داعش", "--json", "--index", str(location)])
    data = json.loads(result.stdout)
    assert data["expansions"][0]["text"] == "داعش"
    assert "تنظيم الدولة" in data["expansions"][0]["synonyms"]
    assert data["hits"][0]["id"] == "phrase"
    result = runner.invoke(app, ["query", "انسحاب داعش", "--explain", "--index", str(location)])
    assert "داعش →" in result.stdout and "تنظيم الدولة" in result.stdout
