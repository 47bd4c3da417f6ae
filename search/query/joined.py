"""Words typed without the space between them: ``البحرالميت`` → ``البحر الميت``.

A space is the easiest key to miss, and Arabic makes it hard to see: most letters join
the next one anyway. A query word that no document has (its stem in no searched field)
is split in two where a space is plainly missing: before the article ``ال`` of the
second word (``تتطورالاعراض``, ``عبدالسلام``), or between letters and digits
(``لعام2006``), when both halves are words the documents have, written as they are
(the unstemmed body field); of several splits the one whose rarer half is more common
wins. Anywhere else a split is a guess: ``سيتنحى`` is not ``سي تنحى``, nor ``الخنفي``
``الخ نفي``. The halves are then searched as two words, and the split is shown.
"""

from __future__ import annotations

from dataclasses import replace

from index.analysis.stemming import stem
from index.schema import EXACT_FIELDS
from search.query.parse import Concept, ParsedQuery
from search.query.suggestions import frequency
from search.settings import JoinedSettings

ARTICLE = "ال"
#: Halves must be words of the unstemmed body field: words as written.
FIELD = EXACT_FIELDS["body"]


def _cuts(word: str, settings: JoinedSettings) -> list[int]:
    """Where a space may be missing in ``word`` (see the module's docstring): the first
    half needs ``min_head`` letters before an article (``ال`` alone is no word), the
    second ``min_tail`` with its article; a run of letters beside digits ``min_head``."""
    head_min, tail_min = settings.min_head, settings.min_tail
    cuts = [cut for cut in range(head_min, len(word) - tail_min + 1) if word.startswith(ARTICLE, cut)]
    for cut in range(1, len(word)):
        head, tail = word[:cut], word[cut:]
        digits, letters = (head, tail) if head.isdigit() else (tail, head)
        if digits.isdigit() and letters.isalpha() and len(letters) >= head_min:
            cuts.append(cut)
    return cuts


def split(reader, word: str, settings: JoinedSettings) -> tuple[str, str] | None:
    """The two indexed words ``word`` is made of, or None."""
    cuts = _cuts(word, settings)
    if not cuts or frequency(reader, word):
        return None
    best, best_df = None, 0
    for cut in cuts:
        head, tail = word[:cut], word[cut:]
        df = min(reader.doc_frequency(FIELD, head), reader.doc_frequency(FIELD, tail))
        if df > best_df:
            best, best_df = (head, tail), df
    return best


def split_words(reader, parsed: ParsedQuery, settings: JoinedSettings) -> tuple[ParsedQuery, list[dict]]:
    """``parsed`` with each joined word searched as its two words, and what was split
    (``[{"typed", "searched"}]``)."""
    concepts: list[Concept] = []
    rewrites: list[dict] = []
    for concept in parsed.concepts:
        halves = split(reader, concept.forms[0], settings) if len(concept.forms) == 1 and not concept.alternatives else None
        if halves is None:
            concepts.append(concept)
            continue
        rewrites.append({"typed": concept.forms[0], "searched": " ".join(halves)})
        concepts += [Concept((h,), (stem(h),)) for h in halves]
    if not rewrites:
        return parsed, []
    terms = [t for t in parsed.terms if any(t in c.stems for c in concepts)]
    terms += [s for c in concepts for s in c.stems if s not in terms]
    return replace(parsed, concepts=concepts, terms=terms), rewrites
