"""Snippets: the passage of a document that best shows why it matched.

The stored text is split into words with the tokenizer's pattern and each distinct
word form is analyzed once (memoized: news repeats its words, and re-analysing ten whole bodies
per query would cost more than the search itself); words whose term is one of the
query's are marks, with offsets into the original characters (harakat and tatweel
included). The window holding the most distinct query terms wins, then it is
widened to word boundaries. Output is HTML-escaped text with ``<mark>`` around each
match, or (for the terminal) the plain text with the marked spans.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from functools import lru_cache

from index.analysis import WORD
from search.parsing import _ANALYZER

#: Target length of a snippet, in characters.
WIDTH = 220
#: How far before the first mark a window starts.
LEAD = 60


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
    return tuple(t.text for t in _ANALYZER(word))


def find_marks(text: str, terms: set[str]) -> list[tuple[int, int, str]]:
    """Every (start, end, term) in ``text`` whose analyzed term is in ``terms``."""
    if not terms:
        return []
    marks = []
    for match in WORD.finditer(text):  # the tokenizer's own pattern, without Token objects
        for term in word_terms(match.group()):
            if term in terms:
                marks.append((match.start(), match.end(), term))
                break
    return marks


def _best_window(marks: list[tuple[int, int, str]]) -> int:
    best_start, best_score = marks[0][0], -1.0
    j = 0
    for i, (start, _, _) in enumerate(marks):
        j = max(j, i)
        while j + 1 < len(marks) and marks[j + 1][1] <= start + WIDTH:
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


def make_snippet(text: str, terms: set[str]) -> Snippet:
    """The best ``WIDTH``-character passage of ``text`` for ``terms``."""
    marks = find_marks(text, terms)
    if marks:
        anchor = _best_window(marks)
        start = max(0, anchor - LEAD)
    else:
        start = 0
    start, end = _widen(text, start, min(len(text), start + WIDTH))
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
