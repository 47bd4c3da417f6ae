"""Arabic for terminals that cannot lay out right-to-left text (``--bidi``).

Many terminals print characters in the order they are stored and draw each letter in
its isolated form, so Arabic comes out reversed and unjoined. With ``--bidi`` every
line is turned into what such a terminal must be given: letters in their joined forms
(arabic-reshaper) and the line in visual order (python-bidi, the Unicode
bidirectional algorithm). Text is wrapped *before* reordering, because a terminal
that wraps a visual line would start the sentence on its last line.

Highlights are whole words, so they are found again after reordering by their
visual form; the same word is highlighted in a snippet wherever it stands, so no
occurrence is mistaken for another.
"""

from __future__ import annotations

import re
import textwrap

_WORD = re.compile(r"\S+")


def _shape(text: str) -> str:
    import arabic_reshaper  # only with --bidi: most runs never import it

    return arabic_reshaper.reshape(text)


def _reorder(text: str) -> str:
    from bidi import get_display

    return get_display(text)


def visual_line(text: str) -> str:
    """One logical line (no newline) as a terminal without bidi support must print it."""
    return _reorder(_shape(text))


def visual_lines(text: str, width: int) -> list[str]:
    """``text`` wrapped to ``width`` cells, each line in visual order and right-aligned."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        for line in textwrap.wrap(paragraph, width) or [""]:
            lines.append(visual_line(line).rjust(width))
    return lines


def visual_segments(segments: list[tuple[str, bool]], width: int) -> list[list[tuple[str, bool]]]:
    """Highlighted text (``(text, marked)`` pieces) wrapped, reordered and right-aligned:
    one list of pieces per line, the marked words still marked."""
    logical = "".join(text for text, _ in segments)
    marked = {visual_line(word) for text, is_marked in segments if is_marked for word in _WORD.findall(text)}
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
