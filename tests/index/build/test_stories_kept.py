"""Story keys as documents come and go (index.build.batch with index.build.copies):
adding, deleting the first copy, replacing a document, rebuilding, an old index."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from index.build import writer_choice
from index.build.store import MANIFEST, Store
from index.errors import IndexUnreadable
from search import SearchIndex
from story_support import ADDED, COPIES, OTHER, STORY, story_records


def _story_of(ix: SearchIndex, doc_id: str) -> set[str]:
    """``doc_id`` and the copies a query lists with it (or lists it with)."""
    for hit in ix.query("الميناء", limit=50).hits:
        members = {hit.id} | {c.id for c in hit.copies}
        if doc_id in members:
            return members
    raise AssertionError(f"{doc_id} not found")


def _write_folder(folder: Path, records: list[dict]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for r in records:
        (folder / f"{r['id']}.txt").write_text(f"{r['title']}\n\n{r['body']}", encoding="utf-8")



def _indexed_folder(tmp_path: Path) -> tuple[Path, SearchIndex]:
    """The story collection written as .txt files in a folder, and an index of it."""
    folder = tmp_path / "news"
    _write_folder(folder, story_records())
    ix = SearchIndex(tmp_path / "index")
    ix.add([folder])
    return folder, ix

def test_copies_added_later_join_the_story(tmp_path):
    ix = SearchIndex(tmp_path / "index")
    records = story_records()
    ix.add_records(records[:1], origin="first")
    ix.add_records(records[1:], origin="later")
    assert _story_of(ix, "port-a") == COPIES


def test_a_story_whose_first_copy_is_deleted_still_groups_the_others(tmp_path):
    folder, ix = _indexed_folder(tmp_path)
    (folder / "port-a.txt").unlink()
    assert ix.add([folder]).removed == 1
    assert _story_of(ix, "port-b") == {"port-b", "port-c"}
    # A new article under the deleted one's name is another story, not the old one's.
    (folder / "port-a.txt").write_text("سفينة\n\nوصلت إلى الميناء أول سفينة حاويات هذا الصباح", encoding="utf-8")
    ix.add([folder])
    assert _story_of(ix, "port-a") == {"port-a"}
    assert _story_of(ix, "port-b") == {"port-b", "port-c"}


def test_a_copy_edited_into_another_story_leaves_it(tmp_path):
    folder, ix = _indexed_folder(tmp_path)
    (folder / "port-c.txt").write_text("الميناء\n\n" + OTHER + " الميناء", encoding="utf-8")
    ix.add([folder])
    assert _story_of(ix, "port-a") == {"port-a", "port-b"}
    (folder / "port-c.txt").write_text("الميناء\n\n" + STORY + ADDED, encoding="utf-8")
    ix.add([folder])
    assert _story_of(ix, "port-a") == COPIES


def test_rebuild_finds_the_same_stories(tmp_path):
    folder, ix = _indexed_folder(tmp_path)
    ix.add_records([{"id": "port-d", "title": "ميناء", "body": "وكالة: " + STORY + ADDED, "source": "agency-d"}])
    assert _story_of(ix, "port-a") == COPIES | {"port-d"}
    ix.rebuild()
    assert _story_of(ix, "port-a") == COPIES | {"port-d"}  # records from code carried over, and compared again


def test_an_index_of_the_previous_schema_asks_for_a_rebuild_and_rebuilds(tmp_path):
    folder, ix = _indexed_folder(tmp_path)
    ix.add_records([{"id": "coded", "title": "عنوان", "body": "خبر قصير أضيف من برنامج عن الميناء"}])
    store = Store(tmp_path / "index")
    gen = store.live_generation()
    manifest = json.loads((gen / MANIFEST).read_text(encoding="utf-8"))
    manifest["schema_version"] = 8
    (gen / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(IndexUnreadable, match="rebuild"):
        SearchIndex(tmp_path / "index").query("الميناء")
    again = SearchIndex(tmp_path / "index")
    again.rebuild()
    assert again.get("coded") is not None  # documents added from code are not lost
    assert _story_of(again, "port-a") == COPIES


def test_a_parallel_first_build_signs_ahead_and_finds_the_same_stories(tmp_path, monkeypatch):
    folder = tmp_path / "news"
    _write_folder(folder, story_records())
    monkeypatch.setattr(writer_choice, "WRITER_PROCS", 2)
    monkeypatch.setattr(writer_choice, "PARALLEL_MIN_BYTES", 0)  # the forked writers and the signing helper
    ix = SearchIndex(tmp_path / "index")
    assert ix.add([folder]).added == 5
    assert _story_of(ix, "port-a") == COPIES
    assert _story_of(ix, "fishers") == {"fishers"}
