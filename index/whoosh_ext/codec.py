"""Whoosh's W3 codec, with the postings of fields without positions kept only in the sidecar.

Why: a term of a field without positions (the exact and root twins, ids, sources,
dates) has nothing in Whoosh's blocks that the posting sidecar (:mod:`index.whoosh_ext.sidecar_format`)
lacks: document numbers and weights. Keeping both copies would store those postings
twice, and give each term both a full W3 TermInfo and a sidecar row. So for such a field
(:func:`covers`) :class:`index.whoosh_ext.segment.BulkSegmentWriter` writes no blocks: the postings
go to the sidecar only, and the term's TermInfo is a :class:`SideTermInfo` (:data:`_SHORT`
for a term in one document, :data:`_LONG` otherwise) that says where in the sidecar they are.

The terms file of such a segment lists those fields (:data:`COVERED`, in its extras),
and :class:`SidecarTermsReader` serves them to Whoosh as Whoosh's own in-memory
matcher (``ListMatcher``) with the values W3 blocks would give, so that all of Whoosh
keeps working on them: its searcher, ``delete_by_term`` on ids, and the merge of small
segments at ``index add`` (Whoosh's writer then writes plain W3 blocks, and the merged
segment lists no field). A segment that lists fields but whose sidecar is missing or
damaged is refused with an error that says to rebuild: it has no other copy.

The codec is pickled into each segment's entry of the table of contents: keep this
class at this import path.
"""

from __future__ import annotations

import struct
from array import array
from collections.abc import Sequence

from whoosh.codec.whoosh3 import W3Codec, W3FieldCursor, W3FieldWriter, W3TermInfo, W3TermsReader
from whoosh.formats import Existence, Frequency
from whoosh.matching import ListMatcher
from whoosh.reading import TermNotFound
from whoosh.system import pack_uint, pack_ushort
from whoosh.util.numeric import byte_to_length, length_to_byte

from index.whoosh_ext import blocks
from index.errors import IndexUnreadable
from index.whoosh_ext.sidecar_format import EXT
from index.whoosh_ext.terms_table import PackedTermsWriter
from index.whoosh_ext.sidecar_reader import Sidecar, open_sidecar
from index.whoosh_ext.sidecar_writer import Recorder

#: Key of the terms file's extras listing the fields whose postings are only in the sidecar.
COVERED = "sidecar_fields"


def covers(field, weights_are_frequencies: bool) -> bool:
    """Whether a field's postings can live in the sidecar alone: no positions, and each
    posting's value follows from its weight (:func:`values_of`): always for existence,
    for frequencies when the weight is the count (our own inversion, no boost)."""
    fmt = field.format
    if type(fmt) is Existence:
        return True
    return type(fmt) is Frequency and fmt.field_boost == 1.0 and weights_are_frequencies


def values_of(fmt, weights: list[float]) -> list:
    """The values Whoosh's W3 blocks give for these postings of a covered field."""
    if type(fmt) is Frequency:
        return [pack_uint(int(w)) for w in weights]
    return [None] * len(weights)  # what W3LeafMatcher.value gives for existence


#: One posting: code, length byte, document, start in the sidecar's data, weight.
_SHORT = struct.Struct("<BBIIf")
#: Code, min and max length bytes, document frequency, first and last document, start, weight, max weight.
_LONG = struct.Struct("<BBBIIIIff")
_F32 = struct.Struct("<f")


class SideTermInfo(W3TermInfo):
    """A covered field's TermInfo: W3's statistics, and where the postings are in the
    sidecar's data (``_start``, ``_code``: see :func:`index.whoosh_ext.sidecar_format.encode`)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._start = 0
        self._code = 0

    @staticmethod
    def pack(info: W3TermInfo, start: int, code: int) -> bytes:
        """The bytes of ``info`` (as :func:`index.whoosh_ext.blocks.term_info` adds it up) with its
        postings at ``start`` of the sidecar's data; what W3's TermInfo would read back."""
        minlength = 0 if info._minlength is None else length_to_byte(info._minlength)
        maxlength = length_to_byte(info._maxlength)
        if info._df == 1 and minlength == maxlength and _F32.pack(info._weight) == _F32.pack(info._maxweight):
            return _SHORT.pack(code, minlength, info._minid, start, info._weight)
        return _LONG.pack(code, minlength, maxlength, info._df, info._minid, info._maxid, start,
                          info._weight, info._maxweight)

    @classmethod
    def from_bytes(cls, s: bytes) -> SideTermInfo:
        info = cls()
        if len(s) == _SHORT.size:
            info._code, minlength, info._minid, info._start, info._weight = _SHORT.unpack(s)
            maxlength, info._maxid, info._df, info._maxweight = minlength, info._minid, 1, info._weight
        else:
            (info._code, minlength, maxlength, info._df, info._minid, info._maxid, info._start,
             info._weight, info._maxweight) = _LONG.unpack(s)
        info._minlength = byte_to_length(minlength)
        info._maxlength = byte_to_length(maxlength)
        return info


def write_term(fieldwriter: W3FieldWriter, recorder: Recorder, tbytes: bytes, docs: array,
               weights: Sequence[float], doc_length: Sequence[int]) -> None:
    """Add a covered field's term: its postings to the sidecar, its TermInfo to the terms file."""
    fieldwriter._btext = tbytes
    start, code = recorder.direct(docs, weights)
    info = blocks.term_info(docs, weights, doc_length, fieldwriter._codec._blocklimit)
    fieldwriter._tindex.add(pack_ushort(fieldwriter._fieldid) + tbytes, SideTermInfo.pack(info, start, code))


