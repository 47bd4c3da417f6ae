"""Articles for the bulk and parallel writers' tests (tests/index/whoosh_ext), in the
fields a build gives them: every text also in its exact and root twins; and a terms
table that keeps what the field-at-once writers give it."""

from __future__ import annotations

import datetime as dt

from index.schema import EXACT_FIELDS, ROOT_FIELDS

LONG = " ".join(f"اجتمع الوزراء في الرياض للمرة {n} وناقشوا الميزانية" for n in range(2500))

ARTICLES = [
    ("a1", "الأمير يفتتح المعرض", "افتتح الأميرُ معرضَ الكتاب في الرياض، وقال إن الكتاب نافذة على العالم.",
     "spa", dt.datetime(2015, 3, 1)),
    ("a2", "", "في من على إلى عن الحكومة تعلن ميزانية ٢٠١٥ والحكومة تعلن أيضاً عن مشاريع جديدة",
     "okaz", dt.datetime(2015, 3, 2)),
    ("a3", "مُبَارَاة الهلال والنصر", "انتهت المبـــاراة بفوز الهلال على النصر بهدفين في الدوري السعودي ISIS",
     None, None),
    ("a4", "في من على", "في من على إلى عن", "spa", dt.datetime(2014, 12, 31)),
    ("a5", "تقرير طويل", LONG, "alriyadh", dt.datetime(2015, 1, 15)),
    ("a6", "ـــ ًٌ", "الرقة والرقه والرّقّة: كتب كاتب مكتوب كتاب الكتاب والكتاب بالكتاب", "okaz", None),
    ("a7", "الأمير يفتتح المعرض", "افتتح الأميرُ معرضَ الكتاب في الرياض، وقال إن الكتاب نافذة على العالم.",
     "spa", dt.datetime(2015, 3, 1)),
    ("a8", "Saudi Gazette", "", "gazette", dt.datetime(2016, 6, 6)),
]


def fields_of(doc_id, title, body, source, date) -> dict:
    fields = {"id": doc_id, "title": title, "body": body, "provenance": {"title": "test"}}
    for twins in (EXACT_FIELDS, ROOT_FIELDS):
        for name, twin in twins.items():
            if fields.get(name):
                fields[twin] = fields[name]
    if source:
        fields["source"] = source
    if date:
        fields["date"] = date
    return fields


class TermsTable:
    """A terms table that keeps what it is given, (key, TermInfo bytes) in order: the
    field-at-once writers' tests compare it with the per-term path's."""

    def __init__(self):
        self.added: list[tuple[bytes, bytes]] = []

    def add(self, key: bytes, value: bytes) -> None:
        self.added.append((key, value))

    def add_all(self, keys: list[bytes], values: list[bytes]) -> None:
        self.added.extend(zip(keys, values))
