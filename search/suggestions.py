""""Did you mean": indexed words close to the query words that found little.

Suggestions come from the unstemmed fields (``index.schema.EXACT_FIELDS``), so they
are words as written in the documents (normalized: ``ه`` for ``ة``, bare alef), not
stems. A query word is corrected when its stem occurs in fewer than :data:`RARE`
documents, whatever else the query found: the root fallback (index.stemming.root) may
find passages for a misspelled word, and those are rarely what the user meant. The
candidates are Whoosh's corrections (nearest edit distance first, then most frequent).
"""

from __future__ import annotations

from index.schema import EXACT_FIELDS, SEARCH_FIELDS
from index.stemming import stem
from search.parsing import ParsedQuery

#: A query word whose stem is in fewer documents than this is worth correcting.
RARE = 2
#: At most this many suggestions in all, and per word.
LIMIT = 5
PER_WORD = 3


def _frequency(reader, word: str) -> int:
    return sum(reader.doc_frequency(field, stem(word)) for field in SEARCH_FIELDS)


def suggest(searcher, parsed: ParsedQuery) -> list[str]:
    """Up to :data:`LIMIT` indexed words to try instead of the rare words of ``parsed``."""
    reader = searcher.reader()
    if not parsed.concepts:
        return []
    found: list[str] = []
    for concept in parsed.concepts:
        for word in concept.forms:
            if concept.alternatives or _frequency(reader, word) >= RARE:
                continue
            candidates: list[str] = []
            for field in reversed(list(EXACT_FIELDS.values())):  # body first: more words
                for candidate in searcher.corrector(field).suggest(word, limit=PER_WORD, maxdist=2):
                    if candidate != word and candidate not in candidates:
                        candidates.append(candidate)
            found.extend(c for c in candidates[:PER_WORD] if c not in found)
    return found[:LIMIT]
