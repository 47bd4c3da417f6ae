"""TREC/SGML ``<DOC>`` records: told by content whatever the ending, one document per record."""

from __future__ import annotations

import datetime as dt
import gzip
import json

import pytest
from ingest_support import write
from typer.testing import CliRunner

from cli import app
from index.ingest.files import ReadProblem, Record, find_files, read_file
from search import SearchIndex

from .trec_support import AFP_STORIES, afp_file, afp_record, ant_record

ANT_TEXT = "في العرض المباشر الثاني من البرنامج اشتعلت المنافسة بين الفرق الأربعة.\nوقدم الفنان العزاء باسم لجنة التحكيم."


def _records(path):
    items = list(read_file(path))
    return [i for i in items if isinstance(i, Record)], [i for i in items if isinstance(i, ReadProblem)]


@pytest.mark.parametrize("name", ["afp.sgml", "afp.txt", "afp.xml", "afp.trec", "20000115_AFP_ARB", "AFP.20000115"])
def test_records_are_told_by_content_whatever_the_ending(tmp_path, name):
    records, problems = _records(write(tmp_path / name, afp_file()))
    assert problems == []
    assert [r.id for r in records] == [story[0] for story in AFP_STORIES]


@pytest.mark.parametrize("name", ["afp.sgml.gz", "afp.gz", "20000115_AFP_ARB.gz"])
def test_gzipped_records(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(gzip.compress(afp_file().encode("utf-8")))
    records, problems = _records(path)
    assert problems == [] and len(records) == len(AFP_STORIES)


def test_afp_fields_title_date_source_body_and_provenance(tmp_path):
    records, _ = _records(write(tmp_path / "afp.sgml", afp_file()))
    first, second, third = records
    assert first.title == AFP_STORIES[0][2]
    assert first.date == dt.date(2000, 1, 15)  # 23:40 as written, no zone moves it
    assert second.date == dt.date(2000, 2, 3)  # "03/02/2000": the id says 3 February
    assert third.date == dt.date(2000, 2, 4)  # "02/04/2000": month first, as the id agrees
    assert first.source == "AFP" and first.provenance["source"] == "id prefix AFP"
    # <P> paragraphs: wrapped lines joined, one paragraph per line; entities decoded or dropped.
    assert first.body.splitlines() == [
        "حذرت السلطات المحلية في ريف دير الزور من ارتفاع منسوب مياه نهر الفرات خلال الأيام المقبلة & دعت المزارعين إلى الحذر.",
        "وقال مسؤول إن فرق الطوارئ بدأت تعزيز السواتر الترابية.",
    ]
    assert "<المحلية>" in third.body and "&" not in third.body and "<P>" not in first.body
    assert first.provenance["dateline"] == AFP_STORIES[0][3]
    assert first.provenance["doctype"] == "NEWS STORY" and first.provenance["trailer"] == "AFP"
    assert (first.provenance["id"], first.provenance["title"], first.provenance["date"]) == ("DOCNO", "HEADLINE", "DATE_TIME")


def test_ant_record_src_zone_url_and_abstract(tmp_path):
    url = "http://www.alarabiya.net/ar/culture/2018/04/15/x.html"
    text = ant_record("AL-culture-267-20180415", "حماقي لمتسابق &quot;ذا فويس&quot;", "Sun, 15 Apr 2018 01:37:17 +0400", ANT_TEXT, url=url)
    (record,), _ = _records(write(tmp_path / "AL-culture-267-20180415.txt", text))
    assert record.id == "AL-culture-267-20180415"
    assert record.title == 'حماقي لمتسابق "ذا فويس"'
    assert record.date == dt.date(2018, 4, 15)  # 14 April in UTC: the day written there counts
    assert (record.source, record.url) == ("alarabia", url)
    assert record.body == ANT_TEXT
    assert record.provenance["cat"] == "culture" and record.provenance["abstract"] == ANT_TEXT.splitlines()[0]
    assert "author" not in record.provenance  # empty fields are not kept


def test_without_src_the_collection_prefix_names_the_outlet(tmp_path):
    text = ant_record("SK-economy-1179-20180814", "عنوان", "Tue, 14 Aug 2018 06:43:38 GMT", ANT_TEXT, src=None)
    (record,), _ = _records(write(tmp_path / "a.txt", text))
    assert record.source == "SkyNews Arabia" and record.provenance["source"] == "id prefix SK"
    other = ant_record("XX-economy-1-20180814", "عنوان", "Tue, 14 Aug 2018 06:43:38 GMT", ANT_TEXT, src=None)
    (record,), _ = _records(write(tmp_path / "b.txt", other))
    assert record.source is None  # an unknown collection: no guess


def test_abstract_or_lead_is_the_body_when_there_is_no_text(tmp_path):
    text = "<DOC>\n<DOCNO>X-1</DOCNO>\n<HL>عنوان الخبر</HL>\n<LEAD>فقرة <b>أولى</b> من الخبر.</LEAD>\n</DOC>\n"
    (record,), _ = _records(write(tmp_path / "x.sgml", text))
    assert (record.title, record.body) == ("عنوان الخبر", "فقرة أولى من الخبر.")


def test_broken_records_are_reported_by_number_and_the_others_indexed(tmp_path):
    good = [afp_record(*story) for story in AFP_STORIES]
    no_docno = "<DOC>\n<HEADLINE>بلا رقم</HEADLINE>\n<TEXT>نص</TEXT>\n</DOC>\n"
    unclosed_text = "<DOC>\n<DOCNO>B-3</DOCNO>\n<HEADLINE>نص مفتوح</HEADLINE>\n<TEXT>\nنص بلا نهاية\n</DOC>\n"
    no_end = "<DOC>\n<DOCNO>B-5</DOCNO>\n<HEADLINE>بلا نهاية</HEADLINE>\n<TEXT>نص</TEXT>\n"
    empty = "<DOC>\n<DOCNO>B-6</DOCNO>\n</DOC>\n"
    path = write(tmp_path / "mixed.sgml", good[0] + no_docno + unclosed_text + good[1] + no_end + good[2] + empty)
    records, problems = _records(path)
    assert [r.id for r in records] == [story[0] for story in AFP_STORIES]
    assert [str(p) for p in problems] == [
        f"{path}:record 2: no DOCNO; record skipped",
        f"{path}:record 3: <TEXT> is not closed; record skipped",
        f"{path}:record 5: no </DOC> before the next <DOC>; record skipped",
        f"{path}:record 7: B-6: no title and no text; record skipped",
    ]


def test_a_file_ending_inside_a_record(tmp_path):
    path = write(tmp_path / "cut.sgml", afp_file() + "<DOC>\n<DOCNO>C-9</DOCNO>\n<TEXT>نص مقطوع")
    records, problems = _records(path)
    assert len(records) == len(AFP_STORIES)
    assert [str(p) for p in problems] == [f"{path}:record 4: no </DOC>: the file ends inside this record"]


def test_truncated_gzip_keeps_the_records_before_the_break(tmp_path):
    stories = [(f"2000011{i}_AFP_ARB.{i:04d}", "01/15/2000 10:00", f"عنوان رقم {i}", "", [f"نص الخبر رقم {i} " * 40]) for i in range(400)]
    data = gzip.compress(afp_file(stories).encode("utf-8"))
    path = tmp_path / "cut.sgml.gz"
    path.write_bytes(data[: len(data) // 2])
    records, problems = _records(path)  # never raises
    assert 0 < len(records) < len(stories)
    assert len(problems) == 1 and "cut short or damaged" in str(problems[0])


def test_a_gzip_that_cannot_be_opened_is_one_problem(tmp_path):
    path = tmp_path / "bad.gz"
    path.write_bytes(b"\x1f\x8b\x08\x00garbage")
    assert [type(i) for i in read_file(path)] == [ReadProblem]
    assert path in list(find_files([tmp_path]))  # reported, not silently passed over


def test_folders_pick_up_record_files_and_leave_other_files(tmp_path):
    write(tmp_path / "in" / "19940513_AFP_ARB", afp_file())
    write(tmp_path / "in" / "README", "A collection of news.")
    write(tmp_path / "in" / "notes.xml", "<?xml version='1.0'?><notes><n>x</n></notes>")
    write(tmp_path / "in" / "page.txt", "عنوان الخبر\n\nنص الخبر كاملا في سطر واحد طويل.")
    found = sorted(p.name for p in find_files([tmp_path / "in"]))
    assert found == ["19940513_AFP_ARB", "page.txt"]
    (problem,) = list(read_file(tmp_path / "in" / "notes.xml"))
    assert "unsupported file type" in str(problem)


def test_a_damaged_bundle_keeps_what_was_indexed_before(tmp_path):
    path = tmp_path / "bundle.sgml.gz"
    path.write_bytes(gzip.compress(afp_file().encode("utf-8")))
    ix = SearchIndex(tmp_path / "ix")
    assert ix.add([path]).added == len(AFP_STORIES)
    data = gzip.compress((afp_file() + afp_file([("20000301_AFP_ARB.0009", "03/01/2000", "خبر جديد", "", ["نص " * 500])])).encode())
    path.write_bytes(data[: len(data) // 3])
    report = ix.add([path])
    assert report.failed == 1
    assert all(ix.get(story[0]) is not None for story in AFP_STORIES)


def test_cli_add_and_show_a_docno(tmp_path):
    url = "https://www.bbc.com/arabic/world-1"
    folder = tmp_path / "ant"
    write(folder / "BB-world-7-20180522.txt", ant_record("BB-world-7-20180522", "أوباما على نتفليكس", "Tue, 22 May 2018 00:05:31 GMT", ANT_TEXT, src="BBC", url=url))
    index = str(tmp_path / "ix")
    runner = CliRunner()
    assert runner.invoke(app, ["index", "add", str(folder), "--index", index]).exit_code == 0
    result = runner.invoke(app, ["show", "BB-world-7-20180522", "--json", "--index", index])
    assert result.exit_code == 0, result.output
    shown = json.loads(result.output)
    assert (shown["title"], shown["date"], shown["source"], shown["url"]) == ("أوباما على نتفليكس", "2018-05-22", "BBC", url)


def test_which_files_hold_many_documents(tmp_path):
    """The 10 MB limit of one document applies per record to these (index.build checks it)."""
    from index.ingest.files import holds_many

    assert holds_many(write(tmp_path / "bundle.gz", "")) is False  # not records: nothing to read
    bundle = tmp_path / "AFP_ARB.gz"
    bundle.write_bytes(gzip.compress(afp_file().encode()))
    ant = write(tmp_path / "one.txt", ant_record("AL-culture-1-20180415", "عنوان", "Sun, 15 Apr 2018 01:37:17 +0400", ANT_TEXT))
    page = write(tmp_path / "page.txt", "عنوان\n\nنص")
    assert [holds_many(p) for p in (bundle, ant, page)] == [True, True, False]


@pytest.mark.parametrize("name", ["empty.sgml", "empty.rss", "junk.atom", "junk.trec", "notes.xml", "page.html"])
def test_malformed_or_empty_files_give_one_clear_problem(tmp_path, name):
    body = "" if name.startswith("empty") else "<" + "\x01junk" * 50
    path = write(tmp_path / name, body)
    items = list(read_file(path))
    assert items and all(isinstance(i, ReadProblem) for i in items)
    assert all("\n" not in str(i) and str(i).startswith(str(path)) for i in items)
