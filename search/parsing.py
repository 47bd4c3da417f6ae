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

from index.analysis import ArabicAnalyzer
from index.schema import SEARCH_FIELDS

_PART = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_ANALYZER = ArabicAnalyzer()

#: Refuse to build queries larger than this many terms; the rest is ignored.
MAX_TERMS = 64


def analyze_terms(text: str) -> list[str]:
    """The indexed terms of ``text`` (stop words removed), in order."""
    return [t.text for t in _ANALYZER(text)]


@dataclass
class ParsedQuery:
    """The parts of a query, already reduced to indexed terms."""

    terms: list[str] = field(default_factory=list)
    phrases: list[list[str]] = field(default_factory=list)
    excluded: list[list[str]] = field(default_factory=list)

    @property
    def positive_terms(self) -> set[str]:
        """Every term whose occurrences should be highlighted."""
        found = set(self.terms)
        for phrase in self.phrases:
            found.update(phrase)
        return found

    def is_empty(self) -> bool:
        return not self.terms and not self.phrases


def parse(text: str) -> ParsedQuery:
    """Split ``text`` into words, phrases and exclusions, and analyze each."""
    parsed = ParsedQuery()
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
        for term in analyze_terms(word):
            if term not in parsed.terms:
                parsed.terms.append(term)
    del parsed.terms[MAX_TERMS:]
    return parsed


def term_query(term: str) -> q.Query:
    """One term searched in every field, each with its BM25F boost."""
    return q.Or([q.Term(name, term, boost=boost) for name, boost in SEARCH_FIELDS.items()])


def phrase_query(terms: list[str]) -> q.Query:
    """Consecutive terms in one field (a single term is just a term)."""
    if len(terms) == 1:
        return term_query(terms[0])
    return q.Or([q.Phrase(name, terms, boost=boost) for name, boost in SEARCH_FIELDS.items()])


def clauses(parsed: ParsedQuery) -> tuple[list[q.Query], list[q.Query]]:
    """(optional word clauses, required phrase clauses)."""
    return [term_query(t) for t in parsed.terms], [phrase_query(p) for p in parsed.phrases]


def exclusion(parsed: ParsedQuery) -> q.Query | None:
    """A query matching every document the user excluded, or None."""
    if not parsed.excluded:
        return None
    return q.Or([phrase_query(p) for p in parsed.excluded])
