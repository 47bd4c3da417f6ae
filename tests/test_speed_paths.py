"""The fast paths give the same answers as the plain ones.

* A fresh build by Whoosh's multiprocess writer holds the same documents and answers
  queries with the same hits and scores as a single-process build.
* A ``SearchIndex`` keeps its searcher open between queries, yet sees documents added
  by another ``SearchIndex`` or another process, and a rebuild.
* Memoized snippet marks equal those of analysing the whole text.
* A sub-process forked while the write lock is held does not keep the index locked.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from index.build import batch, writer_choice
from index.build.store import Store
from search import SearchIndex
from search.query.parse import ANALYZER
from search.present.snippets import find_marks

#: Sentences written for these tests; documents are made by combining them.
SENTENCES = [
    "أعلنت القوات انسحابها من المدينة بعد معارك عنيفة استمرت أسابيع.",
    "وقال المتحدث إن الانسحاب سيكتمل قبل نهاية الشهر الجاري.",
    "ارتفعت أسعار النفط في الأسواق العالمية للمرة الثالثة هذا الأسبوع.",
    "افتتح معرض الكتاب الدولي أبوابه للزوار بمشاركة مئات دور النشر.",
    "تساقطت الثلوج بكثافة على المرتفعات وأغلقت الطرق الجبلية.",
    "أكد وزير الصحة أن حملة التطعيم شملت ملايين الأطفال في المحافظات.",
    "فاز الفريق بالكأس بعد مباراة نهائية مثيرة حسمتها ركلات الترجيح.",
    "ناقش البرلمان مشروع قانون الموازنة العامة للدولة للعام المقبل.",
    "حذّرت الأرصادُ من فيضاناتٍ محتملةٍ في الوديان المنخفضة.",
    "وأشار التقرير إلى تراجع معدلات البطالة بين الشباب في المدن الكبرى.",
]

QUERIES = ["انسحاب", "النفط الأسواق", "معرض الكتاب", '"حملة التطعيم"', "الثلوج -الطرق", "البرلمان الموازنة"]


def records(count: int, prefix: str = "doc") -> list[dict]:
    out = []
    for n in range(count):
        picked = [SENTENCES[(n * k + k) % len(SENTENCES)] for k in (1, 3, 7)]
        out.append({
            "id": f"{prefix}-{n}",
            "title": SENTENCES[n % len(SENTENCES)][:40],
            "body": " ".join(picked) + f" رقم {n}",
            "source": ("wire", "daily")[n % 2],
            "date": f"2019-0{1 + n % 9}-1{n % 10}",
        })
    return out


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def answers(ix: SearchIndex) -> list[list[tuple[str, float, str]]]:
    """Every hit of every query, sorted by id: documents with equal scores may come
    in another order when the documents are spread over other segments."""
    return [
        sorted((h.id, round(h.score, 4), h.snippet) for h in ix.query(q, limit=1000, collapse=False).hits)
        for q in QUERIES
    ]


def segment_count(location: Path) -> int:
    return len(Store(location).open_index()._segments())


@pytest.fixture
def corpus_file(tmp_path: Path) -> Path:
    return write_jsonl(tmp_path / "in" / "news.jsonl", records(240))


def test_parallel_build_equals_single_process_build(tmp_path, corpus_file, monkeypatch):
    monkeypatch.setattr(writer_choice, "WRITER_PROCS", 2)
    monkeypatch.setattr(writer_choice, "PARALLEL_MIN_BYTES", 10**12)
    single = SearchIndex(tmp_path / "single")
    single.add([corpus_file])
    monkeypatch.setattr(writer_choice, "PARALLEL_MIN_BYTES", 0)
    parallel = SearchIndex(tmp_path / "parallel")
    report = parallel.add([corpus_file])

    assert report.added == 240
    assert segment_count(parallel.location) > 1  # the multiprocess writer really ran
    assert segment_count(single.location) == 1
    for n in (0, 57, 239):
        assert parallel.get(f"doc-{n}") == single.get(f"doc-{n}")
    assert parallel.stats().documents == single.stats().documents == 240
    assert answers(parallel) == answers(single)
    assert any(answers(single))


def test_incremental_add_after_parallel_build_replaces_by_id(tmp_path, corpus_file, monkeypatch):
    monkeypatch.setattr(writer_choice, "PARALLEL_MIN_BYTES", 0)
    ix = SearchIndex(tmp_path / "ix")
    ix.add([corpus_file])
    changed = records(240)
    changed[5]["body"] = "خبر جديد تماما عن الزلزال الذي ضرب الساحل."
    write_jsonl(corpus_file, changed)
    report = ix.add([corpus_file])
    assert (report.updated, report.added) == (240, 0)
    assert ix.stats().documents == 240
    assert [h.id for h in ix.query("الزلزال").hits] == ["doc-5"]
    assert ix.get("doc-5").body.startswith("خبر جديد")


def test_parallel_rebuild_keeps_every_document(tmp_path, corpus_file, monkeypatch):
    monkeypatch.setattr(writer_choice, "PARALLEL_MIN_BYTES", 0)
    ix = SearchIndex(tmp_path / "ix")
    ix.add([corpus_file])
    before = answers(ix)
    ix.rebuild()
    assert ix.stats().documents == 240
    assert answers(ix) == before


def test_small_fresh_add_stays_in_one_process(tmp_path):
    ix = SearchIndex(tmp_path / "ix")
    ix.add([write_jsonl(tmp_path / "small.jsonl", records(20))])
    assert segment_count(ix.location) == 1


def test_reused_searcher_sees_documents_added_by_another_index_object(tmp_path):
    reader = SearchIndex(tmp_path / "ix")
    writer = SearchIndex(tmp_path / "ix")
    writer.add_records(records(10))
    assert reader.query("الزلزال").total == 0
    opened = reader._searcher_open
    reader.query("النفط")
    assert reader._searcher_open is opened  # unchanged index: the searcher is reused

    writer.add_records([{"id": "quake", "title": "زلزال", "body": "ضرب زلزال قوي الساحل الغربي."}], origin="more")
    assert [h.id for h in reader.query("الزلزال").hits] == ["quake"]
    assert reader.get("quake").title == "زلزال"


def test_reused_searcher_sees_another_process_and_a_rebuild(tmp_path):
    first = write_jsonl(tmp_path / "in" / "a.jsonl", records(10))
    reader = SearchIndex(tmp_path / "ix")
    reader.add([first])
    assert reader.query("الزلزال").total == 0

    extra = write_jsonl(tmp_path / "in" / "b.jsonl", [{"id": "quake", "title": "زلزال", "body": "ضرب زلزال قوي الساحل."}])
    done = subprocess.run(
        [sys.executable, "-c", "import cli; cli.main()", "index", "add", str(extra), "--index", str(tmp_path / "ix")],
        capture_output=True, text=True,
    )
    assert done.returncode == 0, done.stderr
    assert [h.id for h in reader.query("الزلزال").hits] == ["quake"]

    # A rebuild swaps in another generation; a file edited meanwhile shows its new text.
    write_jsonl(extra, [{"id": "quake", "title": "زلزال", "body": "هزة ارتدادية بعد الزلزال."}])
    SearchIndex(tmp_path / "ix").rebuild()
    assert "ارتدادية" in reader.get("quake").body
    assert reader.query("الزلزال").total == 1


def test_closed_index_reopens_on_next_query(tmp_path):
    with SearchIndex(tmp_path / "ix") as ix:
        ix.add_records(records(5))
        assert ix.query("النفط").total
    assert ix._searcher_open is None
    assert ix.query("النفط").total


@pytest.mark.parametrize("text", SENTENCES + [
    "الانْسِحَاب والانسحـــاب، «وانسحابه» بانسحاب؟ للانسحاب!",
    "ISIS و داعش في ٢٠١٩ — ثم انسحب المقاتلون من الرقة والرقه.",
    "",
])
def test_memoized_marks_equal_whole_text_analysis(text):
    whole = [(t.startchar, t.endchar, t.text) for t in ANALYZER(text, chars=True)]
    terms = {term for _, _, term in whole[::2]} | {"انسحاب"}
    expected = [(s, e, term) for s, e, term in whole if term in terms]
    assert find_marks(text, terms) == expected


def test_forked_child_does_not_keep_the_write_lock(tmp_path):
    """A writer killed while its sub-processes live on must not leave the index locked."""
    script = (
        "import os, sys, time\n"
        "from index.build.store import Store\n"
        f"store = Store({str(tmp_path / 'ix')!r})\n"
        "with store.write_lock():\n"
        "    pid = os.fork()\n"
        "    if pid == 0:\n"
        "        os.close(1); os.close(2)  # let the test's pipe close\n"
        "        time.sleep(30); os._exit(0)\n"
        "    print(pid, flush=True)\n"
        "    os._exit(0)  # dies holding the lock, like a killed writer\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    child = int(done.stdout.split()[0])
    try:
        start = time.monotonic()
        with Store(tmp_path / "ix").write_lock(wait=5):
            pass
        assert time.monotonic() - start < 5
    finally:
        os.kill(child, 9)


def test_stemming_defers_the_tables_it_never_reads():
    """The deferred tashaphyne modules stay unloaded through stemming, and still load on use."""
    script = (
        "import sys\n"
        "from index.analysis.stemming import stem\n"
        "assert stem('والانسحاب') == stem('انسحاب')\n"
        "assert 'tashaphyne.stopwords' not in sys.modules\n"
        "from tashaphyne import stemming\n"
        "assert stemming.verb_stamp_const.is_verb_stamp('كتب') in (True, False)\n"
        "assert stemming.arabicstopwords.is_stop('في')\n"
        "assert 'tashaphyne.stopwords' in sys.modules\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_a_query_does_not_import_the_builds_file_readers(tmp_path):
    """`search query` answers without the readers of files and the build's settings
    (a cold query's import time); `index add --memory` still reads its setting."""
    ix = SearchIndex(tmp_path / "ix")
    ix.add_records(records(3))
    script = (
        "import sys, cli\n"
        f"sys.argv = ['search', 'query', 'doc', '--index', {str(tmp_path / 'ix')!r}]\n"
        "try:\n    cli.main()\nexcept SystemExit as exc:\n    assert not exc.code, exc.code\n"
        "loaded = [m for m in ('index.ingest.files', 'index.build.limits') if m in sys.modules]\n"
        "assert not loaded, loaded\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    corpus = write_jsonl(tmp_path / "in" / "more.jsonl", records(2))
    bad = subprocess.run([sys.executable, "-c", "import cli; cli.run()", "index", "add", str(corpus),
                          "--index", str(tmp_path / "ix"), "--memory", "3MB"], capture_output=True, text=True)
    assert bad.returncode == 2 and "memory" in bad.stderr


@pytest.mark.parametrize("leading", [True, False])
def test_schema_version_is_checked_whether_or_not_it_leads_the_manifest(tmp_path, leading):
    from index.errors import IndexUnreadable
    from index.schema import SCHEMA_VERSION

    ix = SearchIndex(tmp_path / "ix")
    ix.add_records(records(3))
    store = Store(tmp_path / "ix")
    gen = store.live_generation()
    manifest = json.loads((gen / "manifest.json").read_text(encoding="utf-8"))
    assert next(iter(manifest)) == "schema_version"  # written first, read from the head
    for version, readable in ((SCHEMA_VERSION, True), (SCHEMA_VERSION + 1, False)):
        rest = {k: v for k, v in manifest.items() if k != "schema_version"}
        ordered = {"schema_version": version, **rest} if leading else {**rest, "schema_version": version}
        (gen / "manifest.json").write_text(json.dumps(ordered, ensure_ascii=False), encoding="utf-8")
        if readable:
            assert store.open_index().doc_count() == 3
        else:
            with pytest.raises(IndexUnreadable):
                store.open_index()


def test_failed_parallel_build_stops_its_sub_processes(tmp_path, corpus_file, monkeypatch):
    import multiprocessing

    monkeypatch.setattr(writer_choice, "PARALLEL_MIN_BYTES", 0)
    real, seen = batch.record_fields, []

    def failing(record):
        seen.append(record.id)
        if len(seen) == 150:
            raise RuntimeError("disk full")
        return real(record)

    monkeypatch.setattr(batch, "record_fields", failing)
    ix = SearchIndex(tmp_path / "ix")
    before = set(multiprocessing.active_children())  # other tests' children are not ours
    with pytest.raises(RuntimeError):
        ix.add([corpus_file])
    assert set(multiprocessing.active_children()) - before == set()
    assert not ix.exists()  # the fresh generation was never published
    monkeypatch.setattr(batch, "record_fields", real)
    assert ix.add([corpus_file]).added == 240


def test_parallel_build_with_no_document_leaves_no_sub_process(tmp_path, monkeypatch):
    import multiprocessing

    monkeypatch.setattr(writer_choice, "PARALLEL_MIN_BYTES", 0)
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n", encoding="utf-8")
    before = set(multiprocessing.active_children())
    report = SearchIndex(tmp_path / "ix").add([empty])
    assert report.added == 0 and report.failed == 1
    assert set(multiprocessing.active_children()) - before == set()
