"""Turning a record into the fields Whoosh indexes (:func:`index.schema.build_schema`)."""

from __future__ import annotations

import datetime as dt
import hashlib

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


def story_value(story: str) -> int:
    """The ``story`` column's value: a 64-bit hash of the story key (never 0, the value of
    a document without one). Two keys share a hash once in 2⁶⁴ pairs."""
    value = int.from_bytes(hashlib.blake2b(story.encode("utf-8"), digest_size=8).digest(), "big")
    return value or 1


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
