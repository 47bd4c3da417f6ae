"""The session's per-document state kept in numbered arrays (:mod:`index.build.numbering`,
:mod:`index.build.holders`, :mod:`index.build.bodies`, the copy finder's rows) answers
as the plain dicts and sets it replaces, on random operations."""

from __future__ import annotations

import random

import pytest

from index.build.bodies import BodyKeys
from index.build.copies import CopyFinder
from index.build.holders import Holders
from index.build.numbering import Numbering

from tests.index.build.test_copies import STORY, OTHER_ON_SUBJECT


def test_numbering_numbers_keys_in_order_of_first_sight_through_growth():
    draw = random.Random(3)
    numbering, plain = Numbering(), {}
    for _ in range(5000):
        key = f"doc-{draw.randrange(3000)}"
        assert numbering.add(key) == plain.setdefault(key, len(plain))
        missing = f"other-{draw.randrange(100)}"
        assert numbering.number(missing) is None
    assert len(numbering) == len(plain) and list(numbering) == list(plain)
    assert all(numbering.number(key) == number for key, number in plain.items())
    assert numbering.key(17) == list(plain)[17]


def test_numbering_packs_fixed_width_keys():
    draw = random.Random(4)
    numbering, plain = Numbering(width=10), {}
    for _ in range(3000):
        key = bytes(draw.randrange(4) for _ in range(10))  # few values: many repeats, equal hashes apart
        assert numbering.add(key) == plain.setdefault(key, len(plain))
    assert list(numbering) == list(plain) and numbering.number(b"\x09" * 10) is None
    with pytest.raises(ValueError):
        numbering.add(b"short")


def test_holders_answer_as_a_dict_of_sets():
    draw = random.Random(5)
    holders, plain, written, again = Holders(), {}, set(), 0
    ids, files = [f"d{n}" for n in range(60)], [f"/f{n}.jsonl" for n in range(5)]
    for _ in range(4000):
        doc_id, key, op = draw.choice(ids), draw.choice(files), draw.random()
        if op < 0.45:
            again += key in plain.get(doc_id, set())
            holders.add(doc_id, key)
            plain.setdefault(doc_id, set()).add(key)
        elif op < 0.75:
            holders.discard(doc_id, key)
            plain.get(doc_id, set()).discard(key)
        elif op < 0.85:
            holders.pop(doc_id)
            plain.pop(doc_id, None)
        else:
            holders.written.add(doc_id)
            written.add(doc_id)
        for one in (doc_id, draw.choice(ids)):
            assert (one in holders) == (one in plain)
            assert holders.of(one) == plain.get(one, set())
            assert holders.held(one) == bool(plain.get(one))
            assert holders.held_elsewhere(one, key) == any(k != key for k in plain.get(one, ()))
            assert (one in holders.written) == (one in written)
    assert len(holders.written) == len(written)
    assert holders.again == again > 0


def test_body_keys_answer_as_the_manifest_dict_in_its_order():
    draw = random.Random(6)
    saved = {f"{draw.getrandbits(80):020x}": f"d{n}" for n in range(50)}
    saved["not-a-digest"] = "d0"  # another form stays as it is
    bodies, plain = BodyKeys(saved), dict(saved)
    keys = list(saved) + [f"{draw.getrandbits(80):020x}" for _ in range(100)] + ["ABCDEF0123456789ABCD"]
    for _ in range(2000):
        key = draw.choice(keys)
        assert bodies.get(key) == plain.get(key)
        if draw.random() < 0.5:
            bodies[key] = plain[key] = f"d{draw.randrange(80)}"
    kept = {f"d{n}" for n in range(0, 80, 3)}
    bodies.keep_only(kept.__contains__)
    plain = {key: doc_id for key, doc_id in plain.items() if doc_id in kept}
    assert bodies.saved() == plain and len(bodies) == len(plain)
    assert list(bodies.saved()) == list(plain)  # the manifest's order (the odd keys last, as they came last)
    assert all(bodies.get(key) == plain.get(key) for key in keys)


def test_copy_finder_rows_and_live_story_keys_follow_its_lists():
    """After random assigns and forgets, each id's story and the live count of every story
    key are those its plain lists (ids, stories, removed rows) give."""
    draw = random.Random(7)
    finder = CopyFinder()
    texts = [STORY, OTHER_ON_SUBJECT, "قصير"]
    for _ in range(150):
        doc_id = f"d{draw.randrange(25)}"
        if draw.random() < 0.25:
            finder.forget(doc_id)
        else:
            finder.assign(doc_id, draw.choice(texts), None)
    live = [row for row in range(len(finder.ids)) if row not in finder.removed]
    last = {finder.ids[row]: row for row in live}
    for n in range(25):
        doc_id = f"d{n}"
        assert finder.story(doc_id) == (finder.stories[last[doc_id]] if doc_id in last else None)
    for story in set(finder.stories):
        count = sum(finder.stories[row] == story for row in live)
        assert finder._live[finder._names.number(story)] == count
    held = {finder.stories[row] for row in live if finder.ids[row] != "d3"}
    assert finder.assign("d3", "قصير", None) not in held  # a new story never takes a live key
