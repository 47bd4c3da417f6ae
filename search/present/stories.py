"""Syndicated copies shown once: ranked documents grouped by story.

Each document carries the key of its story in the ``story`` column, given at index
time (:mod:`index.build.copies`). A query ranks documents as always; here the
best-ranked copy of each story becomes the hit and every other live copy of that story
is listed under it, whether or not it matched the query (it is the same article).
Ranking and evaluation (``ranked``, ``search eval``) never come here: they judge every
document.

The column is read once per set of segments, a segment at a time as one array, and
kept as dense integer codes (a document with no key gets a code of its own), so
grouping a page and counting the stories among all matches are array lookups.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from index.whoosh_ext.postings import numeric_column
from search.results import Copy, Hit, as_date

#: Story codes of the last few index states, keyed by their segments (see :func:`codes`).
_CACHE: dict[tuple, StoryCodes] = {}
_CACHE_SIZE = 4


@dataclass(frozen=True)
class StoryCodes:
    """Per document number its story's code; per code shared by several documents, those documents."""

    codes: np.ndarray
    members: dict[int, np.ndarray]
    #: One more than the largest code.
    size: int
    #: Per document number, whether its story has other documents (most have none).
    shared: np.ndarray


def story_keys(reader) -> np.ndarray:
    """Per document number of ``reader``, the story key written at index time (0: none):
    the same key for copies in any segment or shard of the index."""
    return np.concatenate([numeric_column(leaf, "story", 0) for leaf, _ in reader.leaf_readers()]
                          or [np.zeros(0, np.uint64)])


def codes(searcher) -> StoryCodes:
    """The story codes of ``searcher``'s documents, deleted ones included (they never
    match, and :func:`copies_of` skips them)."""
    reader = searcher.reader()
    key = tuple((leaf.segment().segment_id(), leaf.doc_count_all()) for leaf, _ in reader.leaf_readers())
    if key in _CACHE:
        return _CACHE[key]
    keys = story_keys(reader)
    _, array = np.unique(keys, return_inverse=True)
    keyless = np.flatnonzero(keys == 0)
    array[keyless] = array.max(initial=0) + 1 + np.arange(len(keyless))  # a story of its own each
    shared = np.flatnonzero(np.bincount(array)[array] > 1)
    shared = shared[np.argsort(array[shared], kind="stable")]
    starts = np.flatnonzero(np.diff(array[shared], prepend=-1))
    members = {int(array[group[0]]): group for group in np.split(shared, starts[1:]) if len(group)}
    in_shared = np.zeros(len(array), dtype=bool)
    in_shared[shared] = True
    stories = StoryCodes(array.astype(np.int64), members, int(array.max(initial=-1)) + 1, in_shared)
    while len(_CACHE) >= _CACHE_SIZE:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[key] = stories
    return stories


def count(stories: StoryCodes, docs: np.ndarray) -> int:
    """How many stories the documents ``docs`` tell (document numbers, or a mask over every
    document): one per document whose story is its own, and the distinct stories of the
    others, so only the documents with copies are looked up."""
    if docs.dtype == bool:
        grouped = docs & stories.shared
        alone = np.count_nonzero(docs) - np.count_nonzero(grouped)
        grouped = np.flatnonzero(grouped)
    else:
        in_shared = stories.shared[docs]
        alone = len(docs) - np.count_nonzero(in_shared)
        grouped = docs[in_shared]
    seen = np.zeros(stories.size, dtype=bool)  # a mask, not np.unique: no sort of many matches
    seen[stories.codes[grouped]] = True
    return int(alone + np.count_nonzero(seen))


def group(stories: StoryCodes, ranked: list[tuple[int, float]]) -> list[tuple[int, float]]:
    """``ranked`` with only the best-ranked document of each story."""
    seen: set[int] = set()
    out = []
    for docnum, score in ranked:
        code = int(stories.codes[docnum])
        if code not in seen:
            seen.add(code)
            out.append((docnum, score))
    return out


def collapse(stories: StoryCodes, rank: Callable[[int], list[tuple[int, float]]], wanted: int,
             depth: int = 0) -> list[tuple[int, float]]:
    """The first ``wanted`` stories of a ranking: ``rank(n)`` ranks the first ``n``
    documents (first ``depth``, at least ``wanted``), asked again for twice as many
    while copies leave fewer stories than wanted."""
    depth = max(depth, wanted)
    while True:
        ranked = rank(depth)
        grouped = group(stories, ranked)
        if len(grouped) >= wanted or len(ranked) < depth:
            return grouped[:wanted]
        depth *= 2


def copies_of(searcher, stories: StoryCodes, docnum: int) -> list[int]:
    """The other live documents of ``docnum``'s story."""
    members = stories.members.get(int(stories.codes[docnum]))
    if members is None:
        return []
    reader = searcher.reader()
    return [int(d) for d in members if d != docnum and not reader.is_deleted(int(d))]


def with_copies(searcher, stories: StoryCodes, ranked: list[tuple[int, float]], hits: list[Hit]) -> list[Hit]:
    """``hits`` (one per ``ranked`` document) each with the other copies of its story,
    oldest first: the order in which the agencies ran it."""
    for (docnum, _), hit in zip(ranked, hits):
        found = []
        for other in copies_of(searcher, stories, docnum):
            stored = searcher.stored_fields(other)
            found.append(Copy(id=stored["id"], title=stored.get("title", ""), source=stored.get("source"),
                              date=as_date(stored.get("date"))))
        hit.copies = sorted(found, key=lambda c: (c.date is None, c.date or dt.date.min, c.id))
    return hits
