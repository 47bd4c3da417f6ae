"""The analysis of every word form an index has seen, kept beside it for the next add.

Stemming and above all root extraction are the costly part of analyzing a new word
form, and adding a few articles to a large index meets mostly forms it has seen: the
segment writer (:mod:`index.whoosh_ext.segment`) looks them up here instead. Kept apart
from it so that opening an index to query does not import Whoosh's writer.
"""

from __future__ import annotations

import marshal
import os
import zlib
from pathlib import Path

from index.schema import SCHEMA_VERSION


def save_memos(path: Path, memos: dict) -> None:
    """Write ``memos`` (analyzer key → surface form → term) atomically, tagged with
    the schema version: any change of analysis bumps it, which retires the file."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(zlib.compress(marshal.dumps((SCHEMA_VERSION, memos)), 1))
    os.replace(tmp, path)


def load_memos(path: Path) -> dict:
    """What :func:`save_memos` kept, or nothing when it is missing, stale or unreadable."""
    try:
        version, memos = marshal.loads(zlib.decompress(path.read_bytes()))
    except (OSError, ValueError, EOFError, TypeError, zlib.error):
        return {}
    return memos if version == SCHEMA_VERSION and isinstance(memos, dict) else {}
