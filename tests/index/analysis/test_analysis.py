"""The Arabic analyzer, as tables: what must meet, what must stay apart, and offsets."""

from __future__ import annotations

import pickle
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from index.analysis.chain import WORD, ArabicAnalyzer, words
from index.analysis.normalize import normalize
from search import analyze

ANALYZER = ArabicAnalyzer()


def terms(text: str, **kwargs) -> list[str]:
    return [t.text for t in ANALYZER(text, **kwargs)]


def single_term(word: str) -> str:
    found = terms(word)
    assert len(found) == 1, (word, found)
    return found[0]


# Forms in one row must give ONE indexed term.
CONFLATION = [
    ("انسحاب", "الانسحاب", "وانسحابه", "بانسحاب", "للانسحاب", "لانسحاب", "انسحابه", "الانْسِحَابُ", "الانسحـــاب"),
    ("الرقة", "الرقه", "والرقة", "بالرقة", "الـرقـة"),
    ("مفاوضات", "المفاوضات", "والمفاوضات", "المُفَاوَضَات"),
    ("الدولة", "دولة", "للدولة", "والدولة"),
    ("أمريكا", "امريكا", "إمريكا"),
    ("مستشفى", "مستشفي"),
    ("البيان", "والبيان", "بالبيان", "لـالبيان"),
    ("داعش", "«داعش»", '"داعش"', "داعش؟"),
    ("قسد", "«قسد»", "(قسد)"),
    ("البوكمال", "البوكمال؟", "بالبوكمال"),
    ("٢٠١٧", "2017", "۲۰۱۷"),
    ("ISIS", "isis", "Isis"),
]

# Pairs that must stay apart: different words that naive stemming would merge.
SEPARATION = [
    ("كتاب", "تاب"),
    ("كاتب", "اتب"),
    ("لبنان", "بنان"),
    ("وزير", "زير"),
    ("كاملة", "أمله"),
    ("انسحاب", "نسخ"),
    ("مدرسة", "مدير"),
    ("سلام", "إسلام"),
    ("علم", "عالم"),
    ("قسد", "قصد"),
]


@pytest.mark.parametrize("forms", CONFLATION, ids=lambda forms: forms[0])
def test_forms_of_one_word_meet(forms):
    assert {single_term(f) for f in forms} == {single_term(forms[0])}


@pytest.mark.parametrize("a,b", SEPARATION)
def test_different_words_stay_apart(a, b):
    assert single_term(a) != single_term(b)


NORMALIZATION = [
    ("أحمد", "احمد"),
    ("إسلام", "اسلام"),
    ("آمال", "امال"),
    ("ٱلله", "الله"),
    ("مستشفى", "مستشفي"),
    ("مدرسة", "مدرسه"),
    ("كَتَبَ", "كتب"),
    ("جميـــل", "جميل"),
    ("قُرْآن", "قران"),
    ("٠١٢٣٤٥٦٧٨٩", "0123456789"),
    ("ک", "ك"),
    ("ی", "ي"),
    ("OPEC", "opec"),
    ("مسؤول", "مسؤول"),  # hamza on waw is kept
    ("رئيس", "رئيس"),  # hamza on yeh is kept
    ("كتب", "كتب"),  # nothing to fold: not translated at all
    ("Saudi2030", "saudi2030"),  # nor this, only lowered
    ("ًٌ", ""),  # harakat alone: nothing left
]


@pytest.mark.parametrize("raw,expected", NORMALIZATION)
def test_normalization_per_letter(raw, expected):
    assert normalize(raw) == expected


@pytest.mark.parametrize(
    "text",
    [
        "مفاوضات مع تنظيم «الدولة» لـ انسحابه مِن دير الزور",
        "الانْسِحَـــابُ من الـرقـة، و(قسد) في البوكمال؟",
        "OPEC تخفض الإنتاج ٢٠١٧ – 2018!",
    ],
)
def test_offsets_point_into_the_original_text(text):
    tokens = analyze(text)
    assert tokens
    for token in tokens:
        original = text[token.start : token.end]
        assert original and not original[0].isspace() and not original[-1].isspace()
        assert [t.text for t in analyze(original)] == [token.text]


def test_offsets_cover_harakat_and_tatweel():
    text = "بدأ الانْسِحَـابُ اليوم"
    (token,) = [t for t in analyze(text) if t.text == single_term("انسحاب")]
    assert text[token.start : token.end] == "الانْسِحَـابُ"


