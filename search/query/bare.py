"""Bare forms: a typed word's proclitic dropped where the bare word is the commoner one.

The index strips a one-letter proclitic (و ف ب ل ك) only before alef, to keep
``كتاب``/``تاب`` and ``لبنان``/``بنان`` apart; elsewhere the query meets the other form
through proclitic variants at a lower weight (:func:`search.query.build.proclitic_variants`).
A reader who types ``بقوات`` or ``وجثة`` where the headline says ``قوات`` or ``جثة`` then
finds it only at that weight, or not at all: the clinging form loses a suffix the bare
form keeps (``بقوات`` stems to ``بقو``, ``قوات`` to ``قوات``).

Here, for a keyword query (:mod:`search.query.kind`), the word without a proclitic
(at least ``WordSettings.min_variant_stem`` letters left) is searched as well:

* its stem at full weight, if that stem is in more documents (title + body) than the
  typed word's stem;
* its form as written, as an exact form, if it is in more documents than the typed form
  (the unstemmed twin fields).

The documents decide which reading is likely: ``بقوات`` is far rarer than ``قوات``,
while ``لبنان`` is far commoner than ``بنان`` and stays whole. Questions keep the
lower-weight variants: bare forms measured worse on them (benchmarks/quality.md).
"""

from __future__ import annotations

from dataclasses import replace

from index.analysis.stemming import stem
from index.schema import EXACT_FIELDS
from search.query.kind import keyword_rules
from search.query.parse import Concept, ParsedQuery
from search.settings import RankingSettings, WordSettings

#: The stemmed fields and their unstemmed twins, whose document frequencies are compared.
STEM_FIELDS = tuple(EXACT_FIELDS)
FORM_FIELDS = tuple(EXACT_FIELDS.values())


def _frequency(reader, fields: tuple[str, ...], text: str) -> int:
    return sum(reader.doc_frequency(name, text) for name in fields)


def bare(reader, concept: Concept, words: WordSettings) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The bare stems and bare forms of ``concept`` (a single typed word), as the module's
    docstring defines them; empty when it is several words or carries no proclitic."""
    if len(concept.forms) != 1:
        return (), ()
    form, own = concept.forms[0], concept.stems[0]
    rests = [form[len(p):] for p in words.proclitic_prefixes
             if form.startswith(p) and len(form) - len(p) >= words.min_variant_stem]
    if not rests:
        return (), ()
    own_stems, own_forms = _frequency(reader, STEM_FIELDS, own), _frequency(reader, FORM_FIELDS, form)
    stems: list[str] = []
    forms: list[str] = []
    for rest in rests:
        rest_stem = stem(rest)
        if rest_stem != own and rest_stem not in stems and _frequency(reader, STEM_FIELDS, rest_stem) > own_stems:
            stems.append(rest_stem)
        if rest not in forms and _frequency(reader, FORM_FIELDS, rest) > own_forms:
            forms.append(rest)
    return tuple(stems), tuple(forms)


def with_bare_forms(reader, parsed: ParsedQuery, settings: RankingSettings) -> ParsedQuery:
    """``parsed`` with each concept's bare stems and forms filled in (keyword queries only)."""
    if not settings.keywords.bare_forms or not keyword_rules(parsed, settings.keywords):
        return parsed
    concepts = []
    for concept in parsed.concepts:
        stems, forms = bare(reader, concept, settings.words)
        concepts.append(replace(concept, bare_stems=stems, bare_forms=forms))
    return replace(parsed, concepts=concepts)
