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

Words arrive already normalized (:mod:`index.normalize`): ة is ه and hamza-alef is ا,
so the affix lists are written in normalized letters.
"""

from __future__ import annotations

from functools import lru_cache

from index.deferred import defer

defer("tashaphyne.verb_stamp_const", "tashaphyne.arabicstopwords")  # never read by light stemming
from tashaphyne.stemming import ArabicLightStemmer  # noqa: E402

MIN_STEM = 3
MIN_REST = 5
MIN_REST_STEM = 4
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

#: Endings of a name that its nisba adjective keeps (see _segment_nisba).
NISBA_BASE_ENDINGS = ("ين", "ان", "ون")


def _configured_stemmer() -> ArabicLightStemmer:
    stemmer = ArabicLightStemmer()
    stemmer.set_prefix_list(PREFIXES)
    stemmer.set_suffix_list(SUFFIXES)
    return stemmer


_STEMMER = _configured_stemmer()


def _segment(word: str, prefix: bool = True) -> str:
    """tashaphyne's segmentation with the longest prefix, then the longest suffix
    (suffixes only with ``prefix=False``)."""
    best_left, best_right = 0, len(word)
    for left, right in _STEMMER.segment(word):
        if (prefix or not left) and right - left >= MIN_STEM and (left, -right) > (best_left, -best_right):
            best_left, best_right = left, right
    return word[best_left:best_right]


def _segment_nisba(word: str) -> str:
    """:func:`_segment`, then the ending of the noun a nisba adjective derives from.

    A country or people name often ends like a plural or dual (فلسطين, البحرين,
    ايران): alone it loses that ending (فلسط), but its nisba keeps it, because the
    nisba ending is what gets stripped (الفلسطينية → فلسطين). Stemming the endings of
    a nisba stem once more makes both meet.
    """
    stemmed = _segment(word)
    end = word.find(stemmed) + len(stemmed)
    if word[end : end + 1] == "ي" and stemmed.endswith(NISBA_BASE_ENDINGS):
        return _segment(stemmed, prefix=False)
    return stemmed


def _strip_proclitic(word: str) -> str:
    """``word`` without a one-letter proclitic, when it plausibly carries one.

    Before alef, the letter is a proclitic in ``بانسحاب`` but a radical in the فاعل
    pattern (``لاعبين``, ``باحثين``, ``كاملين``): stripped, those keep a three-letter
    stem (``اعب``) that never meets their other forms (``اللاعبين`` → ``لاعب``). A
    proclitic is therefore removed only if the rest still stems to :data:`MIN_REST_STEM`
    letters or more, which the masdars (انسحاب, اتفاق, استخدام) and names do.
    """
    if word[0] in PROCLITICS and word[1] == "ا" and len(word) > MIN_REST:
        rest = word[1:]
        if len(_segment(rest)) >= MIN_REST_STEM:
            return rest
    return word


@lru_cache(maxsize=500_000)
def stem(word: str) -> str:
    """Return the light stem of a normalized word (memoized: news repeats its words).

    Words that do not start with an Arabic letter (numbers, Latin) are returned unchanged.
    """
    if len(word) <= MIN_STEM or not ("\u0621" <= word[0] <= "\u064a"):
        return word
    return _segment_nisba(_strip_proclitic(word))


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


@lru_cache(maxsize=500_000)
def root(word: str) -> str:
    """tashaphyne's guess at the root of a normalized word (memoized).

    Roots are coarse and often wrong (كتاب → توب), which is why they are only a
    low-weight fallback field: they let a question find a passage that shares no stem
    with it but derives its words from the same root (مولود / ولد, استخدام / يستخدم).
    Words that do not start with an Arabic letter are returned unchanged.
    """
    if len(word) <= MIN_STEM or not ("\u0621" <= word[0] <= "\u064a"):
        return word
    _ROOTS.light_stem(word)
    return _ROOTS.get_root() or word
