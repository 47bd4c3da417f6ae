"""index.analysis.cuts finds the segments tashaphyne's ``segment`` finds, by set lookups.

Both affix lists the analysis uses (our light stemmer's, tashaphyne's default for roots),
on words that end or begin with every listed affix, on one- and two-letter words, on
words that are an affix whole, and on Latin letters and digits after an Arabic letter.
"""

from __future__ import annotations

import pytest
from tashaphyne.stemming import ArabicLightStemmer

from index.analysis.cuts import UNSLICEABLE, Cuts, stemmer_cuts
from index.analysis.stemming import _ROOTS, _STEMMER

STEMMERS = {"light stems": _STEMMER, "roots": _ROOTS}

WORDS = [
    "و", "ال", "بال", "كتب", "كتاب", "الكتاب", "والكتاب", "فبالكتابات", "بكتابهما",
    "استخدام", "يستخدمونها", "مستشفيات", "الرقه", "مسوولين", "موءسسه", "هم", "كما",
    "وللمستشفيات", "سيكتبونها", "اتها", "تهم", "لل", "وال", "ب1245", "بiPhone", "كتابx",
    "ءءء", "ااااا", "ييييي", "مممممممممممم",
]


def tashaphyne_stemmer(prefixes, suffixes) -> ArabicLightStemmer:
    """A stemmer of its own (``segment`` changes its state) with these lists."""
    stemmer = ArabicLightStemmer()
    stemmer.set_prefix_list(prefixes)
    stemmer.set_suffix_list(suffixes)
    return stemmer


def affixed_words(stemmer) -> list[str]:
    """Every listed prefix before, and every listed suffix after, a few stems."""
    words = []
    for core in ("كتب", "ع", "مستشفي"):
        words += [p + core for p in stemmer.prefix_list] + [core + s for s in stemmer.suffix_list]
        words += [p + core + s for p in stemmer.prefix_list[::7] for s in stemmer.suffix_list[::5]]
    return [w for w in words if not UNSLICEABLE.search(w)]


@pytest.mark.parametrize("name", STEMMERS)
def test_segments_are_tashaphyne_segments(name):
    stemmer = STEMMERS[name]
    cuts = stemmer_cuts(stemmer)
    reference = tashaphyne_stemmer(stemmer.prefix_list, stemmer.suffix_list)
    words = WORDS + affixed_words(stemmer) + list(stemmer.prefix_list) + list(stemmer.suffix_list)
    words = sorted({w for w in words if w and not UNSLICEABLE.search(w)})
    expected = [reference.segment(w) for w in words]
    assert len(words) > 150
    assert [w for w, segments in zip(words, expected) if set(cuts.segments(w)) != segments] == []
    # Asked again, a word gets the segments kept for its head, tail and length.
    assert [set(cuts.segments(w)) for w in words] == expected


# (prefixes, suffixes, word, segments): the rules stated in index/analysis/cuts.py.
TABLE = [
    # lefts: 0 and every listed prefix shorter than the word; rights: every listed
    # suffix start from 1 on; pairs two letters apart or more, and the whole word.
    (["", "و", "وال"], ["", "ه"], "والكتابه", ((0, 7), (0, 8), (1, 7), (1, 8), (3, 7), (3, 8))),
    (["", "و", "وال"], ["", "ه"], "وال", ((0, 3), (1, 3))),  # a prefix as long as the word is not a cut
    (["", "ك"], ["", "كم"], "كم", ((0, 2),)),  # a suffix from 0 is not a cut
    (["", "ب"], ["", "ه"], "به", ((0, 2),)),  # one letter between is no segment
    (["ب"], ["ه"], "بيته", ((0, 3), (0, 4), (1, 3))),  # without "" listed, still 0 and the whole word
    (["", "ب"], [""], "ب", ((0, 1),)),
]


@pytest.mark.parametrize("prefixes, suffixes, word, expected", TABLE)
def test_segments_table(prefixes, suffixes, word, expected):
    assert Cuts(prefixes, suffixes).segments(word) == expected
    assert tashaphyne_stemmer(prefixes, suffixes).segment(word) == set(expected)
