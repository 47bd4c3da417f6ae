"""TREC/SGML collections: files of ``<DOC>`` records, one document per record.

This is the standard form of Arabic IR test collections: ANT puts one record per
``.txt`` file (``DOCNO``, ``URL``, ``SRC``, ``TITLE``, ``TIME``, ``ABSTRACT``, ``TEXT``),
the TREC 2001/2002 AFP newswire and LDC's Gigaword many per file, often gzipped, with
``HEADLINE``, ``DATE_TIME`` and ``DATELINE`` and ``<P>`` paragraphs. The fields:

* id: ``DOCNO`` (or ``DOCID``, or the ``id`` attribute of ``<DOC id=…>``);
* title: ``TITLE`` / ``HEADLINE`` / ``HL``; url: ``URL``;
* date: ``TIME`` / ``DATE`` / ``DATE_TIME``, the day as written in its own zone
  (:mod:`index.ingest.timestamps`);
* source: ``SRC`` / ``SOURCE`` as written, else the outlet the collection's own id prefix
  names (:data:`COLLECTIONS`);
* body: ``TEXT`` (``ABSTRACT`` or ``LEAD`` when a record has no text), tags and entities
  removed; every other field is kept in ``provenance`` under its name in lower case.

Records are found by scanning the text, not by an XML parser: SGML is not XML (omitted
end tags, entities no DTD is given for), and one broken record must cost only itself.
Such a record is reported as ``file:record N: problem``; the file is streamed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path

from index.ingest.encoding import open_text
from index.ingest.markup import to_text
from index.ingest.records import ReadProblem, Record
from index.ingest.timestamps import parse_stamp

ID_TAGS = ("DOCNO", "DOCID")
TITLE_TAGS = ("TITLE", "HEADLINE", "HL")
DATE_TAGS = ("TIME", "DATE", "DATE_TIME")
SOURCE_TAGS = ("SRC", "SOURCE")
BODY_TAGS = ("TEXT",)
SUMMARY_TAGS = ("ABSTRACT", "LEAD")
#: Fields whose end tag must be there: without it the record's text cannot be told apart.
REQUIRED_CLOSE = frozenset(ID_TAGS + TITLE_TAGS + DATE_TAGS + SOURCE_TAGS + BODY_TAGS + SUMMARY_TAGS + ("URL",))
#: Fields whose content is text even when it holds tags (``<P>``), never more fields.
TEXT_TAGS = frozenset(BODY_TAGS + SUMMARY_TAGS + TITLE_TAGS)

#: Collections whose record ids name the outlet, with the outlet each prefix stands for.
COLLECTIONS: tuple[tuple[re.Pattern, dict[str, str]], ...] = (
    # ANT Corpus: AL-culture-267-20180415
    (
        re.compile(r"^(AL|BB|CN|FR|SK)-[A-Za-z]+-\d+-\d{8}$"),
        {"AL": "AlArabiya", "BB": "BBC Arabic", "CN": "CNN Arabic", "FR": "France24", "SK": "SkyNews Arabia"},
    ),
    # LDC Arabic newswire and Gigaword: 19940513_AFP_ARB.0001, AFP_ARB_20000101.0001
    (
        re.compile(r"(?:^|_)(AFP|AAW|HYT|NHR|UMH|XIN)_ARB(?:[_.]|$)", re.IGNORECASE),
        {"AFP": "AFP", "AAW": "Asharq Al-Awsat", "HYT": "Al-Hayat", "NHR": "An-Nahar", "UMH": "Ummah Press", "XIN": "Xinhua"},
    ),
)

_DOC_OPEN = re.compile(r"<DOC(?:\s[^<>]*)?>", re.IGNORECASE)
_DOC_CLOSE = re.compile(r"</DOC\s*>", re.IGNORECASE)
_DOC_ID_ATTR = re.compile(r"""\bid\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)
_FIELD = re.compile(r"<([A-Za-z][\w.:-]*)(?:\s[^<>]*)?>(.*?)</\1\s*>", re.DOTALL | re.IGNORECASE)
_OPEN_TAG = re.compile(r"<([A-Za-z][\w.:-]*)(?:\s[^<>]*)?>")
_DIGITS_DATE = re.compile(r"(?<!\d)((?:19|20)\d{6})(?!\d)")
#: How much text is read at a time (what a file cut short may lose beyond its break), and the
#: longest record looked for before giving up on it.
CHUNK = 1 << 16
MAX_RECORD = 16 << 20


