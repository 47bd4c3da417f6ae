"""Numbers for the strings a writing session keys its per-document state by.

A first build of a million articles keeps, per document, which files hold it, whether
it was written, its body key and its copy-finder row. As Python dicts and sets keyed by
the id (a table entry of 40-70 bytes each, an int object of 28 for a number) they were
most of what the build's parent held per document (benchmarks/README.md, "Build
memory"). Here a key gets a dense number once, found through an open-addressing table
of 32-bit slots (at most half full), and the state lives in arrays indexed by that
number: about 20 bytes a key instead of a dict entry per structure. Keys are either
objects kept in a list (document ids, shared with the manifest's lists) or fixed-width
``bytes`` packed in one ``bytearray`` (body keys' digests: 10 bytes, not a 69-byte
string). A number is never taken back: a key dropped by its user keeps it.

Opening a session numbers the whole manifest (a million ids, body keys, story keys):
:meth:`Numbering.extend` places a batch with numpy, slot by slot for all its keys at
once, where :meth:`Numbering.add` would probe in Python for each key
(benchmarks/README.md, "Scale to 1M": seconds at a million). Both keep the rule of
linear probing, that every slot between a key's home slot and its own is taken, so
either finds what the other placed.

``hash()`` of a ``str`` differs between processes, which is fine: the table lives in
one process and is never saved.
"""

from __future__ import annotations

from array import array
from collections.abc import Hashable, Iterator, Sequence

import numpy as np

_EMPTY = -1
#: A free slot while the keys that reach it in one round claim it (the least of them wins).
_CLAIMED = np.iinfo(np.int32).max


class Numbering:
    """Key → its number (0, 1, 2… in order of first :meth:`add` or :meth:`extend`).

    ``width``: keys are ``bytes`` of exactly that length, packed (see the module docstring)."""

    def __init__(self, width: int | None = None) -> None:
        self._width = width
        self._keys: list | bytearray = [] if width is None else bytearray()
        self._count = 0
        self._slots = array("i", [_EMPTY]) * 8

    def __len__(self) -> int:
        return self._count

    def key(self, number: int) -> Hashable:
        """The key numbered ``number``."""
        if self._width is None:
            return self._keys[number]
        return bytes(self._keys[number * self._width : (number + 1) * self._width])

    def __iter__(self) -> Iterator[Hashable]:
        """Every key, in the order of their numbers."""
        return (self.key(number) for number in range(self._count))

    def _slot(self, key: Hashable) -> int:
        """The slot holding ``key``, else the empty slot where it would go."""
        slots, mask = self._slots, len(self._slots) - 1
        at = hash(key) & mask
        while True:
            number = slots[at]
            if number == _EMPTY or self.key(number) == key:
                return at
            at = (at + 1) & mask

    def number(self, key: Hashable) -> int | None:
        """``key``'s number, None if it was never added."""
        number = self._slots[self._slot(key)]
        return None if number == _EMPTY else number

    def _check_width(self, key: Hashable) -> None:
        if self._width is not None and len(key) != self._width:
            raise ValueError(f"key of {len(key)} bytes in a numbering of {self._width}-byte keys")

    def add(self, key: Hashable) -> int:
        """``key``'s number, given now if it has none."""
        at = self._slot(key)
        number = self._slots[at]
        if number != _EMPTY:
            return number
        self._check_width(key)
        if self._width is None:
            self._keys.append(key)
        else:
            self._keys += key
        number, self._count = self._count, self._count + 1
        self._slots[at] = number
        if 2 * self._count > len(self._slots):
            self._rehash(2 * len(self._slots))
        return number

    def extend(self, keys: Sequence[Hashable]) -> np.ndarray:
        """Each key's number (int64), as :meth:`add` of each in turn would give them: a key
        already numbered, or met earlier in ``keys``, keeps its number."""
        items = _objects(keys)
        if self._width is not None:  # refused before any key is numbered
            wrong = next((key for key in keys if len(key) != self._width), None)
            if wrong is not None:
                self._check_width(wrong)
        hashes = np.fromiter(map(hash, keys), dtype=np.int64, count=len(items))
        numbers = self._find(items, hashes) if self._count else np.full(len(items), _EMPTY, dtype=np.int64)
        missing = np.flatnonzero(numbers == _EMPTY)
        if not len(missing):
            return numbers
        base = self._count
        if 2 * (base + len(missing)) > len(self._slots):
            self._rehash(_table_size(base + len(missing)))
        slots = np.frombuffer(self._slots, dtype=np.int32)
        owner = _claim(slots, hashes[missing], base, items[missing])
        first = np.flatnonzero(owner == np.arange(len(missing)))  # the new keys, in order of first sight
        number_of = np.full(len(missing), _EMPTY, dtype=np.int64)
        number_of[first] = np.arange(base, base + len(first))
        numbers[missing] = number_of[owner]
        claimed = slots >= base
        slots[claimed] = number_of[slots[claimed] - base]
        del slots  # the view: the table may be replaced below
        new = items[missing[first]].tolist()
        if self._width is None:
            self._keys.extend(new)
        else:
            self._keys += b"".join(new)
        self._count += len(new)
        if _table_size(self._count) < len(self._slots):  # keys repeated within the batch
            self._rehash(_table_size(self._count))
        return numbers

    def _find(self, items: np.ndarray, hashes: np.ndarray) -> np.ndarray:
        """The numbers of ``items`` (-1 for keys never added), all probed slot by slot together."""
        slots = np.frombuffer(self._slots, dtype=np.int32)
        mask = len(slots) - 1
        stored = _objects(self._keys) if self._width is None else None
        numbers = np.full(len(items), _EMPTY, dtype=np.int64)
        pending, at = np.arange(len(items)), hashes & mask
        while len(pending):
            held = slots[at]
            taken = held != _EMPTY
            pending, at, held = pending[taken], at[taken], held[taken]
            there = stored[held] if stored is not None else _objects([self.key(n) for n in held.tolist()])
            same = items[pending] == there
            numbers[pending[same]] = held[same]
            pending, at = pending[~same], (at[~same] + 1) & mask
        return numbers

    def _rehash(self, size: int) -> None:
        """A table of ``size`` slots with every key placed again."""
        self._slots = array("i", [_EMPTY]) * size
        if self._count:
            hashes = np.fromiter(map(hash, self), dtype=np.int64, count=self._count)
            _claim(np.frombuffer(self._slots, dtype=np.int32), hashes, 0, None)


