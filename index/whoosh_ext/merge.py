"""Merging a fresh build's segments into one, a whole posting list at a time.

Why: the parallel writer's workers write a segment whenever the build's memory says so
(:mod:`index.whoosh_ext.parallel`), and every segment repeats the term dictionary of
the common words and costs each query its own lookups: at scale, hundreds of segments.
Whoosh's own merge (``add_reader``) sends every posting of every segment through its
pickling pool, one tuple at a time: far too slow at hundreds of millions of postings.

:func:`merge_segments` writes one new segment from several of ours, as a single
writer would have written those documents in that order (``tests/index/whoosh_ext/test_merge.py``
checks it file by file):

* per document, in order: the stored fields (as stored: compressed pickles), each
  field's length byte and every column value; the total length of each field is the sum
  of the segments' exact totals (Whoosh's merge sums the one-byte lengths instead);
* the postings, field by field in sorted term order, document numbers moved by the
  documents of the segments before them, written with a segment's writers: fields kept
  only in the sidecar a chunk of terms at a time (:mod:`index.whoosh_ext.merge_covered`);
  fields with positions term by term, each segment's W3 blocks of the term decoded and
  encoded again (:func:`index.whoosh_ext.blocks.write_term`; every block starts with an
  absolute document number and the merged list's blocks start elsewhere).

Memory: one term's postings (of a covered field, a chunk of terms), plus per field with
lengths one number per document. The source segments' mapped pages count as resident
memory once read: they are handed back every :data:`RELEASE_BYTES` read (``madvise``).

Only segments of a fresh build are merged (:func:`_covered`): written by our codec,
with their sidecar, without deleted documents (a fresh build deletes nothing; a
segment with deletions would need its documents renumbered, which this does not do).
"""

from __future__ import annotations

import heapq
import io
import mmap
import pickle
import zlib
from array import array
from collections.abc import Callable
from functools import partial
from itertools import accumulate, groupby

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, STORED_COLUMN, WHOOSH3_HEADER_MAGIC, _lenfield
from whoosh.columns import VarBytesColumn
from whoosh.reading import SegmentReader
from whoosh.writing import SegmentWriter
from whoosh.system import pack_uint, pack_ushort, unpack_int

from index.whoosh_ext import blocks, codec, merge_covered
from index.whoosh_ext.postings import BYTE_LENGTHS, length_bytes
from index.whoosh_ext.sidecar_format import encoded_size
from index.whoosh_ext.sidecar_writer import Recorder

#: Postings bytes read from the source segments between two hand-backs of their mapped pages.
RELEASE_BYTES = 16 << 20
#: Documents copied between two hand-backs of the pages their stored fields were read from.
RELEASE_DOCUMENTS = 10_000
#: How Whoosh's ``Positions`` format begins the encoding of a single position (its count).
_ONE = pack_uint(1)


class NotMergeable(Exception):
    """A segment :func:`merge_segments` does not merge (see :func:`_covered`)."""


def merge_segments(storage, schema, indexname: str, segments: list, progress: Callable[[str], None] | None = None):
    """One new compound segment holding the documents of ``segments`` in their order;
    the segments themselves are left as they were (the caller commits the new one in
    their place). On any error (or interrupt) the new segment's files are deleted and
    the error raised. ``progress`` is told each phase as it starts."""
    say = progress or (lambda phase: None)
    sidecodec = codec.SidecarCodec()
    segment = sidecodec.new_segment(storage, indexname)
    readers = [SegmentReader(storage, schema, s) for s in segments]
    try:
        covered = _covered(readers)
        if covered is None:
            raise NotMergeable("only segments of a fresh build written by our codec are merged")
        say(f"merging {len(readers)} segments: documents")
        perdoc = sidecodec.per_document_writer(storage, segment)
        lengths = _copy_documents(perdoc, schema, readers)
        perdoc.close()
        say(f"merging {len(readers)} segments: postings")
        count = sum(r.doc_count_all() for r in readers)
        fieldwriter = sidecodec.field_writer(storage, segment)
        try:
            _merge_postings(fieldwriter, storage, segment, schema, readers, covered, lengths, count)
        finally:
            fieldwriter.close()
        segment.set_doc_count(count)
        segment.create_compound_file(storage)
        segment.compound = True
    except BaseException:
        _delete_files(storage, segment)
        raise
    finally:
        for reader in readers:
            reader.close()
    return segment


