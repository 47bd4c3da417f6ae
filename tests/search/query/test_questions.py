"""Question frames (search.query.questions): the noun an interrogative asks with is not searched."""

from __future__ import annotations

from dataclasses import replace

import pytest

from search import RankingSettings, SearchIndex
from search.query.parse import analyze_terms, parse


@pytest.mark.parametrize(
    "text,rest",
    [
        ("كم عدد سكان القاهرة؟", "سكان القاهرة"),
        ("ما هو اسم عاصمة جورجيا", "عاصمة جورجيا"),
        ("في أي عام استقلت الجزائر", "استقلت الجزائر"),
        ("ما الاسم الرسمي للدولة", "الرسمي للدولة"),
    ],
)
def test_the_noun_after_an_interrogative_is_dropped(text, rest):
    assert parse(text).terms == analyze_terms(rest)


@pytest.mark.parametrize(
    "text,kept",
    [
        ("عدد ضحايا الزلزال", "عدد ضحايا الزلزال"),  # no interrogative: a subject
        ("كم بلغ عدد الضحايا", "بلغ عدد الضحايا"),  # not right after it
        ("كم عدد؟", "عدد"),  # nothing else to search for: kept
    ],
)
def test_the_same_noun_elsewhere_is_a_query_word(text, kept):
    assert parse(text).terms == analyze_terms(kept)


def test_a_passage_without_the_frame_noun_ranks_first(tmp_path):
    ix = SearchIndex(tmp_path / "ix", default_synonyms=False)
    ix.add_records(
        [
            {"id": "answer", "title": "القاهرة", "body": "يبلغ سكان القاهرة نحو عشرين مليون نسمة"},
            {"id": "other", "title": "القاهرة", "body": "ارتفع عدد الفنادق في القاهرة وزاد عدد السياح"},
        ]
    )
    assert ix.query("كم عدد سكان القاهرة؟").hits[0].id == "answer"
    # With the frame noun searched, the three-word rule puts neither first on all words,
    # and "other" (عدد twice) outscores the answer.
    default = RankingSettings()
    no_frames = replace(default, parse=replace(default.parse, frame_nouns=frozenset()))
    assert SearchIndex(ix.location, default_synonyms=False, settings=no_frames).query("كم عدد سكان القاهرة؟").hits[0].id == "other"
