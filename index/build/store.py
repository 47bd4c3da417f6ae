"""Where an index lives on disk, and how it is swapped and locked.

Layout of an index folder::

    INDEX/
      CURRENT            name of the live generation, replaced atomically
      write.lock         flock()ed by the one process that writes
      gen-000001/        a Whoosh index + manifest.json (sources, file fingerprints)

Readers read ``CURRENT`` and open that generation. ``index add`` writes into the live
generation (a Whoosh commit is atomic: the new table of contents is written last);
``index rebuild`` fills a new generation and swaps ``CURRENT`` only when it is
complete, so the old index answers queries until then and survives a crash.
The write lock is an ``flock``: the kernel releases it when its process dies, so a
killed writer never leaves a lock that blocks the next one.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

from index.errors import IndexBusy, IndexMissing, IndexUnreadable
from index.schema import SCHEMA_VERSION, build_schema

ENV_VAR = "SEARCH_INDEX"
APP_NAME = "arabic-news-search"
MANIFEST = "manifest.json"
#: How often a reader follows a generation swap before giving up (each swap is a rebuild).
SWAP_RETRIES = 5
_VERSION_HEAD = re.compile(rb'\{"schema_version": (\d+)[,}]')


def default_location() -> Path:
    """``$SEARCH_INDEX`` if set, else ``index`` in the per-user data directory."""
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR])
    from platformdirs import user_data_path

    return user_data_path(APP_NAME) / "index"


def _damaged(root: Path, exc: Exception) -> IndexUnreadable:
    return IndexUnreadable(
        f"the index at {root} is damaged ({type(exc).__name__}): run `search index rebuild`"
    )


def _no_manifest(root: Path) -> str:
    return (
        f"the index at {root} has lost its list of sources ({MANIFEST}), so it cannot be "
        "rebuilt: index your folders again with `search index add PATH --index NEW-FOLDER`"
    )


#: File descriptors of write locks this process holds (see :func:`_drop_locks_in_child`).
_HELD_LOCKS: set[int] = set()


def _drop_locks_in_child() -> None:
    """A forked child (Whoosh's multiprocess writer) closes its copies of held lock files.

    flock() belongs to the open file, which a fork shares: without this, a sub-process
    left behind by a killed writer would keep the index locked forever. Closing the
    child's descriptor leaves the parent's lock in place.
    """
    for fd in list(_HELD_LOCKS):
        try:
            os.close(fd)
        except OSError:
            pass
    _HELD_LOCKS.clear()


os.register_at_fork(after_in_child=_drop_locks_in_child)


def empty_manifest() -> dict:
    return {"schema_version": SCHEMA_VERSION, "roots": [], "files": {}}


def _write_atomically(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


class Store:
    """One index folder: its live generation, manifest and write lock."""

    def __init__(self, root: Path | str):
        self.root = Path(root).expanduser()

    # -- reading -------------------------------------------------------------

    def live_generation(self) -> Path | None:
        try:
            name = (self.root / "CURRENT").read_text(encoding="utf-8").strip()
        except (FileNotFoundError, NotADirectoryError):
            return None
        return self.root / name if name else None

    def exists(self) -> bool:
        return self.live_generation() is not None

    def open_index(self, gen: Path | None = None, any_version: bool = False):
        """Open the live Whoosh index (or ``gen``) for reading, or raise a one-line, actionable error.

        ``any_version``: open an index of another schema version too, for what every
        version stores alike (a rebuild carrying over documents added from code)."""
        from index.whoosh_ext.mapped import MappedStorage  # segment files stay in the map, uncopied

        gen = gen or self.live_generation()
        if gen is None:
            raise IndexMissing(
                f"no index at {self.root}: create one with `search index add PATH`"
            )
        if not any_version and self.schema_version(gen) != SCHEMA_VERSION:
            raise IndexUnreadable(
                f"the index at {self.root} was written by another version: "
                "run `search index rebuild`"
            )
        try:
            ix = MappedStorage(str(gen)).open_index()
            # Opening a reader opens every segment file: a truncated or missing one
            # fails here, not later in the middle of a writer's merge.
            ix.reader().close()
            return ix
        except Exception as exc:  # Whoosh raises many kinds for a damaged folder
            raise _damaged(self.root, exc) from exc

    def schema_version(self, gen: Path) -> int | None:
        """The schema version in ``gen``'s manifest, from its first bytes when it leads
        (as :meth:`save_manifest` writes it): a query should not parse a manifest that
        lists every file and document."""
        try:
            with open(gen / MANIFEST, "rb") as handle:
                head = _VERSION_HEAD.match(handle.read(64))
        except OSError:
            head = None
        if head:
            return int(head.group(1))
        return self.read_manifest(gen).get("schema_version")

    def _open_live(self, opening):
        """``opening(ix)`` on the live Whoosh index, following a rebuild's swap.

        A rebuild may swap ``CURRENT`` and delete the old generation between our
        reading ``CURRENT`` and opening the files it names; when that is why opening
        failed, open the new generation instead. A damaged segment file fails here,
        when ``opening`` opens it, so it gets the same one-line error as a damaged
        table of contents.
        """
        for _ in range(SWAP_RETRIES):
            gen = self.live_generation()
            try:
                ix = self.open_index(gen)
                try:
                    return opening(ix)
                except Exception as exc:
                    raise _damaged(self.root, exc) from exc
            except IndexUnreadable:
                if self.live_generation() == gen:
                    raise
        raise IndexBusy(f"the index at {self.root} is being rebuilt repeatedly: try again")

    def open_searcher(self, **kwargs):
        """An open Whoosh searcher on the live generation; the caller closes it."""
        return self._open_live(lambda ix: ix.searcher(**kwargs))

    def open_live_reader(self):
        """``(ix, reader)``: the live Whoosh index and an open reader of it; the caller
        closes the reader (a shard of a sharded index, :mod:`index.build.shards`)."""
        return self._open_live(lambda ix: (ix, ix.reader()))

    @contextlib.contextmanager
    def searcher(self, **kwargs) -> Iterator:
        """:meth:`open_searcher`, closed when the block ends."""
        with self.open_searcher(**kwargs) as searcher:
            yield searcher

    def size_bytes(self) -> int:
        """Bytes on disk under the folder; files a concurrent rebuild deletes are skipped."""
        total = 0
        for folder, _, files in os.walk(self.root):
            for name in files:
                with contextlib.suppress(FileNotFoundError):
                    total += os.stat(os.path.join(folder, name)).st_size
        return total

    def read_manifest(self, gen: Path | None = None, strict: bool = False) -> dict:
        """The generation's manifest; ``strict`` raises instead of guessing when it is
        missing or unreadable (a rebuild must not mistake "unknown" for "no sources")."""
        gen = gen or self.live_generation()
        if gen is None:
            return empty_manifest()
        try:
            return json.loads((gen / MANIFEST).read_text(encoding="utf-8"))
        except FileNotFoundError:
            if strict:
                raise IndexUnreadable(_no_manifest(self.root)) from None
            return empty_manifest()
        except (OSError, ValueError):
            if strict:
                raise IndexUnreadable(_no_manifest(self.root)) from None
            return {"schema_version": None, "roots": [], "files": {}}

    # -- writing -------------------------------------------------------------

    @contextlib.contextmanager
    def write_lock(self, wait: float = 600.0, on_wait=None) -> Iterator[None]:
        """Hold the folder's write lock; wait up to ``wait`` seconds for another writer."""
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / "write.lock", "a+") as handle:
            deadline = time.monotonic() + wait
            told = False
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise IndexBusy(
                            f"another process is writing the index at {self.root}: "
                            "try again when it has finished"
                        ) from None
                    if on_wait and not told:
                        on_wait()
                        told = True
                    time.sleep(0.2)
            _HELD_LOCKS.add(handle.fileno())
            try:
                yield
            finally:
                _HELD_LOCKS.discard(handle.fileno())
                fcntl.flock(handle, fcntl.LOCK_UN)

    def new_generation(self):
        """Create an empty Whoosh index in a fresh generation folder (lock held)."""
        from index.whoosh_ext.mapped import MappedStorage

        numbers = [int(p.name[4:]) for p in self.root.glob("gen-*") if p.name[4:].isdigit()]
        gen = self.root / f"gen-{max(numbers, default=0) + 1:06d}"
        gen.mkdir(parents=True)
        return gen, MappedStorage(str(gen)).create_index(build_schema())

    def save_manifest(self, gen: Path, manifest: dict) -> None:
        manifest["schema_version"] = SCHEMA_VERSION
        ordered = {"schema_version": SCHEMA_VERSION, **manifest}  # first: see schema_version()
        _write_atomically(gen / MANIFEST, json.dumps(ordered, ensure_ascii=False))

    def publish(self, gen: Path) -> None:
        """Make ``gen`` the live generation atomically, then delete the others."""
        _write_atomically(self.root / "CURRENT", gen.name + "\n")
        self.remove_stale_generations()

    def remove_stale_generations(self) -> None:
        """Delete generation folders that are not live (left by a rebuild that was killed)."""
        live = self.live_generation()
        for gen in self.root.glob("gen-*"):
            if gen != live:
                shutil.rmtree(gen, ignore_errors=True)
