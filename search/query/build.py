"""From a parsed query to the Whoosh queries that match and score it.

A typed word becomes one clause (:func:`concept_query`): its stem in each searched field
at the field's BM25F weight, the stem's proclitic variants (weighted less), the form typed
in the unstemmed twin fields (scored on top), and its synonyms, of which only the best
name counts. Beside it: a root clause for recall (:func:`root_query`), its near words if
no document has it (:mod:`search.query.fuzzy`), required phrases and exclusions.
:func:`plan` builds them all once per query.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from whoosh import query as q

from index.analysis.stemming import root, stem
from index.schema import EXACT_FIELDS, ROOT_FIELDS
from search.query.kind import keyword_rules
from search.query.parse import Concept, ParsedQuery
from search.settings import RankingSettings, WordSettings


@dataclass
class Filters:
    """Restrictions that do not affect scores."""

    source: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None

    def query(self) -> q.Query | None:
        parts: list[q.Query] = []
        if self.source:
            parts.append(q.Term("source", self.source))
        if self.since or self.until:
            start = dt.datetime.combine(self.since, dt.time.min) if self.since else None
            end = dt.datetime.combine(self.until, dt.time.max) if self.until else None
            parts.append(q.DateRange("date", start, end))
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else q.And(parts)


@dataclass
class Plan:
    """The Whoosh queries of one parsed query."""

    #: One clause per concept (a typed word or name, with its synonyms).
    words: list[q.Query]
    #: Per concept, its near words (None: a word the index has, or none near).
    near: list[q.Query | None]
    #: Root clauses of the one-word concepts: they add documents and score, but never
    #: count as the word being present.
    fallbacks: list[q.Query]
    #: Required phrases, and what the user excluded (None: nothing).
    phrases: list[q.Query]
    excluded: q.Query | None


@dataclass(frozen=True)
class FieldWeights:
    """The BM25F weight of each searched field (index.schema.SEARCH_FIELDS) in the
    clauses of one query: of a stem match, and of the form typed (in the field's
    unstemmed twin). A question uses :class:`~search.settings.ScoringSettings`'
    weights; a keyword query gives the title the weight of
    :class:`~search.settings.KeywordSettings` (:func:`weights`)."""

    stems: dict[str, float]
    exact: dict[str, float]

    def title_only(self) -> FieldWeights:
        """The same weights, the title alone: a clause that matches where the title does."""
        return FieldWeights({"title": self.stems["title"]}, {"title": self.exact["title"]})


def weights(parsed: ParsedQuery, settings: RankingSettings) -> FieldWeights:
    """The field weights of ``parsed``'s clauses: a keyword query is after a headline,
    so its title weighs ``keywords.title_weight`` in every clause (the form typed at
    ``keywords.exact_title_share`` of it), where a question keeps the title's low weight."""
    stems = settings.scoring.field_weights()
    share = settings.words.exact_boost
    if not keyword_rules(parsed, settings.keywords):
        return FieldWeights(stems, {name: w * share for name, w in stems.items()})
    keywords = settings.keywords
    stems = dict(stems, title=keywords.title_weight)
    exact = {name: w * share for name, w in stems.items()}
    exact["title"] = keywords.title_weight * keywords.exact_title_share
    return FieldWeights(stems, exact)


def _fields_query(terms: tuple[str, ...] | list[str], fields: dict[str, float], boost: float = 1.0) -> q.Query:
    """``terms`` (a word, or words standing together) in each of ``fields``, boosted."""
    if len(terms) == 1:
        return q.Or([q.Term(name, terms[0], boost=b * boost) for name, b in fields.items()])
    return q.Or([q.Phrase(name, list(terms), boost=b * boost) for name, b in fields.items()])


def _exact_query(forms: tuple[str, ...], fields: dict[str, float], boost: float = 1.0) -> q.Query:
    """``forms`` found as typed (unstemmed twin fields), each searched field's twin at
    the weight ``fields`` gives it. Several words: the twins keep no positions (positions
    of two more whole-text fields would make the index much larger), so the words stand
    together as the stemmed phrase, in a text that also holds each word in its exact form."""
    if len(forms) == 1:
        return _fields_query(forms, {EXACT_FIELDS[name]: b for name, b in fields.items()}, boost)
    stems = [stem(f) for f in forms]
    return q.Or([
        q.Require(q.Phrase(name, stems, boost=b * boost), q.And([q.Term(EXACT_FIELDS[name], f) for f in forms]))
        for name, b in fields.items()
    ])


def term_query(term: str, settings: RankingSettings, boost: float = 1.0) -> q.Query:
    """One term searched in every field, each with its BM25F weight (times ``boost``)."""
    return _fields_query((term,), settings.scoring.field_weights(), boost)


def phrase_query(terms: list[str], settings: RankingSettings) -> q.Query:
    """Consecutive terms in one field (a single term is just a term)."""
    return _fields_query(terms, settings.scoring.field_weights())


