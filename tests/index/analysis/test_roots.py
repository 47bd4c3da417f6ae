"""index.analysis.stemming.root takes a shorter path than tashaphyne's to the very same root.

Every word form of the test articles, the sample articles and a list of cases that
exercise each branch of tashaphyne's root extraction must get exactly the root that
``light_stem`` + ``get_root`` gives (``benchmarks/root_equivalence.py`` checks the
whole news corpus the same way).
"""

from __future__ import annotations

import gzip
import itertools
import json
from pathlib import Path

import pytest

from index.analysis.chain import WORD
from index.analysis.normalize import normalize
from index.analysis.stemming import _tashaphyne_root, root
from index.analysis.stopwords import stop_words

ROOT = Path(__file__).resolve().parents[3]
CORPUS = ROOT.parent / "shared" / "corpus" / "saudinewsnet" / "articles.jsonl.gz"

#: Branches of tashaphyne's extraction: teh/tah/dal infixes (اضطرب, ازدهر, مشتت),
#: three-letter stems with alef or alef maksura, stems of two root letters (doubled
#: verbs, weak letters), hamza forms, tashaphyne stop words that are content words for
#: us (شمال), words it segments unsliced (alef madda, harakat, not normalized), and
#: hamza on waw and yeh, which roots fold (the only letters they fold in normalized words).
CASES = [
    "اضطراب", "مضطرب", "ازدهار", "مزدهره", "مزتهره", "مشتت", "استطاع", "اصطدام",
    "قال", "رمي", "سعي", "دعا", "مردود", "مطلوب", "ممتد", "اعداد", "موءسسه", "مسوولين",
    "ابناء", "شمال", "جنوب", "صباح", "ابو", "اتبع", "اتبعتها", "استخدام", "يستخدمون",
    "آمال", "الآجال", "كَتَبَ", "المدرسة", "بالمكتبة", "أفتضاربانني", "وفيهما", "مستشفيات",
    "كتاب", "والكتاب", "بكتابهم", "انسحاب", "للانسحاب", "الرياض", "1245", "Taha", "بن",
    "مسؤولين", "رئيسها", "سؤال", "المسائل", "وأسئلتهم", "مستشفى", "بالمستشفيات", "أبناء",
]


def reference(word: str) -> str:
    """tashaphyne's own path, behind the same guards as :func:`root`."""
    if len(word) <= 3 or not ("\u0621" <= word[0] <= "\u064a"):
        return word
    return _tashaphyne_root(word)


def forms_of(texts) -> list[str]:
    stops = stop_words()
    return sorted({normalize(w) for text in texts for w in WORD.findall(text)} - stops - {""})


def mismatches(words) -> list[tuple[str, str, str]]:
    return [(w, reference(w), root(w)) for w in words if reference(w) != root(w)]


def test_fixture_and_sample_forms_get_tashaphyne_roots():
    files = [*(ROOT / "tests" / "fixtures").rglob("*.*"), *(ROOT / "samples").glob("*.txt")]
    forms = forms_of(f.read_text(encoding="utf-8") for f in files if f.suffix in (".txt", ".jsonl", ".html"))
    assert len(forms) > 500
    assert mismatches(forms) == []


def test_branch_cases_get_tashaphyne_roots():
    assert mismatches(CASES) == []
    assert mismatches(normalize(w) for w in CASES) == []


@pytest.mark.skipif(not CORPUS.exists(), reason="../shared not present (fresh clone)")
def test_news_forms_get_tashaphyne_roots():
    with gzip.open(CORPUS, "rt", encoding="utf-8") as handle:
        records = [json.loads(line) for line in itertools.islice(handle, 300)]
    forms = forms_of(r.get(name) or "" for r in records for name in ("title", "body"))
    assert len(forms) > 10_000
    assert mismatches(forms) == []


def test_segments_of_fixture_forms_are_tashaphyne_segments():
    """The stems and roots take their (prefix, suffix) cuts from index.analysis.cuts,
    which skips tashaphyne's harakat and madda handling for words that have neither:
    the same set of cuts as tashaphyne's ``segment`` for every form of the test and
    sample articles and of the branch cases."""
    from tashaphyne.stemming import ArabicLightStemmer

    from index.analysis.cuts import UNSLICEABLE, stemmer_cuts
    from index.analysis.stemming import _ROOTS, _STEMMER

    files = [*(ROOT / "tests" / "fixtures").rglob("*.*"), *(ROOT / "samples").glob("*.txt")]
    words = set(forms_of(f.read_text(encoding="utf-8", errors="replace") for f in files)) | {normalize(w) for w in CASES}
    words = sorted(w for w in words if w and not UNSLICEABLE.search(w))
    for stemmer in (_STEMMER, _ROOTS):
        assert isinstance(stemmer, ArabicLightStemmer)
        cuts = stemmer_cuts(stemmer)
        differ = [w for w in words if set(cuts.segments(w)) != stemmer.segment(w)]
        assert differ == []