def test_stop_words_are_dropped_and_positions_renumbered():
    found = [(t.text, t.pos) for t in ANALYZER("هذا هو الانسحاب من المدينة", positions=True)]
    assert [text for text, _ in found] == [single_term("انسحاب"), single_term("المدينة")]
    first, second = (pos for _, pos in found)
    assert second == first + 1  # consecutive, as the query side sees them


@pytest.mark.parametrize(
    "word", ["ماذا", "متى", "كيف", "هل", "الذي", "وفي", "بها", "ولكن", "لـ", "ومن", "وهذا", "فإن", "لي", "وله", "على"]
)
def test_function_words_are_stop_words(word):
    assert terms(word) == []


@pytest.mark.parametrize(
    "word",
    # the last five are tashaphyne forms of particles (أ + من, أ + بها, أ + منه, أ + لـ + إليه)
    # or of a "five noun" (و + فا + ه) whose letters spell a content word
    ["شمال", "أبو", "صباح", "عاد", "أمن", "أبها", "آمنة", "الآلية", "وفاة"]
    # homographs of a clitic form (و + لي), of an interjection (حَيَّ, آمين), of a particle
    # once hamza is folded (أمام), an adverb read as an adjective or a verb, given names
    + ["ولي", "حي", "أمين", "إمام", "أول", "عين", "أنشأ", "علق", "معاذ", "عوض"],
)
def test_content_words_in_the_stop_list_stay_searchable(word):
    assert terms(word)


@pytest.mark.parametrize("word", ["البوكمال؟", "«قسد»", "(داعش)", "الرقة،"])
def test_glued_punctuation_splits_even_without_tokenize(word):
    assert terms(word, tokenize=False) == terms(word.strip("؟«»(),،"))


def test_numbers_are_kept():
    assert terms("قتل 15 شخصا عام ٢٠١٧") == [single_term("قتل"), "15", single_term("شخصا"), single_term("عام"), "2017"]


def test_analyzer_pickles_to_an_equal_small_object():
    data = pickle.dumps(ANALYZER)
    assert len(data) < 1000
    assert terms("وانسحابه") == [t.text for t in pickle.loads(data)("وانسحابه")]


def test_whoosh_query_parser_uses_the_analyzer():
    from whoosh.qparser import QueryParser

    from index.schema import build_schema

    parsed = QueryParser("body", build_schema()).parse("البوكمال؟ وانسحابه")
    assert {text for _, text in parsed.iter_all_terms()} == {single_term("البوكمال"), single_term("انسحاب")}


@given(st.text(alphabet=st.sampled_from("أإآٱىةکی٠١٩۰۵ـًٌٍَُِّْٰ ابتجح،. AZaz_09\u0652\u0670")))
def test_whole_text_normalization_folds_like_word_normalization(text):
    """normalize_text (fast, for keys) and the per-word table must never disagree."""
    from index.analysis.normalize import _TABLE, normalize_text

    assert normalize_text(text) == text.translate(_TABLE).lower()


@given(st.text(alphabet=st.sampled_from("أإآٱىةکی٠١٩۰۵ـًٌٍَُِّْٰابتجحؤئءAZaz09\u0652\u0670"), max_size=8))
def test_word_normalization_is_the_table(word):
    """normalize translates only words with a letter to fold or delete: the same result."""
    from index.analysis.normalize import _TABLE

    assert normalize.__wrapped__(word) == word.translate(_TABLE).lower()


def test_roots_are_the_same_in_every_process():
    """A root computed by the indexing process must be the one a later query computes:
    Python's hash seed differs per process and must not change any root."""
    import subprocess
    import sys

    words = ["اتبع", "اباه", "ابدت", "ابقاء", "اتاوات", "اتبعتها", "ابكي", "كتاب", "استخدام"]
    script = "import sys\nfrom index.analysis.stemming import root\nprint(' '.join(root(w) for w in sys.argv[1:]))"
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script, *words], capture_output=True, text=True, check=True,
            env={**__import__("os").environ, "PYTHONHASHSEED": str(seed)},
        ).stdout
        for seed in range(1, 6)
    }
    assert len(outputs) == 1, outputs


def test_words_split_as_the_word_pattern_on_every_character():
    """The fast split agrees with WORD on each code point, alone and between two letters."""
    for code in range(sys.maxunicode + 1):
        c = chr(code)
        for text in (c, f"ب{c}ت"):
            assert words(text) == WORD.findall(text), hex(code)


@pytest.mark.parametrize("text", ["كتاب_الطالب", "_مدرسة", "a_b c", "قالَ ـ الطالبُ__", "سعر 5_000 ريال"])
def test_words_split_underscores_as_the_word_pattern(text):
    assert words(text) == WORD.findall(text)
