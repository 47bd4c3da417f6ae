"""Opening a session numbers the manifest in bulk (:meth:`Numbering.extend`, the loaders of
:mod:`index.build.holders`, :mod:`index.build.bodies`, :mod:`index.build.copies`): what it
builds answers as the same state built one key at a time."""

from __future__ import annotations

import random
import weakref
import zipfile

import numpy as np
import pytest

import index.build.copies as copies
from index.build.bands import _sorted_run, save_npz
from index.build.bodies import BodyKeys
from index.build.copies import CopyFinder
from index.build.holders import Holders
from index.build.numbering import Numbering

from tests.index.build.test_copies import OTHER_ON_SUBJECT, STORY

_DRAW = random.Random(8)

#: (case, key width, keys added one at a time first, the batch given to extend)
EXTEND_CASES = [
    ("duplicates inside the batch", None, [], ["a", "b", "a", "c", "b", "a"]),
    ("keys already numbered", None, ["x", "y"], ["y", "z", "x", "z", "w"]),
    ("only keys already numbered", None, ["x", "y"], ["y", "x", "y"]),
    ("equal hashes, other keys", None, [-1], [-2, -1, -2, 7]),  # hash(-1) == hash(-2)
    ("tuples stay keys", None, [("a", 1)], [("a", 1), ("b",), ("b",)]),
    ("byte-width keys", 3, [b"abc"], [b"xyz", b"abc", b"xyz", b"\0\0\0"]),
    ("growth past several doublings", None, ["k0", "k1", "k2"], [f"k{n % 900}" for n in range(3000)]),
    ("byte keys through growth, many repeats", 10, [], [bytes(_DRAW.randrange(3) for _ in range(10)) for _ in range(5000)]),
    ("empty batch", None, ["a"], []),
]


def _numbered_one_by_one(width: int | None, keys: list) -> tuple[Numbering, list[int]]:
    numbering = Numbering(width)
    return numbering, [numbering.add(key) for key in keys]


@pytest.mark.parametrize("case, width, before, batch", EXTEND_CASES, ids=[case[0] for case in EXTEND_CASES])
def test_extend_numbers_as_add_one_by_one(case, width, before, batch):
    bulk, _ = _numbered_one_by_one(width, before)
    numbers = bulk.extend(batch)
    plain, expected = _numbered_one_by_one(width, before + batch)
    assert numbers.tolist() == expected[len(before) :]
    assert len(bulk) == len(plain) and list(bulk) == list(plain)
    assert len(bulk._slots) == len(plain._slots)  # the same table: no more memory per key
    for key in before + batch:
        number = plain.number(key)
        assert bulk.number(key) == number and bulk.key(number) == key
    other = b"\x07" * width if width else "never seen"
    assert bulk.number(other) is None
    assert bulk.add(other) == plain.add(other) and bulk.add(batch[0] if batch else other) == plain.number(batch[0] if batch else other)


def test_extend_and_add_interleaved_agree_with_add_alone():
    draw = random.Random(9)
    bulk, plain = Numbering(), Numbering()
    for _ in range(40):
        batch = [f"d{draw.randrange(2000)}" for _ in range(draw.randrange(200))]
        expected = [plain.add(key) for key in batch]
        if draw.random() < 0.5:
            assert bulk.extend(batch).tolist() == expected
        else:
            assert [bulk.add(key) for key in batch] == expected
    assert list(bulk) == list(plain)
    assert all(bulk.number(f"d{n}") == plain.number(f"d{n}") for n in range(2100))


def test_extend_refuses_a_key_of_another_width_and_changes_nothing():
    numbering = Numbering(width=4)
    numbering.add(b"abcd")
    with pytest.raises(ValueError):
        numbering.extend([b"wxyz", b"short"])
    assert list(numbering) == [b"abcd"] and numbering.number(b"wxyz") is None


def _one_by_one_holders(files: dict[str, dict]) -> Holders:
    holders = Holders()
    for key, entry in files.items():
        for doc_id in entry["ids"]:
            holders.add(doc_id, key)
    return holders


def test_holders_of_the_manifest_as_added_one_by_one():
    """Ids listed twice in a file, by several files, files without ids."""
    files = {
        "/a.jsonl": {"ids": ["d1", "d2", "d1", "d3"]},
        "/empty.jsonl": {"ids": []},
        "/b.jsonl": {"ids": ["d2", "d4"]},
        "records:x": {"ids": ["d4", "d2", "d5"]},
    }
    bulk, plain = Holders.of_files(files), _one_by_one_holders(files)
    assert list(bulk._ids) == list(plain._ids) and list(bulk._files) == list(plain._files)
    assert bulk._holder == plain._holder and bulk._many == plain._many and bulk._written == plain._written
    for doc_id in ["d1", "d2", "d3", "d4", "d5", "d6"]:
        assert (doc_id in bulk) == (doc_id in plain) and bulk.of(doc_id) == plain.of(doc_id)
    bulk.add("d6", "/empty.jsonl")
    bulk.written.add("d1")
    assert bulk.of("d6") == {"/empty.jsonl"} and "d1" in bulk.written and len(bulk.written) == 1


