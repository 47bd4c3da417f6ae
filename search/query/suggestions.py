""""Did you mean": indexed words close to the query words that found little.

Suggestions come from the unstemmed fields (``index.schema.EXACT_FIELDS``), so they
are words as written in the documents (normalized: ``ه`` for ``ة``, bare alef), not
stems. A query word is corrected when its stem occurs in fewer than
``SuggestionSettings.rare`` documents, whatever else the query found: the root fallback
(index.analysis.stemming.root) may find passages for a misspelled word, and those are
rarely what the user meant. The candidates are the indexed words within a few edits
(:func:`corrections`), nearest first, then most frequent.

Whoosh's own corrector walks the whole word list in Python, one word at a time, which
takes seconds on a large index; rapidfuzz compares the word with every indexed form in
compiled code, over a list of the field's words read once per open index
(benchmarks/README.md has the timings).
"""

from __future__ import annotations

import weakref

from index.analysis.stemming import stem
from index.schema import EXACT_FIELDS, SEARCH_FIELDS
from search.query.parse import ParsedQuery
from search.settings import MAX_EDITS, SuggestionSettings

#: Words whose corrections are kept per open index (see :func:`corrections`).
NEAR_CACHE = 256

#: reader -> field -> its words, read once per open index (a reopened index is a new reader).
_WORDS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
#: reader -> (field, word) -> its corrections with their edits, oldest first.
_NEAR: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def indexed_words(reader, field: str) -> list[str]:
    """Every word of ``field`` (decoded), read once per open index: what
    :func:`corrections` compares a word with."""
    per_field = _WORDS.setdefault(reader, {})
    if field not in per_field:
        decode = reader.schema[field].from_bytes
        per_field[field] = [decode(term) for term in reader.lexicon(field)]
    return per_field[field]


def corrections(reader, field: str, word: str, limit: int | None, edits: int = MAX_EDITS) -> list[str]:
    """Indexed words of ``field`` within ``edits`` (at most :data:`~search.settings.MAX_EDITS`) of
    ``word``: fewest edits first, then most frequent.

    One scan per word and open index serves every caller: a word no document has is
    looked up here by "did you mean" and by :mod:`search.query.fuzzy` in the same query,
    and again by the next page or the facets of the web page.
    """
    if edits > MAX_EDITS:
        raise ValueError(f"corrections are kept up to {MAX_EDITS} edits, not {edits}")
    near = _NEAR.setdefault(reader, {})
    key = (field, word)
    if key not in near:
        near[key] = _scan(reader, field, word)
        if len(near) > NEAR_CACHE:
            near.pop(next(iter(near)))
    return [candidate for candidate, distance in near[key] if distance <= edits][:limit]


def _scan(reader, field: str, word: str) -> list[tuple[str, int]]:
    """(word, edits) of every indexed word of ``field`` within :data:`~search.settings.MAX_EDITS` of
    ``word``, in the order :func:`corrections` gives. Edits are those of optimal string
    alignment (insert, delete, substitute, swap two neighbours): rapidfuzz computes them
    much faster than unrestricted Damerau-Levenshtein (which also edits inside a swapped
    pair), and a typo rarely needs more."""
    # Imported here: most queries need no correction, and a cold query should not pay for it.
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    near = process.extract(word, indexed_words(reader, field), scorer=OSA.distance, score_cutoff=MAX_EDITS, limit=None)
    near.sort(key=lambda hit: (hit[1], -reader.frequency(field, hit[0]), hit[0]))
    return [(candidate, int(distance)) for candidate, distance, _ in near if candidate != word]


def frequency(reader, word: str) -> int:
    """Documents whose title or body has ``word``'s stem, counted per field: 0 is a word
    no document has (what near words and the splitting of joined words repair)."""
    return sum(reader.doc_frequency(field, stem(word)) for field in SEARCH_FIELDS)


def suggest(searcher, parsed: ParsedQuery, settings: SuggestionSettings) -> list[str]:
    """Up to ``settings.limit`` indexed words to try instead of the rare words of ``parsed``."""
    reader = searcher.reader()
    if not parsed.concepts:
        return []
    found: list[str] = []
    for concept in parsed.concepts:
        for word in concept.forms:
            if concept.alternatives or frequency(reader, word) >= settings.rare:
                continue
            candidates: list[str] = []
            for field in reversed(list(EXACT_FIELDS.values())):  # body first: more words
                for candidate in corrections(reader, field, word, settings.per_word, settings.max_edits):
                    if candidate not in candidates:
                        candidates.append(candidate)
            found.extend(c for c in candidates[: settings.per_word] if c not in found)
    return found[: settings.limit]
