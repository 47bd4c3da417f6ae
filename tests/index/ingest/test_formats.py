"""HTML, CSV/TSV and JSONL with other field names (``--field``), through readers, library and CLI."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from ingest_support import BODY, HEADLINE, PARAGRAPHS, write
from typer.testing import CliRunner

from cli import app
from index.ingest.files import ReadProblem, Record, parse_field_mapping, read_file
from index.errors import InvalidOption
from search import SearchIndex

HTML = f"""<!DOCTYPE html>
<html lang="ar" dir="rtl"><head><meta charset="{{charset}}">
<title>{HEADLINE} | صحيفة الوادي</title>
<meta property="og:site_name" content="صحيفة الوادي">
<meta property="og:title" content="{HEADLINE}">
<meta property="article:published_time" content="2019-03-14T08:30:00+02:00">
</head><body>
<nav><a href="/">الرئيسية</a> <a href="/eco">محليات</a></nav>
<aside><h3>أحدث الأخبار</h3><ul><li>10:15 . فوز الفريق المحلي بالبطولة... المزيد</li></ul></aside>
<article><h1>{HEADLINE}</h1>
{"".join(f"<p>{p}</p>" for p in PARAGRAPHS)}
</article>
<footer>جميع الحقوق محفوظة</footer>
</body></html>
"""


@pytest.mark.parametrize("charset", ["utf-8", "windows-1256"])
def test_html_main_text_title_date_and_site_name(tmp_path, charset):
    path = tmp_path / "page.html"
    path.write_bytes(HTML.format(charset=charset).encode(charset))
    (record,) = list(read_file(path))
    assert record.title == HEADLINE
    assert record.date == dt.date(2019, 3, 14)
    assert record.source == "صحيفة الوادي"
    assert record.body == "\n".join(PARAGRAPHS)
    assert record.provenance["title"] == "h1 matching og:title" and record.provenance["source"] == "og:site_name"


def _csv(rows: list[dict], delimiter: str = ",") -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), delimiter=delimiter)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


ROWS = [
    {"id": "r1", "title": HEADLINE, "body": BODY, "source": "الوادي", "date": "14/03/2019"},
    {"id": "r2", "title": "افتتاح معرض الكتاب", "body": PARAGRAPHS[2], "source": "", "date": ""},
]


@pytest.mark.parametrize("name, delimiter", [("a.csv", ","), ("b.tsv", "\t"), ("c.csv", ";")])
def test_csv_and_tsv_with_header(tmp_path, name, delimiter):
    records = list(read_file(write(tmp_path / name, _csv(ROWS, delimiter))))
    assert [r.id for r in records] == ["r1", "r2"]
    assert records[0].body == BODY and records[0].date == dt.date(2019, 3, 14) and records[0].source == "الوادي"
    assert records[1].source is None and records[1].date is None


def test_csv_with_other_column_names_needs_field_mapping(tmp_path):
    rows = [{"Headline": r["title"], "Content": r["body"], "Published": r["date"]} for r in ROWS]
    path = write(tmp_path / "export.csv", _csv(rows), "utf-8-sig")
    (problem,) = list(read_file(path))
    assert isinstance(problem, ReadProblem) and "--field body=" in problem.message
    mapping = parse_field_mapping(["body=content,title=headline", "date=published"])
    records = list(read_file(path, mapping))
    assert [(r.title, r.date) for r in records] == [(HEADLINE, dt.date(2019, 3, 14)), ("افتتاح معرض الكتاب", None)]


def test_mapping_to_a_missing_column_names_the_columns(tmp_path):
    path = write(tmp_path / "x.csv", _csv(ROWS))
    (problem,) = list(read_file(path, {"body": "content"}))
    assert "'content'" in problem.message and "columns: id, title, body" in problem.message


def test_jsonl_with_field_mapping(tmp_path):
    lines = [json.dumps({"headline": HEADLINE, "content": BODY, "outlet": "الوادي"}, ensure_ascii=False), "{bad"]
    path = write(tmp_path / "feed.jsonl", "\n".join(lines) + "\n")
    record, problem = list(read_file(path, {"title": "headline", "body": "content", "source": "outlet"}))
    assert (record.id, record.title, record.body, record.source) == ("feed-1", HEADLINE, BODY, "الوادي")
    assert problem.line == 2


def test_jsonl_record_without_date_takes_a_clear_one_from_its_body(tmp_path):
    obj = {"title": HEADLINE, "body": "تاريخ الخبر: 14-10-2017\n" + BODY}
    (record,) = list(read_file(write(tmp_path / "f.jsonl", json.dumps(obj, ensure_ascii=False) + "\n")))
    assert record.date == dt.date(2017, 10, 14) and record.provenance["date"] == "body: label 'تاريخ الخبر'"


@pytest.mark.parametrize("spec", ["body", "body=", "author=writer", "=content"])
def test_bad_field_mapping_is_one_clear_error(spec):
    with pytest.raises(InvalidOption, match="--field"):
        parse_field_mapping([spec])


def test_cli_field_option_and_show_json_provenance(tmp_path):
    rows = [{"headline": r["title"], "content": r["body"]} for r in ROWS]
    path = write(tmp_path / "in" / "export.csv", _csv(rows))
    runner = CliRunner()
    index = str(tmp_path / "ix")
    result = runner.invoke(app, ["index", "add", str(path), "--field", "body=content,title=headline", "--index", index])
    assert result.exit_code == 0, result.output
    shown = json.loads(runner.invoke(app, ["show", "export-1", "--json", "--index", index]).output)
    assert shown["title"] == HEADLINE
    assert shown["provenance"] == {"title": "field", "date": "none", "source": "none"}
    assert shown["paths"] == [str(path.resolve())]
    result = runner.invoke(app, ["index", "add", str(path), "--field", "author=x", "--index", index])
    assert result.exit_code != 0


def test_changing_the_mapping_rereads_the_file(tmp_path):
    rows = [{"headline": HEADLINE, "summary": PARAGRAPHS[2], "content": BODY}]
    path = write(tmp_path / "e.csv", _csv(rows))
    ix = SearchIndex(tmp_path / "ix")
    ix.add([path], fields={"title": "headline", "body": "summary"})
    assert ix.get("e-1").body == PARAGRAPHS[2]
    ix.add([path], fields={"title": "headline", "body": "content"})
    assert ix.get("e-1").body == BODY
    ix.rebuild()
    assert ix.get("e-1").body == BODY  # the mapping is remembered for rebuilds


def test_every_format_in_one_folder(tmp_path):
    folder = tmp_path / "mixed"
    write(folder / "a.txt", HEADLINE + "\n\n" + PARAGRAPHS[0])
    write(folder / "b.csv", _csv([{"title": "عنوان ب", "body": PARAGRAPHS[1]}]))
    write(folder / "c.html", HTML.format(charset="utf-8").replace(PARAGRAPHS[0], ""))
    write(folder / "d.jsonl", json.dumps({"id": "d", "title": "عنوان د", "body": PARAGRAPHS[2] + " إضافة"}, ensure_ascii=False))
    report = SearchIndex(tmp_path / "ix").add([folder])
    assert (report.added, report.failed) == (4, 0)
    assert isinstance(list(read_file(folder / "a.txt"))[0], Record)


def test_a_date_not_understood_is_a_warning_not_a_failure(tmp_path):
    """The document is indexed without a date; the file still counts as fully read, so a
    changed file drops the documents it no longer holds (only refusals keep old ones)."""
    path = tmp_path / "feed.jsonl"
    rows = [
        {"id": "d-1", "title": "عنوان أول", "body": PARAGRAPHS[0], "date": "2019-03-14"},
        {"id": "d-2", "title": "عنوان ثان", "body": PARAGRAPHS[1], "date": "في يوم ما"},
        {"id": "d-3", "title": "عنوان ثالث", "body": PARAGRAPHS[2], "date": "2019-03-16"},
    ]
    write(path, "\n".join(json.dumps(r, ensure_ascii=False) for r in rows))
    ix = SearchIndex(tmp_path / "ix")
    report = ix.add([path])
    assert (report.added, report.failed, len(report.warnings)) == (3, 0, 1)
    assert ix.get("d-2").date is None
    write(path, "\n".join(json.dumps(r, ensure_ascii=False) for r in rows[1:]))
    report = ix.add([path])
    assert (report.removed, report.failed) == (1, 0)
    assert ix.get("d-1") is None

    result = CliRunner().invoke(app, ["index", "add", str(path), "--index", str(tmp_path / "ix2")])
    assert result.exit_code == 0, result.output
    assert "1 warning" in result.output


def test_an_id_from_a_file_name_drops_the_whole_ending():
    from index.ingest.formats import jsonl, text
    from index.ingest.records import file_stem

    assert file_stem(Path("a.b.jsonl.gz"), jsonl.SUFFIXES) == "a.b"
    assert file_stem(Path("خبر.TXT"), text.SUFFIXES) == "خبر"
    assert file_stem(Path("notes.md"), text.SUFFIXES) == "notes"


def test_the_readers_do_not_import_the_files_entry_point():
    """The formats sit below index.ingest.files, which imports them: no import circle."""
    import subprocess
    import sys

    code = "import sys, index.ingest.formats.jsonl; print('index.ingest.files' in sys.modules)"
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert found.stdout.strip() == "False"
