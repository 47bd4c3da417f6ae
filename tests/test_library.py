"""The Python API exported by ``search``: add, query with filters, show, stats, rebuild."""

from __future__ import annotations

import ast
import datetime as dt
import os
import time
from pathlib import Path

import pytest

import search
from search import IndexMissing, QueryError, SearchIndex

ROOT = Path(__file__).resolve().parents[1]


def ids(results) -> list[str]:
    return [h.id for h in results.hits]


def test_public_api_is_exported():
    for name in search.__all__:
        assert hasattr(search, name), name
    assert search.__all__ == sorted(search.__all__)
    assert set(search.__all__) == set(search._HOMES)


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    found |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    return found


@pytest.mark.parametrize("path", [ROOT / "cli.py", *sorted((ROOT / "search" / "present" / "web").glob("*.py"))],
                         ids=lambda p: p.name)
def test_front_ends_use_only_the_public_api(path):
    """The CLI and the web page import from ``search`` itself (and the web page from its
    own modules), never from the index or the library's internals."""
    ours = {m for m in _imports(path) if m.split(".")[0] in ("search", "index", "cli")}
    assert ours <= {"search", "search.present.web", "search.present.web.app", "search.present.web.server",
                    "search.present.web.view", "search.present.web.markup"}, path


def test_inflected_forms_are_found_and_highlighted(built: SearchIndex):
    results = built.query("انسحاب")
    assert set(ids(results)) == {"withdrawal-a", "withdrawal-b", "rec-1"}
    snippets = " ".join(h.snippet for h in results.hits)
    for form in ("الانسحاب", "وانسحابه", "بانسحاب", "للانسحاب"):
        assert f"<mark>{form}</mark>" in snippets


def test_every_word_matches_rank_before_partial_matches(built: SearchIndex):
    results = built.query("انسحاب الرقة")
    assert results.hits[0].id == "withdrawal-b"  # the only one with both words
    assert results.total == 3


def test_a_missing_word_does_not_empty_the_results(built: SearchIndex):
    assert ids(built.query("انسحاب كلمةغيرموجودة"))


def test_source_and_date_filters(built: SearchIndex):
    assert set(ids(built.query("انسحاب", source="desert-news"))) == {"withdrawal-b", "rec-1"}
    assert ids(built.query("انسحاب", since=dt.date(2018, 6, 1))) == ["withdrawal-a"]
    assert set(ids(built.query("انسحاب", until=dt.date(2018, 1, 5)))) == {"withdrawal-b", "rec-1"}


def test_sort_by_date_is_newest_first(built: SearchIndex):
    dates = [h.date for h in built.query("انسحاب", sort="date").hits]
    assert dates == sorted(dates, reverse=True)


def test_phrases_require_adjacent_words(built: SearchIndex):
    assert ids(built.query('"أسعار النفط"')) == ["economy"]
    assert built.query('"أسعار النفط"').rewrites == []
    # In no document in this order: searched as words, and said so (tests/test_rewrites.py).
    reordered = built.query('"النفط أسعار"')
    assert reordered.rewrites == [{"typed": '"النفط أسعار"', "searched": "النفط أسعار"}]


def test_excluded_words_remove_documents(built: SearchIndex):
    assert set(ids(built.query("انسحاب -الرقة"))) == {"withdrawal-a", "rec-1"}


def test_hit_fields(built: SearchIndex):
    hit = built.query("أسعار النفط").hits[0]
    assert (hit.id, hit.source, hit.date) == ("economy", "test-wire", dt.date(2019, 3, 2))
    assert hit.title == "أسعار النفط ترتفع في الأسواق العالمية"
    assert hit.path.endswith("economy.txt") and os.path.isabs(hit.path)
    assert hit.score > 0


def test_jsonl_records_keep_their_fields(built: SearchIndex):
    doc = built.get("rec-2")
    assert doc.title == "افتتاح معرض الكتاب"
    assert doc.body.startswith("افتتح معرض الكتاب")
    assert (doc.source, doc.date, doc.url) == ("culture-daily", dt.date(2019, 12, 1), None)
    assert built.get("no-such-id") is None


def test_stats(built: SearchIndex):
    stats = built.stats()
    assert stats.documents == 6
    assert stats.sources == {"desert-news": 2, "test-wire": 2, "culture-daily": 1}
    assert (stats.first_date, stats.last_date) == (dt.date(2017, 10, 15), dt.date(2019, 12, 1))
    assert stats.size_bytes > 0


def test_readding_unchanged_files_does_nothing(built: SearchIndex, corpus):
    report = built.add([corpus])
    assert (report.added, report.updated, report.unchanged) == (0, 0, 6)


def test_a_changed_file_replaces_its_document(built: SearchIndex, corpus):
    path = corpus / "sport.txt"
    path.write_text("مباراة كرة السلة\n\nفاز الفريق الأول بفارق عشر نقاط.", encoding="utf-8")
    os.utime(path, (time.time() + 5, time.time() + 5))
    report = built.add([corpus])
    assert (report.added, report.updated, report.unchanged) == (0, 1, 5)
    assert built.get("sport").title == "مباراة كرة السلة"
    assert ids(built.query("التعادل")) == []
    assert built.stats().documents == 6


def test_a_line_removed_from_jsonl_removes_its_document(built: SearchIndex, corpus):
    path = corpus / "records.jsonl"
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    report = built.add([corpus])
    assert report.removed == 1
    assert built.get("rec-2") is None


def test_same_file_name_in_two_folders_gets_two_ids(built: SearchIndex, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    (other / "sport.txt").write_text("سباق الدراجات\n\nانطلق سباق الدراجات الهوائية.", encoding="utf-8")
    built.add([other])
    assert built.get("sport").title == "مباراة كرة القدم تنتهي بالتعادل"
    assert built.get("sport-2").title == "سباق الدراجات"


def test_source_option_overrides_file_source(index_dir, corpus):
    ix = SearchIndex(index_dir)
    ix.add([corpus / "economy.txt"], source="my-archive")
    assert ix.get("economy").source == "my-archive"


def test_add_records_from_code(index_dir):
    ix = SearchIndex(index_dir)
    report = ix.add_records([{"id": "x1", "title": "خبر", "body": "بدء الانسحاب من الحدود", "date": "2020-02-02"}])
    assert report.added == 1
    assert ids(ix.query("انسحاب")) == ["x1"]


def test_rebuild_keeps_every_document(built: SearchIndex):
    before = built.stats().documents
    built.add_records([{"id": "code-1", "title": "خبر من الشيفرة", "body": "نص قصير عن الانسحاب"}])
    report = built.rebuild()
    assert report.failed == 0
    assert built.stats().documents == before + 1
    assert "code-1" in ids(built.query("انسحاب", limit=20))
    assert len(list(built.location.glob("gen-*"))) == 1


def test_missing_index_is_a_clear_error(tmp_path):
    with pytest.raises(IndexMissing, match="search index add"):
        SearchIndex(tmp_path / "nothing").query("انسحاب")


@pytest.mark.parametrize("text", ["", "   ", "في من على", "؟!،"])
def test_query_without_searchable_words_is_a_clear_error(built: SearchIndex, text):
    with pytest.raises(QueryError, match="nothing to search"):
        built.query(text)


def test_bad_options_are_query_errors(built: SearchIndex):
    with pytest.raises(QueryError):
        built.query("انسحاب", sort="popularity")
    with pytest.raises(QueryError):
        built.query("انسحاب", since=dt.date(2020, 1, 1), until=dt.date(2019, 1, 1))
