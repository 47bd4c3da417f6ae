"""Texts inverted together (index.whoosh_ext.inversion) keep what Whoosh's format encodes,
however they are held until the segment is written."""

from __future__ import annotations

from array import array

import pytest
from whoosh.formats import Positions
from whoosh.system import pack_uint

from index.whoosh_ext.inversion import FlatPostings, invert_texts
from index.whoosh_ext.vocabulary import NONE

ENCODE = Positions().encode


def _grouped(flat: FlatPostings) -> list:
    return [(term, list(docs), list(freqs), values) for term, (docs, freqs, values) in flat.by_term().sorted_items()]


def _add(flat: FlatPostings, docnums: list[int], texts: list[list[bytes | None]], renumbers: bool = False, first: int | None = None) -> int:
    inverted = invert_texts([flat.numbers(text) for text in texts], None, renumbers, flat.kind == "positions")
    return flat.add_inverted(docnums, inverted, len(texts) if first is None else first)


def test_a_frequency_past_16_bits_is_kept():
    flat = FlatPostings("frequency")
    _add(flat, [0, 1, 2], [[b"a", b"b", b"b", b"b"], [b"a"] * 70_000, [b"b", b"b"] + [b"a"] * 65_535])
    assert _grouped(flat) == [
        (b"a", [0, 1, 2], [1, 70_000, 65_535], [pack_uint(1), pack_uint(70_000), pack_uint(65_535)]),
        (b"b", [0, 2], [3, 2], [pack_uint(3), pack_uint(2)]),
    ]


def test_positions_follow_their_postings():
    """Single positions and lists of them come back as the format encodes each list,
    documents ascending under each term whatever batch they came in."""
    flat = FlatPostings("positions", ENCODE)
    _add(flat, [4, 9], [[b"x", b"y", b"z", b"z", b"z", b"y"], [b"z", b"w", b"y"]])
    _add(flat, [11], [[b"w", b"w", b"y", b"y"]])
    assert [(t, d, v) for t, d, _, v in _grouped(flat)] == [
        (b"w", [9, 11], [ENCODE([1]), ENCODE([0, 1])]),
        (b"x", [4], [ENCODE([0])]),
        (b"y", [4, 9, 11], [ENCODE([1, 5]), ENCODE([2]), ENCODE([2, 3])]),
        (b"z", [4, 9], [ENCODE([2, 3, 4]), ENCODE([0])]),
    ]


@pytest.mark.parametrize(("text", "renumbers", "expected"), [
    # Whoosh's tokenizer numbers every word; its stop filter (renumbers) gives the first
    # word kept its own number and counts up from there.
    ([None, b"a", None, b"b", b"a"], False, {b"a": [1, 4], b"b": [3]}),
    ([None, b"a", None, b"b", b"a"], True, {b"a": [1, 3], b"b": [2]}),
    ([b"a", None, None, b"a"], True, {b"a": [0, 1]}),
    ([None, None], True, {}),
    ([], True, {}),
])
def test_positions_are_those_of_whooshs_chain(text, renumbers, expected):
    flat = FlatPostings("positions", ENCODE)
    inverted = invert_texts([flat.numbers(text)], None, renumbers, True)
    assert int(inverted.lengths[0]) == sum(term is not None for term in text)
    _add(flat, [0], [text], renumbers)
    assert {t: v for t, _, _, v in _grouped(flat)} == {t: [ENCODE(p)] for t, p in expected.items()}


def test_forms_are_looked_up_and_stop_words_dropped():
    """Texts given as form numbers: each form's term number (or none) from ``forms``."""
    forms = array("i", [1, NONE, 0, 1])  # forms 0 and 3 are the same term, form 1 a stop word
    inverted = invert_texts([array("i", [0, 1, 3, 2]), array("i", [1])], forms, True, False)
    assert inverted.counts.tolist() == [2, 0] and inverted.lengths.tolist() == [3, 0]
    assert inverted.terms.tolist() == [0, 1] and inverted.freqs.tolist() == [1, 2]


def test_only_the_first_texts_asked_for_are_added():
    flat = FlatPostings("positions", ENCODE)
    assert _add(flat, [0, 1], [[b"a", b"b", b"a"], [b"c"]], first=1) == 2
    assert [(t, d) for t, d, _, _ in _grouped(flat)] == [(b"a", [0]), (b"b", [0])]
