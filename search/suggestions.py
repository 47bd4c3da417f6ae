""""Did you mean": indexed words close to the query words that found little.

Suggestions come from the unstemmed fields (``index.schema.EXACT_FIELDS``), so they
are words as written in the documents (normalized: ``ه`` for ``ة``, bare alef), not
stems. A word is corrected when it occurs in fewer than :data:`RARE` documents; the
candidates are Whoosh's corrections (nearest edit distance first, then most frequent).
"""

from __future__ import annotations

from index.schema import EXACT_FIELDS
from search.parsing import ParsedQuery

#: Suggest when a query finds fewer documents than this.
SUGGEST_BELOW = 3
#: A query word found in fewer documents than this is worth correcting.
RARE = 2
#: At most this many suggestions in all, and per word.
LIMIT = 5
PER_WORD = 3


def _frequency(reader, word: str) -> int:
    return sum(reader.doc_frequency(field, word) for field in EXACT_FIELDS.values())


def suggest(searcher, parsed: ParsedQuery) -> list[str]:
    """Up to :data:`LIMIT` indexed words to try instead of the rare words of ``parsed``."""
    reader = searcher.reader()
    if not parsed.concepts:
        return []
    found: list[str] = []
    for concept in parsed.concepts:
        for word in concept.forms:
            if _frequency(reader, word) >= RARE:
                continue
            candidates: list[str] = []
            for field in reversed(list(EXACT_FIELDS.values())):  # body first: more words
                for candidate in searcher.corrector(field).suggest(word, limit=PER_WORD, maxdist=2):
                    if candidate != word and candidate not in candidates:
                        candidates.append(candidate)
            found.extend(c for c in candidates[:PER_WORD] if c not in found)
    return found[:LIMIT]
