"""index.whoosh_ext.merge_covered: covered fields merged a chunk of terms at a time give
one writer's bytes however the chunks fall, and the bulk decode reads every encoding."""

from __future__ import annotations

import random
from array import array

import numpy as np
import pytest
from whoosh import index as whoosh_index

from index.whoosh_ext import merge, merge_covered
from index.whoosh_ext.sidecar_format import decode, encode
from tests.index.whoosh_ext.test_merge import _build, _files


@pytest.mark.parametrize(("batch", "postings", "chunk"), [(1, 1, 1), (3, 1 << 20, 40), (20, 30, 1 << 20), (1 << 18, 1 << 21, 1 << 18)])
def test_any_batch_and_chunk_size_gives_one_writers_segment(tmp_path, monkeypatch, batch, postings, chunk):
    """Batches of a record or a few (or of a few postings), chunks of one posting list or
    many: the merged segment's files are byte for byte those of one writer."""
    monkeypatch.setattr(merge_covered, "BATCH", batch)
    monkeypatch.setattr(merge_covered, "SMALLEST_BATCH", 1)
    monkeypatch.setattr(merge_covered, "BATCH_POSTINGS", postings)
    monkeypatch.setattr(merge_covered, "CHUNK_POSTINGS", chunk)
    single = _build(tmp_path / "single", cuts=(0,))
    merge.merge_index(_build(tmp_path / "several"))
    assert _files(whoosh_index.open_dir(str(tmp_path / "several"))) == _files(single)


def _lists(rng: random.Random) -> list[tuple[list[int], list[float]]]:
    """Posting lists of every encoding: gaps of one and two bytes, absolute numbers;
    weights all 1, one byte, two bytes, float32 (counts past 65,535)."""
    lists = []
    for widest in (1, 200, 60_000, 5_000_000):
        for heaviest in (1, 200, 60_000, 100_000):
            gaps = [widest] + [rng.randint(1, widest) for _ in range(rng.randint(0, 5))]
            rng.shuffle(gaps)
            docs = [rng.randint(0, 99)]
            for gap in gaps:
                docs.append(docs[-1] + gap)
            weights = [float(heaviest)] + [float(rng.randint(1, heaviest)) for _ in docs[1:]]
            lists.append((docs, weights))
    return lists


def test_the_bulk_decode_reads_what_encode_wrote():
    rng = random.Random(3)
    lists = _lists(rng)
    data, codes, starts = bytearray(), [], []
    for docs, weights in lists:
        code, encoded = encode(array("i", docs), weights)
        codes.append(code)
        starts.append(len(data))
        data += encoded
    df = np.array([len(docs) for docs, _ in lists])
    assert {code & 3 for code in codes} == {0, 2, 3} and {code >> 2 for code in codes} == {0, 1, 2, 3}
    docs, freqs, size = merge_covered.decode(np.frombuffer(bytes(data), dtype=np.uint8), np.array(codes), df,
                                             np.array(starts), np.array([docs[0] for docs, _ in lists]))
    term = np.repeat(np.arange(len(lists)), df)
    assert size == len(data)
    for k, (want_docs, want_weights) in enumerate(lists):
        assert docs[term == k].tolist() == want_docs
        assert freqs[term == k].tolist() == want_weights
        # the same as the per-term decode a query uses
        start, end = starts[k], starts[k + 1] if k + 1 < len(starts) else len(data)
        single = decode(np.frombuffer(bytes(data[start:end]), dtype=np.uint8), codes[k], len(want_docs), want_docs[0])
        assert single[0].tolist() == want_docs and single[1].tolist() == want_weights
