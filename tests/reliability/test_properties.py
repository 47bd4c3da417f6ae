"""Property-based tests: the analyzer and the query path on arbitrary Unicode."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index.analysis.chain import ArabicAnalyzer
from index.errors import QueryError
from search import SearchIndex
from search.query.parse import parse

ANALYZER = ArabicAnalyzer()

#: Arabic letters, harakat, tatweel, Arabic-Indic digits and punctuation, Latin,
#: quotes, operators and separators: the characters where the analyzer has rules.
ARABIC_HEAVY = st.lists(
    st.one_of(
        st.characters(min_codepoint=0x0600, max_codepoint=0x06FF),
        st.sampled_from(list(' \t\n"-():*،؛؟«»…_ـ') + ["AND", "OR", "NOT", "foo:"]),
        st.characters(min_codepoint=0x20, max_codepoint=0x7E),
        st.characters(),  # anything at all, surrogates excluded by default
    ),
    max_size=80,
).map("".join)
ANY_TEXT = st.one_of(st.text(max_size=80), ARABIC_HEAVY)

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def tokens(text: str) -> list[tuple[str, int, int]]:
    return [(t.text, t.startchar, t.endchar) for t in ANALYZER(text, positions=True, chars=True)]


@SETTINGS
@given(ANY_TEXT)
def test_analyzer_never_raises(text):
    for term, start, end in tokens(text):
        assert term and 0 <= start < end <= len(text)


@SETTINGS
@given(ANY_TEXT)
def test_offsets_slice_the_original_text_to_the_same_token(text):
    for term, start, end in tokens(text):
        assert [t for t, _, _ in tokens(text[start:end])] == [term], (text, start, end)


@SETTINGS
@given(ANY_TEXT)
def test_parse_never_raises(text):
    parsed = parse(text)
    assert all(isinstance(term, str) and term for term in parsed.terms)


@pytest.fixture(scope="module")
def tiny_index(tmp_path_factory) -> SearchIndex:
    ix = SearchIndex(Path(tmp_path_factory.mktemp("props")) / "ix")
    ix.add_records(
        [
            {"id": "a", "title": "انسحاب القوات", "body": "أعلنت الحكومة انسحاب القوات من المدينة", "date": "2019-01-02"},
            {"id": "b", "title": "Oil prices", "body": "ارتفاع أسعار النفط 2019 في الأسواق", "source": "wire"},
        ]
    )
    return ix


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=ANY_TEXT)
def test_query_never_raises_except_query_error(tiny_index, text):
    try:
        results = tiny_index.query(text)
    except QueryError:
        return
    assert results.total >= len(results.hits)
    for hit in results.hits:
        assert hit.id in {"a", "b"}
