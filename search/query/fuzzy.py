"""Misspelled query words: a word that no document has also meets the indexed words
one or two edits away (``موريطانيا`` → ``موريتانيا``).

Questions are typed fast and names are spelled several ways; a word whose stem is in
no title or body scores nothing as it is, and its root fallback rarely finds the same
word. Here the nearest indexed word forms (``max_edits`` for short words, one more from
``long_from`` letters; found as "did you mean" finds them,
:func:`search.query.suggestions.corrections`) stand in for it at a lower weight
(:class:`~search.settings.NearWordSettings`).

They count as the word being present and find documents of their own: a question
that misspells the one name it asks about (``كنيسة نوثردام``) still finds the passages
that spell it right, and ``total`` and the facets count them. Only words that no
document has are replaced, so a query of known words finds what it always did; "did
you mean" still shows the user the correction. benchmarks/quality.md has the
measurements behind each setting.
"""

from __future__ import annotations

from dataclasses import replace

from index.analysis.stemming import stem
from index.schema import EXACT_FIELDS
from search.query.parse import Concept, ParsedQuery
from search.query.suggestions import corrections, frequency
from search.settings import NearWordSettings

#: Near words come from the unstemmed body field: words as written.
FIELD = EXACT_FIELDS["body"]


def _unknown(reader, concept: Concept, settings: NearWordSettings) -> bool:
    """Whether ``concept`` is one typed word whose stem no searched field has."""
    if len(concept.forms) != 1 or concept.alternatives or len(concept.forms[0]) < settings.min_length:
        return False
    return not frequency(reader, concept.forms[0])


def near_stems(reader, concept: Concept, settings: NearWordSettings) -> tuple[str, ...]:
    """The stems of the indexed words nearest ``concept``'s word, nearest first; empty
    when the word is known (or nothing is near, or near words are off)."""
    if not settings.weight or not _unknown(reader, concept, settings):
        return ()
    form = concept.forms[0]
    stems: list[str] = []
    for word in corrections(reader, FIELD, form, None, settings.max_edits + (len(form) >= settings.long_from)):
        if stem(word) not in stems:
            stems.append(stem(word))
    return tuple(stems[: settings.limit])


def with_near_words(reader, parsed: ParsedQuery, settings: NearWordSettings) -> ParsedQuery:
    """``parsed`` with each concept's near words (:attr:`Concept.near`) filled in."""
    concepts = [replace(c, near=near_stems(reader, c, settings)) for c in parsed.concepts]
    return replace(parsed, concepts=concepts)