def merge_in_rounds(storage, schema, indexname: str, segments: list, fan_in: int,
                    progress: Callable[[str], None] | None = None):
    """:func:`merge_segments` of at most ``fan_in`` segments at a time (each open one costs
    the merge its readers' tables). With more, a round merges consecutive groups only
    until ``fan_in`` are left, so a segment is rewritten again only when it must be: 273
    at 256 merge the first 18 into one, then all 256 (groups of 64 rewrote every posting
    twice). Segments of earlier rounds are deleted as they are merged, or on any error."""
    made: list = []  # segments of earlier rounds not merged yet
    try:
        while len(segments) > fan_in:
            need, start, left = len(segments) - fan_in, 0, []
            while need > 0 and start < len(segments) - 1:
                take = min(fan_in, need + 1, len(segments) - start)
                group = segments[start : start + take]
                left.append(merge_segments(storage, schema, indexname, group, progress))
                made.append(left[-1])
                for segment in group:
                    if any(segment is m for m in made):
                        _delete_files(storage, segment)
                made = [m for m in made if not any(m is s for s in group)]
                need, start = need - (take - 1), start + take
            segments = left + segments[start:]
        return merge_segments(storage, schema, indexname, segments, progress)
    finally:
        for segment in made:
            _delete_files(storage, segment)


def merge_index(ix, progress: Callable[[str], None] | None = None, fan_in: int = 256) -> None:
    """Merge every segment of ``ix`` into one under its write lock (:func:`merge_in_rounds`);
    on any error the index stays as it was."""
    writer = SegmentWriter(ix, codec=codec.SidecarCodec())
    try:
        merged = merge_in_rounds(ix.storage, ix.schema, ix.indexname, writer.segments, fan_in, progress)
    except BaseException:
        writer.cancel()
        raise
    writer._close_segment()
    writer._commit_toc([merged])
    writer._finish()


def _delete_files(storage, segment) -> None:
    """Every file of the unfinished ``segment`` (its parts, or its compound file)."""
    prefix = segment.make_filename("")
    for name in list(storage.list()):
        if name.startswith(prefix):
            try:
                storage.delete_file(name)
            except OSError:
                pass


def _copy_documents(perdoc, schema, readers: list[SegmentReader]) -> dict[str, array]:
    """Copy every document's stored fields, length bytes and column values in order;
    returns per scorable field the merged segment's document lengths (as the blocks'
    statistics read them: decoded from the length byte). The stored fields are copied as
    stored, each document's pickled and compressed dict: the bytes a writer makes of it."""
    names = sorted(schema.names())
    scorable = [name for name in names if schema[name].scorable]
    columns = [name for name in names if schema[name].column_type]
    merged = {name: array("i") for name in scorable}
    add_stored = partial(VarBytesColumn.Writer.add, perdoc._get_column("_stored")._child)
    docnum = 0
    for reader in readers:
        raw = {name: length_bytes(reader, name) for name in scorable}
        for name in scorable:
            merged[name].frombytes(BYTE_LENGTHS[raw[name]].tobytes())
            total = reader.field_length(name)
            if total:
                perdoc._fieldlengths[name] += total
        bytes_of = {name: raw[name].tolist() for name in scorable}
        readers_of = {name: reader.column_reader(name, translate=False) for name in columns if reader.has_column(name)}
        # Whoosh's writer adds, per field in name order, the stored value, the length
        # byte, then the column value: the column files are created in the same order.
        steps = [(name, bytes_of.get(name), readers_of.get(name), schema[name].column_type) for name in names]
        stored = partial(VarBytesColumn.Reader.__getitem__, reader._perdoc._cached_reader("_stored", STORED_COLUMN)._child)
        pages = _Pages([reader])
        for local in range(reader.doc_count_all()):
            if local and not local % RELEASE_DOCUMENTS:
                pages.release()
            perdoc.start_doc(docnum)
            for name, lengths, column, column_type in steps:
                if lengths is not None and lengths[local]:
                    perdoc.add_column_value(_lenfield(name), LENGTHS_COLUMN, lengths[local])
                if column is not None:
                    perdoc.add_column_value(name, column_type, column[local])
            value = stored(local)
            if value:
                add_stored(docnum, value)
            perdoc.finish_doc()
            docnum += 1
        pages.release()  # a segment's pages are not read again (a build's are often under RELEASE_DOCUMENTS)
    return merged


