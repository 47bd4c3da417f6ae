"""Syndicated copies: articles that share most of their text are one story.

An agency story reaches a collection many times: another paper's headline, a dateline
or byline added, a paragraph dropped, a few words changed. Each document gets a
``story`` key at index time, the id of the first document of its story, so a query
shows the best-ranked copy and lists the others under it for the price of one stored
field per hit.

The rule, and why:

* Texts are compared as sets of five-word shingles of the normalized body (letters
  folded as the index folds them, so spelling variants of one copy still meet). Five
  words keep a story's own sentences and drop the stock phrases all articles share.
* Two texts are copies when the Jaccard similarity of those sets is at least
  :attr:`CopySettings.threshold`: an added paragraph or a changed headline keeps
  them above it, two articles on the same event written by different hands fall below.
* Copies are published within :attr:`CopySettings.max_days` of each other when both
  are dated: a ministry's template statement reused a week later is another story.
* A document joins the story of the most similar earlier document, and stories never
  merge afterwards: keys stay stable as documents are added, and a chain of small
  edits cannot pull unrelated articles together.

datasketch computes the MinHash signatures (its estimate of the Jaccard similarity is
the share of equal signature slots). Candidates come from banding the signature
(locality-sensitive hashing): a document is compared only with those that share a band.
The bands and signatures are kept as sorted numpy arrays beside the index
(``copies.npz``) rather than as datasketch's in-memory ``MinHashLSH``, whose Python
objects per document would make every ``index add`` unpickle the whole collection.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index.analysis.normalize import normalize_text

_WORD = re.compile(r"[^\W_]+")
#: Multiplier of the polynomial that joins word hashes into a shingle or band hash.
_BASE = np.uint64(1_000_003)
_NO_DATE = -1


@dataclass(frozen=True)
class CopySettings:
    """How similar is similar enough (see the module docstring for why)."""

    #: Jaccard similarity of five-word shingle sets at or above which texts are copies.
    threshold: float = 0.5
    #: Copies are dated at most this many days apart (when both have a date).
    max_days: int = 3
    #: Words per shingle.
    shingle: int = 5
    #: MinHash slots, cut into ``bands`` bands: 16 bands of 4 slots make texts at the
    #: threshold share a band with probability about 2/3, and at 0.8 almost surely.
    permutations: int = 64
    bands: int = 16
    #: Texts with fewer words than this are never copies (too little to compare).
    min_words: int = 25


def shingle_hashes(text: str, size: int) -> np.ndarray:
    """The distinct 32-bit hashes of the ``size``-word shingles of normalized ``text``."""
    words = _WORD.findall(normalize_text(text))
    if len(words) < size:
        return np.zeros(0, dtype=np.uint64)
    h = np.fromiter((zlib.crc32(w.encode("utf-8")) for w in words), dtype=np.uint64, count=len(words))
    joined = np.zeros(len(words) - size + 1, dtype=np.uint64)
    for i in range(size):
        joined = joined * _BASE + h[i : len(h) - size + 1 + i]
    return np.unique(joined & np.uint64(0xFFFFFFFF))


def _band_hashes(signature: np.ndarray, bands: int) -> np.ndarray:
    """One hash per band of ``signature`` (rows of equal width), the band number mixed in."""
    rows = signature.astype(np.uint64).reshape(bands, -1)
    joined = np.arange(bands, dtype=np.uint64)
    for column in rows.T:
        joined = joined * _BASE + column
    return joined


class CopyFinder:
    """Every document's signature and story, with the bands that find its copies.

    :meth:`assign` gives a new document its story key; :meth:`forget` takes a deleted or
    replaced one out; :meth:`save`/:meth:`load` keep it in the generation folder, so an
    ``index add`` finds copies among the documents added before.
    """

    def __init__(self, settings: CopySettings | None = None):
        self.settings = settings or CopySettings()
        self.ids: list[str] = []
        self.stories: list[str] = []
        self.days = np.zeros(0, dtype=np.int64)
        self.signatures = np.zeros((0, self.settings.permutations), dtype=np.uint32)
        self.row: dict[str, int] = {}
        self.removed: set[int] = set()
        #: Bands of saved rows, sorted by hash (``_band_rows`` is the row of each).
        self._band_keys = np.zeros(0, dtype=np.uint64)
        self._band_rows = np.zeros(0, dtype=np.int64)
        #: Rows added since loading: band hash → rows, and their days and signatures.
        self._new_bands: dict[int, list[int]] = {}
        self._new_days: list[int] = []
        self._new_signatures: list[np.ndarray] = []

    def signature(self, body: str) -> np.ndarray | None:
        """The MinHash of ``body``'s shingles, or None for a text too short to compare."""
        from datasketch import MinHash  # writers only: queries never import it

        hashes = shingle_hashes(body, self.settings.shingle)
        if len(hashes) < max(1, self.settings.min_words - self.settings.shingle + 1):
            return None
        minhash = MinHash(num_perm=self.settings.permutations, hashfunc=int)
        minhash.update_batch(hashes.tolist())
        return minhash.hashvalues.astype(np.uint32)

    def _candidates(self, bands: np.ndarray) -> set[int]:
        found: set[int] = set()
        starts = np.searchsorted(self._band_keys, bands, side="left")
        ends = np.searchsorted(self._band_keys, bands, side="right")
        for start, end in zip(starts, ends):
            found.update(self._band_rows[start:end].tolist())
        for band in bands.tolist():
            found.update(self._new_bands.get(band, ()))
        return found - self.removed

    def _signature_of(self, row: int) -> np.ndarray:
        saved = len(self.signatures)
        return self.signatures[row] if row < saved else self._new_signatures[row - saved]

    def _day_of(self, row: int) -> int:
        saved = len(self.days)
        return int(self.days[row]) if row < saved else self._new_days[row - saved]

    def assign(self, doc_id: str, body: str, date: dt.date | None) -> str:
        """The story key of ``doc_id``: that of its most similar earlier copy, else its own id."""
        self.forget(doc_id)
        signature = self.signature(body)
        if signature is None:
            return doc_id
        day = date.toordinal() if date else _NO_DATE
        bands = _band_hashes(signature, self.settings.bands)
        story, best = doc_id, 0.0
        for row in sorted(self._candidates(bands)):
            other_day = self._day_of(row)
            if day != _NO_DATE and other_day != _NO_DATE and abs(day - other_day) > self.settings.max_days:
                continue
            similarity = float(np.mean(self._signature_of(row) == signature))
            if similarity >= self.settings.threshold and similarity > best:
                story, best = self.stories[row], similarity
        row = len(self.ids)
        self.ids.append(doc_id)
        self.stories.append(story)
        self.row[doc_id] = row
        self._new_days.append(day)
        self._new_signatures.append(signature)
        for band in bands.tolist():
            self._new_bands.setdefault(band, []).append(row)
        return story

    def forget(self, doc_id: str) -> None:
        """Take ``doc_id`` out (deleted, or about to be replaced)."""
        row = self.row.pop(doc_id, None)
        if row is not None:
            self.removed.add(row)

    def save(self, path: Path) -> None:
        """Write every live row atomically; rows taken out are dropped here."""
        keep = [r for r in range(len(self.ids)) if r not in self.removed]
        signatures = np.array([self._signature_of(r) for r in keep], dtype=np.uint32).reshape(len(keep), -1)
        bands = np.array([_band_hashes(s, self.settings.bands) for s in signatures], dtype=np.uint64).reshape(-1)
        rows = np.repeat(np.arange(len(keep), dtype=np.int64), self.settings.bands)
        order = np.argsort(bands, kind="stable")
        tmp = path.with_name(path.name + ".tmp.npz")
        np.savez(
            tmp,
            settings=np.array(repr(self.settings)),
            ids=np.array([self.ids[r] for r in keep], dtype=str),
            stories=np.array([self.stories[r] for r in keep], dtype=str),
            days=np.array([self._day_of(r) for r in keep], dtype=np.int64),
            signatures=signatures,
            band_keys=bands[order],
            band_rows=rows[order],
        )
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: Path, settings: CopySettings | None = None) -> CopyFinder:
        """What :meth:`save` kept; an empty finder when it is missing, unreadable or of other settings."""
        finder = cls(settings)
        try:
            with np.load(path) as saved:
                if str(saved["settings"]) != repr(finder.settings):
                    return finder
                finder.ids = saved["ids"].tolist()
                finder.stories = saved["stories"].tolist()
                finder.days = saved["days"]
                finder.signatures = saved["signatures"]
                finder._band_keys = saved["band_keys"]
                finder._band_rows = saved["band_rows"]
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
            return cls(settings)
        finder.row = {doc_id: row for row, doc_id in enumerate(finder.ids)}
        return finder
