"""What is index-wide in a sharded index, split by shard on disk and joined to write.

An ``index add`` decides index-wide: a file is unchanged or not (its fingerprint), a
record duplicates an article of another file (the body key), an article is a copy of
another (its MinHash), wherever those documents live. Each shard keeps its documents'
part of that state in its own generation, by the routing rule of
:func:`index.build.shards.shard_of`, so that each shard folder is a complete index:

* manifest ``files``: each file's entry is kept in every shard holding one of its
  documents, with those documents' ids and the list of shards that hold its entry
  (``"shards"``); a file without documents is kept in the shard of its own path;
* manifest ``bodies`` (duplicate detection): in the shard of the document;
* manifest ``roots`` (what a rebuild re-reads): in every shard;
* ``copies.npz`` (:mod:`index.build.copies`): each document's row in its shard;
* ``analysis.cache``: a memo of word analyses, not state: each shard keeps what the
  session analyzed.

The shards are committed one after another; a session killed between two leaves a
file's entry at its new fingerprint in some shards and its old one (or none) in
others. :func:`merge_manifests` then marks the file changed, so the next add reads it
again and replaces its documents in every shard: nothing is lost or doubled.
"""

from __future__ import annotations

from index.build.shards.layout import shard_of

#: The parts of a file's entry that say whether the file changed since it was indexed.
_FINGERPRINT = ("size", "mtime_ns", "sha1", "source", "fields")


def merge_manifests(parts: list[dict]) -> dict:
    """The index-wide manifest of the shards' ``parts`` (in shard order)."""
    if len(parts) == 1:
        return parts[0]
    merged: dict = {"schema_version": None, "roots": [], "files": {}, "bodies": {}}
    versions = {part.get("schema_version") for part in parts}
    merged["schema_version"] = versions.pop() if len(versions) == 1 else None
    for part in parts:
        for root in part.get("roots", []):
            if root not in merged["roots"]:
                merged["roots"].append(root)
        merged["bodies"].update(part.get("bodies", {}))
    entries: dict[str, list[tuple[int, dict]]] = {}
    for shard, part in enumerate(parts):
        for key, entry in part.get("files", {}).items():
            entries.setdefault(key, []).append((shard, entry))
    for key, held in entries.items():
        merged["files"][key] = _joined(held)
    return merged


def _joined(held: list[tuple[int, dict]]) -> dict:
    """One file's entry from the shards that hold a part of it: its ids joined, its
    fingerprint dropped (the file is read again) when the parts disagree or a shard
    that should hold a part has none."""
    first = dict(held[0][1])
    first["ids"] = [doc_id for _, entry in held for doc_id in entry.get("ids", [])]
    expected = set().union(*(entry.get("shards", [shard]) for shard, entry in held))
    agree = all(tuple(e.get(f) for f in _FINGERPRINT) == tuple(first.get(f) for f in _FINGERPRINT) for _, e in held)
    if not agree or expected != {shard for shard, _ in held}:
        first["sha1"] = None
    first.pop("shards", None)
    return first


def split_manifest(manifest: dict, shards: int) -> list[dict]:
    """Each shard's part of the index-wide ``manifest`` (see the module docstring)."""
    if shards == 1:
        return [manifest]
    parts = [{"roots": list(manifest.get("roots", [])), "files": {}, "bodies": {}} for _ in range(shards)]
    for key, entry in manifest.get("files", {}).items():
        by_shard: dict[int, list[str]] = {}
        for doc_id in entry.get("ids", []):
            by_shard.setdefault(shard_of(doc_id, shards), []).append(doc_id)
        if not by_shard:
            by_shard[shard_of(key, shards)] = []
        holders = sorted(by_shard)
        for shard, ids in by_shard.items():
            parts[shard]["files"][key] = {**entry, "ids": ids, "shards": holders}
    for body, doc_id in manifest.get("bodies", {}).items():
        parts[shard_of(doc_id, shards)]["bodies"][body] = doc_id
    return parts


def merge_memos(memos: list[dict]) -> dict:
    """One memo of word analyses (analyzer key → form → term) from the shards' memos."""
    if len(memos) == 1:
        return memos[0]
    merged: dict = {}
    for memo in memos:
        for key, forms in memo.items():
            merged.setdefault(key, {}).update(forms)
    return merged
