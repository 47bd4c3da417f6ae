"""Which files hold each document of a writing session (:class:`index.build.batch.Batch`),
and which documents the session wrote.

Almost every document is held by one file, and the files' keys are a few shared
strings. Each document id is numbered once (:class:`index.build.numbering.Numbering`);
per number the session keeps the number of the file holding it (a set only for a
document that several files hold, in a small dict) and a written flag: about 25 bytes
a document, where a dict and a set keyed by the id cost over 100
(benchmarks/README.md, "Build memory").
"""

from __future__ import annotations

from array import array
from collections.abc import Mapping

import numpy as np

from index.build.numbering import Numbering

#: Holder codes besides a file's number: held by nobody (let go of, until the session
#: settles), held by several files (see ``_many``), not known (never added, or popped).
_NOBODY, _MANY, _UNKNOWN = -1, -2, -3


class Holders:
    """Document id → the manifest keys (files) that hold it.

    A document is known from its first :meth:`add` until :meth:`pop`, even when every
    file has let go of it (:meth:`discard`): the session settles those at its end."""

    def __init__(self) -> None:
        self._ids = Numbering()
        self._holder = array("i")
        self._written = bytearray()
        self._files = Numbering()
        self._many: dict[int, set[str]] = {}
        #: The ids the session wrote (:class:`Written`).
        self.written = Written(self)
        #: :meth:`add` calls for a file that already held the document (a file listing
        #: an id twice): while it stays the same, a file's ids need no de-duplication.
        self.again = 0

    @classmethod
    def of_files(cls, files: Mapping[str, dict]) -> Holders:
        """The holders of the manifest's ``files`` (key → entry listing its ``ids``), as
        :meth:`add` of each id in turn: ids numbered at once (:meth:`Numbering.extend`), and
        only an id that several entries list (a duplicate) added again one at a time."""
        holders = cls()
        listing = [(key, entry["ids"]) for key, entry in files.items() if entry["ids"]]
        ids = [doc_id for _, listed in listing for doc_id in listed]
        numbers = holders._ids.extend(ids)
        file_of = np.repeat(holders._files.extend([key for key, _ in listing]), [len(listed) for _, listed in listing])
        holders._holder.frombytes(np.full(len(holders._ids), _UNKNOWN, dtype=np.int32).tobytes())
        holders._written.extend(bytes(len(holders._ids)))
        once = np.zeros(len(ids), dtype=bool)
        once[np.unique(numbers, return_index=True)[1]] = True  # each id's first listing
        holder = np.frombuffer(holders._holder, dtype=np.int32)
        holder[numbers[once]] = file_of[once]
        del holder  # the view: the array grows later
        for at in np.flatnonzero(~once).tolist():
            holders.add(ids[at], holders._files.key(int(file_of[at])))
        return holders

    def _number(self, doc_id: str) -> int:
        number = self._ids.add(doc_id)
        if number == len(self._holder):
            self._holder.append(_UNKNOWN)
            self._written.append(0)
        return number

    def _code(self, doc_id: str) -> tuple[int | None, int]:
        number = self._ids.number(doc_id)
        return number, (_UNKNOWN if number is None else self._holder[number])

    def __contains__(self, doc_id: str) -> bool:
        return self._code(doc_id)[1] != _UNKNOWN

    def of(self, doc_id: str) -> set[str]:
        """The keys holding ``doc_id`` (a new set: changing it changes nothing here)."""
        number, code = self._code(doc_id)
        if code >= 0:
            return {self._files.key(code)}
        return set(self._many[number]) if code == _MANY else set()

    def held(self, doc_id: str) -> bool:
        """Whether any file holds ``doc_id``."""
        number, code = self._code(doc_id)
        return code >= 0 or (code == _MANY and bool(self._many[number]))

    def held_elsewhere(self, doc_id: str, key: str) -> bool:
        """Whether a file other than ``key`` holds ``doc_id``."""
        number, code = self._code(doc_id)
        if code >= 0:
            return self._files.key(code) != key
        return code == _MANY and any(other != key for other in self._many[number])

    def add(self, doc_id: str, key: str) -> None:
        """``key`` holds ``doc_id`` (again)."""
        number = self._number(doc_id)
        code, file = self._holder[number], self._files.add(key)
        if code in (_UNKNOWN, _NOBODY):
            self._holder[number] = file
        elif code == _MANY:
            self.again += key in self._many[number]
            self._many[number].add(key)
        elif code == file:
            self.again += 1
        else:
            self._holder[number] = _MANY
            self._many[number] = {self._files.key(code), key}

    def discard(self, doc_id: str, key: str) -> None:
        """``key`` no longer holds ``doc_id``; the document stays known (see the class)."""
        number, code = self._code(doc_id)
        if code >= 0 and self._files.key(code) == key:
            self._holder[number] = _NOBODY
        elif code == _MANY:
            self._many[number].discard(key)

    def pop(self, doc_id: str) -> None:
        """Forget ``doc_id`` (whether it was written is kept)."""
        number = self._ids.number(doc_id)
        if number is not None:
            self._holder[number] = _UNKNOWN
            self._many.pop(number, None)

    def was_written(self, doc_id: str) -> bool:
        """Whether :meth:`mark_written` was called for ``doc_id``."""
        number = self._ids.number(doc_id)
        return number is not None and bool(self._written[number])

    def mark_written(self, doc_id: str) -> None:
        """The session wrote ``doc_id`` (known or not)."""
        self._written[self._number(doc_id)] = 1

    def written_count(self) -> int:
        return len(self._written) - self._written.count(0)


class Written:
    """The set of ids a session wrote (``in``, ``add``, ``len``), kept as flags in its :class:`Holders`."""

    def __init__(self, holders: Holders) -> None:
        self._holders = holders

    def __contains__(self, doc_id: str) -> bool:
        return self._holders.was_written(doc_id)

    def add(self, doc_id: str) -> None:
        self._holders.mark_written(doc_id)

    def __len__(self) -> int:
        return self._holders.written_count()
