"""The copy finder's compact per-document arrays (:mod:`index.build.bands`) and the
session's file holders (:mod:`index.build.holders`) answer as the plain structures
they replace."""

from __future__ import annotations

import numpy as np
import pytest

from index.build import bands as bands_module
from index.build.bands import BandIndex, Chunks
from index.build.copies import CopyFinder
from index.build.holders import Holders


class SmallChunks(Chunks):
    SIZE = 3


@pytest.mark.parametrize("spill", [False, True])
def test_chunks_give_back_every_row_appended(spill):
    rows = np.arange(20, dtype=np.uint16).reshape(10, 2)
    chunks = SmallChunks(np.uint16, 2, spill)
    for row in rows:
        chunks.append(row)
    assert len(chunks) == 10 and chunks[7].tolist() == [14, 15] and chunks[0].tolist() == [0, 1]
    assert [chunks[i].tolist() for i in range(10)] == rows.tolist()
    picked = np.array([9, 0, 4, 3], dtype=np.int64)
    assert chunks.take(picked).tolist() == rows[picked].tolist()
    assert chunks.take(np.zeros(0, dtype=np.int64)).shape == (0, 2)
    days = SmallChunks(np.int32, spill=spill)
    for day in range(7):
        days.append(day * 10)
    assert int(days[5]) == 50 and days.take(np.array([6, 1])).tolist() == [60, 10]


def test_band_candidates_are_the_rows_sharing_a_band_across_runs_and_merges():
    class Small(BandIndex):
        RUN_CAP = 40  # runs of two rows of four bands merge up to eight rows; past five, their rows go to the file

    draw = np.random.default_rng(7)
    bands = draw.integers(0, 6, size=(43, 4)).astype(np.uint64)  # few values: many shared; one row left pending
    index = Small(pending=2)
    for row, hashes in enumerate(bands):
        index.add(row, hashes)
    assert len(index._runs) > 1 and {len(keys) for keys, _ in index._runs} >= {32, 8}  # merged runs, and new ones
    assert all(isinstance(rows, int) == (len(keys) > 20) for keys, rows in index._runs)  # past merging: rows in the file
    for query in bands[::7]:
        expected = {row for row, hashes in enumerate(bands) if set(hashes.tolist()) & set(query.tolist())}
        assert index.candidates(query) == expected
    loaded = Small.of(bands, pending=2)  # one run of every row's bands, its rows in the file
    assert isinstance(loaded._runs[0][1], int) and loaded.candidates(bands[3]) == index.candidates(bands[3])
    small = BandIndex.of(bands[:10], pending=2)  # 40 entries: one run, in memory below half the cap
    assert isinstance(small._runs[0][1], np.ndarray)
    assert small.candidates(bands[3]) == {row for row in range(10) if set(bands[row].tolist()) & set(bands[3].tolist())}


def test_holders_keep_one_key_or_several():
    holders = Holders()
    holders.add("doc", "a.jsonl")
    assert holders.of("doc") == {"a.jsonl"} and not holders.held_elsewhere("doc", "a.jsonl")
    holders.add("doc", "b.jsonl")
    assert holders.of("doc") == {"a.jsonl", "b.jsonl"} and holders.held_elsewhere("doc", "a.jsonl")
    holders.discard("doc", "a.jsonl")
    holders.discard("doc", "b.jsonl")
    assert "doc" in holders and not holders.held("doc")  # known until popped
    holders.add("one", "a.jsonl")
    holders.discard("one", "a.jsonl")
    assert "one" in holders and holders.of("one") == set()
    holders.pop("one")
    assert "one" not in holders and holders.of("one") == set() and not holders.held_elsewhere("one", "x")


def test_a_band_that_only_shares_its_32_bit_key_is_no_copy(monkeypatch):
    """The runs keep 32 bits of each band hash; the copy finder compares whole bands, so a
    signature similar enough but sharing no band stays its own story even when every
    row's key collides with every other's."""
    draw = np.random.default_rng(8)
    first = draw.integers(0, 1 << 16, 64).astype(np.uint16)
    similar = first.copy()
    similar[::4] += 1  # one slot of each of the 16 bands: 48 of 64 slots equal, no band
    monkeypatch.setattr(bands_module, "_keys", lambda hashes: np.zeros(np.shape(hashes), dtype=np.uint32))
    finder = CopyFinder()
    assert finder.assign("a", "", None, first) == "a"
    assert finder.assign("b", "", None, similar) == "b"
    assert finder.assign("c", "", None, first.copy()) == "a"  # a real band shared: a copy
