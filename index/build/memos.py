"""The analysis of every word form an index has seen, kept beside it for the next add.

Stemming and above all root extraction are the costly part of analyzing a new word
form, and adding a few articles to a large index meets mostly forms it has seen: the
segment writer (:mod:`index.whoosh_ext.segment`) looks them up here instead. Kept apart
from it so that opening an index to query does not import Whoosh's writer.

The file keeps the analyses as their writer holds them, because turning one form into
the other cost more than writing it (benchmarks/README.md, "Small builds"): a parallel
build's tables (:class:`Analyses`: each form and each distinct term once, per analyzer a
term number per form; the 6,000-article build saved them in 0.21 s against 0.49–0.64 s
for the dictionaries made from them), or a small add's dictionaries, which it loaded and
extended.
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

#: What a file holds after the schema version: dictionaries (analyzer key → form →
#: term), or :class:`Analyses`' tables. A file of neither is ignored (the forms are
#: analyzed again); one of the schema version alone before the dictionaries is read as such.
MEMOS, TABLES = "memos", "forms, terms, term numbers"


@dataclass
class Analyses:
    """Every form's term under each analyzer key: ``forms`` and ``terms`` (each once),
    and per key the number in ``terms`` of each form's term (:data:`NONE`: no term)."""

    forms: list[str]
    terms: list[bytes]
    numbers: dict[str, array]

    def __bool__(self) -> bool:
        return bool(self.forms)

    def memos(self) -> dict[str, dict[str, bytes | None]]:
        """Analyzer key → form → term, as :class:`index.whoosh_ext.segment.BulkSegmentWriter` looks them up."""
        spelled = [*self.terms, None]  # NONE (-1) spells None
        return {key: dict(zip(self.forms, map(spelled.__getitem__, numbers))) for key, numbers in self.numbers.items()}

    def valid(self) -> bool:
        """Whether every form has a term number under every key, each one of :attr:`terms` or :data:`NONE`."""
        return all(len(numbers) == len(self.forms) and (not numbers or NONE <= min(numbers) <= max(numbers) < len(self.terms))
                   for numbers in self.numbers.values())


def save_memos(path: Path, analyses: Analyses | dict) -> None:
    """Write ``analyses`` (tables, or memos: analyzer key → surface form → term)
    atomically, tagged with the schema version: any change of analysis bumps it, which
    retires the file."""
    if isinstance(analyses, Analyses):
        numbers = {key: column.tobytes() for key, column in analyses.numbers.items()}
        content = (SCHEMA_VERSION, TABLES, analyses.forms, analyses.terms, numbers)
    else:
        content = (SCHEMA_VERSION, MEMOS, analyses)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(zlib.compress(marshal.dumps(content), 1))
    os.replace(tmp, path)


def load_memos(path: Path) -> dict:
    """What :func:`save_memos` kept, as memos, or nothing when it is missing, stale or unreadable."""
    try:
        content = marshal.loads(zlib.decompress(path.read_bytes()))
        if not isinstance(content, tuple) or not content or content[0] != SCHEMA_VERSION:
            return {}
        if len(content) == 2:  # before the tag: the dictionaries
            memos = content[1]
        elif content[1] == MEMOS and len(content) == 3:
            memos = content[2]
        elif content[1] == TABLES and len(content) == 5:
            _, _, forms, terms, numbers = content
            tables = Analyses(forms, terms, {key: array("i", packed) for key, packed in numbers.items()})
            memos = tables.memos() if tables.valid() else {}
        else:
            return {}
        return memos if isinstance(memos, dict) else {}
    except (OSError, ValueError, EOFError, TypeError, AttributeError, zlib.error):
        return {}
