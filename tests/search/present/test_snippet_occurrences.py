"""Snippet matching by substring search in the normalized text (search.present.snippets._occurrences)
must find exactly the words the spelling pattern finds, harakat, tatweel and case included."""

from __future__ import annotations

import pytest

from search.present import snippets
from search.query.parse import parse

TEXTS = [
    "الانْسِحَابُ من «الرقة» وانسحـــاب داعش، والرَّقَّةِ",
    "قالت وزارة الخارجية الأمريكية إن انسحاب القوات من سوريا سيبدأ",
    "ISIS and isis: تنظيم الدولة الإسلامية (داعش) في البوكمال؟",
    "الْـــرِّيَاضُ ٢٠١٧ والرياض 2017 أمريكا امريكا إمريكا",
    "",
]
QUERIES = ["انسحاب داعش", "الرقة", "isis الدولة", "الرياض 2017", "أمريكا", "البوكمال"]


def _pattern_words(text: str, terms: set[str]) -> list[tuple[int, int]]:
    return sorted({snippets._word_around(text, *m.span()) for m in snippets._spellings(tuple(sorted(terms))).finditer(text)})


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("query", QUERIES)
def test_same_words_as_the_spelling_pattern(text, query):
    terms = parse(query).positive_terms
    found = sorted({snippets._word_around(text, start, end) for start, end in snippets._occurrences(text, terms)})
    assert found == _pattern_words(text, terms)


def test_the_comparison_is_not_empty():
    assert _pattern_words(TEXTS[0], parse("انسحاب الرقة").positive_terms)


@pytest.mark.parametrize("text", TEXTS)
def test_the_characters_normalization_deletes_are_the_ones_skipped(text):
    """Spans map back to the text past the deleted characters: they must add up."""
    from index.analysis.normalize import normalize_text

    deleted = snippets._DELETED_CHAR.findall(text)
    assert len(normalize_text(text)) + len(deleted) == len(text)


def test_some_text_has_characters_normalization_deletes():
    assert any(snippets._DELETED_CHAR.search(text) for text in TEXTS)
