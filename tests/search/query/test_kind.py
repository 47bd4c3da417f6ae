"""Questions and keyword queries (search.query.kind): told apart by the sentence's form."""

from __future__ import annotations

from dataclasses import replace

import pytest

from search import RankingSettings
from search.query.kind import is_question, keyword_rules
from search.query.parse import parse

PARSE = RankingSettings().parse


@pytest.mark.parametrize(
    "text",
    [
        "ما هي عاصمة جورجيا",  # an interrogative first
        "كم عدد سكان القاهرة",
        "لماذا ارتفعت أسعار النفط",
        "ماهو أطول نهر في العالم",  # ماهو typed as one word
        "متى تأسست الجامعة",
        "من هو مؤسس الشركة",
        "أين تقع قلعة حلب",
        "اين تقع قلعة حلب",  # hamza dropped
        "هَلْ فاز المنتخب",  # harakat
        "عاصمة جورجيا؟",  # a question mark anywhere
        "عاصمة جورجيا ?",
        "اذكر أنواع الطيور المهاجرة.",  # a request, ended as a sentence
        "أعط مثالا على الطاقة المتجددة.",
        "صف المدينة القديمة!",
        "في أي عام استقلت الجزائر",  # a preposition, then an interrogative
        "إلى متى يستمر الحصار",
        "منذ متى بدأت الحرب",
        "على ماذا اتفق الوزراء",
        "فمن جاء بحزام",  # و / ف attached to the interrogative
        "وكيف انتهت المفاوضات",
        "فأين القمر",
        "وفي أي عام",  # and to the preposition
    ],
)
def test_questions(text):
    assert is_question(text, PARSE)
    assert parse(text).question


@pytest.mark.parametrize(
    "text",
    [
        "انسحاب داعش",
        "بيع التالفة",
        "المرشحون الانتخابات الرئاسية",
        "أسعار النفط ترتفع",
        "تسمية بعض المكونات من الأجهزة",  # an interrogative-looking word later on is no question
        "وزير الخارجية يلتقي نظيره في الرياض",
        "مفاوضات مع تنظيم الدولة",
        "ومضات من الذاكرة",  # و + a word that is no interrogative
        "منتخب الكويت",  # starts with من, but is another word
        '"دير الزور" -الرقة',
        "",
    ],
)
def test_keyword_queries(text):
    assert not is_question(text, PARSE)
    assert not parse(text).question


def test_the_word_lists_are_settings():
    fewer = replace(PARSE, question_words=PARSE.question_words - {"كيف"})
    assert is_question("كيف انتهت المفاوضات", PARSE)
    assert not is_question("كيف انتهت المفاوضات", fewer)


def test_keyword_rules_need_a_keyword_query_words_and_the_switch_on():
    keywords = RankingSettings().keywords
    assert keyword_rules(parse("انسحاب داعش"), keywords)
    assert not keyword_rules(parse("ما هو الانسحاب"), keywords)
    assert not keyword_rules(parse('"دير الزور"'), keywords)  # a phrase only: no words to rank by
    assert not keyword_rules(parse("انسحاب داعش"), replace(keywords, enabled=False))
