"""Flat postings keep what Whoosh's format encodes, however they are stored while held."""

from __future__ import annotations

from whoosh.formats import Positions
from whoosh.system import pack_uint

from index.whoosh_ext.inversion import FlatPostings


def test_a_frequency_past_16_bits_is_kept():
    flat = FlatPostings("frequency")
    flat.add(0, [b"a", b"b"], [1, 3])
    flat.add(1, [b"a"], [70_000])
    flat.add(2, [b"b", b"a"], [2, 65_535])
    grouped = flat.by_term()
    assert [(term, list(docs), list(freqs), values) for term, (docs, freqs, values) in grouped.sorted_items()] == [
        (b"a", [0, 1, 2], [1, 70_000, 65_535], [pack_uint(1), pack_uint(70_000), pack_uint(65_535)]),
        (b"b", [0, 2], [3, 2], [pack_uint(3), pack_uint(2)]),
    ]
    assert list(grouped[b"b"][0]) == [0, 2]


def test_positions_follow_their_postings():
    """Single positions and lists of them come back as the format encodes each list."""
    encode = Positions().encode
    flat = FlatPostings("positions", encode)
    flat.add(4, [b"x", b"y"], [1, 2], [[0], [1, 5]])
    flat.add(9, [b"y", b"z"], [1, 3], [[2], [0, 3, 4]])
    flat.add(11, [b"y"], [2], [[7, 8]])
    assert [(t, list(d), v) for t, (d, _, v) in flat.by_term().sorted_items()] == [
        (b"x", [4], [encode([0])]),
        (b"y", [4, 9, 11], [encode([1, 5]), encode([2]), encode([7, 8])]),
        (b"z", [9], [encode([0, 3, 4])]),
    ]
