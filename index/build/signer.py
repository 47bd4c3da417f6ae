"""MinHash signatures computed ahead of the writes, in a helper process.

A large first build is paced by its parent process: it reads every record, analyzes
its words and hands it to the forked writers (:mod:`index.whoosh_ext.parallel`). Each
document's story (:mod:`index.build.copies`) must be known before it is handed over,
so the writers cannot find it; but its signature, most of that work, depends on no
other document. A helper process signs the next block of records while the parent
writes the current one, and the parent only compares signatures
(benchmarks/copies.md measures the difference).
"""

from __future__ import annotations

import functools
import itertools
import multiprocessing
import signal
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

import numpy as np

from index.build.copies import CopyFinder, CopySettings

#: Records signed per message to the helper: enough to make pickling them worth it,
#: few enough that the first block is soon ready.
BLOCK = 64

Item = TypeVar("Item")


def _ignore_interrupt() -> None:
    """In the helper: Ctrl-C is the parent's to report (one line), not a traceback here."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@functools.lru_cache(maxsize=1)
def _finder(settings: CopySettings) -> CopyFinder:
    """The helper's finder, kept for its memo of word hashes and datasketch's permutations."""
    return CopyFinder(settings)


def _sign(settings: CopySettings, bodies: list[str | None]) -> list[np.ndarray]:
    """Signatures of ``bodies`` (empty for a text too short to compare or for no text)."""
    finder = _finder(settings)
    empty = np.zeros(0, dtype=np.uint16)
    out = []
    for body in bodies:
        signature = finder.signature(body) if body is not None else None
        out.append(empty if signature is None else signature)
    return out


class Signer:
    """One helper process signing records a block ahead of the caller.

    Made before any thread of the caller starts (it forks); :meth:`close` when done,
    :meth:`cancel` on an error or Ctrl-C."""

    def __init__(self, settings: CopySettings):
        self.settings = settings
        self.pool = multiprocessing.get_context("fork").Pool(1, initializer=_ignore_interrupt)

    def ahead(self, items: Iterable[Item], body: Callable[[Item], str | None]) -> Iterator[tuple[Item, np.ndarray | None]]:
        """``items`` each with the signature of ``body(item)`` (None where there is no body),
        the next block being signed while the caller handles this one."""
        iterator = iter(items)
        pending = None
        while block := list(itertools.islice(iterator, BLOCK)):
            bodies = [body(item) for item in block]
            signing = self.pool.apply_async(_sign, (self.settings, bodies))
            if pending is not None:
                yield from _ready(*pending)
            pending = (block, bodies, signing)
        if pending is not None:
            yield from _ready(*pending)

    def close(self) -> None:
        self.pool.close()
        self.pool.join()

    def cancel(self) -> None:
        self.pool.terminate()
        self.pool.join()


def _ready(block: list, bodies: list[str | None], signing) -> Iterator[tuple[object, np.ndarray | None]]:
    for item, text, signature in zip(block, bodies, signing.get()):
        yield item, (signature if text is not None else None)