def proclitic_variants(term: str, words: WordSettings) -> list[str]:
    """Other indexed forms of a stem that differ by a proclitic (و ف ب ل ك and pairs).

    The index strips a one-letter proclitic only before alef (see index.analysis.stemming), so
    ``وبطولة`` is indexed apart from ``بطولة``: the query meets both here instead. The
    typed term may itself carry one (``ببطولة``): its bare form and that form's
    variants are added too, if at least ``words.min_variant_stem`` letters remain.
    """
    if not words.proclitic_boost or not ("\u0621" <= term[0] <= "\u064a"):
        return []
    prefixes = words.proclitic_prefixes
    bases = [term]
    for prefix in prefixes:
        if term.startswith(prefix) and len(term) - len(prefix) >= words.min_variant_stem:
            bases.append(term[len(prefix):])
    variants = {prefix + base for base in bases for prefix in prefixes} | set(bases)
    variants.discard(term)
    return sorted(variants)


def _typed_query(concept: Concept, fields: FieldWeights, settings: RankingSettings) -> q.Query:
    """The name typed: its stems (and their proclitic variants, weighted less; bare
    stems of search.query.bare at full weight), plus its exact form (and bare forms)
    scored on top."""
    words = settings.words
    stems = concept.stems
    parts = [_fields_query(stems, fields.stems)]
    if len(stems) == 1:
        parts += [_fields_query((b,), fields.stems) for b in concept.bare_stems]
        variants = [v for v in proclitic_variants(stems[0], words) if v not in concept.bare_stems]
        parts += [_fields_query((v,), fields.stems, words.proclitic_boost) for v in variants]
        parts += [_fields_query((a,), fields.stems, words.accusative_boost) for a in concept.accusative_stems]
    if words.exact_boost:
        parts.append(_exact_query(concept.forms, fields.exact))
        bare = {name: w * words.exact_boost for name, w in fields.stems.items()}
        parts += [_exact_query((f,), bare) for f in concept.bare_forms]
    return parts[0] if len(parts) == 1 else q.Or(parts)


def _synonym_query(forms: tuple[str, ...], fields: FieldWeights, settings: RankingSettings) -> q.Query:
    """Another name of a concept, as :func:`_typed_query` scores a name typed."""
    words = settings.words
    boost = words.synonym_boost
    if len(forms) > 1:
        # A synonym of several words: as written (the stemmed phrase alone would make
        # "Islamic State" match "Islamic states"); weighted as a stem plus an exact match.
        return _exact_query(forms, {name: w * (1 + words.exact_boost) for name, w in fields.stems.items()}, boost)
    stems = tuple(stem(f) for f in forms)
    parts = [_fields_query(stems, fields.stems, boost)]
    variants = proclitic_variants(stems[0], words)
    parts += [_fields_query((v,), fields.stems, boost * words.proclitic_boost) for v in variants]
    if words.exact_boost:
        parts.append(_exact_query(forms, fields.exact, boost))
    return parts[0] if len(parts) == 1 else q.Or(parts)


def concept_query(concept: Concept, fields: FieldWeights, settings: RankingSettings) -> q.Query:
    """A concept scores by the best of its names (the typed one, its synonyms): a text
    that says "Islamic State" three ways is not three times as relevant."""
    typed = _typed_query(concept, fields, settings)
    if not concept.alternatives:
        return typed
    names = [typed] + [_synonym_query(a, fields, settings) for a in concept.alternatives]
    return q.DisjunctionMax(names, tiebreak=settings.words.synonym_tiebreak)


def root_query(concept: Concept, fields: FieldWeights, settings: RankingSettings) -> q.Query | None:
    """The recall fallback for a concept typed as one word: its root in the root fields."""
    if not settings.words.root_boost or len(concept.forms) != 1:
        return None
    roots = {ROOT_FIELDS[name]: b for name, b in fields.stems.items()}
    return _fields_query((root(concept.forms[0]),), roots, settings.words.root_boost)


def near_query(concept: Concept, settings: RankingSettings) -> q.Query | None:
    """The near words of ``concept`` (search.query.fuzzy), each at the near-word weight."""
    if not concept.near:
        return None
    clauses = [term_query(s, settings, settings.near_words.weight) for s in concept.near]
    return clauses[0] if len(clauses) == 1 else q.Or(clauses)


def exclusion(parsed: ParsedQuery, settings: RankingSettings) -> q.Query | None:
    """A query matching every document the user excluded, or None."""
    if not parsed.excluded:
        return None
    return q.Or([phrase_query(p, settings) for p in parsed.excluded])


def plan(parsed: ParsedQuery, settings: RankingSettings) -> Plan:
    """Every Whoosh query ``parsed`` needs, built once."""
    fields = weights(parsed, settings)
    return Plan(
        words=[concept_query(c, fields, settings) for c in parsed.concepts],
        near=[near_query(c, settings) for c in parsed.concepts],
        fallbacks=[r for r in (root_query(c, fields, settings) for c in parsed.concepts) if r is not None],
        phrases=[phrase_query(p, settings) for p in parsed.phrases],
        excluded=exclusion(parsed, settings),
    )
