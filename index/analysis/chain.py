"""The Arabic analyzer: Whoosh tokenizer and filters joined with ``|``.

``ArabicAnalyzer()`` = :class:`ArabicTokenizer` | :class:`ArabicNormalizer` |
:class:`ArabicStopFilter` | :class:`ArabicStemFilter`. Each piece is a small class at
a stable import path because Whoosh pickles the schema, analyzers included, into the
index; the classes hold no data (stop words and stems live in module-level caches),
so the pickle stays tiny and loading an index never rebuilds a table.

Offsets: the tokenizer reports ``startchar``/``endchar`` into the text it was given,
and no filter changes them, so highlights land on the original characters even when
the word carries harakat or tatweel.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from whoosh.analysis import CompositeAnalyzer, Filter, Token, Tokenizer

from index.analysis.normalize import normalize
from index.analysis.stemming import root, stem
from index.analysis.stopwords import stop_words

#: A word is a run of letters or digits (any script, not "_"), harakat (U+064B–U+065F,
#: U+0670) and tatweel (U+0640): Python's ``\w`` matches no haraka.
WORD = re.compile(r"(?:[^\W_]|[\u0640\u064B-\u065F\u0670])+")
#: :data:`WORD` with "_" allowed: one character class instead of an alternation, so a
#: third faster; the same words in a text without "_" (:func:`words`).
_WORD_OR_UNDERSCORE = re.compile(r"[\w\u0640\u064B-\u065F\u0670]+")


def words(text: str) -> list[str]:
    """``WORD.findall(text)``, the faster way when ``text`` has no "_" (most have none):
    a build splits every text it indexes into words."""
    return WORD.findall(text) if "_" in text else _WORD_OR_UNDERSCORE.findall(text)


class _Stateless:
    """Pieces with no settings: equal when of the same class (Whoosh compares analyzers)."""

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __hash__(self) -> int:
        return hash(type(self))


class ArabicTokenizer(_Stateless, Tokenizer):
    """Split on everything that is not part of a word: spaces, Arabic and Latin punctuation.

    Unlike Whoosh's tokenizers it also splits when called with ``tokenize=False``:
    Whoosh's QueryParser hands each whitespace-separated query word over that way, and
    a word typed with glued punctuation (``البوكمال؟``, ``«قسد»``) must still match.
    """

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs,
    ) -> Iterator[Token]:
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for pos, match in enumerate(WORD.finditer(value), start_pos):
            t.text = match.group()
            t.boost = 1.0
            t.stopped = False
            if keeporiginal:
                t.original = t.text
            if positions:
                t.pos = pos
            if chars:
                t.startchar = start_char + match.start()
                t.endchar = start_char + match.end()
            yield t


class WordFilter(_Stateless, Filter):
    """A filter that turns each token into at most one: its text becomes :meth:`word` of it.

    The step is a plain function of one word, so that the bulk writer's per-word path
    (:func:`index.analysis.oneword.word_analysis`) composes these very steps without
    tokens: the analysis is defined here once. A subclass may change how tokens flow
    (positions, marks) but must keep each token's text what :meth:`word` makes of it.
    Tokens marked stopped (kept only for Whoosh's highlighter) pass unchanged.
    """

    #: Whether a token whose text :meth:`word` empties is dropped (else kept, empty).
    drops = False

    @staticmethod
    def word(text: str) -> str:
        raise NotImplementedError

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        word, drops = self.word, self.drops
        for t in tokens:
            if not t.stopped:
                t.text = word(t.text)
            if t.text or not drops:
                yield t


def _unless_stop_word(text: str) -> str:
    """``text``, or nothing when it is a stop word (:mod:`index.analysis.stopwords`)."""
    return "" if text in stop_words() else text


class ArabicNormalizer(WordFilter):
    """Fold each token with :func:`index.analysis.normalize.normalize` (harakat, tatweel,
    alef, ة, digits); a token left empty is dropped."""

    word = staticmethod(normalize)
    drops = True


class ArabicStopFilter(WordFilter):
    """Drop stop words (:mod:`index.analysis.stopwords`), renumbering positions like Whoosh's StopFilter.

    Renumbering keeps phrase queries consistent: the query side drops the same words.
    With ``removestops=False`` (Whoosh's highlighter) stop words are kept, marked stopped.
    """

    word = staticmethod(_unless_stop_word)
    drops = True

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        word = self.word
        pos = None
        for t in tokens:
            if not word(t.text):
                if not t.removestops:
                    t.stopped = True
                    yield t
                continue
            if t.positions:
                pos = t.pos if pos is None else pos + 1
                t.pos = pos
            t.stopped = False
            yield t


class ArabicStemFilter(WordFilter):
    """Replace each token by its light stem (:func:`index.analysis.stemming.stem`, memoized)."""

    word = staticmethod(stem)


class ArabicRootFilter(WordFilter):
    """Replace each token by its root (:func:`index.analysis.stemming.root`, memoized)."""

    word = staticmethod(root)


def ArabicAnalyzer() -> CompositeAnalyzer:
    """Tokenize, normalize, drop stop words and light-stem Arabic text."""
    return ArabicTokenizer() | ArabicNormalizer() | ArabicStopFilter() | ArabicStemFilter()


def ArabicExactAnalyzer() -> CompositeAnalyzer:
    """:func:`ArabicAnalyzer` without stemming: the word as written, normalized.

    Indexed beside the stemmed text so that a query word found in exactly the form
    typed (a name, ``واشنطن`` rather than anything stemming to ``اشنطن``) scores above
    a mere stem match. Positions are the same as the stemmed field's.
    """
    return ArabicTokenizer() | ArabicNormalizer() | ArabicStopFilter()


def ArabicRootAnalyzer() -> CompositeAnalyzer:
    """Tokenize, normalize, drop stop words and reduce each word to its root: the
    recall fallback field (see :func:`index.analysis.stemming.root`)."""
    return ArabicTokenizer() | ArabicNormalizer() | ArabicStopFilter() | ArabicRootFilter()
