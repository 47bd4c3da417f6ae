"""MinHash signatures and body keys computed ahead of the writes, in a helper process.

A large first build is paced by its parent process: it reads every record, analyzes
its words and hands it to the forked writers (:mod:`index.whoosh_ext.parallel`). Each
document's story (:mod:`index.build.copies`) must be known before it is handed over,
so the writers cannot find it; but its signature, most of that work, depends on no
other document. A helper process signs the next block of records while the parent
writes the current one, and the parent only compares signatures
(benchmarks/copies.md measures the difference). The body's duplicate key
(:func:`index.ingest.duplicates.body_key`) is taken over the same normalized words, so
the helper returns it too: the parent no longer normalizes and splits each body for it
(benchmarks/README.md, "Small builds").

The helper is a fresh interpreter that imports only numpy and the copy finder (about
30 MB), not a fork of the parent: a forked helper's resident size counts the pages it
shares with the parent a second time in the build's memory (~70 MB of the setting
spent on nothing; benchmarks/README.md, "Build memory"). It is started by its command
line, not by ``multiprocessing``'s "spawn", which would import the caller's main
module again (a user's script without a ``__main__`` guard would run twice), and in a
session of its own, so a Ctrl-C at the terminal is the parent's to report.
"""

from __future__ import annotations

import itertools
import multiprocessing
import queue
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TypeVar

import numpy as np

from index.build.copies import CopyFinder, CopySettings
from index.errors import BuildFailed
from index.ingest.duplicates import body_words, words_key

#: Records signed per message to the helper: enough to make pickling them worth it,
#: few enough that the first block is soon ready. A block's signatures and keys
#: (64 × (128 + 20) bytes) fit in the socket's buffer, so the helper's answer never
#: waits for the parent.
BLOCK = 64
#: Blocks sent before the first one's answer is read. A block of bodies (~200 KB) does
#: not fit in the socket's buffer, so a send returns only once the helper reads it: sent
#: from the caller's thread one block ahead, the parent of a 6,000-article build waited
#: ~1 s on the helper, each send until it had signed the block before. A sending thread
#: and a few blocks in flight let the helper run ahead while the parent is busy
#: (benchmarks/README.md, "Small builds").
AHEAD = 4

#: What the parent says when the helper stopped without an answer.
HELPER_DIED = "the process signing documents for the copy finder stopped"

Item = TypeVar("Item")

#: The helper's command: the package's folder first on its path, whether installed or not.
_SERVE = "import sys; sys.path.insert(0, sys.argv[1]); from index.build.signer import serve; serve(int(sys.argv[2]))"


#: A body's signature (empty for a text too short to compare) and its duplicate key.
Signed = tuple[np.ndarray, str | None]


def _sign(finder: CopyFinder, bodies: list[str | None]) -> list[Signed | None]:
    """Signature and key of each of ``bodies`` (None for no text)."""
    empty = np.zeros(0, dtype=np.uint16)
    out: list[Signed | None] = []
    for body in bodies:
        if body is None:
            out.append(None)
            continue
        words = body_words(body)
        signature = finder.signature_of_words(words)
        out.append((empty if signature is None else signature, words_key(words)))
    return out


def serve(fd: int) -> None:
    """The helper's loop: settings first, then blocks of bodies until None or the end.

    One finder for the whole build, for its memo of word hashes and its permutations;
    an error goes back as one line for the parent to raise."""
    connection = Connection(fd)
    try:
        finder = CopyFinder(connection.recv())
        while (bodies := connection.recv()) is not None:
            connection.send(_sign(finder, bodies))
    except (EOFError, OSError):  # the parent is gone
        return
    except Exception as error:  # noqa: BLE001 - any failure is reported, not lost
        try:
            connection.send(f"{type(error).__name__}: {error}")
        except OSError:
            pass


class Signer:
    """One helper process signing records a block ahead of the caller.

    :meth:`close` when done, :meth:`cancel` on an error or Ctrl-C."""

    def __init__(self, settings: CopySettings):
        self.connection, theirs = multiprocessing.Pipe()
        root = str(Path(__file__).resolve().parents[2])
        self.process = subprocess.Popen(
            [sys.executable, "-c", _SERVE, root, str(theirs.fileno())],
            pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL, start_new_session=True,
        )
        theirs.close()
        self.connection.send(settings)
        #: Blocks of bodies for the sending thread; None, the last, tells the helper to stop.
        self._outbox: queue.Queue = queue.Queue(AHEAD)
        self._sending = threading.Thread(target=self._send_all, name="signer-send", daemon=True)
        self._sending.start()

    def _send_all(self) -> None:
        """The sending thread: every block in turn, until None (or the helper is gone,
        which the caller learns from its next answer)."""
        while True:
            bodies = self._outbox.get()
            try:
                self.connection.send(bodies)
            except OSError:
                return
            if bodies is None:
                return

    def ahead(self, items: Iterable[Item], body: Callable[[Item], str | None]) -> Iterator[tuple[Item, Signed | None]]:
        """``items`` each with the signature and key of ``body(item)`` (None where there is
        no body), the next blocks being signed while the caller handles this one."""
        iterator = iter(items)
        pending: deque[list] = deque()
        while block := list(itertools.islice(iterator, BLOCK)):
            self._send([body(item) for item in block])
            pending.append(block)
            if len(pending) > AHEAD:
                yield from self._ready(pending.popleft())
        while pending:
            yield from self._ready(pending.popleft())

    def _send(self, bodies: list[str | None] | None) -> None:
        """Hand ``bodies`` to the sending thread, failing if it has stopped (the helper is gone)."""
        while True:
            if not self._sending.is_alive():
                raise self._failed()
            try:
                self._outbox.put(bodies, timeout=1.0)
                return
            except queue.Full:
                continue

    def _ready(self, block: list) -> Iterator[tuple[object, Signed | None]]:
        try:
            signed = self.connection.recv()
        except (EOFError, OSError):
            raise self._failed() from None
        if isinstance(signed, str):
            raise self._failed(signed)
        yield from zip(block, signed)

    def _failed(self, why: str | None = None) -> BuildFailed:
        self.cancel()
        return BuildFailed.because(why or HELPER_DIED)

    def close(self) -> None:
        """Tell the helper the build is done and wait for it."""
        try:
            self._send(None)
        except BuildFailed:  # the helper is gone: nothing to tell it
            pass
        self._sending.join()
        self.connection.close()
        self.process.wait()

    def cancel(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.connection.close()  # the sending thread's next send fails: it stops
        self.process.wait()
