"""Turning a file's bytes into text whatever encoding it was saved in.

Arabic pages come as UTF-8 (with or without BOM), UTF-16 from Windows tools, or the
legacy single-byte code pages Windows-1256 and ISO-8859-6. BOMs and valid UTF-8 are
decided here (cheap and certain); anything else is left to charset-normalizer, which
tells the two Arabic code pages apart by their letter statistics. Binary data, or text
no encoding explains, raises :class:`Undecodable` so the file is skipped by name.
"""

from __future__ import annotations

import codecs
import gzip
import io
from pathlib import Path
from typing import IO

#: BOMs, longest first (the UTF-32 LE BOM starts with the UTF-16 LE one).
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
#: How much of a large file is looked at to choose its encoding.
SNIFF_BYTES = 1 << 16
#: Share of control characters above which decoded "text" is really binary data.
MAX_CONTROL_SHARE = 0.01


class Undecodable(ValueError):
    """The bytes are not text in any encoding we can recognise."""


def detect(data: bytes, complete: bool = True) -> str:
    """The encoding of ``data`` (a whole file, or its first bytes when not ``complete``)."""
    for bom, name in BOMS:
        if data.startswith(bom):
            return name
    if b"\x00" not in data:
        try:
            codecs.getincrementaldecoder("utf-8")().decode(data, final=complete)
            return "utf-8"
        except UnicodeDecodeError:
            pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise Undecodable("not text: binary data, or an encoding that could not be recognised")
    return best.encoding


def _check_text(text: str) -> str:
    controls = sum(1 for ch in text if ch < " " and ch not in "\t\n\r\f\v")
    if "\x00" in text or controls > MAX_CONTROL_SHARE * max(len(text), 1):
        raise Undecodable("not text: binary data, or an encoding that could not be recognised")
    return text


def decode(data: bytes) -> str:
    """The text of a whole file's bytes; raises :class:`Undecodable`."""
    encoding = detect(data)
    try:
        return _check_text(data.decode(encoding))
    except UnicodeDecodeError as exc:
        raise Undecodable(f"cannot decode as {encoding}: {exc.reason}") from None


def read_text(path: Path) -> str:
    """The text of a (small) file in whatever encoding it uses."""
    return decode(path.read_bytes())


def open_text(path: Path) -> IO[str]:
    """A streaming text handle on a (possibly gzipped) large file, encoding detected.

    Only the first :data:`SNIFF_BYTES` are examined, so a 100 MB JSONL file is never
    held in memory; a decoding error later in the file surfaces as UnicodeDecodeError.
    """
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    with opener(path, "rb") as raw:
        head = raw.read(SNIFF_BYTES)
        complete = len(head) < SNIFF_BYTES
    encoding = detect(head, complete=complete)
    _check_text(head.decode(encoding, errors="ignore"))
    return io.TextIOWrapper(opener(path, "rb"), encoding=encoding, newline=None)
