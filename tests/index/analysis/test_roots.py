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
#: us (شمال), and words it segments unsliced (alef madda, harakat, not normalized).
CASES = [
    "اضطراب", "مضطرب", "ازدهار", "مزدهره", "مزتهره", "مشتت", "استطاع", "اصطدام",
    "قال", "رمي", "سعي", "دعا", "مردود", "مطلوب", "ممتد", "اعداد", "موءسسه", "مسوولين",
    "ابناء", "شمال", "جنوب", "صباح", "ابو", "اتبع", "اتبعتها", "استخدام", "يستخدمون",
    "آمال", "الآجال", "كَتَبَ", "المدرسة", "بالمكتبة", "أفتضاربانني", "وفيهما", "مستشفيات",
    "كتاب", "والكتاب", "بكتابهم", "انسحاب", "للانسحاب", "الرياض", "1245", "Taha", "بن",
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


def test_segments_are_tashaphyne_segments():
    """The stems and roots take their (prefix, suffix) cuts from ``_segments``, which
    skips tashaphyne's harakat and madda handling for words that have neither: the same
    set of cuts as tashaphyne's ``segment`` for every form of the test and sample
    articles and of the branch cases."""
    from tashaphyne.stemming import ArabicLightStemmer

    from index.analysis.stemming import _ROOTS, _STEMMER, _segments

    files = [*(ROOT / "tests" / "fixtures").rglob("*.*"), *(ROOT / "samples").glob("*.txt")]
    words = set(forms_of(f.read_text(encoding="utf-8", errors="replace") for f in files)) | {normalize(w) for w in CASES}
    for stemmer in (_STEMMER, _ROOTS):
        assert isinstance(stemmer, ArabicLightStemmer)
        differ = [w for w in sorted(words) if w and _segments(stemmer, w) != stemmer.segment(w)]
        assert differ == []
