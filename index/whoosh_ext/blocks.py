"""Writing a whole posting list at once in Whoosh's W3 block format.

Whoosh's ``W3FieldWriter`` takes postings one call at a time (``add``, then the
postings writer's ``add_posting`` with its type asserts and running statistics).
:func:`write_term` takes a term's whole posting list, already inverted by
:mod:`index.whoosh_ext.segment`, and writes the same blocks (same objects, same zlib level,
same block and term statistics), slicing arrays in C instead of looping in Python.

One thing differs on purpose: the pickle protocol of each block's data
(:data:`PROTOCOLS`). Whoosh pickles with protocol 2, which writes every encoded
position list as a call to ``_codecs.encode`` on a Latin-1 string; protocol 3 and 4
write bytes as bytes. Whoosh reads blocks with ``pickle.loads``, which takes any
protocol, so the index stays an ordinary Whoosh index with the same postings, while
positional blocks get smaller (no call per position list) and pickle, compress and
unpickle faster (benchmarks/README.md). A second difference: a block too short for
zlib to shrink is stored as it is (:attr:`BlockFormat.compress_from`); each block's
info says whether it is compressed, and Whoosh's reader follows it.
``tests/index/whoosh_ext/test_bulk.py`` checks that with :data:`WHOOSH` the segment
files are byte for byte those of the codec's own path.
"""

from __future__ import annotations

import zlib
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain
from operator import sub
from pickle import dumps

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3Codec, W3FieldWriter, W3TermInfo
from whoosh.system import pack_int, pack_ushort
from whoosh.util.numeric import length_to_byte

@dataclass(frozen=True)
class BlockFormat:
    """How :func:`write_term` encodes a block's data."""

    #: Pickle protocol of block data: (formats with fixed-size values, variable-size values).
    protocols: tuple[int, int]
    #: Pickled data shorter than this is stored uncompressed (its block info's level 0).
    compress_from: int


#: Whoosh's own writer: protocol 2, every block compressed.
WHOOSH = BlockFormat((2, 2), 0)
#: Ours. Protocol 4 frames each pickle (9 bytes) but memoizes in one byte: smaller for the
#: tuples of position lists; protocol 3 is smaller for the short, fixed-size blocks.
#: Under 48 bytes (a one-posting block) zlib's header and checksum outweigh what it
#: finds, and its set-up costs more than the rest of the block: on the 6,000-article
#: build 44 % of the blocks, 74 KB larger compressed (benchmarks/README.md, "Small builds").
OURS = BlockFormat((3, 4), 48)


def applies(fieldwriter) -> bool:
    """Whether :func:`write_term` writes what this field writer would: Whoosh's W3
    codec, or a subclass that writes postings as it does (:class:`index.whoosh_ext.codec.SidecarCodec`),
    with its default block options (no inlined postings, numeric ids)."""
    codec = getattr(fieldwriter, "_codec", None)
    return type(fieldwriter) is W3FieldWriter and isinstance(codec, W3Codec) \
        and type(codec).postings_writer is W3Codec.postings_writer and codec._inlinelimit <= 1


