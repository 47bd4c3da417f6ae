"""A segment's postings, field lengths and columns as numpy arrays, for the array scorer.

Why: the array scorer (:mod:`search.rank.scorer`) scores a term over whole posting lists
at once, and Whoosh's public API gives one posting, one length or one column value per
call (and decodes each block's ids in Python). The functions here read the same
structures a whole list or column at a time, from the posting sidecar
(:mod:`index.whoosh_ext.sidecar_reader`) where the segment has one, else from Whoosh's
own blocks and columns, through its private attributes: this module is the only place
outside the writer that reads them, so the scorer uses only this API and Whoosh's
public one. ``tests/index/whoosh_ext/test_sidecar.py`` and ``tests/test_scorer.py``
compare what they read with what Whoosh's own readers give.
"""

from __future__ import annotations

from bisect import bisect_left

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length

from index.whoosh_ext import codec
from index.whoosh_ext.sidecar_reader import Sidecar, open_sidecar


def open_leaf_sidecar(leaf) -> Sidecar | None:
    """The posting sidecar of a segment reader (None for other readers, or without one):
    the one its terms reader opened (:mod:`index.whoosh_ext.codec`), or else opened here."""
    terms = getattr(leaf, "_terms", None)
    if isinstance(terms, codec.SidecarTermsReader):
        return terms.sidecar
    storage, segment = getattr(leaf, "_storage", None), getattr(leaf, "_segment", None)
    return open_sidecar(storage, segment) if storage is not None and segment is not None else None


def leaf_postings(leaf, sidecar: Sidecar | None, fieldname: str, btext: bytes) -> tuple[np.ndarray, np.ndarray, int] | None:
    """(ids, weights, document frequency) of a term in one segment, deleted documents
    included; None if absent.

    A term the sidecar's hashes rule out is not looked up. The postings come from the
    sidecar alone for a field without positions (:mod:`index.whoosh_ext.codec`), else from
    the TermInfo when Whoosh inlined them there, else from the segment's sidecar, else
    (no sidecar, or it does not hold the term as the TermInfo says) from Whoosh's blocks.
    """
    if sidecar is not None and not sidecar.may_have(fieldname, btext):
        return None
    try:
        info = leaf.term_info(fieldname, btext)
    except TermNotFound:
        return None
    frequency = info.doc_frequency()
    if isinstance(info, codec.SideTermInfo):
        docs, weights = codec.postings(sidecar, info)
        return docs, weights, frequency
    if info.is_inlined():
        leaf_ids, leaf_weights, _ = info.inlined_postings()
        return np.asarray(leaf_ids, dtype=np.int64), np.asarray(leaf_weights, dtype=np.float64), frequency
    found = sidecar.postings(info) if sidecar is not None else None
    if found is None:
        matcher = leaf.postings(fieldname, btext)
        if isinstance(matcher, FilterMatcher):  # deleted documents: masked by the caller instead
            matcher = matcher.child
        found = read_blocks(matcher)
    return found[0], found[1], frequency


def read_blocks(matcher: W3LeafMatcher) -> tuple[np.ndarray, np.ndarray]:
    """All (ids, weights) of one segment's posting list, a block at a time.

    Whoosh's public API yields one posting per call and decodes each block's ids in
    Python; here each block's pickled (id deltas, weights, ...) tuple is decoded with
    numpy, following ``W3LeafMatcher._read_ids``/``_read_weights``.
    """
    ids, weights = [], []
    while matcher.is_active():
        matcher._read_data()
        deltas, block_weights = matcher._data[0], matcher._data[1]
        count = matcher._blocklength
        ids.append(np.cumsum(np.asarray(deltas, dtype=np.int64)))
        if block_weights is None:
            weights.append(np.ones(count))
        elif isinstance(block_weights, float):
            weights.append(np.full(count, block_weights))
        else:
            weights.append(np.asarray(block_weights, dtype=np.float64))
        matcher._next_block()
    if not ids:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float64)
    return np.concatenate(ids), np.concatenate(weights)


