"""`search show NAME` and `SearchIndex.get`: a document's id, else the name or path of any
file an article was read from, copies included; an ambiguous name says what to use."""

from __future__ import annotations

import json

import pytest
from cli_support import run_main
from ingest_support import BODY, HEADLINE, write

from search import QueryError, SearchIndex
from search.names import LISTED, resolve

OTHER = "افتتح وزير الثقافة معرض الكتاب السنوي في العاصمة بمشاركة مئات دور النشر العربية والأجنبية."
THIRD = "سجلت أسعار الذهب ارتفاعا ملحوظا في الأسواق المحلية اليوم وسط إقبال المشترين على الشراء."


@pytest.fixture
def indexed(tmp_path):
    """x/river.txt, and y/river-copy.txt the same article; two files named report.txt
    holding different articles; a JSONL file of two records."""
    files = {
        "river": write(tmp_path / "in" / "x" / "river.txt", HEADLINE + "\n\n" + BODY),
        "copy": write(tmp_path / "in" / "y" / "river-copy.txt", "نسخة أخرى\n\n" + BODY),
        "report-x": write(tmp_path / "in" / "x" / "report.txt", "معرض الكتاب\n\n" + OTHER),
        "report-y": write(tmp_path / "in" / "y" / "report.txt", "أسعار الذهب\n\n" + THIRD),
        "wire": write(
            tmp_path / "in" / "y" / "wire.jsonl",
            "\n".join(json.dumps({"id": f"w{n}", "title": f"خبر {n}", "body": f"نص الخبر رقم {n} عن الأسواق"}, ensure_ascii=False) for n in (1, 2)),
        ),
    }
    ix = SearchIndex(tmp_path / "ix")
    report = ix.add([tmp_path / "in"])
    assert report.duplicates == 1 and report.failed == 0
    return ix, files


@pytest.mark.parametrize("name", ["river-copy", "river-copy.txt", "y/river-copy.txt", "in/y/river-copy"])
def test_a_copys_file_name_leads_to_the_article_kept(indexed, name):
    ix, files = indexed
    doc = ix.get(name)
    assert doc.id == "river" and doc.title == HEADLINE
    assert doc.paths == [str(files["river"].resolve()), str(files["copy"].resolve())]


def test_a_path_absolute_or_from_the_current_folder(indexed, monkeypatch):
    ix, files = indexed
    assert ix.get(str(files["copy"].resolve())).id == "river"
    monkeypatch.chdir(files["copy"].parent.parent)
    assert ix.get("./y/river-copy.txt").id == "river"
    assert ix.get("../in/y/river-copy.txt").id == "river"


def test_an_id_comes_before_a_file_name(indexed):
    ix, _ = indexed
    assert ix.get("river").id == "river"
    assert ix.get("report").id == "report"  # the id of x/report.txt, though y/report.txt is named so too


def test_two_files_of_one_name_holding_different_articles_are_ambiguous(indexed):
    ix, files = indexed
    with pytest.raises(QueryError) as error:
        ix.get("report.txt")
    message = str(error.value)
    assert "\n" not in message and "2 files" in message
    assert str(files["report-x"].resolve()) in message and str(files["report-y"].resolve()) in message
    assert ix.get("y/report.txt").title == "أسعار الذهب"


def test_a_file_of_several_documents_lists_their_ids(indexed):
    ix, _ = indexed
    with pytest.raises(QueryError, match=r"holds 2 documents: use one of their ids \(w1, w2\)"):
        ix.get("wire")


def test_names_that_lead_nowhere(indexed):
    ix, _ = indexed
    for name in ("river-cop", "z/river-copy.txt", "/nowhere/river-copy.txt", "../river-copy.txt", "", "bad\0name"):
        assert ix.get(name) is None, name


def test_a_long_list_is_cut():
    files = {f"/data/{n}/page.html": {"ids": [f"p{n}"]} for n in range(LISTED + 3)}
    files["records:feeds/page"] = {"ids": ["from-code"]}  # records from code have no file name
    with pytest.raises(QueryError) as error:
        resolve(files, "page")
    assert f"names {LISTED + 3} files" in str(error.value) and str(error.value).endswith(", … 3 more)")
    assert resolve(files, "3/page") == "p3" and resolve(files, "feeds/page") is None
    assert resolve({"/data/a.jsonl.gz": {"ids": ["x"]}}, "a") == "x"  # a name without both endings


def test_show_by_file_name_on_the_command_line(indexed, monkeypatch, capsys):
    ix, _ = indexed
    code, out, _ = run_main(monkeypatch, capsys, "show", "river-copy", "--index", str(ix.location), "--json")
    assert code == 0 and json.loads(out)["id"] == "river"
    code, _, err = run_main(monkeypatch, capsys, "show", "nothing", "--index", str(ix.location))
    assert code == 1 and "no document with id or file name 'nothing'" in err


def test_an_ambiguous_name_is_one_line_and_exit_2(indexed, monkeypatch, capsys):
    ix, _ = indexed
    code, out, err = run_main(monkeypatch, capsys, "show", "report.txt", "--index", str(ix.location))
    assert code == 2 and not out
    assert len(err.strip().splitlines()) == 1 and "use a path" in err and "Traceback" not in err


def test_the_web_document_view_takes_file_names(indexed):
    from fastapi.testclient import TestClient

    from search.present.web import create_app

    ix, _ = indexed
    client = TestClient(create_app(ix))
    assert client.get("/api/doc/y/river-copy.txt").json()["id"] == "river"
    page = client.get("/doc/river-copy")
    assert page.status_code == 200 and HEADLINE in page.text
    ambiguous = client.get("/api/doc/report.txt")
    assert ambiguous.status_code == 400 and "use a path" in ambiguous.json()["error"]
