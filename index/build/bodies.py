"""Body key → the document that holds that body, for finding duplicates across files
(:class:`index.build.batch.Batch`; the keys are :func:`index.ingest.duplicates.body_key`).

The manifest keeps this map as a JSON object; during a session it is held here with
each key's 20 hex digits packed into 10 bytes (:class:`index.build.numbering.Numbering`)
and the ids in a list: about 30 bytes a document against 110 for a dict of hex strings
(benchmarks/README.md, "Build memory"). :meth:`BodyKeys.saved` gives the manifest's
object back, in the same order.
"""

from __future__ import annotations

from collections.abc import Callable

from index.build.numbering import Numbering

#: Bytes of a body key's digest (its hex digits halved).
_DIGEST = 10


def _packed(key: str) -> bytes | None:
    """``key``'s digest when it is 20 lowercase hex digits (as body keys are), else None."""
    if len(key) != 2 * _DIGEST:
        return None
    try:
        digest = bytes.fromhex(key)
    except ValueError:
        return None
    return digest if digest.hex() == key else None


def _all_packed(keys: list[str]) -> list[bytes] | None:
    """Every key's digest, as :func:`_packed` would give it, when all of them are body
    keys (checked on their concatenation, not key by key); else None."""
    if any(len(key) != 2 * _DIGEST for key in keys):
        return None
    joined = "".join(keys)
    try:
        packed = bytes.fromhex(joined)
    except ValueError:
        return None
    if packed.hex() != joined:  # upper case, or spaces that fromhex skips
        return None
    return [packed[at : at + _DIGEST] for at in range(0, len(packed), _DIGEST)]


class BodyKeys:
    """Body key → document id; a key whose id is dropped (:meth:`keep_only`) is gone."""

    def __init__(self, saved: dict[str, str] | None = None) -> None:
        self._digests = Numbering(_DIGEST)
        self._ids: list[str | None] = []
        #: Keys of another form (none written by this version), as they are.
        self._other: dict[str, str] = {}
        saved = saved or {}
        digests = _all_packed(list(saved))
        if digests is None:
            for key, doc_id in saved.items():
                self[key] = doc_id
        else:  # a dict's keys are distinct: numbered 0, 1, 2… at once (Numbering.extend)
            self._digests.extend(digests)
            self._ids = list(saved.values())

    def get(self, key: str) -> str | None:
        digest = _packed(key)
        if digest is None:
            return self._other.get(key)
        number = self._digests.number(digest)
        return None if number is None else self._ids[number]

    def __setitem__(self, key: str, doc_id: str) -> None:
        digest = _packed(key)
        if digest is None:
            self._other[key] = doc_id
            return
        number = self._digests.add(digest)
        if number == len(self._ids):
            self._ids.append(doc_id)
        else:
            self._ids[number] = doc_id

    def keep_only(self, keep: Callable[[str], bool]) -> None:
        """Drop every key whose document ``keep`` refuses."""
        for number, doc_id in enumerate(self._ids):
            if doc_id is not None and not keep(doc_id):
                self._ids[number] = None
        self._other = {key: doc_id for key, doc_id in self._other.items() if keep(doc_id)}

    def saved(self) -> dict[str, str]:
        """The map as the manifest keeps it: hex key → id, in the order keys were first set."""
        kept = {digest.hex(): doc_id for digest, doc_id in zip(self._digests, self._ids) if doc_id is not None}
        kept.update(self._other)
        return kept

    def __len__(self) -> int:
        return len(self._ids) - self._ids.count(None) + len(self._other)
