"""Where the shards of an index are (``shards.json``), which shard holds a document
(:func:`shard_of`), and every shard read as one index (:class:`Shards`); the package
docstring describes the layout."""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

from index.build.store import Store, _write_atomically
from index.errors import IndexMissing, IndexUnreadable, InvalidOption

SHARDS_FILE = "shards.json"
FORMAT = 1
HASH = "blake2b-64"


def shard_of(doc_id: str, shards: int) -> int:
    """The shard of the document ``doc_id`` in an index of ``shards`` shards: the first
    8 bytes of its BLAKE2b hash, big-endian, modulo ``shards`` (stable across processes,
    machines and Python versions, unlike ``hash()``)."""
    return int.from_bytes(hashlib.blake2b(doc_id.encode("utf-8"), digest_size=8).digest(), "big") % shards


def shard_folder(root: Path, shard: int) -> Path:
    """Where shard ``shard`` of the sharded index at ``root`` lives."""
    return root / f"shard-{shard:02d}"


class ShardMap:
    """An index folder's ``shards.json``: how many shards, and where each is."""

    def __init__(self, root: Path | str):
        self.root = Path(root).expanduser()
        self.path = self.root / SHARDS_FILE

    def count(self) -> int | None:
        """The number of shards ``shards.json`` gives, None without one (an unsharded index)."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            raise IndexUnreadable(f"{self.path} cannot be read ({type(exc).__name__}): restore it or index again") from None
        known = isinstance(data, dict) and data.get("format") == FORMAT and data.get("hash") == HASH
        shards = data.get("shards") if known else None
        if type(shards) is not int or shards < 1:
            raise IndexUnreadable(f"{self.path} is not a shard map this version reads: index again into a new folder")
        return shards

    def create(self, shards: int) -> None:
        """Write ``shards.json`` for ``shards`` shards (the caller holds the write lock)."""
        self.root.mkdir(parents=True, exist_ok=True)
        _write_atomically(self.path, json.dumps({"format": FORMAT, "shards": shards, "hash": HASH}))

    def folders(self) -> list[Path]:
        """Every shard's folder, in shard order: the index folder itself when unsharded."""
        count = self.count()
        return [self.root] if count is None else [shard_folder(self.root, k) for k in range(count)]


def check_count(wanted: int | None) -> None:
    """Refuse a shard count that cannot be made (one line)."""
    if wanted is not None and not 1 <= wanted <= 256:
        raise InvalidOption(f"--shards {wanted}: give a number of shards from 1 to 256")


class Shards:
    """Every shard of one index folder, read as one index.

    ``wanted``: the number of shards asked for (``--shards``); an existing index with
    another number refuses it, a new one is made with it when first written
    (:meth:`prepare`, under the write lock). 1, like no number, is today's layout.
    """

    def __init__(self, root: Path | str, wanted: int | None = None):
        check_count(wanted)
        self.root = Path(root).expanduser()
        self.map = ShardMap(self.root)
        self.wanted = wanted
        self.lock_store = Store(self.root)
        #: The shards' stores once a shard map has been read: it is never rewritten, so a
        #: query need not read it again (an index without one may yet become sharded).
        self._sharded: list[Store] | None = None
        if self.root_exists():
            self.check_wanted()

    def root_exists(self) -> bool:
        return self.map.path.exists() or self.lock_store.exists()

    def check_wanted(self) -> None:
        """Raise when the index exists with another number of shards than asked for."""
        have = self.count()
        if self.wanted is not None and self.root_exists() and have != self.wanted:
            raise InvalidOption(
                f"the index at {self.root} has {have} shard{'s' if have != 1 else ''}, not {self.wanted}: "
                f"leave out --shards (or give --shards {have}), or index into a new folder"
            )

    def count(self) -> int:
        return self.map.count() or 1

    def stores(self) -> list[Store]:
        """Every shard's store, in shard order (the index folder's own when unsharded)."""
        if self._sharded is not None:
            return self._sharded
        stores = [Store(folder) for folder in self.map.folders()]
        if len(stores) > 1:
            self._sharded = stores
        return stores

    def prepare(self) -> list[Store]:
        """The stores to write, making ``shards.json`` first for a new sharded index
        (the caller holds the write lock)."""
        self.check_wanted()
        if not self.root_exists() and (self.wanted or 1) > 1:
            self.map.create(self.wanted)
        return self.stores()

    # -- reading ------------------------------------------------------------

    def exists(self) -> bool:
        return any(store.exists() for store in self.stores())

    def live_generation(self) -> tuple[Path | None, ...]:
        """Every shard's live generation: a change of any is a rebuild to follow."""
        return tuple(store.live_generation() for store in self.stores())

    def read_manifest(self) -> dict:
        """The index-wide manifest: every shard's part joined (:func:`merge_manifests`)."""
        from index.build.shards.state import merge_manifests  # it routes by shard_of, defined here

        stores = self.stores()
        if len(stores) == 1:
            return stores[0].read_manifest()
        return merge_manifests([store.read_manifest() for store in stores])

    def size_bytes(self) -> int:
        return self.lock_store.size_bytes()

    def open_searcher(self, **kwargs):
        """One open Whoosh searcher over every shard's segments; the caller closes it.

        One shard is opened as before. Several are one :class:`whoosh.reading.MultiReader`
        over all their segments, as Whoosh reads one index of many segments: document
        counts, frequencies and field lengths are summed over all shards, so every score
        is the one index's. A shard not yet written (a first build stopped before it
        was published) holds no documents; no shard written at all is no index.
        """
        stores = self.stores()
        if len(stores) == 1:
            return stores[0].open_searcher(**kwargs)
        from index.build.shards.searcher import ShardSearcher

        opened = [store.open_live_reader() for store in stores if store.exists()]
        if not opened:
            raise IndexMissing(f"no index at {self.root}: create one with `search index add PATH`")
        return ShardSearcher.over(opened, **kwargs)

    @contextlib.contextmanager
    def searcher(self, **kwargs) -> Iterator:
        """:meth:`open_searcher`, closed when the block ends."""
        with self.open_searcher(**kwargs) as searcher:
            yield searcher