def postings(side: Sidecar, info: SideTermInfo):
    """(document numbers, weights) of a covered term, or a rebuild error: no other copy exists."""
    found = side.at(info._start, info._code, info)
    if found is None:
        raise IndexUnreadable("the index's posting file (.apx) disagrees with its terms: run `search index rebuild`")
    return found


class SidecarCodec(W3Codec):
    """W3, read through :class:`SidecarTermsReader` (writing is :mod:`index.whoosh_ext.segment`'s),
    its terms table written by :class:`~index.whoosh_ext.terms_table.PackedTermsWriter`."""

    def field_writer(self, storage, segment):
        writer = super().field_writer(storage, segment)
        writer._tindex = PackedTermsWriter.adopt(writer._tindex)
        return writer

    def terms_reader(self, storage, segment):
        tiname = segment.make_filename(self.TERMS_EXT)
        tilen = storage.file_length(tiname)
        tifile = storage.open_file(tiname)
        postfile = segment.open_file(storage, self.POSTS_EXT)
        return SidecarTermsReader(self, tifile, tilen, postfile, open_sidecar(storage, segment))


class SidecarTermsReader(W3TermsReader):
    """W3's terms reader, with the covered fields' TermInfos and postings from the sidecar."""

    def __init__(self, codec, dbfile, length, postfile, side: Sidecar | None):
        super().__init__(codec, dbfile, length, postfile)
        self.covered = frozenset(self._tindex.extras.get(COVERED, ()))
        #: The segment's sidecar (the scorer reads it too), None if it has none.
        self.sidecar = side
        if self.covered and side is None:
            raise IndexUnreadable(f"the index has lost or damaged a posting file ({EXT}): run `search index rebuild`")

    def _decoder(self, fieldname: str):
        return SideTermInfo.from_bytes if fieldname in self.covered else W3TermInfo.from_bytes

    def items(self):
        for keybytes, valbytes in self._tindex.items():
            term = self._keydecoder(keybytes)
            yield term, self._decoder(term[0])(valbytes)

    def items_from(self, fieldname, prefix):
        for keybytes, valbytes in self._tindex.items_from(self._keycoder(fieldname, prefix)):
            term = self._keydecoder(keybytes)
            yield term, self._decoder(term[0])(valbytes)

    def term_info(self, fieldname, tbytes):
        if fieldname not in self.covered:
            return super().term_info(fieldname, tbytes)
        try:
            return SideTermInfo.from_bytes(self._tindex[self._keycoder(fieldname, tbytes)])
        except KeyError:
            raise TermNotFound(f"No term {fieldname}:{tbytes!r}") from None

    def frequency(self, fieldname, tbytes):  # KeyError for a missing term, as W3's
        if fieldname not in self.covered:
            return super().frequency(fieldname, tbytes)
        return SideTermInfo.from_bytes(self._tindex[self._keycoder(fieldname, tbytes)]).weight()

    def doc_frequency(self, fieldname, tbytes):
        if fieldname not in self.covered:
            return super().doc_frequency(fieldname, tbytes)
        return SideTermInfo.from_bytes(self._tindex[self._keycoder(fieldname, tbytes)]).doc_frequency()

    def cursor(self, fieldname, fieldobj):
        if fieldname not in self.covered:
            return super().cursor(fieldname, fieldobj)
        return _SideFieldCursor(self._tindex, fieldname, self._keycoder, self._keydecoder, fieldobj)

    def matcher(self, fieldname, tbytes, format_, scorer=None):
        if fieldname not in self.covered:
            return super().matcher(fieldname, tbytes, format_, scorer)
        info = self.term_info(fieldname, tbytes)
        docs, weights = postings(self.sidecar, info)
        weights = weights.tolist()
        return ListMatcher(docs.tolist(), weights, values_of(format_, weights), format_, scorer=scorer,
                           term=(fieldname, tbytes), terminfo=info)


class _SideFieldCursor(W3FieldCursor):
    """W3's cursor over a covered field's terms: its TermInfos are :class:`SideTermInfo`."""

    def term_info(self):
        if self._pos is None:
            return None
        return SideTermInfo.from_bytes(self._tindex.dbfile.get(self._datapos, self._datalen))

