"""Light stemming with tashaphyne, configured so inflected forms of a word meet.

tashaphyne's default affix lists are built for morphological analysis, not retrieval:
they strip verb prefixes such as ``ان`` and ``م``, so ``انسحاب`` → ``نسحاب`` while
``الانسحاب`` → ``انسحاب``. For search we strip only what attaches to words in news
prose, in two steps:

1. A one-letter proclitic (و ف ب ل ك) is removed only before a word that starts
   with alef (hamza-words, the derived masdars انسحاب/استخدام/اتفاق, a second ال)
   and has :data:`MIN_REST` letters or more. Any looser rule wrecks words whose first
   radical is one of these letters: كتاب → تاب, لبنان → بنان, فلسطين → لسط,
   وزارة → زار, كاتب → اتب. The price: ``وقالت`` and ``قالت`` stay apart.
2. tashaphyne segments the rest with the article combinations in :data:`PREFIXES` and
   the endings in :data:`SUFFIXES`; among its candidate segmentations the winner strips
   the longest prefix, then the longest suffix, keeping at least :data:`MIN_STEM` letters.

Words arrive already normalized (:mod:`index.analysis.normalize`): ة is ه and hamza-alef is ا,
so the affix lists are written in normalized letters.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from pyarabic import araby

from index.analysis.cuts import UNSLICEABLE, stemmer_cuts
from index.analysis.deferred import defer

defer("tashaphyne.verb_stamp_const", "tashaphyne.arabicstopwords")  # never read by light stemming
from tashaphyne import arabicstopwords  # noqa: E402  (a stand-in until root() reads it)
from tashaphyne.stemming import ArabicLightStemmer  # noqa: E402

MIN_STEM = 3
MIN_REST = 5
PROCLITICS = "وفبلك"

#: The article, alone or after a conjunction or preposition.
PREFIXES = (
    "",  # tashaphyne only proposes "no prefix" when the empty affix is listed
    "ال", "وال", "فال", "بال", "كال", "لل", "ولل", "فلل", "وبال", "وكال", "فبال",
)

#: Plural, dual, feminine, nisba and attached-pronoun endings (normalized).
SUFFIXES = (
    "",
    "ه", "ها", "هم", "هما", "هن", "ك", "كم", "كما", "نا", "ي",
    "ات", "ان", "ون", "ين", "يه", "يون", "يين", "يات", "يتين", "يتان",
    "اته", "اتها", "اتهم", "اتنا", "تها", "ته", "تهم", "تين", "تان",
)


def _configured_stemmer() -> ArabicLightStemmer:
    stemmer = ArabicLightStemmer()
    stemmer.set_prefix_list(PREFIXES)
    stemmer.set_suffix_list(SUFFIXES)
    return stemmer


_STEMMER = _configured_stemmer()

_STEM_CUTS = stemmer_cuts(_STEMMER)


def _strip_proclitic(word: str) -> str:
    if word[0] in PROCLITICS and word[1] == "ا" and len(word) > MIN_REST:
        return word[1:]
    return word


@lru_cache(maxsize=500_000)
def stem(word: str) -> str:
    """Return the light stem of a normalized word (memoized: news repeats its words).

    Words that do not start with an Arabic letter (numbers, Latin) are returned unchanged.
    """
    if len(word) <= MIN_STEM or not ("\u0621" <= word[0] <= "\u064a"):
        return word
    word = _strip_proclitic(word)
    segments = _STEMMER.segment(word) if UNSLICEABLE.search(word) else _STEM_CUTS.segments(word)
    return _longest_affixes(word, segments)


def _longest_affixes(word: str, segments: Iterable[tuple[int, int]]) -> str:
    """The stem of ``segments`` that strips the longest prefix, then the longest suffix,
    and keeps at least :data:`MIN_STEM` letters (the whole word if none does)."""
    best_left, best_right = 0, len(word)
    for left, right in segments:
        if right - left >= MIN_STEM and (left, -right) > (best_left, -best_right):
            best_left, best_right = left, right
    return word[best_left:best_right]


class _DeterministicRootStemmer(ArabicLightStemmer):
    """tashaphyne's root chooser, with ties broken the same way in every process.

    tashaphyne picks the most frequent root candidate with ``max(set(...))``: between
    equally frequent candidates the winner depends on the order of a set of strings,
    which changes with each process's hash seed. The same word then got another root in
    another process for about one form in ten (``اتبع``: ``تبع`` or ``وبع``), so a query
    missed the root its index holds. Here ties go to the alphabetically first candidate.
    """

    @staticmethod
    def most_common(lst):
        triroots = [x for x in lst if len(x) == 3]
        if triroots:
            lst = triroots
        return max(sorted(set(lst)), key=lst.count)


_ROOTS = _DeterministicRootStemmer()
_ROOT_CUTS = stemmer_cuts(_ROOTS)
_KNOWN_TRILITERALS = frozenset(r for r in _ROOTS.root_list if len(r) == 3)

#: tashaphyne's normalize_root as one table: madda spelled out, teh marbuta dropped,
#: alef maksura to yeh, every hamza form to hamza.
_FOLD_ROOT = str.maketrans(
    {araby.ALEF_MADDA: araby.HAMZA + araby.ALEF, araby.TEH_MARBUTA: None, araby.ALEF_MAKSURA: araby.YEH}
    | {hamza: araby.HAMZA for hamza in araby.HAMZAT}
)
#: The letters _FOLD_ROOT changes: most roots have none, and a search is cheaper than a translation.
_FOLDED = re.compile("[" + "".join(chr(c) for c, to in _FOLD_ROOT.items() if to != chr(c)) + "]")
#: Letters that stay in the star form (not root letters): in a stem, and at the start of
#: a stem of four letters besides teh marbuta.
_INFIXES = frozenset(araby.ALEF + araby.WAW + araby.YEH + araby.TEH_MARBUTA)
_INFIXES_FIRST_OF_FOUR = _INFIXES | {araby.TEH}


def _stem_root(stem: str, folds: bool = True) -> str:
    """tashaphyne's root of one candidate stem (its ``extract_root`` for one segmentation).

    ``extract_root(left, right)`` reads only the letters between ``left`` and
    ``right``, so the candidate root of a segmentation depends on that slice alone.
    It keeps the letters its star form turns into jokers: all but the infixes
    ا ت و ي ط د ة, and then ت ط د too (``_handle_teh_infix``), except, in a stem of
    four letters besides ة, a ت among the first two, the ط of a leading ضط and the د
    of a leading زد; then ``normalize_root`` folds them, and a root of two letters is
    completed from the star form's first and last letters (``_ajust_root``). The same
    here with a few string methods, without the star form and the regular expressions
    tashaphyne builds for each stem: faster than a memo of the slices was
    (``tests/index/analysis/test_roots.py`` compares both on every branch). ``folds``
    False: the stem has none of the letters ``normalize_root`` changes, ة among them
    (as no normalized word has).
    """
    n = len(stem)
    if n == 3:
        return stem.replace(araby.ALEF, araby.WAW).replace(araby.ALEF_MAKSURA, araby.YEH)
    kept_first, letters = _INFIXES, stem
    if (n - stem.count(araby.TEH_MARBUTA) if folds else n) == 4:
        kept_first = _INFIXES_FIRST_OF_FOUR
        head = stem[:2]
        letters = ("ض" if head == "ضط" else "ز" if head == "زد" else head.replace(araby.TEH, "")) + stem[2:]
    # str.replace, not str.translate: a translation looks each letter up in a dict.
    # The infix ة goes with the folds (_FOLD_ROOT drops it).
    letters = letters.replace(araby.ALEF, "").replace(araby.WAW, "").replace(araby.YEH, "")
    if folds and _FOLDED.search(letters):
        letters = letters.translate(_FOLD_ROOT)
    if len(letters) != 2:
        return letters
    return _complete_root(letters, stem[0] in kept_first and stem[0], stem[-1] in _INFIXES and stem[-1], n)


def _complete_root(letters: str, first: str | bool, last: str | bool, n: int) -> str:
    """tashaphyne's ``_ajust_root``: a third letter for a root of two, from the first and
    last letters of the star form of a stem of ``n`` letters (False: a root letter there)."""
    if first in (araby.ALEF, araby.WAW):
        return araby.WAW + letters
    if first == araby.YEH:
        return araby.YEH + letters
    if first is not False:
        return letters
    if last in (araby.ALEF, araby.WAW, araby.YEH):
        return letters + araby.WAW
    if last is False:
        return letters + letters[-1] if n == 2 else letters[0] + araby.WAW + letters[1]
    return letters


def _tashaphyne_root(word: str) -> str:
    """tashaphyne's own path (``light_stem`` then ``get_root``), for words :func:`root`
    cannot take apart by slices: with harakat or alef madda tashaphyne segments another
    string than the one it slices. Also the reference the fast path is checked against."""
    _ROOTS.light_stem(word)
    return _ROOTS.get_root() or word


@lru_cache(maxsize=500_000)
def root(word: str) -> str:
    """tashaphyne's guess at the root of a normalized word (memoized).

    Roots are coarse and often wrong (كتاب → توب), which is why they are only a
    low-weight fallback field: they let a question find a passage that shares no stem
    with it but derives its words from the same root (مولود / ولد, استخدام / يستخدم).
    Words that do not start with an Arabic letter are returned unchanged.

    The result is exactly tashaphyne's (``light_stem`` then ``get_root``, checked on
    every form of the news corpus by ``benchmarks/root_equivalence.py``), computed
    without the work ``get_root`` never reads: ``light_stem``'s own stem choice (verb
    pattern checks for every segmentation) and its star form; the segments come from
    :mod:`index.analysis.cuts` and the candidate root of each from :func:`_stem_root`.
    """
    if len(word) <= MIN_STEM or not ("\u0621" <= word[0] <= "\u064a"):
        return word
    if arabicstopwords.is_stop(word):
        return arabicstopwords.stop_root(word) or word
    if UNSLICEABLE.search(word):
        return _tashaphyne_root(word)
    folds = _FOLDED.search(word) is not None  # in none of the slices if not in the word
    roots = [_stem_root(word[left:right], folds) for left, right in _ROOT_CUTS.segments(word)]
    return _choose_root(roots) or word


def _choose_root(roots: list[str]) -> str:
    """What tashaphyne's _choose_root does with the candidates: prefer 2-4 letters,
    then known roots, then the most common (:meth:`_DeterministicRootStemmer.most_common`:
    three letters first, ties broken alike everywhere). A known root of three letters
    passes both filters, so when there is one the survivors are exactly those."""
    chosen = [r for r in roots if r in _KNOWN_TRILITERALS]
    if not chosen:
        chosen = [r for r in roots if 2 <= len(r) <= 4] or roots
        chosen = [r for r in chosen if r in _ROOTS.root_list] or chosen
    first = chosen[0]
    if chosen.count(first) == len(chosen):  # most words: one candidate, however often
        return first
    return _ROOTS.most_common(chosen)
