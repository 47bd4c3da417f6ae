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
from functools import lru_cache

from pyarabic import araby

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

#: Characters that make tashaphyne segment another string than the one it slices.
_UNSLICEABLE = re.compile("[" + araby.ALEF_MADDA + "".join(araby.TASHKEEL) + "]")


def _segments(stemmer: ArabicLightStemmer, word: str) -> set[tuple[int, int]]:
    """``stemmer.segment(word)``: every (left, right) of a listed prefix and suffix with
    at least two letters between them, and the whole word.

    The same set, built the same way, for a word without harakat or alef madda; the
    rest of tashaphyne's ``segment`` (stripping harakat, spelling out madda, and the
    default stem it stores on the stemmer) is then a fifth of a word's analysis and
    changes nothing that is read here. Other words go through ``segment`` itself.
    """
    if _UNSLICEABLE.search(word):
        return stemmer.segment(word)
    lefts = stemmer.lookup_prefixes(word)
    rights = stemmer.lookup_suffixes(word)
    found = {(0, len(word))}
    for i in lefts:
        for j in rights:
            if j >= i + 2:
                found.add((i, j))
    return found


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
    best_left, best_right = 0, len(word)
    for left, right in _segments(_STEMMER, word):
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

    # tashaphyne builds a regular expression from strings for each candidate root (one
    # ``re.sub`` per letter class, looked up in ``re``'s cache every time): a third of
    # a word's analysis. The two methods below give the same strings with the
    # expression compiled once and the one-letter substitutions as ``str`` methods.

    def get_starstem(self, prefix_index=-1, suffix_index=-1):
        """tashaphyne's star form of the stem between both given indexes."""
        if prefix_index < 0 or suffix_index < 0 or not self.infix_letters:
            return super().get_starstem(prefix_index, suffix_index)
        starstem = _not_infix(self.infix_letters).sub(self.joker, self.word[prefix_index:suffix_index])
        return self._handle_teh_infix(starstem, prefix_index, suffix_index)

    def _handle_teh_infix(self, starword, left, right):
        """tashaphyne's: teh, tah and dal are infixes only where it says so."""
        joker = self.joker
        if len(starword.replace(araby.TEH_MARBUTA, "")) != 4:
            return starword.translate({ord(araby.TEH): joker, ord(araby.TAH): joker, ord(araby.DAL): joker})
        starword = starword[:2] + starword[2:].replace(araby.TEH, joker)
        stem = self.word[left:right]
        if stem.startswith("ضط"):
            starword = starword[:2] + starword[2:].replace(araby.TAH, joker)
        else:
            starword = starword.replace(araby.TAH, joker)
        if stem.startswith("زد"):
            return starword[:2] + starword[2:].replace(araby.DAL, joker)
        return starword.replace(araby.DAL, joker)


@lru_cache(maxsize=4)
def _not_infix(infix_letters: str) -> re.Pattern:
    """What tashaphyne's ``get_starstem`` turns into the joker: any letter but these and teh marbuta."""
    return re.compile("[^%s%s]" % (infix_letters, araby.TEH_MARBUTA))


_ROOTS = _DeterministicRootStemmer()
#: A second stemmer whose state holds one candidate stem at a time (:func:`_stem_root`).
_SCRATCH = _DeterministicRootStemmer()


@lru_cache(maxsize=200_000)
def _stem_root(stem: str) -> str:
    """tashaphyne's root of one candidate stem (its ``extract_root`` for one segmentation).

    ``extract_root(left, right)`` reads only the letters between ``left`` and
    ``right``, so the candidate root of a segmentation depends on that slice alone:
    ``الكتاب``, ``والكتاب``, ``كتابه`` and ``بكتابهم`` all ask for the root of ``كتاب``.
    Memoizing per slice computes most of them once. The cache is bounded below the
    number of distinct slices of a large corpus: the slices that recur stay cached, so
    a bound costs little CPU against caching every slice and saves half its memory
    (benchmarks/README.md, "Measurements behind index/ rules").
    """
    _SCRATCH.word = _SCRATCH.unvocalized = stem
    return _SCRATCH.extract_root(0, len(stem))


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
    pattern checks for every segmentation) and its star form, and the candidate root of
    each segmentation is memoized by its letters (:func:`_stem_root`).
    """
    if len(word) <= MIN_STEM or not ("\u0621" <= word[0] <= "\u064a"):
        return word
    if arabicstopwords.is_stop(word):
        return arabicstopwords.stop_root(word) or word
    if _UNSLICEABLE.search(word):
        return _tashaphyne_root(word)
    roots = [_stem_root(word[left:right]) for left, right in _segments(_ROOTS, word)]
    # What tashaphyne's _choose_root does with the candidates: prefer 2-4 letters,
    # then known roots, then the most frequent (ties: see _DeterministicRootStemmer).
    roots = [r for r in roots if 2 <= len(r) <= 4] or roots
    roots = [r for r in roots if r in _ROOTS.root_list] or roots
    return _ROOTS.most_common(roots) or word