def _field_terms(reader: SegmentReader, fieldname: str, index: int):
    """(term bytes, segment index, TermInfo) of one field of one segment, in term order."""
    for (name, tbytes), info in reader._terms.items_from(fieldname, b""):
        if name != fieldname:
            return
        yield tbytes, index, info


def _covered(readers: list[SegmentReader]) -> frozenset | None:
    """The fields the segments keep in the sidecar only; None if they do not merge: each
    must be our codec's with its sidecar and no deletions, a field kept so wherever it has terms."""
    if not all(not r.has_deletions() and isinstance(r._terms, codec.SidecarTermsReader) and r._terms.sidecar is not None
               and type(r._segment.codec()) is codec.SidecarCodec for r in readers):
        return None
    covered = frozenset().union(*(r._terms.covered for r in readers))  # none of a field without terms
    return None if any((covered - r._terms.covered) & set(r.indexed_field_names()) for r in readers) else covered


def _merge_postings(fieldwriter, storage, segment, schema, readers, covered: frozenset, lengths: dict, count: int) -> None:
    """Every field's terms, merged across ``readers``, then the sidecar: covered fields a
    chunk of terms at a time (:mod:`index.whoosh_ext.merge_covered`), fields with
    positions term by term."""
    recorder = Recorder(fieldwriter)
    offsets = list(accumulate((r.doc_count_all() for r in readers), initial=0))
    names = sorted(set().union(*(r.indexed_field_names() for r in readers)))
    pages = _Pages(readers)
    for name in names:
        doc_length = lengths.get(name) or array("i", bytes(4 * count))
        fieldwriter.start_field(name, schema[name])
        if name in covered:
            merge_covered.merge_field(fieldwriter, recorder, readers, offsets, name, np.asarray(doc_length, np.int64), pages.read)
        else:
            _merge_positional(fieldwriter, recorder, readers, offsets, name, schema[name], doc_length, pages)
        fieldwriter.finish_field()
    fieldwriter._tindex.extras[codec.COVERED] = sorted(covered & set(names))
    recorder.save(storage, segment)


class _Pages:
    """The source segments' maps, whose pages read are handed back (they stay in the page cache)
    every :data:`RELEASE_BYTES`: resident memory counts a map's pages once read."""

    def __init__(self, readers: list[SegmentReader]):
        self.maps, self.unreleased = [_source_map(r) for r in readers], 0

    def read(self, size: int) -> None:
        self.unreleased += size
        if self.unreleased >= RELEASE_BYTES:
            self.release()

    def release(self) -> None:
        self.unreleased = 0
        for source in self.maps:
            if source is not None and not source.closed:
                try:
                    source.madvise(mmap.MADV_DONTNEED)
                except (OSError, ValueError, AttributeError):
                    pass


def _merge_positional(fieldwriter, recorder: Recorder, readers, offsets: list[int], name: str, field, doc_length: array,
                      pages: _Pages) -> None:
    """A field with positions, term by term: a term of one segment copied as encoded
    when it can be (:func:`_copy_term`), else its blocks decoded and written again."""
    fixedsize = field.format.fixed_value_size()
    shared: dict[bytes, bytes] = {}
    merged = heapq.merge(*(_field_terms(r, name, i) for i, r in enumerate(readers)))
    for tbytes, group in groupby(merged, key=lambda part: part[0]):
        parts = list(group)
        if len(parts) == 1:
            _, i, info = parts[0]
            copied = _copy_term(fieldwriter, recorder, tbytes, readers[i], info, offsets[i])
            if copied is not None:
                pages.read(copied)
                continue
        docs, weights, values = array("i"), array("d"), []
        for _, i, info in parts:
            pages.read(_read_blocks(readers[i]._terms._postfile, info, offsets[i], fixedsize, docs, weights, values, shared))
        blocks.write_term(fieldwriter, tbytes, docs, weights, values, doc_length)
        recorder.term(docs, weights)


