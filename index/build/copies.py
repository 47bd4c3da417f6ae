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
  are dated: a template reused for the next event is another story. With 3 days,
  SaudiNewsNet's reports of the fifth relief flight to Aden (6 August) took in those of
  the sixth (9 and 10 August), the same text with another number and cargo
  (benchmarks/copies.md); agencies' copies run the same day or within two.
* A document joins the story of the most similar earlier document, and stories never
  merge afterwards: keys stay stable as documents are added, and a chain of small
  edits cannot pull unrelated articles together.

The MinHash signatures are datasketch's (its estimate of the Jaccard similarity is
the share of equal signature slots), computed here with numpy for its default scheme. Candidates come from banding the signature
(locality-sensitive hashing): a document is compared only with those that share a band.
The signatures are kept as a numpy array beside the index (``copies.npz``), their bands
recomputed and sorted when it is loaded, rather than as datasketch's in-memory
``MinHashLSH``, whose Python objects per document would make every ``index add``
unpickle the whole collection. Each slot keeps 16 bits of datasketch's hash: two
unrelated slots then agree by chance once in 65,536, far below the threshold's
resolution, and the file is half the size (2 bytes × 64 slots per document).

Keys stay consistent as documents come and go: a story whose first document is
deleted keeps its key, so its remaining copies still group, and a new document never
takes a key still in use (a replaced document that is no longer a copy, or a new one
reusing a deleted id, gets ``ID~2``).
"""

from __future__ import annotations

import datetime as dt
import os
import zipfile
import zlib
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index.build.bands import BandIndex, Chunks, joined_rows, save_npz
from index.build.numbering import Numbering
from index.ingest.duplicates import body_words

#: Multiplier of the polynomial that joins word hashes into a shingle or band hash.
_BASE = np.uint64(1_000_003)
_NO_DATE = -1


@dataclass(frozen=True)
class CopySettings:
    """How similar is similar enough (see the module docstring for why)."""

    #: Jaccard similarity of five-word shingle sets at or above which texts are copies.
    threshold: float = 0.5
    #: Copies are dated at most this many days apart (when both have a date).
    max_days: int = 2
    #: Words per shingle.
    shingle: int = 5
    #: MinHash slots, cut into ``bands`` bands: 16 bands of 4 slots make texts at the
    #: threshold share a band with probability about 2/3, and at 0.8 almost surely.
    permutations: int = 64
    bands: int = 16
    #: Texts with fewer words than this are never copies (too little to compare).
    min_words: int = 25
    #: datasketch's permutation scheme (its 2.0 default): saved signatures are only
    #: comparable with signatures of the same scheme, and :func:`_affine32_minhash` is
    #: the only one computed here.
    scheme: str = "affine32"

    def __post_init__(self) -> None:
        if self.scheme != "affine32":
            raise ValueError(f"MinHash scheme {self.scheme!r}: only datasketch's 'affine32' is computed here")


class WordHashes(dict):
    """Word → CRC-32 of its UTF-8, computed on first sight: a collection repeats its
    words, and looking them up (``map`` over ``__getitem__``, in C) is several times
    faster than hashing each occurrence. CRC-32, not ``hash()``: signatures are saved,
    and ``hash()`` of a string changes from one process to the next."""

    #: Forms kept before the memo starts over: the signer's memory would otherwise grow
    #: with the vocabulary, which keeps growing with the collection (a million forms
    #: cost over 100 MB of the build's memory). 50,000 rather than 200,000: 22 MB less
    #: and no slower, the frequent forms coming back at once (benchmarks/README.md,
    #: "Build memory").
    LIMIT = 50_000

    def __missing__(self, word: str) -> int:
        if len(self) >= self.LIMIT:
            self.clear()
        value = self[word] = zlib.crc32(word.encode("utf-8"))
        return value


def shingle_hashes(words: list[str], size: int, memo: WordHashes | None = None) -> np.ndarray:
    """The distinct 32-bit hashes of the ``size``-word shingles of ``words`` (a normalized
    text's: :func:`index.ingest.duplicates.body_words`)."""
    if len(words) < size:
        return np.zeros(0, dtype=np.uint64)
    h = np.array(list(map((WordHashes() if memo is None else memo).__getitem__, words)), dtype=np.uint64)
    joined = np.zeros(len(words) - size + 1, dtype=np.uint64)
    for i in range(size):
        joined = joined * _BASE + h[i : len(h) - size + 1 + i]
    return np.unique(joined & np.uint64(0xFFFFFFFF))


#: The seed datasketch's MinHash draws its permutations with (its default), and the
#: constants of the MurmurHash3 finalizer it mixes each input hash with first.
_DATASKETCH_SEED = 1
_FMIX32 = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35), np.uint32(16))


