"""A covered field written all at once gives the per-term path's bytes exactly."""

from __future__ import annotations

import random
from types import SimpleNamespace

import numpy as np
import pytest

from bulk_support import TermsTable

from index.whoosh_ext import codec
from index.whoosh_ext.covered import _length_bytes, write_field
from index.whoosh_ext.inversion import FlatPostings, Inverted
from index.whoosh_ext.sidecar_writer import Recorder
from whoosh.util.numeric import length_to_byte


def _fieldwriter():
    return SimpleNamespace(_tindex=TermsTable(), _fieldid=3, _fieldname="body_exact", _btext=b"earlier",
                           _codec=SimpleNamespace(_blocklimit=128))


def _written(write, postings: FlatPostings, doc_length: list[int]) -> tuple[list, bytes, list, int, bytes]:
    writer = _fieldwriter()
    recorder = Recorder(writer)
    recorder.encoded(b"\x07" * 5)  # data already written by an earlier field
    write(writer, recorder, postings.by_term(), doc_length)
    recorder._data.seek(0)
    return writer._tindex.added, recorder._data.read(), sorted(recorder.keys), recorder.size, writer._btext


def _per_term(writer, recorder, grouped, doc_length) -> None:
    for term, (docs, freqs, _) in grouped.sorted_items():
        codec.write_term(writer, recorder, term, docs, list(map(float, freqs)), doc_length)


def _at_once(writer, recorder, grouped, doc_length, run: int = 1 << 18) -> None:
    write_field(writer, recorder, grouped, np.array(doc_length, dtype=np.int64), run)


def _in_runs(writer, recorder, grouped, doc_length) -> None:
    _at_once(writer, recorder, grouped, doc_length, run=7)  # a few terms at a time, one past it alone


def _add(flat: FlatPostings, docnum: int, terms: list[bytes], counts: list[int]) -> None:
    """One document's postings as given (counts past what a test would write out as text)."""
    held = np.array(flat.numbers(terms), dtype=np.intc)
    flat.add_inverted([docnum], Inverted(np.array([len(terms)]), np.array([sum(counts)]), held, np.array(counts),
                                         np.zeros(len(terms), dtype=np.int64), None), 1)


def _postings(seed: int, documents: int, spread: int, heavy: int) -> tuple[FlatPostings, list[int]]:
    """Random postings: ``spread`` apart document numbers make wide gaps, ``heavy`` large counts."""
    rng = random.Random(seed)
    flat = FlatPostings("frequency")
    doc_length = [0] * (documents * spread + 1)
    words = [f"w{k}".encode() for k in range(60)] + ["كتاب".encode(), "ب".encode()]
    for n in range(documents):
        docnum = n * spread + rng.randrange(spread)
        chosen = rng.sample(words, rng.randrange(1, 12))
        counts = [rng.choice([1, 1, 1, 2, 3, 255, 256, 65_535, 65_536]) if rng.random() < heavy else 1 for _ in chosen]
        _add(flat, docnum, chosen, counts)
        doc_length[docnum] = rng.choice([0, 1, 7, 300, 5_000, 106_373, 106_374, 2_000_000])
    return flat, doc_length


@pytest.mark.parametrize("spread, heavy", [(1, 0.0), (1, 0.3), (300, 0.1), (70_000, 0.5)])
def test_bytes_equal_the_per_term_path(spread, heavy):
    for seed in range(5):
        flat, doc_length = _postings(seed, 40, spread, heavy)
        again, _ = _postings(seed, 40, spread, heavy)
        runs, _ = _postings(seed, 40, spread, heavy)
        expected = _written(_per_term, again, doc_length)
        assert _written(_at_once, flat, doc_length) == expected
        assert _written(_in_runs, runs, doc_length) == expected


def test_one_document_terms_take_the_short_form():
    flat = FlatPostings("frequency")
    _add(flat, 4, [b"a", b"b"], [1, 2])
    _add(flat, 9, [b"b"], [1])
    added, data, *_ = _written(_at_once, flat, [0, 0, 0, 0, 12, 0, 0, 0, 0, 12])
    sizes = {key[2:]: len(value) for key, value in added}
    assert sizes == {b"a": codec._SHORT.size, b"b": codec._LONG.size}
    assert data == b"\x07" * 5 + bytes([5]) + bytes([2, 1])  # "a": nothing; "b": one gap, then its counts


@pytest.mark.parametrize("length", [0, 1, 2, 27, 1_000, 106_373, 106_374, 10**7])
def test_length_bytes_are_whooshs(length):
    assert _length_bytes(np.array([length]))[0] == length_to_byte(length)
