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

``hash()`` of a ``str`` differs between processes, which is fine: the table lives in
one process and is never saved.
"""

from __future__ import annotations

from array import array
from collections.abc import Hashable, Iterator

_EMPTY = -1


class Numbering:
    """Key → its number (0, 1, 2… in order of first :meth:`add`).

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

    def add(self, key: Hashable) -> int:
        """``key``'s number, given now if it has none."""
        at = self._slot(key)
        number = self._slots[at]
        if number != _EMPTY:
            return number
        if self._width is None:
            self._keys.append(key)
        elif len(key) == self._width:
            self._keys += key
        else:
            raise ValueError(f"key of {len(key)} bytes in a numbering of {self._width}-byte keys")
        number, self._count = self._count, self._count + 1
        self._slots[at] = number
        if 2 * self._count > len(self._slots):
            self._grow()
        return number

    def _grow(self) -> None:
        """Twice the slots, every key placed again (amortized: each key moves about twice)."""
        self._slots = array("i", [_EMPTY]) * (2 * len(self._slots))
        for number in range(self._count):
            self._slots[self._slot(self.key(number))] = number
