"""The accusative tanween alef: ``شاب`` typed meets ``شابًا`` written.

An indefinite noun or adjective in the accusative is written with an alef after its last
letter (``قرضًا جديدًا``, the mark often left out: ``قرضا جديدا``). The index keeps that
alef (dropping it at index time also parted the marked spelling from the unmarked one,
the commoner: benchmarks/quality.md), so the form a reader types, the dictionary form,
stems apart from it. Here a typed word that could carry the alef also searches the stem
of the form with it, at ``WordSettings.accusative_boost``: filled in at the rewrite
stage (:func:`search.pipeline.rewrite`), which has the settings, so with the weight at 0
nothing matches, orders the headline or is highlighted by it.

A word cannot carry it when it is definite (``ال``), or ends in a letter that takes the
tanween without an alef or spells it otherwise: ة, alef, hamza. (Alef maqsura is ya once
normalized, so ``مستشفى`` gets a stem that no document has: one term looked up for nothing.)
"""

from __future__ import annotations

from dataclasses import replace

from index.analysis.stemming import stem
from search.query.parse import ParsedQuery
from search.settings import WordSettings

#: Last letters after which no tanween alef is written.
NO_ALEF_AFTER = frozenset("ةاىءأإآؤئ")
#: Shorter words are left alone: with an alef most become other words (``أب`` → ``أبا``).
MIN_LETTERS = 3


def stems(forms: tuple[str, ...], own: tuple[str, ...]) -> tuple[str, ...]:
    """The stem of the one typed word of ``forms`` with the tanween alef, when it can
    carry one and that stem differs from ``own`` (its stems); else empty."""
    if len(forms) != 1:
        return ()
    form = forms[0]
    if len(form) < MIN_LETTERS or form.startswith("ال") or form[-1] in NO_ALEF_AFTER:
        return ()
    with_alef = stem(form + "ا")
    return () if with_alef in own else (with_alef,)


def with_accusatives(parsed: ParsedQuery, words: WordSettings) -> ParsedQuery:
    """``parsed`` with each concept's accusative stems filled in (none when the weight is 0)."""
    if not words.accusative_boost:
        return parsed
    concepts = [replace(c, accusative_stems=stems(c.forms, c.stems)) for c in parsed.concepts]
    return replace(parsed, concepts=concepts)
