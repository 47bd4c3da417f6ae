"""Turning what the user typed into a Whoosh query.

Syntax, kept small and forgiving (a query never fails to parse):

* words: ``انسحاب داعش`` — documents with every word rank first, then those with some;
* ``"a quoted phrase"`` — the words in this order (an unclosed quote runs to the end);
* ``-word`` or ``-"a phrase"`` — documents containing it are left out.

Every other character is text: parentheses, operators such as ``AND`` or ``:`` are not
syntax and simply go through the analyzer like any word, which drops punctuation.
Each word is analyzed exactly as the indexed text was, so ``البوكمال؟`` finds
``البوكمال`` and ``الانْسِحَاب`` finds ``انسحاب``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from whoosh import query as q

from index.analysis.chain import ArabicAnalyzer, ArabicExactAnalyzer
from index.schema import EXACT_FIELDS, ROOT_FIELDS, SEARCH_FIELDS
from index.analysis.stemming import root, stem
from search.query import questions
from search.query.synonyms import Synonyms

_PART = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_ANALYZER = ArabicAnalyzer()
_EXACT = ArabicExactAnalyzer()

#: Weight of a match by a synonym, relative to a match of the word typed.
SYNONYM_BOOST = 1.0
#: Share of the other names' scores added to the best one (DisjunctionMax tie-break).
SYNONYM_TIEBREAK = 0.1
#: Extra weight of a word found in the exact form typed (unstemmed twin fields), as a
#: share of its field's boost: the word scores its stem match plus this.
EXACT_BOOST = 0.5
#: Weight of a stem met with or without a proclitic (0: off); see proclitic_variants.
PROCLITIC_BOOST = 0.5
PROCLITIC_PREFIXES = ("و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل")
MIN_VARIANT_STEM = 3
#: Weight of a match by root only (root twin fields; 0: off). Root matches add to the
#: score and to the documents found, but never count as the word being present.
ROOT_BOOST = 0.6

#: Refuse to build queries larger than this many terms; the rest is ignored.
MAX_TERMS = 64


def analyze_terms(text: str) -> list[str]:
    """The indexed terms of ``text`` (stop words removed), in order."""
    return [t.text for t in _ANALYZER(text)]


@dataclass
class Concept:
    """One thing the user asked for: a word, or several typed words that form a known
    name, together with the other names it has (:mod:`search.query.synonyms`)."""

    #: Normalized unstemmed forms of the typed word(s), and their stems.
    forms: tuple[str, ...]
    stems: tuple[str, ...]
    #: Other names of the same thing (normalized forms), and their display labels.
    alternatives: list[tuple[str, ...]] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)


@dataclass
class ParsedQuery:
    """The parts of a query, already reduced to indexed terms."""

    terms: list[str] = field(default_factory=list)
    phrases: list[list[str]] = field(default_factory=list)
    excluded: list[list[str]] = field(default_factory=list)
    #: The words of ``terms`` grouped into concepts, with synonyms (ranking uses these).
    concepts: list[Concept] = field(default_factory=list)

    @property
    def positive_terms(self) -> set[str]:
        """Every term whose occurrences should be highlighted (synonyms' included)."""
        found = set(self.terms)
        for phrase in self.phrases:
            found.update(phrase)
        for concept in self.concepts:
            for alternative in concept.alternatives:
                found.update(stem(f) for f in alternative)
        return found

    @property
    def expansions(self) -> list[dict]:
        """What synonyms added, for ``--explain`` and JSON: ``[{"text", "synonyms"}]``."""
        return [
            {"text": " ".join(c.forms), "synonyms": c.labels}
            for c in self.concepts
            if c.alternatives
        ]

    def is_empty(self) -> bool:
        return not self.terms and not self.phrases


def _concepts(forms: list[str], synonyms: Synonyms | None) -> list[Concept]:
    """Group consecutive typed forms into concepts, longest known name first."""
    concepts: list[Concept] = []
    seen: set[tuple[str, ...]] = set()
    longest = synonyms.longest if synonyms else 0
    i = 0
    while i < len(forms):
        size = 1
        for n in range(min(longest, len(forms) - i), 0, -1):
            if tuple(forms[i : i + n]) in synonyms.groups:
                size = n
                break
        name = tuple(forms[i : i + size])
        i += size
        stems = tuple(stem(f) for f in name)
        if stems in seen:
            continue
        seen.add(stems)
        alternatives = synonyms.alternatives(name) if synonyms else []
        labels = [synonyms.label(a) for a in alternatives] if synonyms else []
        concepts.append(Concept(name, stems, alternatives, labels))
    return concepts[:MAX_TERMS]


def parse(text: str, synonyms: Synonyms | None = None) -> ParsedQuery:
    """Split ``text`` into words, phrases and exclusions, analyze each, expand synonyms."""
    parsed = ParsedQuery()
    typed: list[str] = []
    previous = ""  # the word before, stop words included (search.query.questions)
    frames: list[str] = []  # question-frame nouns: searched only if nothing else is
    for match in _PART.finditer(text):
        negated, quoted, word = match.group(1), match.group(2), match.group(3)
        if quoted is not None:
            terms = analyze_terms(quoted)
            if not terms:
                continue
            target = parsed.excluded if negated else parsed.phrases
            target.append(terms)
            continue
        if word.startswith("-") and len(word) > 1:
            terms = analyze_terms(word[1:])
            if terms:
                parsed.excluded.append(terms)
            continue
        for token in _EXACT(word, removestops=False):
            if not token.stopped:
                (frames if questions.is_frame(previous, token.text) else typed).append(token.text)
            previous = questions.after(previous, token.text)
    parsed.concepts = _concepts(typed or frames, synonyms)
    for concept in parsed.concepts:
        for term in concept.stems:
            if term not in parsed.terms:
                parsed.terms.append(term)
    return parsed


def unquoted(text: str) -> tuple[str, list[str]]:
    """``text`` with its quoted phrases as plain words (exclusions kept), and those phrases.

    A quoted phrase that no document holds is often a name spelled another way, or a
    title remembered loosely (``"الدكتو هو"``): when phrases make a query find nothing,
    the engine searches their words instead and says so (``Results.rewrites``).
    """
    phrases: list[str] = []

    def plain(match: re.Match) -> str:
        if match.group(2) is None or match.group(1):
            return match.group(0)
        phrases.append(match.group(2).strip())
        return f" {match.group(2)} "

    return _PART.sub(plain, text), [p for p in phrases if p]


def _fields_query(terms: tuple[str, ...] | list[str], fields: dict[str, float], boost: float = 1.0) -> q.Query:
    """``terms`` (a word, or words standing together) in each of ``fields``, boosted."""
    if len(terms) == 1:
        return q.Or([q.Term(name, terms[0], boost=b * boost) for name, b in fields.items()])
    return q.Or([q.Phrase(name, list(terms), boost=b * boost) for name, b in fields.items()])


def _exact_fields(share: float) -> dict[str, float]:
    return {EXACT_FIELDS[name]: boost * share for name, boost in SEARCH_FIELDS.items() if name in EXACT_FIELDS}


def _exact_query(forms: tuple[str, ...], share: float, boost: float) -> q.Query:
    """``forms`` found as typed (unstemmed twin fields), scored at ``share`` of each
    field's boost. Several words: the twins keep no positions (they would cost a tenth
    of the index), so the words stand together as the stemmed phrase, in a text that
    also holds each word in its exact form."""
    if len(forms) == 1:
        return _fields_query(forms, _exact_fields(share), boost)
    stems = [stem(f) for f in forms]
    return q.Or([
        q.Require(q.Phrase(name, stems, boost=b * share * boost), q.And([q.Term(EXACT_FIELDS[name], f) for f in forms]))
        for name, b in SEARCH_FIELDS.items()
        if name in EXACT_FIELDS
    ])


def term_query(term: str, boost: float = 1.0) -> q.Query:
    """One term searched in every field, each with its BM25F boost (times ``boost``)."""
    return _fields_query((term,), SEARCH_FIELDS, boost)


def phrase_query(terms: list[str]) -> q.Query:
    """Consecutive terms in one field (a single term is just a term)."""
    return _fields_query(terms, SEARCH_FIELDS)


def proclitic_variants(term: str) -> list[str]:
    """Other indexed forms of a stem that differ by a proclitic (و ف ب ل ك and pairs).

    The index strips a one-letter proclitic only before alef (see index.analysis.stemming), so
    ``وبطولة`` is indexed apart from ``بطولة``: the query meets both here instead. The
    typed term may itself carry one (``ببطولة``): its bare form and that form's
    variants are added too, if at least :data:`MIN_VARIANT_STEM` letters remain.
    """
    if not PROCLITIC_BOOST or not ("\u0621" <= term[0] <= "\u064a"):
        return []
    bases = [term]
    for prefix in PROCLITIC_PREFIXES:
        if term.startswith(prefix) and len(term) - len(prefix) >= MIN_VARIANT_STEM:
            bases.append(term[len(prefix):])
    variants = {prefix + base for base in bases for prefix in PROCLITIC_PREFIXES} | set(bases)
    variants.discard(term)
    return sorted(variants)


def _name_query(forms: tuple[str, ...], boost: float = 1.0, synonym: bool = False) -> q.Query:
    """One name of a concept: its stems (and their proclitic variants, weighted less),
    plus its exact form scored on top."""
    if synonym and len(forms) > 1:
        # A synonym of several words: as written (the stemmed phrase alone would make
        # "Islamic State" match "Islamic states"); weighted as a stem plus an exact match.
        return _exact_query(forms, 1 + EXACT_BOOST, boost)
    stems = tuple(stem(f) for f in forms)
    parts = [_fields_query(stems, SEARCH_FIELDS, boost)]
    if len(stems) == 1:
        parts += [_fields_query((v,), SEARCH_FIELDS, boost * PROCLITIC_BOOST) for v in proclitic_variants(stems[0])]
    if EXACT_BOOST:
        parts.append(_exact_query(forms, EXACT_BOOST, boost))
    return parts[0] if len(parts) == 1 else q.Or(parts)


def concept_query(concept: Concept) -> q.Query:
    """A concept scores by the best of its names (the typed one, its synonyms): a text
    that says "Islamic State" three ways is not three times as relevant."""
    typed = _name_query(concept.forms)
    if not concept.alternatives:
        return typed
    names = [typed] + [_name_query(a, SYNONYM_BOOST, synonym=True) for a in concept.alternatives]
    return q.DisjunctionMax(names, tiebreak=SYNONYM_TIEBREAK)


def root_query(concept: Concept) -> q.Query | None:
    """The recall fallback for a concept typed as one word: its root in the root fields."""
    if not ROOT_BOOST or len(concept.forms) != 1:
        return None
    fields = {ROOT_FIELDS[name]: boost for name, boost in SEARCH_FIELDS.items()}
    return _fields_query((root(concept.forms[0]),), fields, ROOT_BOOST)


def fallbacks(parsed: ParsedQuery) -> list[q.Query]:
    """Root clauses of every one-word concept (see :data:`ROOT_BOOST`)."""
    return [r for r in map(root_query, parsed.concepts) if r is not None]


def clauses(parsed: ParsedQuery) -> tuple[list[q.Query], list[q.Query]]:
    """(one clause per concept, required phrase clauses)."""
    return [concept_query(c) for c in parsed.concepts], [phrase_query(p) for p in parsed.phrases]


def exclusion(parsed: ParsedQuery) -> q.Query | None:
    """A query matching every document the user excluded, or None."""
    if not parsed.excluded:
        return None
    return q.Or([phrase_query(p) for p in parsed.excluded])