@pytest.mark.parametrize("odd_key", [None, "ABCDEF0123456789ABCD", "0123456789abcdef012 "])
def test_body_keys_of_the_manifest_as_set_one_by_one(odd_key):
    """All digests (numbered at once), or one key of another form (set one by one)."""
    draw = random.Random(10)
    saved = {f"{draw.getrandbits(80):020x}": f"d{n}" for n in range(300)}
    if odd_key:
        saved[odd_key] = "d0"
    plain = BodyKeys()
    for key, doc_id in saved.items():
        plain[key] = doc_id
    bulk = BodyKeys(saved)
    assert list(bulk._digests) == list(plain._digests) and bulk._ids == plain._ids and bulk._other == plain._other
    assert bulk.saved() == saved and list(bulk.saved()) == list(saved)
    bulk["ffffffffffffffffffff"] = "new"
    assert bulk.get("ffffffffffffffffffff") == "new" and len(bulk) == len(saved) + 1


def test_a_loaded_finder_numbers_its_ids_and_stories_as_one_by_one(tmp_path):
    draw = random.Random(11)
    finder = CopyFinder()
    for n in range(60):
        finder.assign(f"d{draw.randrange(30)}", draw.choice([STORY, OTHER_ON_SUBJECT]), None)
    finder.save(tmp_path / "copies.npz")
    loaded = CopyFinder.load(tmp_path / "copies.npz")
    plain = CopyFinder()
    for row, doc_id in enumerate(loaded.ids):
        plain._row[plain._name(doc_id)] = row
    for story in loaded.stories:
        plain._live[plain._name(story)] += 1
    assert list(loaded._names) == list(plain._names) and loaded._row == plain._row and loaded._live == plain._live
    assert all(loaded.story(doc_id) == finder.story(doc_id) for doc_id in set(finder.ids))


def test_band_hashes_in_blocks_equal_one_signature_at_a_time(monkeypatch):
    signatures = np.random.RandomState(12).randint(0, 1 << 16, (50, 64)).astype(np.uint16)
    monkeypatch.setattr(copies, "_BAND_BLOCK", 7)
    blocks = copies._band_hashes(signatures, 16)
    assert np.array_equal(blocks, np.stack([copies._band_hashes(one, 16) for one in signatures]))


def test_a_sorted_run_is_by_key_then_row():
    draw = np.random.RandomState(13)
    keys = draw.randint(0, 40, 5000).astype(np.uint32)  # many equal keys
    rows = np.repeat(np.arange(1250, dtype=np.int32), 4)
    order = np.lexsort((rows, keys))
    got_keys, got_rows = _sorted_run(keys, rows)
    assert np.array_equal(got_keys, keys[order]) and np.array_equal(got_rows, rows[order]) and got_rows.dtype == np.int32


def test_save_npz_reads_back_with_numpy_and_stores_the_random_arrays(tmp_path):
    arrays = {"ids": np.array(["a", "بحث"], dtype=str), "days": np.arange(3, dtype=np.int32)}
    random_rows = np.random.RandomState(14).randint(0, 1 << 16, (3, 64)).astype(np.uint16)
    save_npz(tmp_path / "x.npz", [(name, True, value) for name, value in arrays.items()] + [("signatures", False, random_rows)])
    with np.load(tmp_path / "x.npz") as back:
        assert sorted(back.files) == ["days", "ids", "signatures"]
        assert all(np.array_equal(back[name], value) for name, value in [*arrays.items(), ("signatures", random_rows)])
    kinds = {info.filename: info.compress_type for info in zipfile.ZipFile(tmp_path / "x.npz").infolist()}
    assert kinds == {"ids.npy": zipfile.ZIP_DEFLATED, "days.npy": zipfile.ZIP_DEFLATED, "signatures.npy": zipfile.ZIP_STORED}


def test_save_npz_holds_one_made_array_at_a_time(tmp_path):
    """A generator's arrays are let go once written: a 1M build's save made them all at once."""
    written = []

    def members():
        for n in range(3):
            if written:
                assert written[-1]() is None  # the array before this one is gone
            array = np.full(1000, n, dtype=np.int64)
            written.append(weakref.ref(array))
            yield f"a{n}", n % 2 == 0, array
            del array

    save_npz(tmp_path / "y.npz", members())
    with np.load(tmp_path / "y.npz") as back:
        assert [int(back[f"a{n}"][0]) for n in range(3)] == [0, 1, 2]
