"""Reading what the user typed: the query syntax, reduced to indexed terms.

Syntax, kept small and forgiving (a query never fails to parse):

* words: ``انسحاب داعش`` — documents with every word rank first, then those with some;
* ``"a quoted phrase"`` — the words in this order (an unclosed quote runs to the end);
* ``-word`` or ``-"a phrase"`` — documents containing it are left out.

Every other character is text: parentheses, operators such as ``AND`` or ``:`` are not
syntax and simply go through the analyzer like any word, which drops punctuation.
Each word is analyzed exactly as the indexed text was, so ``البوكمال؟`` finds
``البوكمال`` and ``الانْسِحَاب`` finds ``انسحاب``. Two rewrites happen while reading:
question-frame nouns are dropped (:mod:`search.query.questions`) and words that name
something with other names get them (:mod:`search.query.synonyms`). The query is also
marked as a question or keywords (:mod:`search.query.kind`), which rank differently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from index.analysis.chain import ArabicAnalyzer, ArabicExactAnalyzer
from index.analysis.stemming import stem
from search.query import questions
from search.query.kind import is_question
from search.query.synonyms import Synonyms
from search.settings import ParseSettings

#: The query syntax: an optionally negated quoted phrase (group 1: "-", group 2: its
#: text), or any other run of non-space characters (group 3).
QUERY_PARTS = re.compile(r'(-?)"([^"]*)"?|(\S+)')
#: The analyzers of the indexed fields: stemmed, and as written (stop words flagged).
ANALYZER = ArabicAnalyzer()
_EXACT = ArabicExactAnalyzer()


def analyze_terms(text: str) -> list[str]:
    """The indexed terms of ``text`` (stop words removed), in order."""
    return [t.text for t in ANALYZER(text)]


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
    #: Stems of indexed words near a typed word that no document has (search.query.fuzzy).
    near: tuple[str, ...] = ()
    #: The typed word without its proclitic, where the bare word is the commoner
    #: (search.query.bare; keyword queries only): its stems, and its forms as written.
    bare_stems: tuple[str, ...] = ()
    bare_forms: tuple[str, ...] = ()
    #: The stem of the typed word with the accusative tanween alef (search.query.accusative;
    #: filled in at the rewrite stage).
    accusative_stems: tuple[str, ...] = ()


@dataclass
class ParsedQuery:
    """The parts of a query, already reduced to indexed terms."""

    terms: list[str] = field(default_factory=list)
    phrases: list[list[str]] = field(default_factory=list)
    excluded: list[list[str]] = field(default_factory=list)
    #: The words of ``terms`` grouped into concepts, with synonyms (ranking uses these).
    concepts: list[Concept] = field(default_factory=list)
    #: A question typed in full, not keywords (search.query.kind): ranked as tuned on questions.
    question: bool = False

    @property
    def positive_terms(self) -> set[str]:
        """Every term whose occurrences should be highlighted (synonyms' included)."""
        found = set(self.terms)
        for phrase in self.phrases:
            found.update(phrase)
        for concept in self.concepts:
            for alternative in concept.alternatives:
                found.update(stem(f) for f in alternative)
            found.update(concept.bare_stems)
            found.update(concept.accusative_stems)
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


def _concepts(forms: list[str], synonyms: Synonyms | None, max_terms: int) -> list[Concept]:
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
    return concepts[:max_terms]


def parse(text: str, synonyms: Synonyms | None = None, settings: ParseSettings = ParseSettings()) -> ParsedQuery:
    """Split ``text`` into words, phrases and exclusions, analyze each, expand synonyms."""
    parsed = ParsedQuery(question=is_question(text, settings))
    typed: list[str] = []
    previous = ""  # the word before, stop words included (search.query.questions)
    frames: list[str] = []  # question-frame nouns: searched only if nothing else is
    for match in QUERY_PARTS.finditer(text):
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
                frame = questions.is_frame(previous, token.text, settings.frame_nouns)
                (frames if frame else typed).append(token.text)
            previous = questions.after(previous, token.text)
    parsed.concepts = _concepts(typed or frames, synonyms, settings.max_terms)
    for concept in parsed.concepts:
        for term in concept.stems:
            if term not in parsed.terms:
                parsed.terms.append(term)
    return parsed
