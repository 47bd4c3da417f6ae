"""Marked-up text to plain text: the tags and character entities of SGML records and feed HTML.

TREC/SGML records and feed descriptions both carry text with markup in it: ``<P>``
paragraphs, ``<br>``, ``&amp;``, and in old collections entities that HTML does not know
(``&UR;``, ``&QL;``). Regular expressions are used rather than a parser because the input
is often not well-formed (an SGML record is not XML, a feed's HTML is a fragment) and only
the text is wanted: paragraph tags become line breaks, other tags go, known entities are
decoded and unknown ones dropped.
"""

from __future__ import annotations

import html
import re

_INVISIBLE = re.compile(r"<(script|style|noscript)\b[^>]*>.*?</\1\s*>|<!--.*?-->|<!\[CDATA\[|\]\]>", re.I | re.S)
_BLOCK = re.compile(
    r"</?(?:p|br|div|li|ul|ol|dl|dt|dd|h[1-6]|tr|table|blockquote|section|article|header|footer"
    r"|figure|figcaption|pre|hr)\b[^>]*>",
    re.I,
)
_TAG = re.compile(r"</?[A-Za-z!?][^<>]*>")
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{0,31});?")
_BREAK = "\x00"


def _entity(match: re.Match) -> str:
    raw = match.group(0)
    decoded = html.unescape(raw)
    if decoded != raw:
        return decoded
    # An entity the text's own DTD defined (``&UR;``) carries no text; a bare ``&T`` in
    # ``AT&T`` is not an entity at all and stays.
    return "" if raw.endswith(";") else raw


def to_text(markup: str) -> str:
    """The text of ``markup``, one paragraph per line.

    When the markup has paragraph tags, line breaks in its source are only wrapping and
    the tags make the paragraphs (HTML, AFP-style ``<P>`` records); without them each
    line of the source is a paragraph (ANT-style records).
    """
    if "<" not in markup and "&" not in markup:
        return _tidy(markup.splitlines())
    text = _INVISIBLE.sub(" ", markup)
    if _BLOCK.search(text):
        text = _BLOCK.sub(_BREAK, " ".join(text.splitlines()))
    else:
        text = text.replace("\n", _BREAK)
    text = _ENTITY.sub(_entity, _TAG.sub(" ", text))
    return _tidy(text.split(_BREAK))


def _tidy(lines: list[str]) -> str:
    """Spaces collapsed inside each line, blank lines dropped."""
    kept = (" ".join(line.split()) for line in lines)
    return "\n".join(line for line in kept if line)
