"""The analysis of every word form an index has seen, kept beside it for the next add.

Stemming and above all root extraction are the costly part of analyzing a new word
form, and adding a few articles to a large index meets mostly forms it has seen: the
segment writer (:mod:`index.whoosh_ext.segment`) looks them up here instead. Kept apart
from it so that opening an index to query does not import Whoosh's writer.

The file keeps the tables a parallel build already holds (:class:`Analyses`: each form
and each distinct term once, per analyzer a term number per form), not a dictionary per
analyzer: made from those tables as they are, the 6,000-article build's cache was saved
in about half the time, with no dictionaries of the whole vocabulary made at the end of
a build (benchmarks/README.md, "Small builds").
"""

from __future__ import annotations

import marshal
import os
import zlib
from array import array
from dataclasses import dataclass
from pathlib import Path

from index.schema import SCHEMA_VERSION
from index.whoosh_ext.vocabulary import NONE

#: What the file holds after the schema version: :class:`Analyses`' tables (a file
#: without it, an older cache, is ignored and the forms are analyzed again).
FORMAT = "forms, terms, term numbers"
#: A form's term number under an analyzer that did not analyze it (:data:`NONE`: it
#: analyzed it, and it is no term: a stop word).
ABSENT = -2
_MISSING = object()


@dataclass
class Analyses:
    """Every form's term under each analyzer key: ``forms`` and ``terms`` (each once),
    and per key the number in ``terms`` of each form's term (:data:`NONE`, :data:`ABSENT`)."""

    forms: list[str]
    terms: list[bytes]
    numbers: dict[str, array]

    def __bool__(self) -> bool:
        return bool(self.forms)

    @classmethod
    def of_memos(cls, memos: dict[str, dict[str, bytes | None]]) -> Analyses:
        """The tables of ``memos`` (analyzer key → form → term, None for no term)."""
        forms = list(dict.fromkeys(form for memo in memos.values() for form in memo))
        number: dict[bytes, int] = {}
        numbers = {}
        for key, memo in memos.items():
            numbers[key] = array("i", [ABSENT if (term := memo.get(form, _MISSING)) is _MISSING else NONE if term is None
                                       else number.setdefault(term, len(number)) for form in forms])
        return cls(forms, list(number), numbers)

    def memos(self) -> dict[str, dict[str, bytes | None]]:
        """Analyzer key → form → term, as :class:`index.whoosh_ext.segment.BulkSegmentWriter` looks them up."""
        spelled = self.terms
        return {key: {form: None if n == NONE else spelled[n] for form, n in zip(self.forms, numbers) if n != ABSENT}
                for key, numbers in self.numbers.items()}


def save_memos(path: Path, analyses: Analyses | dict) -> None:
    """Write ``analyses`` (or memos, analyzer key → surface form → term) atomically,
    tagged with the schema version: any change of analysis bumps it, which retires the file."""
    if not isinstance(analyses, Analyses):
        analyses = Analyses.of_memos(analyses)
    tables = (analyses.forms, analyses.terms, {key: numbers.tobytes() for key, numbers in analyses.numbers.items()})
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(zlib.compress(marshal.dumps((SCHEMA_VERSION, FORMAT, *tables)), 1))
    os.replace(tmp, path)


def load_memos(path: Path) -> dict:
    """What :func:`save_memos` kept, as memos, or nothing when it is missing, stale or unreadable."""
    try:
        version, kind, forms, terms, numbers = marshal.loads(zlib.decompress(path.read_bytes()))
        if version != SCHEMA_VERSION or kind != FORMAT:
            return {}
        tables = {key: array("i", packed) for key, packed in numbers.items()}
        if any(len(column) != len(forms) for column in tables.values()):
            return {}
        return Analyses(forms, terms, tables).memos()
    except (OSError, ValueError, EOFError, TypeError, IndexError, zlib.error):
        return {}
