"""Which files hold each document of a writing session (:class:`index.build.batch.Batch`).

Almost every document is held by one file, and the files' keys are a few shared
strings; a set per document (216 bytes empty) was most of what the session kept per
document. The common case is therefore the key itself, a set only for a document that
several files hold (duplicates) or none any more (let go of, until the session settles).
"""

from __future__ import annotations


class Holders:
    """Document id → the manifest keys (files) that hold it.

    A document is known from its first :meth:`add` until :meth:`pop`, even when every
    file has let go of it (:meth:`discard`): the session settles those at its end."""

    def __init__(self) -> None:
        self._held: dict[str, str | set[str]] = {}

    def __contains__(self, doc_id: str) -> bool:
        return doc_id in self._held

    def of(self, doc_id: str) -> set[str]:
        """The keys holding ``doc_id`` (a new set: changing it changes nothing here)."""
        value = self._held.get(doc_id)
        if value is None:
            return set()
        return {value} if isinstance(value, str) else set(value)

    def held(self, doc_id: str) -> bool:
        """Whether any file holds ``doc_id``."""
        return bool(self._held.get(doc_id))

    def held_elsewhere(self, doc_id: str, key: str) -> bool:
        """Whether a file other than ``key`` holds ``doc_id``."""
        value = self._held.get(doc_id)
        if value is None:
            return False
        if isinstance(value, str):
            return value != key
        return any(other != key for other in value)

    def add(self, doc_id: str, key: str) -> None:
        """``key`` holds ``doc_id`` (again)."""
        value = self._held.get(doc_id)
        if value is None:
            self._held[doc_id] = key
        elif isinstance(value, str):
            if value != key:
                self._held[doc_id] = {value, key}
        else:
            value.add(key)

    def discard(self, doc_id: str, key: str) -> None:
        """``key`` no longer holds ``doc_id``; the document stays known (see the class)."""
        value = self._held.get(doc_id)
        if isinstance(value, str):
            if value == key:
                self._held[doc_id] = set()
        elif value is not None:
            value.discard(key)

    def pop(self, doc_id: str) -> None:
        """Forget ``doc_id``."""
        self._held.pop(doc_id, None)
