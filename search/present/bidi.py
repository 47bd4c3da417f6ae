"""Arabic for terminals that cannot lay out right-to-left text (``--bidi``).

Many terminals print characters in the order they are stored and draw each letter in
its isolated form, so Arabic comes out reversed and unjoined. With ``--bidi`` every
line is turned into what such a terminal must be given: letters in their joined forms
(arabic-reshaper) and the line in visual order (python-bidi, the Unicode
bidirectional algorithm). Text is wrapped *before* reordering, because a terminal
that wraps a visual line would start the sentence on its last line; a right-to-left
paragraph's lines are right-aligned, as a reader of Arabic expects.

Highlights are whole words, so they are found again after reordering by their
visual form; the same word is highlighted in a snippet wherever it stands, so no
occurrence is mistaken for another.
"""

from __future__ import annotations

import re
import textwrap
import unicodedata

#: A word as highlights are re-found: letters and digits (harakat are gone once shaped),
#: so punctuation stuck to a word (``«الرقة»``, ``داعش،``) is never highlighted.
_WORD = re.compile(r"\w+")
_RTL = {"R", "AL"}


def _shape(text: str) -> str:
    import arabic_reshaper  # only with --bidi: most runs never import it

    return arabic_reshaper.reshape(text)


def _reorder(text: str, rtl: bool | None = None) -> str:
    # The pure-Python algorithm, not ``bidi.get_display`` (Rust, 0.5+): that one leaves
    # mirroring to the renderer, and a terminal would draw "(داعش)" as ")شعاد(".
    from bidi.algorithm import get_display

    return get_display(text, base_dir=None if rtl is None else "R" if rtl else "L")


def has_rtl(text: str) -> bool:
    """Whether ``text`` holds any right-to-left letter: lines without one are printed as
    they are, so English output is never wrapped or moved by ``--bidi``."""
    return any(unicodedata.bidirectional(c) in _RTL for c in text)


def is_rtl(paragraph: str) -> bool:
    """A paragraph's direction by its first strong letter (Unicode rules P2–P3): every
    line wrapped from it keeps that direction, even one starting with a Latin word."""
    for c in paragraph:
        kind = unicodedata.bidirectional(c)
        if kind in _RTL:
            return True
        if kind == "L":
            return False
    return False


def visual_line(text: str, rtl: bool | None = None) -> str:
    """One logical line (no newline) as a terminal without bidi support must print it;
    ``rtl`` forces a direction (``None``: the line's own, by its first strong letter)."""
    return _reorder(_shape(text), rtl)


def visual_lines(text: str, width: int) -> list[str]:
    """``text`` wrapped to ``width`` cells, each line in visual order; the lines of a
    right-to-left paragraph are right-aligned."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        rtl = is_rtl(paragraph)
        for line in textwrap.wrap(paragraph, width, break_on_hyphens=False) or [""]:
            shown = visual_line(line, rtl)
            lines.append(shown.rjust(width) if rtl and shown else shown)
    return lines


def visual_segments(segments: list[tuple[str, bool]], width: int) -> list[list[tuple[str, bool]]]:
    """Highlighted text (``(text, marked)`` pieces) wrapped, reordered and aligned as by
    :func:`visual_lines`: one list of pieces per line, the marked words still marked."""
    logical = "".join(text for text, _ in segments)
    # Shaped before splitting: harakat inside a word would split it, and shaping drops them.
    marked = {_reorder(word) for text, is_marked in segments if is_marked for word in _WORD.findall(_shape(text))}
    out = []
    for line in visual_lines(logical, width):
        pieces: list[tuple[str, bool]] = []
        position = 0
        for match in _WORD.finditer(line):
            if match.group() in marked:
                pieces.append((line[position : match.start()], False))
                pieces.append((match.group(), True))
                position = match.end()
        pieces.append((line[position:], False))
        out.append([(text, is_marked) for text, is_marked in pieces if text])
    return out