def _objects(keys: Sequence[Hashable]) -> np.ndarray:
    """``keys`` as a one-dimensional array of objects (a tuple stays one element)."""
    return np.fromiter(keys, dtype=object, count=len(keys))


def _table_size(count: int) -> int:
    """Slots of the table :meth:`Numbering.add` keeps for ``count`` keys (at most half full)."""
    size = 8
    while 2 * count > size:
        size *= 2
    return size


def _claim(slots: np.ndarray, hashes: np.ndarray, base: int, items: np.ndarray | None) -> np.ndarray:
    """Place keys ``0…len(hashes)-1`` in ``slots``, key ``i`` as the value ``base + i``;
    values below ``base`` are keys placed before, none equal to these. Returns each key's
    owner: itself, or the first key equal to it (``items``: the keys; None: all distinct).

    Round by round every pending key looks at its slot: a free slot goes to the first
    key there (equal keys probe together, so that is the first of them), a key at a
    slot held by an equal key is that key's, and the others move one slot on. A key
    thus moves only past taken slots, the rule of linear probing."""
    mask = len(slots) - 1
    owner = np.arange(len(hashes))
    pending, at = np.arange(len(hashes)), hashes & mask
    while len(pending):
        free = slots[at] == _EMPTY
        if free.any():
            spots = at[free]
            slots[spots] = _CLAIMED
            np.minimum.at(slots, spots, (base + pending[free]).astype(np.int32))
        held = slots[at].astype(np.int64) - base
        done = held == pending
        if items is not None:
            maybe = np.flatnonzero((held >= 0) & ~done)
            maybe = maybe[hashes[held[maybe]] == hashes[pending[maybe]]]
            done[maybe[items[pending[maybe]] == items[held[maybe]]]] = True
        owner[pending[done]] = held[done]
        pending, at = pending[~done], (at[~done] + 1) & mask
    return owner
