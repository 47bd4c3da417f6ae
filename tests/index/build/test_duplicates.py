"""The same article in two files is one document that remembers every file it came from."""

from __future__ import annotations

import json
import os

from ingest_support import BODY, HEADLINE, PARAGRAPHS, write

from search import SearchIndex

# The same story as saved by another site: other spacing, diacritics, hamza and punctuation.
BODY_VARIANT = BODY.replace("الأيام", "الايام").replace("،", " ,").replace("مياه", "مِياه").replace("\n\n", "\n")
OTHER = "افتتاح معرض الكتاب\n\n" + "افتتح وزير الثقافة معرض الكتاب السنوي في العاصمة بمشاركة مئات دور النشر العربية والأجنبية."


def _setup(tmp_path):
    folder = tmp_path / "in"
    a = write(folder / "a.txt", HEADLINE + "\n\n" + BODY)
    b = write(folder / "b.txt", "نسخة أخرى من العنوان\n\n" + BODY_VARIANT)
    write(folder / "c.txt", OTHER)
    return folder, a, b, SearchIndex(tmp_path / "ix")


def _count(ix) -> int:
    return ix.stats().documents


def test_same_body_in_two_files_is_indexed_once_with_both_paths(tmp_path):
    folder, a, b, ix = _setup(tmp_path)
    report = ix.add([folder])
    assert (report.added, report.duplicates) == (2, 1)
    assert _count(ix) == 2
    doc = ix.get("a")
    assert doc.title == HEADLINE
    assert doc.paths == [str(a.resolve()), str(b.resolve())]
    assert ix.get("b").id == "a"  # the copy's file name leads to the article kept
    assert ix.query("السواتر الترابية").total == 1


def test_readding_unchanged_files_changes_nothing(tmp_path):
    folder, a, b, ix = _setup(tmp_path)
    ix.add([folder])
    report = ix.add([folder])
    assert (report.added, report.updated, report.removed) == (0, 0, 0)
    assert ix.get("a").paths == [str(a.resolve()), str(b.resolve())]


def test_changing_the_original_keeps_the_copy_and_points_at_it(tmp_path):
    folder, a, b, ix = _setup(tmp_path)
    ix.add([folder])
    write(a, "عنوان جديد تماما\n\n" + PARAGRAPHS[2] + " وهذا نص جديد كتب بعد التعديل.")
    os.utime(a, ns=(1, 1))
    ix.add([folder])
    shared = ix.get("a")  # still the article held by b
    assert shared.body == BODY and shared.path == str(b.resolve()) and shared.paths == [str(b.resolve())]
    assert ix.get("a-2").title == "عنوان جديد تماما"
    assert ix.get("a-2").paths == [str(a.resolve())]
    assert _count(ix) == 3


def test_changing_only_the_title_of_the_original_updates_the_shared_document(tmp_path):
    folder, a, b, ix = _setup(tmp_path)
    ix.add([folder])
    write(a, "عنوان معدل\n\n" + BODY)
    os.utime(a, ns=(2, 2))
    report = ix.add([a])
    assert report.updated == 1
    assert ix.get("a").title == "عنوان معدل" and len(ix.get("a").paths) == 2
    assert _count(ix) == 2


def test_changing_the_copy_splits_it_off(tmp_path):
    folder, a, b, ix = _setup(tmp_path)
    ix.add([folder])
    write(b, "نسخة أخرى من العنوان\n\n" + "نص مختلف تماما عن الخبر الأصلي يتحدث عن موضوع آخر لا علاقة له بالفيضان.")
    os.utime(b, ns=(3, 3))
    ix.add([folder])
    assert ix.get("a").paths == [str(a.resolve())]
    assert ix.get("b").paths == [str(b.resolve())]
    assert _count(ix) == 3


def test_deleting_either_file_keeps_the_article_after_rebuild(tmp_path):
    folder, a, b, ix = _setup(tmp_path)
    ix.add([folder])
    a.unlink()
    ix.rebuild()
    assert _count(ix) == 2
    survivor = ix.get("b")
    assert survivor.body.startswith(PARAGRAPHS[0][:20]) and survivor.paths == [str(b.resolve())]


def test_duplicate_added_later_joins_and_show_json_lists_it(tmp_path):
    folder, a, b, ix = _setup(tmp_path)
    b.unlink()
    ix.add([folder])
    copy = write(tmp_path / "later" / "copy.jsonl", json.dumps({"id": "j1", "title": "x", "body": BODY}, ensure_ascii=False))
    report = ix.add([copy])
    assert (report.added, report.duplicates) == (0, 1)
    data = ix.get("a").to_json()
    assert data["paths"] == [str(a.resolve()), str(copy.resolve())]
    assert data["provenance"]["title"] == "first line"
    assert ix.get("j1") is None


def test_records_within_one_file_are_not_merged(tmp_path):
    lines = [json.dumps({"id": i, "title": i, "body": BODY}, ensure_ascii=False) for i in ("x", "y")]
    ix = SearchIndex(tmp_path / "ix")
    ix.add([write(tmp_path / "f.jsonl", "\n".join(lines))])
    assert _count(ix) == 2


def test_a_file_lists_each_of_its_documents_once_in_order(tmp_path):
    # f.jsonl repeats x; g.jsonl holds two copies of f's y body, which both join y.
    record = lambda i, body: json.dumps({"id": i, "title": i, "body": body}, ensure_ascii=False)  # noqa: E731
    f = write(tmp_path / "f.jsonl", "\n".join([record("x", BODY), record("y", OTHER), record("x", BODY)]))
    g = write(tmp_path / "g.jsonl", "\n".join([record("g1", OTHER), record("g2", BODY + " ملحق"), record("g3", OTHER)]))
    ix = SearchIndex(tmp_path / "ix")
    ix.add([f, g])
    files = ix.shards.read_manifest()["files"]
    assert [files[str(path.resolve())]["ids"] for path in (f, g)] == [["x", "y"], ["y", "g2"]]


def test_record_from_code_duplicating_a_file_survives_rebuild_once(tmp_path):
    folder, a, b, ix = _setup(tmp_path)
    ix.add([folder])
    ix.add_records([{"id": "code-1", "title": "من الشيفرة", "body": BODY}])
    assert ix.get("code-1") is None and _count(ix) == 2
    ix.rebuild()
    assert _count(ix) == 2 and ix.query("السواتر الترابية").total == 1