def _copy_term(fieldwriter, recorder: Recorder, tbytes: bytes, reader, info, offset: int) -> int | None:
    """Write a term of a field with positions found in one segment only by copying its
    blocks and sidecar row as encoded, when they do not depend on where its documents
    are: a term of the first segment (every block begins with an absolute document
    number). Returns the bytes copied, or None when the term must be decoded and
    written again."""
    side = reader._terms.sidecar
    row = side.row(info)
    if offset or row is None:
        return None
    fieldwriter._btext = tbytes
    raw = _posting_bytes(reader._terms._postfile, info)
    postfile = fieldwriter._postfile
    info._offset = fieldwriter._postwriter._startoffset = postfile.tell()
    info._length = len(raw)
    postfile.write(raw)
    start, code = row
    data = side.data[start : start + encoded_size(code, info._df)].tobytes()
    recorder.row(code, data)
    fieldwriter._tindex.add(pack_ushort(fieldwriter._fieldid) + tbytes, info.to_bytes())
    return len(raw) + len(data)


def _read_blocks(postfile, info, offset: int, fixedsize, docs: array, weights: array, values: list, shared: dict) -> int:
    """Append one segment's W3 blocks of a term (as ``W3LeafMatcher`` reads them) to the
    merged lists, document numbers moved by ``offset``; returns the bytes read.
    ``shared``: the field's encodings of a single position, by value."""
    raw = _posting_bytes(postfile, info)
    stream = io.BytesIO(raw)
    if stream.read(4) != WHOOSH3_HEADER_MAGIC:
        raise ValueError(f"posting blocks not found at {info._offset}")
    last = False
    while not last:
        (size,) = unpack_int(stream.read(4))
        last = size < 0
        end = stream.tell() + abs(size)
        count, _, _, level, _, _ = pickle.load(stream)
        data = raw[stream.tell() : end]
        stream.seek(end)
        ids, block_weights, block_values = pickle.loads(zlib.decompress(data) if level else data)
        docs.extend(accumulate((ids[0] + offset, *ids[1:])))
        if block_weights is None:
            weights.extend([1.0] * count)
        elif isinstance(block_weights, float):
            weights.extend([block_weights] * count)
        else:
            weights.extend(block_weights)
        if fixedsize is None or fixedsize < 0:
            # One object per single-position encoding, as the writer shares them
            # (index.whoosh_ext.inversion.Encodings): a block's pickle keeps a repeated
            # object once, so sharing them is smaller and gives the writer's bytes.
            values.extend(shared.setdefault(v, v) if v[:4] == _ONE else v for v in block_values)
        elif fixedsize:
            values.extend(block_values[k : k + fixedsize] for k in range(0, len(block_values), fixedsize))
    return len(raw)


def _posting_bytes(postfile, info) -> bytes:
    """A term's W3 blocks as stored, header included."""
    length = info._length  # W3TermInfo.from_bytes leaves it a 1-tuple (unpack_int)
    return postfile.get(info._offset, length[0] if isinstance(length, tuple) else length)


def _source_map(reader: SegmentReader) -> mmap.mmap | None:
    """The map of a segment's compound file, if any: ours (:mod:`index.whoosh_ext.mapped`)
    or Whoosh's own (``CompoundStorage._source``)."""
    storage = getattr(reader._storage, "a", reader._storage)  # SegmentReader overlays the compound storage
    found = getattr(getattr(storage, "_file", None), "_map", None) or getattr(storage, "_source", None)
    return found if isinstance(found, mmap.mmap) else None
