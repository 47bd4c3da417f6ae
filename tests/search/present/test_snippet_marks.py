"""search.present.snippets.find_marks analyses only the words that contain some spelling of a
query term; it must mark exactly what analysing every word marks."""

from __future__ import annotations

import random

import pytest

from index.analysis.chain import WORD
from search.present import snippets
from search.query.parse import parse

TEXT = (
    "أعلنَ وزيرُ الخارجيّة السعوديّ أيضاً انسحابَ القوّات الأمريكيّة، والانسحاب بدأ أمس. "
    "قال الـمـتحدث إن الإنسحاب «كاملٌ» وإنّ ISIS و Isis فقدا ٣ مدن و 3 قرى. "
    "وبالانسحابات تتغير خرائط الرقة والرقه، وبطولة الدوري انتهت ببطولةٍ جديدة."
)
QUERIES = ["انسحاب", "الانسحاب القوات", "isis", "الرقة", "الدوري", "المتحدث", "٣ مدن",
           "وزير الخارجية السعودي", "كامل", '"خرائط الرقة"', "قرى 3"]


def _every_word(text: str, terms: set[str]) -> list[tuple[int, int, str]]:
    marks = []
    for match in WORD.finditer(text):
        for term in snippets.word_terms(match.group()):
            if term in terms:
                marks.append((match.start(), match.end(), term))
                break
    return marks


@pytest.mark.parametrize("query", QUERIES)
def test_marks_equal_analysing_every_word(query):
    terms = parse(query).positive_terms
    found = snippets.find_marks(TEXT, terms)
    assert found == _every_word(TEXT, terms)
    assert found, query  # each query word is in the text in some spelling


def test_marks_on_shuffled_words_with_harakat_and_tatweel():
    rng = random.Random(3)
    words = TEXT.split()
    marks = "\u064e\u064f\u0650\u0651\u0652\u064b\u0640"
    for _ in range(40):
        text = " ".join(
            "".join(c + (rng.choice(marks) if rng.random() < 0.15 else "") for c in w)
            for w in rng.sample(words, len(words))
        )
        for query in QUERIES:
            terms = parse(query).positive_terms
            assert snippets.find_marks(text, terms) == _every_word(text, terms)
