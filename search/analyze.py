"""``analyze``: what the index makes of a text, like Elasticsearch's ``_analyze``."""

from __future__ import annotations

from search.query.parse import ANALYZER
from search.results import Token


def analyze(text: str) -> list[Token]:
    """The indexed tokens of ``text`` with their offsets into ``text`` itself."""
    return [Token(t.text, t.startchar, t.endchar) for t in ANALYZER(text, chars=True)]
