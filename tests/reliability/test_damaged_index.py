"""A damaged or old index: one clear line naming ``search index rebuild``, and the
rebuild recovers every document from the recorded sources (the manifest), never from
the damaged Whoosh files."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from index.build.store import MANIFEST, Store
from reliability_helpers import doc_ids, run_main, write_jsonl, write_txt_corpus
from search import SearchIndex


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("damaged")
    corpus = write_txt_corpus(root / "corpus", 15, seed=31)
    feed = write_jsonl(root / "feed.jsonl", 10, seed=32)
    index = root / "ix"
    ix = SearchIndex(index)
    ix.add([corpus], source="papers")
    ix.add([feed])
    return {"index": index, "ids": doc_ids(index), "extra": write_txt_corpus(root / "extra", 3, seed=33)}


def _segment(gen: Path) -> Path:
    return next(gen.glob("*.seg"))


def _truncate(path: Path) -> None:
    with open(path, "r+b") as handle:
        handle.truncate(path.stat().st_size // 2)


def truncate_segment(gen: Path) -> None:
    _truncate(_segment(gen))


def delete_segment(gen: Path) -> None:
    _segment(gen).unlink()


def truncate_toc(gen: Path) -> None:
    _truncate(next(gen.glob("*.toc")))


def delete_every_whoosh_file(gen: Path) -> None:
    for path in gen.iterdir():
        if path.name != MANIFEST:
            path.unlink()


def older_schema(gen: Path) -> None:
    manifest = json.loads((gen / MANIFEST).read_text(encoding="utf-8"))
    manifest["schema_version"] = 0
    (gen / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")


DAMAGE: dict[str, Callable[[Path], None]] = {
    "truncated segment": truncate_segment,
    "deleted segment": delete_segment,
    "truncated table of contents": truncate_toc,
    "no Whoosh file left": delete_every_whoosh_file,
    "older schema version": older_schema,
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_damage_is_one_line_naming_rebuild_and_rebuild_recovers(pristine, tmp_path, damage):
    index = tmp_path / "ix"
    shutil.copytree(pristine["index"], index)
    DAMAGE[damage](Store(index).live_generation())

    for command in (
        ["query", "انسحاب"],
        ["index", "stats"],
        ["show", "article-0001"],
        ["index", "add", str(pristine["extra"])],
    ):
        code, out, err = run_main(*command, "--index", str(index))
        assert code == 1, f"{command}: {err}"
        assert "Traceback" not in err + out
        assert len(err.strip().splitlines()) == 1 and "search index rebuild" in err, err

    code, _, err = run_main("index", "rebuild", "--index", str(index))
    assert code == 0, err
    assert doc_ids(index) == pristine["ids"]
    assert SearchIndex(index).stats().sources["papers"] == 15, "sources given with --source were lost"
    assert SearchIndex(index).query("الانسحاب").total > 0


def test_rebuild_refuses_when_the_list_of_sources_is_lost(pristine, tmp_path):
    """Without a manifest the rebuild cannot know the sources: it must not replace
    the index with an empty one."""
    index = tmp_path / "ix"
    shutil.copytree(pristine["index"], index)
    (Store(index).live_generation() / MANIFEST).write_text("{not json", encoding="utf-8")

    code, _, err = run_main("index", "rebuild", "--index", str(index))
    assert code == 1 and len(err.strip().splitlines()) == 1 and "search index add" in err
    from whoosh import index as whoosh_index

    with whoosh_index.open_dir(str(Store(index).live_generation())).searcher() as searcher:
        assert searcher.doc_count() == len(pristine["ids"]), "the old documents were thrown away"


def test_rebuild_of_a_damaged_index_reports_records_added_from_code(tmp_path):
    """Records given by code have no file to re-read: if the old index is unreadable
    they cannot be carried over, and the user is told so (exit 1), not silently."""
    corpus = write_txt_corpus(tmp_path / "corpus", 3, seed=34)
    ix = SearchIndex(tmp_path / "ix")
    ix.add([corpus])
    ix.add_records([{"id": "memo", "title": "مذكرة", "body": "نص المذكرة"}], origin="memos")
    truncate_segment(ix.store.live_generation())

    report = ix.rebuild()
    assert [p.path for p in report.problems] == ["records:memos"]
    assert doc_ids(tmp_path / "ix") == ["article-0000", "article-0001", "article-0002"]