def _affine32_permutations(count: int) -> tuple[np.ndarray, np.ndarray]:
    """datasketch's ``affine32`` permutations ``h → a·h + b mod 2³²`` (``a`` odd)."""
    draw = np.random.RandomState(_DATASKETCH_SEED)
    a = draw.randint(0, 1 << 31, count, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = draw.randint(0, 1 << 32, count, dtype=np.uint32)
    return a, b


def _affine32_minhash(hashes: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The hash values datasketch's ``MinHash(scheme="affine32").update_batch`` gives
    ``hashes`` (32-bit values), computed here: importing datasketch imports scipy, about
    60 MB and a second in the process that signs (benchmarks/README.md, "Build
    memory"); tests/index/build/test_copies.py compares the two."""
    s1, m1, s2, m2, s3 = _FMIX32
    h = hashes.astype(np.uint32).reshape(-1, 1)
    h = h ^ (h >> s1)
    h = h * m1
    h = h ^ (h >> s2)
    h = h * m2
    h = h ^ (h >> s3)
    return (h * a + b).min(axis=0)


#: Signatures whose band hashes are computed in one go: all of a loaded finder's at once
#: made 64-bit copies of every signature, slow and large (benchmarks/README.md, "Scale to 1M").
_BAND_BLOCK = 1 << 14


def _band_hashes(signatures: np.ndarray, bands: int) -> np.ndarray:
    """One hash per band of each signature (rows of equal width), the band number mixed
    in: shape ``(bands,)`` for one signature, ``(n, bands)`` for ``n``."""
    if signatures.ndim == 2 and len(signatures) > _BAND_BLOCK:
        out = np.empty((len(signatures), bands), dtype=np.uint64)
        for at in range(0, len(signatures), _BAND_BLOCK):
            out[at : at + _BAND_BLOCK] = _band_hashes(signatures[at : at + _BAND_BLOCK], bands)
        return out
    rows = signatures.astype(np.uint64).reshape(*signatures.shape[:-1], bands, signatures.shape[-1] // bands)
    joined = np.broadcast_to(np.arange(bands, dtype=np.uint64), rows.shape[:-1]).copy()
    for i in range(rows.shape[-1]):
        joined = joined * _BASE + rows[..., i]
    return joined


class CopyFinder:
    """Every document's signature and story, with the bands that find its copies.

    :meth:`assign` gives a new document its story key; :meth:`forget` takes a deleted or
    replaced one out; :meth:`save`/:meth:`load` keep it in the generation folder, so an
    ``index add`` finds copies among the documents added before.
    """

    #: Rows whose bands wait in a dict before they are sorted into the arrays.
    PENDING = 4096

    def __init__(self, settings: CopySettings | None = None):
        self.settings = settings or CopySettings()
        self.ids: list[str] = []
        self.stories: list[str] = []
        self.days = np.zeros(0, dtype=np.int64)
        self.signatures = np.zeros((0, self.settings.permutations), dtype=np.uint16)
        self.removed: set[int] = set()
        #: Document ids and story keys (mostly the same strings), numbered; per number the
        #: row of the document of that id (-1: none) and how many live documents hold it as
        #: their story key, so a new story never reuses a live key. Arrays, not dicts keyed
        #: by the id: the finder is part of a large build's parent (:mod:`index.build.numbering`).
        self._names = Numbering()
        self._row = array("i")
        self._live = array("i")
        #: Every row's band hashes, to find its candidates.
        self._bands = BandIndex(self.PENDING)
        #: Rows added since loading: their days and signatures.
        self._new_days = Chunks(np.int32)
        self._new_signatures = Chunks(np.uint16, self.settings.permutations, spill=True)
        self._words = WordHashes()
        #: The random permutations, drawn once (they depend only on the settings).
        self._permutations = None

    def signature(self, body: str) -> np.ndarray | None:
        """The MinHash of ``body``'s shingles, or None for a text too short to compare."""
        return self.signature_of_words(body_words(body))

    def signature_of_words(self, words: list[str]) -> np.ndarray | None:
        """:meth:`signature` of the body whose :func:`index.ingest.duplicates.body_words` are ``words``."""
        hashes = shingle_hashes(words, self.settings.shingle, self._words)
        if len(hashes) < max(1, self.settings.min_words - self.settings.shingle + 1):
            return None
        if self._permutations is None:
            self._permutations = _affine32_permutations(self.settings.permutations)
        return (_affine32_minhash(hashes, *self._permutations) & 0xFFFF).astype(np.uint16)

    def _name(self, name: str) -> int:
        """``name``'s number, given now (with no row and no live holder) if it has none."""
        number = self._names.add(name)
        if number == len(self._row):
            self._row.append(-1)
            self._live.append(0)
        return number

    def _row_of(self, doc_id: str) -> int:
        """The row of ``doc_id``'s document, -1 when it has none."""
        number = self._names.number(doc_id)
        return -1 if number is None else self._row[number]

    def _candidates(self, bands: np.ndarray) -> set[int]:
        return self._bands.candidates(bands) - self.removed

    def _signature_of(self, row: int) -> np.ndarray:
        saved = len(self.signatures)
        return self.signatures[row] if row < saved else self._new_signatures[row - saved]

    def _day_of(self, row: int) -> int:
        saved = len(self.days)
        return int(self.days[row]) if row < saved else int(self._new_days[row - saved])

    def assign(self, doc_id: str, body: str, date: dt.date | None, signature: np.ndarray | None = None) -> str:
        """The story key of ``doc_id``: that of its most similar earlier copy, else its own id.

        ``signature``: ``body``'s, when computed ahead (:mod:`index.build.signer`; empty
        for a text too short to compare); computed here when None."""
        self.forget(doc_id)
        if signature is None:
            signature = self.signature(body)
        if signature is None or not len(signature):
            return self._fresh_key(doc_id)
        day = date.toordinal() if date else _NO_DATE
        bands = _band_hashes(signature, self.settings.bands)
        story, best, shared = doc_id, 0.0, set(bands.tolist())
        for row in sorted(self._candidates(bands)):
            other_day = self._day_of(row)
            if day != _NO_DATE and other_day != _NO_DATE and abs(day - other_day) > self.settings.max_days:
                continue
            other = self._signature_of(row)
            similarity = float(np.mean(other == signature))
            if similarity < self.settings.threshold or similarity <= best:
                continue
            if not shared.isdisjoint(_band_hashes(other, self.settings.bands).tolist()):
                story, best = self.stories[row], similarity
            # else its band only shared the index's 32-bit key with one of ours: not a candidate
        story = self._fresh_key(doc_id) if story == doc_id else story
        row = len(self.ids)
        self.ids.append(doc_id)
        self.stories.append(story)
        self._live[self._name(story)] += 1
        self._row[self._name(doc_id)] = row
        self._new_days.append(day)
        self._new_signatures.append(signature)
        self._bands.add(row, bands)
        return story

    def _fresh_key(self, doc_id: str) -> str:
        """``doc_id`` as a new story's key, unless live copies of another story hold it."""
        key, n = doc_id, 1
        while (number := self._names.number(key)) is not None and self._live[number]:
            n += 1
            key = f"{doc_id}~{n}"
        return key

    def story(self, doc_id: str) -> str | None:
        """The story key given to ``doc_id``, None if it has none (never assigned, or forgotten)."""
        row = self._row_of(doc_id)
        return None if row < 0 else self.stories[row]

    def forget(self, doc_id: str) -> None:
        """Take ``doc_id`` out (deleted, or about to be replaced)."""
        row = self._row_of(doc_id)
        if row >= 0:
            self._row[self._names.number(doc_id)] = -1
            self.removed.add(row)
            self._live[self._names.number(self.stories[row])] -= 1

    def save(self, path: Path, keep: Callable[[str], bool] | None = None) -> None:
        """Write every live row atomically; rows taken out are dropped here. ``keep``:
        write only the documents it accepts (a shard's, :mod:`index.build.shards.state`)."""
        rows = [r for r in range(len(self.ids)) if r not in self.removed and (keep is None or keep(self.ids[r]))]
        keep_rows = np.array(rows, dtype=np.int64)
        saved = len(self.days)
        loaded, new = keep_rows[keep_rows < saved], keep_rows[keep_rows >= saved] - saved
        tmp = path.with_name(path.name + ".tmp.npz")

        def members() -> Iterator[tuple[str, bool, np.ndarray]]:
            # Made one at a time as written. Ids and keys compressed (numpy keeps strings
            # as 4 bytes a character); the signatures are random and would not compress.
            yield "settings", True, np.array(repr(self.settings))
            yield "ids", True, np.array([self.ids[r] for r in rows], dtype=str)
            yield "stories", True, np.array([self.stories[r] for r in rows], dtype=str)
            yield "days", True, joined_rows(self.days[loaded].astype(np.int32), self._new_days.take(new))
            yield "signatures", False, joined_rows(self.signatures[loaded], self._new_signatures.take(new))

        save_npz(tmp, members())
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: Path | list[Path], settings: CopySettings | None = None) -> CopyFinder:
        """What :meth:`save` kept (in one file, or split over the shards' ``path`` list);
        an empty finder when one is missing, unreadable or of other settings."""
        finder = cls(settings)
        ids, stories, days, signatures = [], [], [], []
        try:
            for one in [path] if isinstance(path, Path) else path:
                with np.load(one) as saved:
                    if str(saved["settings"]) != repr(finder.settings):
                        return finder
                    ids += saved["ids"].tolist()
                    stories += saved["stories"].tolist()
                    days.append(saved["days"].astype(np.int64))
                    signatures.append(saved["signatures"])
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
            return cls(settings)
        if not days:
            return finder
        finder.ids, finder.stories = ids, stories
        finder.days = np.concatenate(days)
        finder.signatures = np.concatenate(signatures).reshape(len(ids), finder.settings.permutations)
        finder._bands = BandIndex.of(_band_hashes(finder.signatures, finder.settings.bands), finder.PENDING)
        # As _name() of each id (its row: the last one) and then of each story, numbered at once.
        id_numbers = finder._names.extend(finder.ids)
        story_numbers = finder._names.extend(finder.stories)
        rows = np.full(len(finder._names), -1, dtype=np.int32)
        np.maximum.at(rows, id_numbers, np.arange(len(finder.ids), dtype=np.int32))
        finder._row.frombytes(rows.tobytes())
        finder._live.frombytes(np.bincount(story_numbers, minlength=len(finder._names)).astype(np.int32).tobytes())
        return finder
