"""A record becomes the fields the schema indexes (index.build.fields): every searched
field with its unstemmed and root twins, and only the fields the record has."""

from __future__ import annotations

import datetime as dt

from index.build.fields import fill_twin_fields, record_fields
from index.ingest.records import Record
from index.schema import EXACT_FIELDS, ROOT_FIELDS, build_schema


def test_each_searched_field_gets_its_twins():
    fields = record_fields(Record(id="a1", title="الأمير يفتتح المعرض", body="افتتح الأمير معرض الكتاب"))
    for twins in (EXACT_FIELDS, ROOT_FIELDS):
        for name, twin in twins.items():
            assert fields[twin] == fields[name]
    assert set(fields) <= set(build_schema().names())


def test_an_empty_field_gets_no_twins_and_missing_fields_are_left_out():
    fields = record_fields(Record(id="a2", title="", body="نص الخبر"))
    assert "title_exact" not in fields and "title_root" not in fields
    assert not {"source", "date", "path", "url", "provenance"} & set(fields)


def test_optional_fields_are_kept_with_the_date_as_a_datetime():
    record = Record(id="a3", title="عنوان", body="نص", source="spa", date=dt.date(2015, 3, 1),
                    url="https://example.org/a3", path="/tmp/a3.txt", provenance={"date": "front matter"})
    fields = record_fields(record)
    assert fields["date"] == dt.datetime(2015, 3, 1)
    assert (fields["source"], fields["url"], fields["path"]) == ("spa", "https://example.org/a3", "/tmp/a3.txt")
    assert fields["provenance"] == {"date": "front matter"} and fields["provenance"] is not record.provenance


def test_a_stored_document_regains_its_twins():
    stored = {"id": "a4", "title": "عنوان", "body": "نص", "path": "/tmp/a4.txt"}
    assert fill_twin_fields(stored) is stored
    assert stored["body_exact"] == stored["body_root"] == "نص"
