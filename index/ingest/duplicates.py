"""When two files hold the same article: the key that says so.

Scraped copies of one story differ in spacing, punctuation, diacritics and hamza
spelling, so the key is taken over the body's folded words only (the same folding the
index applies, :mod:`index.analysis.normalize`). Titles are left out on purpose: the same story
is often saved under two headline variants.
"""

from __future__ import annotations

import hashlib
import re

from index.analysis.normalize import normalize_text

#: Bodies shorter than this (in words) are too generic to call two files the same article.
MIN_WORDS = 8

_WORD = re.compile(r"[^\W_]+")
#: :data:`_WORD` for a text without "_" (most): one character class, a fifth faster on
#: the 6,000-article build's bodies (0.38 s against 0.48), the same words.
_PLAIN_WORD = re.compile(r"\w+")


def body_words(body: str) -> list[str]:
    """The normalized body's words: what its key is taken over, and what the copy finder
    shingles (:mod:`index.build.copies`), split once for both when a helper signs ahead."""
    text = normalize_text(body)
    return (_WORD if "_" in text else _PLAIN_WORD).findall(text)


def body_key(body: str) -> str | None:
    """A short stable key for the normalized body, or None for a body too short to compare."""
    return words_key(body_words(body))


def words_key(words: list[str]) -> str | None:
    """:func:`body_key` of the body whose :func:`body_words` are ``words``."""
    if len(words) < MIN_WORDS:
        return None
    return hashlib.sha1(" ".join(words).encode("utf-8")).hexdigest()[:20]