def read_positions(leaf, fieldname: str, text: str, local: list[int], base: int,
                   into: dict[int, list[int]]) -> None:
    """Positions of ``text`` in the segment's documents ``local`` (ascending, all holding
    the term, none deleted), added to ``into`` under ``docnum + base``.

    Why: ``Matcher.skip_to`` walks a block one posting at a time in Python (``id()``,
    ``next()``), which at 120k documents was a third of a query's time (the proximity
    and headline-order reranks read a few documents of lists tens of thousands long).
    Here whole blocks are skipped on their maximum id and the document is found in the
    block's decoded ids by bisection; the positions are Whoosh's own ``value_as``.
    """
    matcher = leaf.postings(fieldname, text)
    if isinstance(matcher, FilterMatcher):  # the documents asked for are live
        matcher = matcher.child
    if not isinstance(matcher, W3LeafMatcher):
        _read_positions_slowly(matcher, local, base, into)
        return
    for docnum in local:
        while not matcher._atend and matcher._maxid < docnum:
            matcher._next_block()
        if matcher._atend:
            return
        if matcher._ids is None:
            _read_ids(matcher)
        i = bisect_left(matcher._ids, docnum, matcher._i)
        matcher._i = i
        if i < matcher._blocklength and matcher._ids[i] == docnum:
            into.setdefault(docnum + base, []).extend(matcher.value_as("positions"))


def _read_ids(matcher: W3LeafMatcher) -> None:
    """A block's document ids, as ``W3LeafMatcher._read_ids`` decodes them (id deltas
    summed) with numpy instead of a Python generator: the same list of ints."""
    if matcher._byteids:
        matcher._read_ids()
        return
    if matcher._data is None:
        matcher._read_data()
    matcher._ids = np.cumsum(np.asarray(matcher._data[0], dtype=np.int64)).tolist()


def _read_positions_slowly(matcher, local: list[int], base: int, into: dict[int, list[int]]) -> None:
    """:func:`read_positions` through the public matcher API (inlined postings, other codecs)."""
    for docnum in local:
        if not matcher.is_active():
            return
        if matcher.id() < docnum:
            matcher.skip_to(docnum)
            if not matcher.is_active():
                return
        if matcher.id() == docnum:
            into.setdefault(docnum + base, []).extend(matcher.value_as("positions"))


#: The length each one-byte length code stands for (``byte_to_length``), for numpy:
#: indexed by :func:`length_bytes`.
BYTE_LENGTHS = np.array([byte_to_length(b) for b in range(256)], dtype=np.int32)


def length_bytes(leaf, fieldname: str) -> np.ndarray:
    """Per document of the segment, the field's length as Whoosh stores it for scoring:
    one byte (``whoosh.util.numeric.byte_to_length`` turns it into a length); 0 where
    the segment keeps no length."""
    raw = np.zeros(leaf.doc_count_all(), dtype=np.uint8)
    reader = leaf._perdoc._cached_reader(f"_{fieldname}_len", LENGTHS_COLUMN)
    if reader is not None:
        raw[: reader._count] = _fixed_column(reader, np.uint8)
    return raw


def numeric_column(leaf, fieldname: str, missing: int) -> np.ndarray:
    """Per document of the segment, the stored value of a sortable numeric column (a
    DATETIME's longs, untranslated) as uint64; ``missing`` where the segment has none."""
    values = np.full(leaf.doc_count_all(), missing, dtype=np.uint64)
    if leaf.has_column(fieldname):
        reader = leaf.column_reader(fieldname, translate=False)
        values[: reader._count] = _fixed_column(reader, np.dtype(">" + reader._typecode))
    return values


def _fixed_column(reader, dtype) -> np.ndarray:
    """The stored values of a fixed-width Whoosh column, read in one piece."""
    dtype = np.dtype(dtype)
    raw = reader._dbfile.get(reader._basepos, reader._count * dtype.itemsize)
    return np.frombuffer(raw, dtype=dtype).astype(dtype.newbyteorder("="))


def per_field_b(weighting) -> dict[str, float]:
    """A BM25F weighting's per-field B (its ``<field>_B`` keyword arguments): field → B."""
    return dict(weighting._field_B)