def tashaphyne_stem_root(stem: str) -> str:
    """tashaphyne's ``extract_root`` of a whole stem, as ``get_root`` asks it per segment."""
    from tashaphyne.stemming import ArabicLightStemmer

    stemmer = ArabicLightStemmer()
    stemmer.word = stemmer.unvocalized = stem
    return stemmer.extract_root(0, len(stem))


#: (stem, tashaphyne's root): each rule of _stem_root. Three letters: alef to waw, alef
#: maksura to yeh, nothing else. Other lengths: ا و ي ة are dropped, ت ط د kept, except
#: that in four letters besides ة a ت among the first two is dropped, and so are the ط
#: of a leading ضط and the د of a leading زد. Then hamza forms fold to ء, ى to ي, آ to
#: ءا; two letters left are completed from the first and last letters of the star form
#: (ه1: doubled; ة first: as they are), one letter or none stays as it is.
STEM_ROOTS = [
    ("قال", "قول"), ("سعى", "سعي"), ("سءل", "سءل"), ("موء", "موء"), ("ةمل", "ةمل"),
    ("تكتب", "كتب"), ("كتبت", "كبت"), ("اتبع", "وبع"), ("ضطرب", "ضرب"), ("طرب", "طرب"),
    ("ضطربة", "ضرب"), ("زدهر", "زهر"), ("مزدهر", "مزدهر"), ("مشتت", "مشتت"), ("تاتا", "ت"),
    ("مستخدم", "مستخدم"), ("استخدام", "ستخدم"), ("مدرسة", "مدرس"), ("مسوول", "مسل"),
    ("سؤال", "سءل"), ("مسئول", "مسءل"), ("آمال", "ءامل"), ("أمل", "أمل"), ("إمام", "ءمم"),
    ("مستشفى", "مستشفي"), ("مطلوب", "مطلب"),
    # two letters left: completed
    ("ردد", "ردد"), ("ود", "د"), ("دعا", "دعو"), ("ماد", "مود"), ("اقال", "وقل"),
    ("يقول", "يقل"), ("وصل", "وصل"), ("قاض", "قوض"), ("ماءا", "مءو"), ("ميا", "ميو"),
    ("نمو", "نمو"), ("سعيا", "سعو"), ("تقي", "تقي"), ("ةقلة", "قل"), ("بني", "بني"),
    ("اسى", "وسي"), ("مد", "مدد"), ("اب", "ب"), ("يد", "د"), ("وا", ""), ("ه1", "ه11"),
]


@pytest.mark.parametrize("stem, expected", STEM_ROOTS)
def test_stem_root_table(stem, expected):
    from index.analysis.stemming import _stem_root

    assert tashaphyne_stem_root(stem) == expected
    assert _stem_root(stem) == expected


def test_stem_root_of_every_slice_is_tashaphyne_extract_root():
    """Every slice of two letters or more of the fixture forms and branch cases, not
    normalized as well (hamza forms, ة, ى, آ): the candidates root() asks for, and more."""
    from index.analysis.stemming import _FOLDED, _stem_root

    files = [*(ROOT / "tests" / "fixtures").rglob("*.*"), *(ROOT / "samples").glob("*.txt")]
    words = {w for f in files for w in WORD.findall(f.read_text(encoding="utf-8", errors="replace"))}
    words |= set(CASES) | {stem for stem, _ in STEM_ROOTS}
    slices = sorted({w[i:j] for w in words for i in range(len(w)) for j in range(i + 2, len(w) + 1)})
    assert len(slices) > 10_000
    assert [s for s in slices if _stem_root(s) != tashaphyne_stem_root(s)] == []
    # Slices without ة or a letter to fold (every slice of a normalized word without
    # ؤ or ئ) may skip looking for them.
    plain = [s for s in slices if not _FOLDED.search(s)]
    assert len(plain) > 5_000
    assert [s for s in plain if _stem_root(s, folds=False) != tashaphyne_stem_root(s)] == []


def tashaphyne_choice(roots: list[str]) -> str:
    """tashaphyne's ``_choose_root`` on the candidates, ties as _DeterministicRootStemmer breaks them."""
    from index.analysis.stemming import _ROOTS

    roots = [r for r in roots if 2 <= len(r) <= 4] or roots
    roots = [r for r in roots if r in _ROOTS.root_list] or roots
    return _ROOTS.most_common(roots)


CHOICES = [
    ["كتب"], ["كتب", "كتب", "تب"], ["كتب", "كتبت", "تب"], ["تب", "كتبت"], ["كتبت", "كتبتم"],
    ["كتب", "قول", "قول"], ["كتب", "قول"], ["قول", "كتب"], ["زخرف", "كتب"], ["زخرف", "كتبت", "كتبت"],
    ["عبقر", "عبقر", "كتب"], ["عبقر", "كتبت"], ["ضضض", "ضضض", "كتب"], ["ضضضض", "ضض", "ضض"],
    [""], ["", "كتب"], ["ك", "ك", "كتب"], ["زلزل", "زلزل"],
]


@pytest.mark.parametrize("roots", CHOICES, ids=str)
def test_choose_root_is_tashaphyne_choice(roots):
    from index.analysis.stemming import _choose_root

    assert _choose_root(roots) == tashaphyne_choice(roots)
