"""Misspelled query words: a word that no document has also meets the indexed words
one or two edits away (``موريطانيا`` → ``موريتانيا``).

Questions are typed fast and names are spelled several ways; a word whose stem is in
no title or body scores nothing as it is, and its root fallback rarely finds the same
word. Here the nearest indexed word forms (:data:`MAX_EDITS` for short words, one more
from :data:`LONG_FROM` letters; found as "did you mean" finds them,
:func:`search.query.suggestions.corrections`) stand in for it with weight :data:`WEIGHT`.

They count as the word being present and find documents of their own: a question
that misspells the one name it asks about (``كنيسة نوثردام``) still finds the passages
that spell it right. Only words that no document has are replaced, so a query of known
words finds what it always did; "did you mean" still shows the user the correction,
and ``total`` and the facets count the near words' documents too
(``search.rank.ranking.matching``). Letting near words add documents measured R@100
0.9797 → 0.9801 on arwikiqa, nDCG@10 unchanged (benchmarks/quality.md).
"""

from __future__ import annotations

from whoosh import query as q

from index.schema import EXACT_FIELDS
from index.analysis.stemming import stem
from search.query.parsing import Concept, term_query
from search.query.suggestions import corrections, frequency

#: Weight of a near word, relative to the word typed (0: off).
WEIGHT = 0.5
#: At most this many near words (their stems) stand in for one typed word.
LIMIT = 3
#: Words shorter than this are not corrected: two edits make another word of most.
MIN_LENGTH = 4
#: Edits allowed below LONG_FROM letters; one more from there.
MAX_EDITS = 1
LONG_FROM = 7
#: Near words come from the unstemmed body field: words as written.
FIELD = EXACT_FIELDS["body"]


def _unknown(reader, concept: Concept) -> bool:
    """Whether ``concept`` is one typed word whose stem no searched field has."""
    if len(concept.forms) != 1 or concept.alternatives or len(concept.forms[0]) < MIN_LENGTH:
        return False
    return not frequency(reader, concept.forms[0])


def near_query(reader, concept: Concept) -> q.Query | None:
    """The stems of the indexed words nearest ``concept``'s word, weighted by
    :data:`WEIGHT`, or None when the word is known (or nothing is near)."""
    if not WEIGHT or not _unknown(reader, concept):
        return None
    form = concept.forms[0]
    stems: list[str] = []
    for word in corrections(reader, FIELD, form, None, MAX_EDITS + (len(form) >= LONG_FROM)):
        if stem(word) not in stems:
            stems.append(stem(word))
    if not stems:
        return None
    clauses = [term_query(s, WEIGHT) for s in stems[:LIMIT]]
    return clauses[0] if len(clauses) == 1 else q.Or(clauses)
