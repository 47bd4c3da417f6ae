"""What our analyzers make of one word, without Whoosh's chain of token generators.

The bulk writer (:mod:`index.whoosh_ext.segment`) analyzes each distinct word form once
per analyzer. Going through the analyzer itself costs a tokenizer, a ``Token`` and one
generator per filter for a single word, more than the memoized normalization, stemming
and root lookups it wraps (benchmarks/README.md). :func:`word_analysis` calls the same
steps the analyzer's filters call (:attr:`index.analysis.chain.WordFilter.word`) as
plain functions; ``tests/index/analysis/test_oneword.py`` checks it against the
analyzers, and ``tests/index/whoosh_ext/test_bulk.py`` the whole index against Whoosh's writer.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from index.analysis.chain import ArabicTokenizer, WordFilter

#: One word (a match of :data:`index.analysis.chain.WORD`) → its term bytes, or None when dropped.
WordAnalysis = Callable[[str], bytes | None]


def _uncached(function: Callable[[str], str]) -> Callable[[str], str]:
    """``function`` without its LRU cache: the writer's memo already keeps one result per
    word form, and in a full build the caches would hold a second copy of the stems and
    roots of the corpus's whole vocabulary."""
    return getattr(function, "__wrapped__", function)


@lru_cache(maxsize=None)
def _filters(functions: tuple[Callable[[str], str], ...]) -> Callable[[str], str]:
    """``functions`` applied in turn, up to the first that empties the word, remembering
    the last word: the writer analyses each new form with every analyzer in a row, and
    all of ours begin with the same filters (normalize, drop stop words), so the second
    and third analyses of a form find them done. One such function per distinct tuple."""
    last = [("", "")]  # (word, result), replaced whole

    def apply(word: str) -> str:
        seen, result = last[0]
        if word == seen:
            return result
        result = word
        for function in functions:
            result = function(result)
            if not result:
                break
        last[0] = (word, result)
        return result

    return apply


def word_analysis(analyzer) -> WordAnalysis | None:
    """A function from one word (a match of :data:`index.analysis.chain.WORD`, which our
    tokenizer keeps whole) to the term bytes ``analyzer`` indexes for it, or None when
    it drops the word; None when ``analyzer`` is not our tokenizer followed by
    :class:`index.analysis.chain.WordFilter` steps."""
    first, *rest = analyzer.items
    if type(first) is not ArabicTokenizer or not all(isinstance(item, WordFilter) for item in rest):
        return None
    steps = [(_uncached(item.word), item.drops) for item in rest]
    leading = 0  # the steps that may drop the word, before any that cannot
    while leading < len(steps) and steps[leading][1]:
        leading += 1
    filters = _filters(tuple(step for step, _ in steps[:leading]))
    rest_steps = tuple(steps[leading:])

    def analyze(word: str) -> bytes | None:
        word = filters(word)
        if not word:
            return None
        for step, drops in rest_steps:
            word = step(word)
            if drops and not word:
                return None
        return word.encode("utf-8")

    return analyze
