"""The sharded index folder, as every helper writes and reads it::

    INDEX/
      shards.json      {"format": 1, "shards": N, "hash": "blake2b-64"}
      shard-00/        a complete index (index.build.store.Store), one per shard
      shard-01/ ...

A folder without ``shards.json`` is one shard: the folder itself. A document lives in
shard :func:`shard_of` of its id, so later adds and replacements find it again.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from index.errors import IndexUnreadable

SHARDS_FILE = "shards.json"
HASH = "blake2b-64"


def shard_of(doc_id: str, shards: int) -> int:
    """The shard of a document: a stable hash of its id, the same in every process."""
    digest = hashlib.blake2b(doc_id.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") % shards


def shard_count(root: Path) -> int | None:
    """How many shards the index at ``root`` has; None when it is one plain index."""
    try:
        meta = json.loads((root / SHARDS_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise IndexUnreadable(f"the shard map {root / SHARDS_FILE} is unreadable ({exc}): restore it") from None
    if meta.get("format") != 1 or meta.get("hash") != HASH or not isinstance(meta.get("shards"), int):
        raise IndexUnreadable(f"the shard map {root / SHARDS_FILE} is of another version: upgrade search")
    return meta["shards"]


def shard_folders(root: Path) -> list[Path]:
    """Every shard's folder, in shard order (the folder itself for a plain index)."""
    count = shard_count(root)
    return [root] if count is None else [root / f"shard-{k:02d}" for k in range(count)]


def create(root: Path, shards: int) -> list[Path]:
    """Write the shard map of a new ``shards``-shard index, atomically; the caller made
    the shards first, so a folder with a map always names shards that can be opened."""
    if shards < 1:
        raise ValueError("an index has at least one shard")
    root.mkdir(parents=True, exist_ok=True)
    tmp = root / (SHARDS_FILE + ".tmp")
    tmp.write_text(json.dumps({"format": 1, "shards": shards, "hash": HASH}), encoding="utf-8")
    os.replace(tmp, root / SHARDS_FILE)
    return shard_folders(root)
