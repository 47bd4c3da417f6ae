"""One reader per file format; :func:`read_file` picks it by the file's name, or by its content.

Each reader takes the path and an optional ``--field`` mapping and yields
:class:`~index.ingest.records.Record` and :class:`~index.ingest.records.ReadProblem` objects, so a
bad line, row or record never stops the rest of the file.

Most formats are told by their ending. TREC/SGML collections and feeds are not: a file of
``<DOC>`` records may be called ``.txt``, ``.sgml``, ``.xml``, ``.trec`` or have no ending
at all, and is often gzipped; a feed may be ``.xml``, ``.rss`` or ``.atom``. For those
endings (:data:`SNIFFED`) the first bytes decide (:func:`sniff`).
"""

from __future__ import annotations

import gzip
import re
import zlib
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from index.ingest.encoding import Undecodable, detect
from index.ingest.formats import feeds, jsonl, table, text, trec, webpage
from index.ingest.records import ReadProblem, Record

Reader = Callable[[Path, "Mapping[str, str] | None"], Iterator["Record | ReadProblem"]]

#: File name endings and their readers, longest ending first.
READERS: tuple[tuple[str, Reader], ...] = tuple(
    (suffix, module.read) for module in (jsonl, table, webpage) for suffix in module.SUFFIXES
)
#: Endings whose content decides the reader; ``.txt`` is a saved page unless it holds records.
SNIFFED = (".txt", ".sgml", ".sgm", ".trec", ".xml", ".rss", ".atom")
#: Every ending read, for messages and for finding files in folders.
SUFFIXES = tuple(suffix for suffix, _ in READERS) + SNIFFED + tuple(s + ".gz" for s in SNIFFED) + (".gz",)
UNSUPPORTED = (
    "unsupported file type: use .txt, .html, .csv, .tsv, .jsonl, .jsonl.gz, <DOC> records (.sgml, .trec, any"
    " ending, gzipped or not) or an RSS/Atom feed (.rss, .atom, .xml)"
)
#: How much of a file is looked at to tell records and feeds from other text.
SNIFF_BYTES = 4096

_PROLOGUE = r"(?:\s+|<\?[^>]*\?>|<!--.*?-->|<!DOCTYPE[^>]*>)*"
_RECORDS = re.compile(_PROLOGUE + r"(?:<[A-Za-z][\w.:-]*>\s*)?<DOC[\s>]", re.IGNORECASE | re.DOTALL)
_FEED = re.compile(_PROLOGUE + r"<(?:rss|feed|rdf:RDF)[\s>]", re.IGNORECASE | re.DOTALL)


def _no_ending(name: str) -> bool:
    """``19940513_AFP_ARB``, ``AFP.20000101``: no ending that names a format."""
    stem, dot, ending = name.rpartition(".")
    return not dot or not ending.isalpha()


def sniffed(path: Path) -> bool:
    """True when ``path``'s content, not its name, decides how it is read."""
    name = path.name.lower()
    if name.startswith("."):
        return False
    if name.endswith(".gz"):
        name = name[:-3]
        return name.endswith(SNIFFED) or _no_ending(name)
    return name.endswith(SNIFFED) or _no_ending(name)


def sniff(path: Path) -> str | None:
    """``"records"``, ``"feed"``, ``"damaged"`` (a gzip that cannot be opened) or None."""
    try:
        with open(path, "rb") as raw:
            head = raw.read(SNIFF_BYTES)
        if head.startswith(b"\x1f\x8b"):
            with gzip.open(path, "rb") as unpacked:
                head = unpacked.read(SNIFF_BYTES)
    except (EOFError, gzip.BadGzipFile, zlib.error):
        return "damaged"
    except OSError:
        return None
    try:
        head_text = head.decode(detect(head, complete=False), errors="ignore").lstrip("\ufeff")
    except Undecodable:
        return None
    if _RECORDS.match(head_text):
        return "records"
    if _FEED.match(head_text):
        return "feed"
    return None


def _damaged(path: Path, fields: Mapping[str, str] | None = None) -> Iterator[ReadProblem]:
    yield ReadProblem(str(path), "damaged gzip file: it cannot be decompressed; skipped")


def reader_for(path: Path) -> Reader | None:
    """The reader for ``path``, or None when it is in no format this package reads."""
    name = path.name.lower()
    reader = next((reader for suffix, reader in READERS if name.endswith(suffix)), None)
    if reader or not sniffed(path):
        return reader
    kind = sniff(path)
    if kind == "damaged":
        return _damaged
    bare = name.removesuffix(".gz")
    # An ending that names the format is believed when the start does not say it: the
    # reader then reports what is wrong with the file instead of passing it over.
    if kind == "records" or bare.endswith((".sgml", ".sgm", ".trec")):
        return trec.read
    if kind == "feed" or bare.endswith((".rss", ".atom")):
        return feeds.read
    return text.read if name.endswith(".txt") else None


def holds_many(path: Path) -> bool:
    """True for formats of many documents per file (JSONL, CSV/TSV, ``<DOC>`` records, feeds).

    The size limit of one document applies to each of their documents, not to the file.
    """
    reader = reader_for(path)
    return reader in (jsonl.read, table.read, trec.read, feeds.read)


def read_file(path: Path, fields: Mapping[str, str] | None = None) -> Iterator[Record | ReadProblem]:
    """Yield the records of one file, and a ReadProblem for each part that failed.

    Nothing raises out of here: a file that breaks halfway (a truncated gzip, bytes that
    stop decoding) keeps the records read before the break and ends with one problem.
    """
    reader = reader_for(path)
    if reader is None:
        yield ReadProblem(str(path), UNSUPPORTED)
        return
    read = 0
    try:
        for item in reader(path, fields):
            read += isinstance(item, Record)
            yield item
    except OSError as exc:
        yield ReadProblem(str(path), f"cannot read: {exc.strerror or exc}")
    except Undecodable as exc:
        yield ReadProblem(str(path), f"skipped, {exc}")
    except UnicodeDecodeError as exc:
        yield ReadProblem(str(path), f"cannot decode: {exc.reason} at byte {exc.start}{_kept(read)}")
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        yield ReadProblem(str(path), f"cut short or damaged ({exc}){_kept(read)}")
    except Exception as exc:  # noqa: BLE001 - one unreadable file must not stop the others
        yield ReadProblem(str(path), f"could not be read ({type(exc).__name__}: {exc}){_kept(read)}; please report this")


def _kept(read: int) -> str:
    return f"; the {read} documents before it are read" if read else "; skipped"