def write_term(
    fieldwriter: W3FieldWriter,
    tbytes: bytes,
    docs: Sequence[int],
    weights: Sequence[float],
    values: Sequence[bytes],
    doc_length: Sequence[int],
    start: int | None = None,
    form: BlockFormat = OURS,
) -> int:
    """Write one term's postings (docnums ascending) in the current field, as the
    sequence ``start_term``, ``add`` per posting, ``finish_term`` would; returns where
    the postings file now ends.

    ``values`` is empty for formats that encode nothing (existence); ``doc_length`` is
    each document's length in this field, indexed by docnum. ``start`` is where the
    postings file ends, when the caller knows it: asking the file is a system call
    per term.
    """
    codec = fieldwriter._codec
    postfile = fieldwriter._postfile
    if start is None:
        start = postfile.tell()
    # The state start_term leaves, for code that reads the field writer after each term
    # (the term, where its postings start), as with Whoosh's own sequence of calls.
    fieldwriter._btext = tbytes
    fieldwriter._postwriter._startoffset = start
    limit = codec._blocklimit
    level = codec._compression
    fixedsize = fieldwriter._format.fixed_value_size()
    protocol = form.protocols[fixedsize is None or fixedsize < 0]
    compress_from = form.compress_from
    # The term's blocks go to the file in one write: a StructFile write is a Python call.
    parts = [WHOOSH3_HEADER_MAGIC]
    terminfo = W3TermInfo()
    for ids, floats, shortest, longest, heaviest, last in _blocks(terminfo, docs, weights, doc_length, limit):
        first = terminfo._df - len(ids)
        # W3PostingsWriter._write_block
        data = (tuple(map(sub, ids, chain((0,), ids))), _mini_weights(floats), _mini_values(values, first, limit, fixedsize))
        databytes = dumps(data, protocol)
        compressed = level if len(databytes) >= compress_from else 0
        if compressed:
            databytes = zlib.compress(databytes, compressed)
        info = dumps((len(ids), ids[-1], heaviest, compressed, length_to_byte(shortest), length_to_byte(longest)), 2)
        size = len(info) + len(databytes)
        parts += (pack_int(-size if last else size), info, databytes)
    written = b"".join(parts)
    postfile.write(written)
    terminfo.set_extent(start, len(written))
    fieldwriter._tindex.add(pack_ushort(fieldwriter._fieldid) + tbytes, terminfo.to_bytes())
    return start + len(written)


def term_info(docs: Sequence[int], weights: Sequence[float], doc_length: Sequence[int], limit: int) -> W3TermInfo:
    """The statistics :func:`write_term` gives a term's TermInfo (as Whoosh's blocks of
    ``limit`` postings add up), without writing the blocks: for a term whose postings
    are kept only in the sidecar (:mod:`index.whoosh_ext.codec`)."""
    terminfo = W3TermInfo()
    for _ in _blocks(terminfo, docs, weights, doc_length, limit):
        pass
    return terminfo


def _blocks(terminfo: W3TermInfo, docs: Sequence[int], weights: Sequence[float], doc_length: Sequence[int], limit: int):
    """Per block of ``limit`` postings: (ids, weights as float32, shortest and longest
    length, heaviest weight, whether it is the last), once ``terminfo`` has added it up
    as ``W3TermInfo.add_block`` does."""
    count = len(docs)
    for first in range(0, count, limit):
        last = first + limit >= count
        ids = docs[first : first + limit]
        passed = weights[first : first + limit]
        floats = array("f", passed)  # what the block keeps: weights as 32-bit floats
        lengths = list(map(doc_length.__getitem__, ids))
        shortest = min(lengths)
        if not shortest:  # Whoosh's blocks ignore lengths of 0
            shortest = min((n for n in lengths if n), default=None)
        longest = max(lengths)
        heaviest = max(passed)
        if not heaviest > 0:
            heaviest = 0
        # W3TermInfo.add_block
        terminfo._weight += sum(floats)
        terminfo._df += len(ids)
        if terminfo._minlength is None:
            terminfo._minlength = shortest
        else:
            terminfo._minlength = min(terminfo._minlength, shortest)
        terminfo._maxlength = max(terminfo._maxlength, longest)
        terminfo._maxweight = max(terminfo._maxweight, heaviest)
        if terminfo._minid is None:
            terminfo._minid = ids[0]
        terminfo._maxid = ids[-1]
        yield ids, floats, shortest, longest, heaviest, last


def _mini_weights(floats: array):
    """``W3PostingsWriter._mini_weights``: None when all are 1, one number when all equal."""
    n = len(floats)
    if floats.count(1.0) == n:
        return None
    if floats.count(floats[0]) == n:
        return floats[0]
    return tuple(floats)


def _mini_values(values: Sequence[bytes], first: int, limit: int, fixedsize: int | None):
    """``W3PostingsWriter._mini_values`` of one block (empty values are never kept)."""
    if fixedsize == 0:
        return None
    block = [v for v in values[first : first + limit] if v]
    if fixedsize is None or fixedsize < 0:
        return tuple(block)
    return b"".join(block)
