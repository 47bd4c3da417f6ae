"""Quoted phrases that no document holds, searched as plain words.

A quoted phrase that finds nothing is often a name spelled another way, or a title
remembered loosely (``"الدكتو هو"``): when phrases make a query find nothing, the
pipeline searches their words instead (exclusions kept) and says so in
``Results.rewrites`` as ``{"typed": '"phrase"', "searched": "phrase"}``.
"""

from __future__ import annotations

import re

from search.query.parse import QUERY_PARTS, ParsedQuery, parse
from search.query.synonyms import Synonyms
from search.settings import ParseSettings


def unquoted(text: str) -> tuple[str, list[str]]:
    """``text`` with its quoted phrases as plain words (exclusions kept), and those phrases."""
    phrases: list[str] = []

    def plain(match: re.Match) -> str:
        if match.group(2) is None or match.group(1):
            return match.group(0)
        phrases.append(match.group(2).strip())
        return f" {match.group(2)} "

    return QUERY_PARTS.sub(plain, text), [p for p in phrases if p]


def as_words(text: str, synonyms: Synonyms | None, settings: ParseSettings) -> tuple[ParsedQuery, list[dict]]:
    """``text`` parsed with its quoted phrases as words, and the rewrites to report."""
    plain, phrases = unquoted(text)
    return parse(plain, synonyms, settings), [{"typed": f'"{p}"', "searched": p} for p in phrases]
