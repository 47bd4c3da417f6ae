"""Adding a folder again takes it as it now is: the documents of files deleted from it
go (counted as removed), and nothing else does: not the documents of files elsewhere, of
files still there that fail to read, or of an article another file still holds."""

from __future__ import annotations

import gzip
import json
import os

import pytest
from ingest_support import BODY, HEADLINE, PARAGRAPHS, write

from search import SearchIndex

STORIES = {
    "river": (HEADLINE, BODY),
    "books": ("افتتاح معرض الكتاب", "افتتح وزير الثقافة معرض الكتاب السنوي في العاصمة بمشاركة مئات دور النشر العربية والأجنبية."),
    "gold": ("ارتفاع أسعار الذهب", "سجلت أسعار الذهب ارتفاعا ملحوظا في الأسواق المحلية اليوم وسط إقبال المشترين على الشراء."),
    "snow": ("تساقط الثلوج في الجنوب", "تساقطت الثلوج بكثافة على المرتفعات الجنوبية وأغلقت الطرق الجبلية أمام حركة السير."),
}

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>صحيفة الوادي</title>
<item><title>القطار السريع يصل إلى الميناء</title><guid>feed-1</guid>
<description>وصل القطار السريع الأول إلى الميناء الجديد بعد سنوات من أعمال البناء والتجهيز.</description></item>
<item><title>الجامعة تستقبل الطلاب</title><guid>feed-2</guid>
<description>استقبلت الجامعة آلاف الطلاب الجدد مع بداية العام الدراسي في كلياتها المختلفة.</description></item>
</channel></rss>
"""


def _trec(docno: str, title: str, text: str) -> str:
    return f"<DOC>\n<DOCNO>{docno}</DOCNO>\n<TITLE>{title}</TITLE>\n<TEXT>\n{text}\n</TEXT>\n</DOC>\n"


TREC_RECORDS = [
    ("REC-1", "المزارعون يبدأون حصاد القمح", "بدأ المزارعون حصاد القمح في السهول الشمالية مع توقعات بموسم وفير هذا العام."),
    ("REC-2", "انقطاع الكهرباء في الأحياء", "انقطعت الكهرباء عن عدة أحياء في المدينة بسبب عطل في محطة التوليد الرئيسية."),
]
JSONL_RECORDS = [
    {"id": "wire-1", "title": "المصارف ترفع الفائدة", "body": "قررت المصارف رفع أسعار الفائدة على القروض الجديدة ابتداء من الشهر المقبل."},
    {"id": "wire-2", "title": "البرلمان يناقش الانتخابات", "body": "ناقش البرلمان مشروع قانون الانتخابات الجديد في جلسة طويلة استمرت حتى المساء."},
]


def _story(folder, name: str):
    title, body = STORIES[name]
    return write(folder / f"{name}.txt", f"{title}\n\n{body}")


def _touch(path, n: int) -> None:
    """A new modification time, so the next add reads the file again."""
    os.utime(path, ns=(n * 10**9, n * 10**9))


@pytest.fixture
def folder(tmp_path):
    folder = tmp_path / "in"
    for name in STORIES:
        _story(folder / ("sub" if name == "snow" else ""), name)
    return folder


def test_a_deleted_file_is_removed_and_counted(folder, tmp_path):
    ix = SearchIndex(tmp_path / "ix")
    assert ix.add([folder]).added == 4
    (folder / "gold.txt").unlink()
    report = ix.add([folder])
    assert (report.added, report.updated, report.unchanged, report.removed, report.failed) == (0, 0, 3, 1, 0)
    assert ix.get("gold") is None and ix.query("الذهب").total == 0
    assert ix.stats().documents == 3
    assert ix.add([folder]).removed == 0  # forgotten: not removed twice


def test_a_deleted_subfolder_removes_its_files_and_its_root(folder, tmp_path):
    ix = SearchIndex(tmp_path / "ix")
    ix.add([folder / "sub"])  # added on its own first, then with its parent
    ix.add([folder])
    for path in (folder / "sub" / "snow.txt", folder / "sub"):
        path.unlink() if path.is_file() else path.rmdir()
    assert ix.add([folder]).removed == 1
    assert ix.get("snow") is None
    rebuilt = ix.rebuild()  # the subfolder's root went with it: nothing to complain about
    assert (rebuilt.failed, rebuilt.added, ix.stats().documents) == (0, 3, 3)


def test_only_folders_given_again_are_looked_at(folder, tmp_path):
    other = tmp_path / "other"
    alone = _story(tmp_path / "loose", "books")
    elsewhere = write(other / "snow-report.txt", "تقرير الثلوج\n\n" + PARAGRAPHS[2] + " وأغلقت الطرق الجبلية.")
    (folder / "books.txt").unlink()
    ix = SearchIndex(tmp_path / "ix")
    ix.add([folder, other, alone])
    before = ix.stats().documents
    elsewhere.unlink()
    alone.unlink()
    report = ix.add([folder])
    assert report.removed == 0 and ix.stats().documents == before
    assert ix.get("snow-report") is not None and ix.get("books") is not None


def test_a_shared_article_survives_while_a_file_holds_it(folder, tmp_path):
    copy = write(folder / "copies" / "river-copy.txt", "نسخة أخرى\n\n" + BODY)
    ix = SearchIndex(tmp_path / "ix")
    assert ix.add([folder]).duplicates == 1
    (folder / "river.txt").unlink()
    report = ix.add([folder])
    assert report.removed == 0
    kept = ix.get("river")
    assert kept.body == BODY and kept.path == str(copy.resolve()) and kept.paths == [str(copy.resolve())]
    copy.unlink()
    assert ix.add([folder]).removed == 1
    assert ix.get("river") is None and ix.query("السواتر الترابية").total == 0


def test_a_file_renamed_in_the_folder_is_indexed_under_its_new_name(folder, tmp_path):
    ix = SearchIndex(tmp_path / "ix")
    ix.add([folder])
    (folder / "gold.txt").rename(folder / "gold-prices.txt")
    report = ix.add([folder])
    assert (report.added, report.removed) == (1, 1)
    assert ix.get("gold") is None and ix.get("gold-prices").title == STORIES["gold"][0]


def test_malformed_files_keep_what_was_indexed_while_deleted_ones_go(folder, tmp_path):
    write(folder / "feeds" / "news.rss", RSS)
    bundle = folder / "records" / "bundle.sgml.gz"
    bundle.parent.mkdir()
    bundle.write_bytes(gzip.compress("".join(_trec(*r) for r in TREC_RECORDS).encode("utf-8")))
    wire = write(folder / "wire.jsonl", "\n".join(json.dumps(r, ensure_ascii=False) for r in JSONL_RECORDS))
    ix = SearchIndex(tmp_path / "ix")
    assert ix.add([folder]).added == 10
    # Every kind of damage: a feed that is no longer XML (not even found as a feed),
    # a gzip cut short, a JSONL line broken, a text file that turned binary; one file deleted.
    write(folder / "feeds" / "news.rss", "<?xml version='1.0'?><rss><channel><item><title>خبر")
    data = bundle.read_bytes()
    bundle.write_bytes(data[: len(data) // 2])
    write(wire, json.dumps(JSONL_RECORDS[0], ensure_ascii=False) + '\n{"id": "wire-2", "title": ')
    (folder / "books.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)) * 8)
    for n, path in enumerate((folder / "feeds" / "news.rss", bundle, wire, folder / "books.txt"), 1):
        _touch(path, n)
    (folder / "gold.txt").unlink()
    report = ix.add([folder])
    assert report.removed == 1 and report.failed >= 3
    assert ix.get("gold") is None
    for doc_id in ("books", "feed-1", "feed-2", "REC-1", "REC-2", "wire-1", "wire-2", "river", "snow"):
        assert ix.get(doc_id) is not None, doc_id
    assert ix.stats().documents == 9


def test_a_file_that_cannot_be_looked_at_is_not_gone(folder, tmp_path, monkeypatch):
    """A folder that lost its permissions hides its files from the walk; their documents
    stay (simulated: the tests may run as root, who can look at anything)."""
    ix = SearchIndex(tmp_path / "ix")
    ix.add([folder])
    hidden = tmp_path / "hidden"
    (folder / "sub").rename(hidden)  # the walk no longer finds its files...
    locked = str((folder / "sub").resolve())
    real_stat = os.stat

    def stat(path, *args, **kwargs):  # ...and looking at them is refused
        if str(path).startswith(locked + os.sep):
            raise PermissionError(13, "Permission denied", str(path))
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(os, "stat", stat)
    assert ix.add([folder]).removed == 0
    monkeypatch.undo()
    assert ix.get("snow") is not None


def test_rebuild_drops_files_deleted_under_a_root(folder, tmp_path):
    ix = SearchIndex(tmp_path / "ix")
    ix.add([folder])
    (folder / "sub" / "snow.txt").unlink()
    report = ix.rebuild()
    assert (report.added, report.failed) == (3, 0)
    assert ix.get("snow") is None and ix.stats().documents == 3
    assert ix.add([folder]).removed == 0  # the rebuilt manifest no longer lists it


def test_a_folder_emptied_leaves_an_empty_index_that_answers(folder, tmp_path):
    ix = SearchIndex(tmp_path / "ix")
    ix.add([folder])
    for path in folder.rglob("*.txt"):
        path.unlink()
    assert ix.add([folder]).removed == 4
    results = ix.query("الذهب", facets=True)
    assert (results.total, results.hits, results.empty_index) == (0, [], True)
    assert ix.stats().documents == 0
