"""Snippets: the passage of a document that best shows why it matched.

The stored text is split into words with the tokenizer's pattern and each distinct
word form is analyzed once (memoized: news repeats its words, and a page of snippets
must not cost more than the search that found it); words whose term is one of the
query's are marks, with offsets into the original characters (harakat and tatweel
included). The window holding the most distinct query terms wins, then it is
widened to word boundaries. Output is HTML-escaped text with ``<mark>`` around each
match, or (for the terminal) the plain text with the marked spans.
"""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from index.analysis.chain import WORD
from index.analysis.normalize import normalize_text
from search.query.parse import ANALYZER
from search.settings import SnippetSettings


@dataclass
class Snippet:
    """Plain text plus the (start, end) spans of matched words inside it."""

    text: str
    marks: list[tuple[int, int]]
    clipped_start: bool = False
    clipped_end: bool = False

    def html(self) -> str:
        out, cursor = [], 0
        for start, end in self.marks:
            out.append(html.escape(self.text[cursor:start], quote=False))
            out.append("<mark>" + html.escape(self.text[start:end], quote=False) + "</mark>")
            cursor = end
        out.append(html.escape(self.text[cursor:], quote=False))
        return ("…" if self.clipped_start else "") + "".join(out) + ("…" if self.clipped_end else "")


@lru_cache(maxsize=200_000)
def word_terms(word: str) -> tuple[str, ...]:
    """The terms the analyzer makes of one word: empty for a stop word."""
    return tuple(t.text for t in ANALYZER(word))


def _arabic_block_changes() -> dict[str, str]:
    """Each character of the Arabic block (U+0600–U+06FF) that normalization deletes ("")
    or folds into another, read from :func:`normalize_text` itself: every change it
    makes besides lower-casing is to these letters (index.analysis.normalize)."""
    block = [chr(c) for c in range(0x0600, 0x0700)]
    # A separator normalization keeps: one call, each character's result between two.
    results = normalize_text("\n".join(block)).split("\n")
    return {c: r for c, r in zip(block, results) if r != c}


_CHANGES = _arabic_block_changes()
#: Characters that normalization deletes (harakat, superscript alef, tatweel): they
#: may stand between any two letters of a word.
_DELETED = "".join(sorted(c for c, r in _CHANGES.items() if not r))
_DELETED_CHAR = re.compile(f"[{re.escape(_DELETED)}]")
_WORD_CHAR = re.compile(r"(?:[^\W_]|[\u0640\u064B-\u065F\u0670])")  # one character of WORD


def _letter(c: str) -> str:
    """A regex class of every character that normalizes to ``c``."""
    sources = [k for k, r in _CHANGES.items() if r == c] + [c]
    return "[" + "".join(re.escape(x) for x in sources) + "]" if len(sources) > 1 else re.escape(c)


@lru_cache(maxsize=256)
def _spellings(terms: tuple[str, ...]) -> re.Pattern:
    """Every way ``terms`` can be written before normalization (hamza forms, harakat...)."""
    gap = f"[{re.escape(_DELETED)}]*"
    forms = [gap.join(_letter(c) for c in term) for term in sorted(terms, key=len, reverse=True)]
    return re.compile("|".join(forms), re.IGNORECASE)


def _word_around(text: str, start: int, end: int) -> tuple[int, int]:
    while start > 0 and _WORD_CHAR.match(text, start - 1):
        start -= 1
    following = WORD.match(text, end)
    return start, following.end() if following else end


def find_marks(text: str, terms: set[str]) -> list[tuple[int, int, str]]:
    """Every (start, end, term) in ``text`` whose analyzed term is in ``terms``.

    Only the words that can match are analyzed, so the cost follows the marks, not the
    length of the bodies (benchmarks/README.md). A word's terms are substrings of its normalized form (normalization is letter by letter and a
    stem is a slice, see index.analysis.stemming), so only the words containing some spelling
    of a query term are analyzed: found by substring search (:func:`_occurrences`).
    """
    if not terms:
        return []
    words = sorted({_word_around(text, start, end) for start, end in _occurrences(text, terms)})
    marks = []
    for start, end in words:
        for term in word_terms(text[start:end]):
            if term in terms:
                marks.append((start, end, term))
                break
    return marks


def _occurrences(text: str, terms: set[str]) -> Iterator[tuple[int, int]]:
    """Spans of ``text`` that normalize to one of ``terms``.

    Normalization deletes some characters (harakat, tatweel) and maps every other one
    to exactly one: the text is normalized once, each term is a plain substring
    search in it, and a span is mapped back past the deleted characters before it
    (no pattern of every spelling is compiled for each new query's terms: compiling is
    the dear part). A text where lengths do not add up (lower-casing changed one: rare
    letters) still goes through the pattern.
    """
    deleted = [m.start() for m in _DELETED_CHAR.finditer(text)]
    folded = normalize_text(text)
    if len(folded) + len(deleted) != len(text):
        yield from (m.span() for m in _spellings(tuple(sorted(terms))).finditer(text))
        return
    # The j-th deleted character stood just before folded index deleted[j] - j.
    before = [position - j for j, position in enumerate(deleted)]
    for term in terms:
        start = folded.find(term)
        while start >= 0:
            end = start + len(term) - 1
            yield start + bisect.bisect_right(before, start), end + bisect.bisect_right(before, end) + 1
            start = folded.find(term, start + 1)


def _best_window(marks: list[tuple[int, int, str]], width: int) -> int:
    best_start, best_score = marks[0][0], -1.0
    j = 0
    for i, (start, _, _) in enumerate(marks):
        j = max(j, i)
        while j + 1 < len(marks) and marks[j + 1][1] <= start + width:
            j += 1
        window = marks[i : j + 1]
        score = len({m[2] for m in window}) + 0.01 * len(window)
        if score > best_score:
            best_start, best_score = start, score
    return best_start


def _widen(text: str, start: int, end: int) -> tuple[int, int]:
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    return start, end


def make_snippet(text: str, terms: set[str], settings: SnippetSettings = SnippetSettings()) -> Snippet:
    """The best passage of about ``settings.width`` characters of ``text`` for ``terms``."""
    marks = find_marks(text, terms)
    if marks:
        anchor = _best_window(marks, settings.width)
        start = max(0, anchor - settings.lead)
    else:
        start = 0
    start, end = _widen(text, start, min(len(text), start + settings.width))
    piece = text[start:end]
    inside = [(s - start, e - start) for s, e, _ in marks if s >= start and e <= end]
    flat = " ".join(piece.split())
    if flat != piece:  # collapse newlines and runs of spaces, moving the marks along
        piece, inside = _collapse(piece, inside)
    return Snippet(piece, inside, clipped_start=start > 0, clipped_end=end < len(text))


def _collapse(piece: str, marks: list[tuple[int, int]]) -> tuple[str, list[tuple[int, int]]]:
    """Fold whitespace runs into one space, keeping mark offsets right."""
    mapping, out = [], []
    previous_space = True
    for ch in piece:
        mapping.append(len(out))
        if ch.isspace():
            if not previous_space:
                out.append(" ")
            previous_space = True
        else:
            out.append(ch)
            previous_space = False
    mapping.append(len(out))
    text = "".join(out).rstrip()
    return text, [(mapping[s], mapping[e]) for s, e in marks]


def highlight(text: str, terms: set[str]) -> Snippet:
    """The whole of ``text`` with every occurrence of ``terms`` marked: a document view."""
    return Snippet(text, [(start, end) for start, end, _ in find_marks(text, terms)])
