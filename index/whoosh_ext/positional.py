"""Writing all terms of a field with positions at once, in Whoosh's W3 blocks.

Why: :func:`index.whoosh_ext.blocks.write_term` takes one term at a time and costs some
twenty Python calls a term before its blocks are pickled (slices, statistics, the
TermInfo object and its bytes, the sidecar row's encoding), and the title and body hold
most of a segment's postings: their writing was the largest part of a worker's last
segment, which a build waits for (benchmarks/README.md, "Small builds"). Here the
statistics of every block and term, the TermInfo bytes and the sidecar rows are made
with numpy over a run of terms (:func:`index.whoosh_ext.covered.term_runs`); what is
left per block is what Whoosh's reader reads: the pickled data and info, compressed as
:class:`index.whoosh_ext.blocks.BlockFormat` says.

The bytes are exactly ``write_term``'s (``tests/index/whoosh_ext/test_positional.py``
compares both), for what :func:`applies` accepts: weights that are the frequencies (no
field boost), variable-size values.
"""

from __future__ import annotations

import zlib
from pickle import dumps
from struct import Struct

import numpy as np
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC
from whoosh.system import pack_int, pack_ushort

from index.whoosh_ext.blocks import BlockFormat
from index.whoosh_ext.covered import RUN_POSTINGS, Run, term_runs
from index.whoosh_ext.inversion import Grouped

#: ``W3TermInfo.to_bytes`` of postings not inlined: its statistics, then where its blocks are.
_TERM_INFO = Struct("!BfIBBfIIqi")


def applies(field, table) -> bool:
    """Whether :func:`write_field` writes this field's postings as ``write_term`` would."""
    fmt = field.format
    return isinstance(table, Grouped) and table.kind == "positions" and fmt.field_boost == 1.0 \
        and fmt.fixed_value_size() is None


def write_field(fieldwriter, recorder, table: Grouped, doc_length: np.ndarray, form: BlockFormat,
                run: int = RUN_POSTINGS) -> None:
    """Write every term of the field with positions that ``fieldwriter`` has started:
    its blocks to the postings file, its TermInfo to the terms table, its row to
    ``recorder``'s sidecar; ``doc_length`` is each document's length in this field."""
    end = fieldwriter._postfile.tell()
    for terms, start, df in term_runs(table, run):
        end = _write_run(fieldwriter, recorder, table, terms, Run(table, start, df), doc_length, form, end)


def _write_run(fieldwriter, recorder, table: Grouped, terms: list[bytes], run: Run, doc_length: np.ndarray,
               form: BlockFormat, end: int) -> int:
    """:func:`write_field` for a run of consecutive terms; returns where the postings file ends."""
    codec = fieldwriter._codec
    limit, level, protocol, smallest = codec._blocklimit, codec._compression, form.protocols[1], form.compress_from
    first, df, docs, freqs = run.first, run.df, run.docs, run.freqs
    # Blocks of ``limit`` postings, each term's from its first posting.
    blocks = (df + limit - 1) // limit
    term_of_block = np.repeat(np.arange(len(terms)), blocks)
    starts = first[term_of_block] + limit * (np.arange(int(blocks.sum())) - (np.cumsum(blocks) - blocks)[term_of_block])
    stops = np.minimum(starts + limit, (first + df)[term_of_block])
    opens_term, ends_term = starts == first[term_of_block], stops == (first + df)[term_of_block]
    shortest, longest = run.length_bytes(doc_length, starts)
    heaviest = np.maximum.reduceat(freqs, starts)
    all_one = np.logical_and.reduceat(freqs == 1, starts)
    all_same = heaviest == np.minimum.reduceat(freqs, starts)
    # W3PostingsWriter's block data: id deltas (the first from 0), weights (None when
    # all are 1, one number when all are equal), the values as a tuple.
    deltas = np.diff(docs, prepend=0)
    deltas[starts] = docs[starts]
    deltas, weights, values = deltas.tolist(), freqs.astype(np.float64).tolist(), table.values.encodings(run.order)
    infos = zip(starts.tolist(), stops.tolist(), opens_term.tolist(), ends_term.tolist(), all_one.tolist(),
                all_same.tolist(), heaviest.astype(np.float64).tolist(), shortest.tolist(), longest.tolist(),
                docs[stops - 1].tolist())
    parts: list[bytes] = []  # each term: the header, then its blocks
    sizes = []
    for a, b, opens, last, one, same, heavy, low, high, last_id in infos:
        mini = None if one else weights[a] if same else tuple(weights[a:b])
        data = dumps((tuple(deltas[a:b]), mini, tuple(values[a:b])), protocol)
        compressed = level if len(data) >= smallest else 0
        if compressed:
            data = zlib.compress(data, compressed)
        info = dumps((b - a, last_id, heavy, compressed, low, high), 2)
        size = len(info) + len(data)
        if opens:
            parts.append(WHOOSH3_HEADER_MAGIC)
        parts += (pack_int(-size if last else size), info, data)
        sizes.append(4 + size)
    lengths = np.add.reduceat(np.array(sizes, dtype=np.int64), np.cumsum(blocks) - blocks) + len(WHOOSH3_HEADER_MAGIC)
    offsets = end + np.cumsum(lengths) - lengths
    fieldwriter._postfile.write(b"".join(parts))

    min_byte, max_byte = run.length_bytes(doc_length, first)
    stats = zip(np.add.reduceat(freqs, first).tolist(), df.tolist(), min_byte.tolist(), max_byte.tolist(),
                np.maximum.reduceat(freqs, first).tolist(), docs[first].tolist(), docs[first + df - 1].tolist(),
                offsets.tolist(), lengths.tolist())
    prefix, pack = pack_ushort(fieldwriter._fieldid), _TERM_INFO.pack
    fieldwriter._tindex.add_all([prefix + term for term in terms], [pack(0, *values) for values in stats])
    code, data_starts, data = run.sidecar()
    recorder.rows(fieldwriter._fieldname, terms, data, offsets, code, data_starts)
    # The state write_term leaves: the last term, where its postings start.
    fieldwriter._btext = terms[-1]
    fieldwriter._postwriter._startoffset = int(offsets[-1])
    return int(offsets[-1] + lengths[-1])
