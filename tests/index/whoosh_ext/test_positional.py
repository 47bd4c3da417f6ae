"""A field with positions written all at once (index.whoosh_ext.positional) gives the
per-term path's bytes exactly: postings file, terms table entries and sidecar rows."""

from __future__ import annotations

import io
import random
from array import array
from types import SimpleNamespace

import numpy as np
import pytest
from whoosh.filedb.structfile import StructFile
from whoosh.formats import Positions

from bulk_support import TermsTable

from index.whoosh_ext import blocks, positional
from index.whoosh_ext.inversion import FlatPostings, invert_texts
from index.whoosh_ext.sidecar_writer import Recorder


def _fieldwriter():
    postfile = StructFile(io.BytesIO())
    postfile.write(b"earlier field")
    return SimpleNamespace(_tindex=TermsTable(), _fieldid=2, _fieldname="body", _btext=b"earlier", _format=Positions(),
                           _postfile=postfile, _postwriter=SimpleNamespace(_startoffset=0),
                           _codec=SimpleNamespace(_blocklimit=128, _compression=3))


def _postings(seed: int, spread: int) -> tuple[FlatPostings, list[int]]:
    """Texts of words drawn unevenly (common words span several blocks, some repeat in
    a text), documents ``spread`` apart (gaps of one, two and four bytes)."""
    rng = random.Random(seed)
    words = [f"w{k}".encode() for k in range(40)] + ["كتاب".encode()]
    flat = FlatPostings("positions", Positions().encode)
    docnums = sorted(rng.sample(range(400 * spread), 400))
    texts = [[rng.choice(words[: rng.choice([3, 10, 41])]) for _ in range(rng.randrange(1, 30))] for _ in docnums]
    inverted = invert_texts([flat.numbers(text) for text in texts], None, False, True)
    flat.add_inverted(docnums, inverted, len(texts))
    doc_length = [0] * (docnums[-1] + 1)
    for docnum, text in zip(docnums, texts):
        doc_length[docnum] = rng.choice([len(text), len(text), 300, 106_373, 106_374, 2_000_000])
    return flat, doc_length


def _written(write, flat: FlatPostings, doc_length: list[int], form: blocks.BlockFormat) -> tuple:
    writer = _fieldwriter()
    recorder = Recorder(writer)
    recorder.encoded(b"\x07" * 5)  # data already written by an earlier field
    write(writer, recorder, flat.by_term(), doc_length, form)
    recorder._data.seek(0)
    rows = (list(recorder.offsets), list(recorder.codes), list(recorder.starts), sorted(recorder.keys))
    return (writer._postfile.file.getvalue(), writer._tindex.added, recorder._data.read(), rows, writer._btext,
            writer._postwriter._startoffset)


def _per_term(writer, recorder, grouped, doc_length, form) -> None:
    end = writer._postfile.tell()
    for term, (docs, freqs, values) in grouped.sorted_items():
        weights = list(map(float, freqs))
        end = blocks.write_term(writer, term, docs, weights, values, doc_length, end, form)
        recorder.term(docs, weights, end)


def _at_once(run: int):
    def write(writer, recorder, grouped, doc_length, form) -> None:
        positional.write_field(writer, recorder, grouped, np.array(doc_length, dtype=np.int64), form, run)
    return write


@pytest.mark.parametrize("form", [blocks.OURS, blocks.WHOOSH])
@pytest.mark.parametrize("spread", [1, 300, 70_000])
def test_bytes_equal_the_per_term_path(form, spread):
    for seed in range(3):
        expected = _written(_per_term, *_postings(seed, spread), form)
        assert len(expected[0]) > 1000 and expected[1]
        assert _written(_at_once(1 << 18), *_postings(seed, spread), form) == expected
        assert _written(_at_once(50), *_postings(seed, spread), form) == expected  # runs of a few terms


def test_a_field_boost_or_fixed_size_values_take_the_per_term_path():
    flat = FlatPostings("positions", Positions().encode)
    flat.add_inverted([0], invert_texts([array("i", [0])], None, False, True), 1)
    grouped = flat.by_term()
    assert positional.applies(SimpleNamespace(format=Positions()), grouped)
    assert not positional.applies(SimpleNamespace(format=Positions(field_boost=2.0)), grouped)
    assert not positional.applies(SimpleNamespace(format=Positions()), {b"a": [array("i", [0]), array("i", [1]), [b""]]})
