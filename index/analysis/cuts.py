"""Where a tashaphyne stemmer's listed prefixes can end and its listed suffixes begin.

tashaphyne's ``segment`` walks a trie of its affixes letter by letter in Python
(``lookup_prefixes``, ``lookup_suffixes``) and pairs every prefix end with every suffix
start. The positions it finds are:

- lefts: 0, and every ``i`` shorter than the word with ``word[:i]`` a listed prefix;
- rights: every ``j`` from 1 to the word's length with ``word[j:]`` a listed suffix;

and the segments every (left, right) with at least two letters between, and the whole
word. All of that depends only on the word's longest beginning that starts a listed
prefix (its *head*), its longest ending that ends a listed suffix (its *tail*) and its
length, and news words share few of those: :class:`Cuts` finds head and tail with a
few set lookups and keeps the segments of each (head, tail, length) once.

tashaphyne segments a word with harakat or alef madda after changing it (it strips
harakat and spells madda out), so these are its segments only for words without
either (:data:`UNSLICEABLE`). ``tests/index/analysis/test_cuts.py`` checks both agree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pyarabic import araby

#: Characters that make tashaphyne segment another string than the one it slices.
UNSLICEABLE = re.compile("[" + araby.ALEF_MADDA + "".join(araby.TASHKEEL) + "]")

#: (left, right) cuts of a word: its prefix is ``word[:left]``, its suffix ``word[right:]``.
Segments = tuple[tuple[int, int], ...]


class Cuts:
    """The segments of words, for one stemmer's prefix and suffix lists."""

    def __init__(self, prefixes: Iterable[str], suffixes: Iterable[str]):
        self.prefixes = frozenset(prefixes)
        self.suffixes = frozenset(suffixes)
        #: Every beginning of a listed prefix, every ending of a listed suffix ("" too).
        self.heads = frozenset(p[:k] for p in self.prefixes for k in range(len(p) + 1))
        self.tails = frozenset(s[len(s) - k:] for s in self.suffixes for k in range(len(s) + 1))
        self._known: dict[tuple[str, str, int], Segments] = {}

    def segments(self, word: str) -> Segments:
        """tashaphyne's ``segment(word)``, in ascending order, for a word that
        :data:`UNSLICEABLE` does not match."""
        n = len(word)
        heads, tails = self.heads, self.tails
        # Heads and tails are closed under shortening: the first miss ends the walk.
        h = 1
        while h < n and word[:h] in heads:
            h += 1
        t = 1
        while t < n and word[n - t:] in tails:
            t += 1
        key = (word[:h - 1], word[n - t + 1:], n)
        found = self._known.get(key)
        if found is None:
            found = self._known[key] = self._segments(*key)
        return found

    def _segments(self, head: str, tail: str, n: int) -> Segments:
        """The segments of any word of ``n`` letters with this head and tail."""
        lefts = [0, *(i for i in range(1, len(head) + 1) if i < n and head[:i] in self.prefixes)]
        rights = [n - k for k in range(len(tail) + 1) if n - k >= 1 and tail[len(tail) - k:] in self.suffixes]
        found = {(i, j) for i in lefts for j in rights if j >= i + 2}
        found.add((0, n))
        return tuple(sorted(found))


def stemmer_cuts(stemmer) -> Cuts:
    """The :class:`Cuts` of a tashaphyne ``ArabicLightStemmer`` as configured."""
    return Cuts(stemmer.prefix_list, stemmer.suffix_list)
