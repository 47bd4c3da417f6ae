"""What our analyzers make of one word, without Whoosh's chain of token generators.

The bulk writer (:mod:`index.whoosh_ext.bulk`) analyzes each distinct word form once per analyzer.
Going through the analyzer itself costs a tokenizer, a ``Token`` and one generator per
filter for a single word: about 3.5 µs per word and analyzer, more than the memoized
normalization, stemming and root lookups it wraps. :func:`word_analysis` composes the
same steps as plain function calls. It covers exactly :data:`STEPS`; ``tests/test_bulk.py``
checks it against the analyzers, and the whole index against Whoosh's writer.
"""

from __future__ import annotations

from collections.abc import Callable

from index.analysis.chain import ArabicNormalizer, ArabicRootFilter, ArabicStemFilter, ArabicStopFilter, ArabicTokenizer
from index.analysis.normalize import normalize
from index.analysis.stemming import root, stem
from index.analysis.stopwords import stop_words


def _uncached(function: Callable[[str], str]) -> Callable[[str], str]:
    """``function`` without its LRU cache: the writer's memo already keeps one result per
    word form, and in a full build the caches would hold a second copy of the corpus's
    vocabulary (stems and roots of 260,000 forms: about 130 MB in the parent process)."""
    return getattr(function, "__wrapped__", function)


def _not_stopped(word: str) -> str:
    return "" if word in stop_words() else word


#: Each filter that turns one token into at most one, as a function of the token's text
#: and whether an empty result drops the token (the normalizer drops what it empties;
#: index mode removes stop words, so stopped tokens never reach stem and root filters).
STEPS: dict[type, tuple[Callable[[str], str], bool]] = {
    ArabicNormalizer: (_uncached(normalize), True),
    ArabicStopFilter: (_not_stopped, True),
    ArabicStemFilter: (_uncached(stem), False),
    ArabicRootFilter: (_uncached(root), False),
}


def word_analysis(analyzer) -> Callable[[str], bytes | None] | None:
    """A function from one word (a match of :data:`index.analysis.chain.WORD`, which our
    tokenizer keeps whole) to the term bytes ``analyzer`` indexes for it, or None when
    it drops the word; None when ``analyzer`` has a piece not in :data:`STEPS`."""
    first, *rest = analyzer.items
    if type(first) is not ArabicTokenizer or any(type(item) not in STEPS for item in rest):
        return None
    steps = tuple(STEPS[type(item)] for item in rest)

    def analyze(word: str) -> bytes | None:
        for step, drops in steps:
            word = step(word)
            if drops and not word:
                return None
        return word.encode("utf-8")

    return analyze
