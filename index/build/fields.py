"""Turning a record into the fields Whoosh indexes (:func:`index.schema.build_schema`)."""

from __future__ import annotations

import datetime as dt

from index.ingest.records import Record
from index.schema import EXACT_FIELDS, ROOT_FIELDS


def fill_twin_fields(fields: dict) -> dict:
    """Copy each searched field into its twins, the unstemmed one (:data:`index.schema.EXACT_FIELDS`)
    and the root one (:data:`index.schema.ROOT_FIELDS`); returns ``fields``.

    The twins are indexed, not stored: a stored document (re-pointed, or carried over
    by a rebuild) goes through this again before it is written."""
    for twins in (EXACT_FIELDS, ROOT_FIELDS):
        for name, twin in twins.items():
            if fields.get(name):
                fields[twin] = fields[name]
    return fields


def story_value(story: str) -> bytes:
    """The ``story`` column's value (:data:`index.schema.STORY`): the key as UTF-8 bytes."""
    return story.encode("utf-8")


def record_fields(record: Record) -> dict:
    """The fields of one document: the record's, with their twins."""
    fields = fill_twin_fields({"id": record.id, "title": record.title, "body": record.body})
    if record.source:
        fields["source"] = record.source
    if record.date:
        fields["date"] = dt.datetime(record.date.year, record.date.month, record.date.day)
    if record.path:
        fields["path"] = record.path
    if record.url:
        fields["url"] = record.url
    if record.provenance:
        fields["provenance"] = dict(record.provenance)
    return fields