def records_in(handle) -> Iterator[tuple[int, str, str, str | None]]:
    """(number, ``<DOC>`` tag, content, problem) for each record of a text stream.

    ``problem`` is set for a record that has no end: another ``<DOC>`` or the end of the
    file came first, or it grew past :data:`MAX_RECORD`.
    """
    buffer, pos, number, opening = "", 0, 0, None
    eof = False
    while True:
        if opening is None:
            found = _DOC_OPEN.search(buffer, pos)
            if found:
                number, opening, pos = number + 1, found.group(0), found.end()
                continue
            if eof:
                return
            buffer, pos = buffer[max(pos, len(buffer) - 64):], 0  # keep a tag cut between chunks
        else:
            close, reopen = _DOC_CLOSE.search(buffer, pos), _DOC_OPEN.search(buffer, pos)
            if close and (not reopen or close.start() < reopen.start()):
                yield number, opening, buffer[pos : close.start()], None
                opening, pos = None, close.end()
                continue
            if reopen:
                yield number, opening, "", "no </DOC> before the next <DOC>; record skipped"
                number, opening, pos = number + 1, reopen.group(0), reopen.end()
                continue
            if eof:
                yield number, opening, "", "no </DOC>: the file ends inside this record"
                return
            if len(buffer) - pos > MAX_RECORD:
                yield number, opening, "", f"no </DOC> within {MAX_RECORD >> 20} MB; record skipped"
                opening = None
            buffer, pos = buffer[pos:], 0
        chunk = handle.read(CHUNK)
        eof = not chunk
        buffer += chunk


def fields_of(content: str) -> dict[str, list[str]]:
    """Leaf fields by upper-case tag name, in order; containers (``BODY``, ``HEADER``) are opened."""
    fields: dict[str, list[str]] = {}
    for match in _FIELD.finditer(content):
        name, inner = match.group(1).upper(), match.group(2)
        if name not in TEXT_TAGS and _FIELD.search(inner):
            for inner_name, values in fields_of(inner).items():
                fields.setdefault(inner_name, []).extend(values)
        else:
            fields.setdefault(name, []).append(inner)
    return fields


def _unclosed(content: str) -> list[str]:
    opened = {m.group(1).upper() for m in _OPEN_TAG.finditer(content)} & REQUIRED_CLOSE
    closed = {m.group(1).upper() for m in re.finditer(r"</([A-Za-z][\w.:-]*)\s*>", content)}
    return sorted(opened - closed)


def _first(fields: Mapping[str, list[str]], tags: tuple[str, ...]) -> tuple[str, str] | None:
    """(tag, text) of the first of ``tags`` with text in it."""
    for tag in tags:
        for value in fields.get(tag, ()):
            text = to_text(value)
            if text:
                return tag, text
    return None


def collection_source(doc_id: str) -> tuple[str, str] | None:
    """(outlet, prefix) when ``doc_id`` has the shape of a known collection's ids."""
    for pattern, outlets in COLLECTIONS:
        match = pattern.search(doc_id)
        if match:
            return outlets[match.group(1).upper()], match.group(1)
    return None


def record_of(content: str, opening: str, path: str) -> Record | str:
    """The document in one record's content; a str says why there is none."""
    unclosed = _unclosed(content)
    if unclosed:
        return f"<{unclosed[0]}> is not closed; record skipped"
    fields = fields_of(content)
    found_id = _first(fields, ID_TAGS)
    attr = _DOC_ID_ATTR.search(opening)
    doc_id = " ".join(found_id[1].split()) if found_id else (attr.group(1) if attr else "")
    if not doc_id:
        return "no DOCNO; record skipped"
    title = _first(fields, TITLE_TAGS)
    body_tags = BODY_TAGS if _first(fields, BODY_TAGS) else SUMMARY_TAGS
    body = "\n".join(filter(None, (to_text(v) for tag in body_tags for v in fields.get(tag, ()))))
    if not title and not body:
        return f"{doc_id}: no title and no text; record skipped"
    provenance = {"id": found_id[0] if found_id else "DOC id", "title": title[0] if title else "none"}
    used = {*ID_TAGS, *body_tags, "URL"}
    if title:
        used.add(title[0])
    date = None
    date_field = _first(fields, DATE_TAGS)
    if date_field:
        used.add(date_field[0])
        hint = _DIGITS_DATE.search(doc_id)
        stamp = parse_stamp(date_field[1], month_first=True, hint=parse_stamp(hint.group(1)).date if hint else None)
        date = stamp.date if stamp else None
        provenance["date"] = date_field[0] if date else "unparsed field"
    else:
        provenance["date"] = "none"
    source_field = _first(fields, SOURCE_TAGS)
    source = None
    if source_field:
        used.add(source_field[0])
        source, provenance["source"] = " ".join(source_field[1].split()), source_field[0]
    elif found := collection_source(doc_id):
        source, provenance["source"] = found[0], f"id prefix {found[1]}"
    else:
        provenance["source"] = "none"
    for name, values in fields.items():
        if name not in used and name.lower() not in provenance:
            text = " ".join(" ".join(to_text(v) for v in values).split())
            if text:
                provenance[name.lower()] = text
    url = _first(fields, ("URL",))
    return Record(
        id=doc_id,
        title=" ".join(title[1].split()) if title else "",
        body=body,
        source=source,
        date=date,
        url="".join(url[1].split()) if url else None,
        path=path,
        provenance=provenance,
    )


def read(path: Path, fields: Mapping[str, str] | None = None) -> Iterator[Record | ReadProblem]:
    """One record per ``<DOC>``; ``fields`` does not apply (the tags name the fields)."""
    number = 0
    with open_text(path) as handle:
        for number, opening, content, problem in records_in(handle):
            result = problem or record_of(content, opening, str(path))
            if isinstance(result, str):
                yield ReadProblem(str(path), result, record=number)
            else:
                result.provenance["record"] = str(number)
                yield result
    if not number:
        yield ReadProblem(str(path), "no <DOC> record in this file")
