"""Writing whole segments fast: our own inversion, Whoosh's own codec.

Whoosh's writer analyzes every field of every document through a chain of generators
(one ``Token`` per word per filter), then pushes each posting through a pool that pickles
and sorts them all. On Arabic news that is most of a build: the same few hundred
thousand word forms are normalized and stemmed again in every document and every twin
field.

:class:`BulkSegmentWriter` is a Whoosh ``SegmentWriter`` whose ``add_document``
tokenizes each text once with :func:`index.analysis.chain.words`, maps every distinct surface
form through each field's analyzer once (a memo per analyzer), and keeps per field its
postings as flat arrays (:mod:`index.whoosh_ext.inversion`), grouped by term when the
segment is written. At commit the postings are written, in order, straight to the
codec's field writer; stored fields, lengths and columns go through the codec's
per-document writer exactly as Whoosh's ``add_document`` sends them. The segment it
writes therefore reads back as what Whoosh would write (``tests/index/whoosh_ext/test_bulk.py``
checks it posting by posting), though fields without positions keep their postings in
the posting sidecar only (:mod:`index.whoosh_ext.codec`).

What it does not invert itself it leaves to Whoosh in the same writer: fields whose
analyzer is not ours (``id``, ``source``, ``date``...) go through ``field.index``, and
postings from merged segments come through Whoosh's pool and are merged in order.
:func:`supports` says when a schema needs Whoosh's writer instead (term vectors,
spelling fields). Several of these writers in forked workers make
:class:`index.whoosh_ext.parallel.ParallelWriter`.
"""

from __future__ import annotations

import heapq
import itertools
from array import array
from bisect import bisect_left
from collections.abc import Sequence

import numpy as np
from whoosh.analysis import CompositeAnalyzer
from whoosh.writing import SegmentWriter

from index.analysis.chain import ArabicStopFilter, words
from index.analysis.oneword import WordAnalysis, word_analysis
from index.whoosh_ext import blocks, codec, positional
from index.whoosh_ext.covered import write_field
from index.whoosh_ext.inversion import FlatPostings, Grouped, invert_fields, invert_texts
from index.whoosh_ext.sidecar_writer import Recorder
from index.whoosh_ext.vocabulary import Vocabulary


def _fast_field(field) -> tuple | None:
    """(analyzer, word analysis, renumbers positions, what the format encodes) when we can invert ``field``.

    Its analyzer must be our tokenizer and filters that turn one token into at most one
    (:func:`index.analysis.oneword.word_analysis`); positions are kept, or renumbered by the
    stop filter in the way :meth:`BulkSegmentWriter._invert` reproduces. Any other field is
    analyzed by Whoosh, token by token.
    """
    analyzer = getattr(field, "analyzer", None)
    fmt = field.format
    if not isinstance(analyzer, CompositeAnalyzer) or not fmt or fmt.supports("characters"):
        return None
    analyze = word_analysis(analyzer)
    if analyze is None:
        return None
    kind = "positions" if fmt.supports("positions") else "frequency" if fmt.supports("frequency") else "existence"
    return analyzer, analyze, any(type(f) is ArabicStopFilter for f in analyzer.items), kind


def supports(schema) -> bool:
    """Whether :class:`BulkSegmentWriter` writes this schema exactly as Whoosh would."""
    return not any(field.vector or field.separate_spelling() for _, field in schema.items())


def analyzer_key(analyzer) -> str:
    """A name for an analyzer that survives pickling to a file: its pieces' classes."""
    return "|".join(f"{type(item).__module__}.{type(item).__qualname__}" for item in analyzer.items)


class BulkSegmentWriter(SegmentWriter):
    """A ``SegmentWriter`` that inverts Arabic-analyzed fields itself (see module doc)."""

    def __init__(self, ix, memos: dict | None = None, block_format: blocks.BlockFormat = blocks.OURS, **kwargs):
        kwargs.setdefault("codec", codec.SidecarCodec())  # reads fields kept in the sidecar only
        super().__init__(ix, **kwargs)
        #: How whole posting lists are encoded (:mod:`index.whoosh_ext.blocks`).
        self.block_format = block_format
        #: analyzer key → surface form → term bytes (None: dropped); shared with the
        #: caller, who may have loaded it from the index (:func:`index.build.memos.load_memos`).
        self.memos = {} if memos is None else memos
        #: field name → (word analysis, its memo, renumbers, kind, format) for fields we invert.
        self._fast: dict[str, tuple] = {}
        #: field name → the key of its analyzer's memo in :attr:`memos`, for fields we invert.
        self.analyzer_keys: dict[str, str] = {}
        for name, field in self.schema.items():
            spec = _fast_field(field)
            if spec:
                analyzer, analyze, renumbers, kind = spec
                key = self.analyzer_keys[name] = analyzer_key(analyzer)
                memo = self.memos.setdefault(key, {})
                self._fast[name] = (analyze, memo, renumbers, kind, field.format)
        #: field name → the postings we invert, as flat arrays until the segment is written.
        self._flat: dict[str, FlatPostings] = {}
        #: field name → term bytes → [docnums, frequencies, encoded values(, weights)]
        #: (fields Whoosh indexes; ours join them when the segment is written: :meth:`_gather`)
        self._postings: dict[str, dict[bytes, list]] = {}
        #: (field, value type, value) → what ``field.index`` makes of it, for fields that
        #: repeat their values (source, date: a date is eight numeric terms).
        self._indexed: dict[tuple, tuple] = {}
        #: Postings held in memory (the parallel writer's workers flush by it).
        self.postings_count = 0

    def word_analyses(self) -> dict[str, tuple[WordAnalysis, dict]]:
        """Per analyzer key, its word analysis and its memo (surface form → term bytes)."""
        keys = self.analyzer_keys
        return {keys[name]: (analyze, memo) for name, (analyze, memo, *_) in self._fast.items()}

    def add_document(self, **fields):
        self.add_tokenized(fields)

    def add_tokenized(self, fields: dict, tokens: dict[str, array] | None = None,
                      vocabulary: Vocabulary | None = None) -> None:
        """``add_document``, where ``tokens`` may give a field's words as form numbers of
        ``vocabulary`` (:meth:`add_batch`)."""
        if tokens and vocabulary is not None:
            self.add_batch([(fields, tokens)], vocabulary)
        elif any(name.startswith("_") for name in fields):
            super().add_document(**fields)  # boosts or custom stored values: Whoosh's way
        else:
            self._write_document(fields, {})

    def add_batch(self, batch: Sequence[tuple[dict, dict | None]], vocabulary: Vocabulary, room: int | None = None) -> int:
        """Add documents of ``batch`` whose texts are given as form numbers of
        ``vocabulary`` (a worker's batch, :class:`index.whoosh_ext.parallel.ParallelWriter`),
        each field's texts inverted together (:func:`index.whoosh_ext.inversion.invert_texts`);
        stop after the document whose inverted postings bring :attr:`postings_count` to
        ``room``. Returns how many documents were added (a document given without
        numbers goes alone, Whoosh's way)."""
        run = list(itertools.takewhile(lambda document: document[1], batch))
        if not run:
            self.add_tokenized(batch[0][0])
            return 1
        specs = {name: (vocabulary.forms.get(self.analyzer_keys[name], array("i")), renumbers, kind == "positions")
                 for name, (_, _, renumbers, kind, _) in self._fast.items()}
        inverted, postings = invert_fields([tokens for _, tokens in run], specs)
        taken = len(run)
        if room is not None:
            reached = np.flatnonzero(self.postings_count + np.cumsum(postings) >= room)
            taken = int(reached[0]) + 1 if len(reached) else taken
        lengths: list[dict[str, int]] = [{} for _ in range(taken)]
        for name, (which, found) in inverted.items():
            texts = bisect_left(which, taken)
            flat = self._postings_of(name, vocabulary.spell)
            self.postings_count += flat.add_inverted([self.docnum + i for i in which], found, texts)
            scorable = self.schema[name].scorable
            for i, length in zip(which[:texts], found.lengths[:texts].tolist()):
                lengths[i][name] = length if scorable else 0
        for (fields, _), inverted_lengths in zip(run, lengths):
            self._write_document(fields, inverted_lengths)
        return taken

    def _write_document(self, fields: dict, lengths: dict[str, int]) -> None:
        """Write one document; ``lengths``: those of its fields already inverted (:meth:`add_batch`)."""
        self._check_state()
        schema = self.schema
        docnum = self.docnum
        names = sorted(fields)
        self._check_fields(schema, names)
        pdw = self.perdocwriter
        pdw.start_doc(docnum)
        texts: dict[str, list[str]] = {}
        try:
            for name in names:
                value = fields[name]
                if value is None:
                    continue
                field = schema[name]
                length = 0
                if field.indexed:
                    fast = self._fast.get(name)
                    if name in lengths:
                        length = lengths[name]
                    elif fast and isinstance(value, str):
                        surfaces = texts.get(value)
                        if surfaces is None:
                            surfaces = texts[value] = words(value)
                        length = self._invert(name, fast, surfaces, docnum)
                    else:
                        length = self._index_generic(name, field, value, docnum)
                pdw.add_field(name, field, value if field.stored else None, length)
                column = field.column_type
                if column:
                    pdw.add_column_value(name, column, field.to_column_value(value))
        except Exception:
            pdw.cancel_doc()
            raise
        pdw.finish_doc()
        self._added = True
        self.docnum += 1

    def _invert(self, name: str, fast: tuple, surfaces: list[str], docnum: int) -> int:
        """Add one field's postings; returns its length (tokens kept)."""
        analyze, memo, renumbers, kind, _ = fast
        try:
            terms = list(map(memo.__getitem__, surfaces))
        except KeyError:  # forms not analyzed yet
            for surface in set(surfaces).difference(memo):
                memo[surface] = analyze(surface)
            terms = list(map(memo.__getitem__, surfaces))
        flat = self._postings_of(name)
        inverted = invert_texts([flat.numbers(terms)], None, renumbers, kind == "positions")
        self.postings_count += flat.add_inverted([docnum], inverted, 1)
        return int(inverted.lengths[0]) if self.schema[name].scorable else 0

    def _postings_of(self, name: str, spell=None) -> FlatPostings:
        """A field's flat postings (terms spelled by ``spell`` if numbered)."""
        flat = self._flat.get(name)
        if flat is None:
            _, _, _, kind, fmt = self._fast[name]
            flat = self._flat[name] = FlatPostings(kind, fmt.encode if kind == "positions" else None, spell)
        return flat

    def _finalize_segment(self):
        self._gather()
        return super()._finalize_segment()

    def _gather(self) -> None:
        """Turn our flat postings into the per-term lists the segment is written from."""
        for name in list(self._flat):
            self._postings[name] = self._flat.pop(name).by_term()

    def _index_generic(self, name: str, field, value, docnum: int) -> int:
        """Whoosh's own ``field.index`` for fields we do not invert ourselves."""
        table = self._postings.setdefault(name, {})
        length = 0
        if field.unique:
            postings = field.index(value)
        else:  # a source or a date: few values, each made into terms by Whoosh once
            key = (name, type(value), value)
            try:
                postings = self._indexed[key]
            except KeyError:
                postings = self._indexed[key] = tuple(field.index(value))
            except TypeError:  # unhashable
                postings = field.index(value)
        for tbytes, freq, weight, vbytes in postings:
            entry = table.get(tbytes)
            if entry is None:
                entry = table[tbytes] = [array("i"), array("i"), [], []]
            entry[0].append(docnum)
            entry[1].append(freq)
            entry[2].append(vbytes)
            entry[3].append(weight)
            length += freq
            self.postings_count += 1
        return length if field.scorable else 0

    def _items(self):
        """Our postings as Whoosh's ``(field, term bytes, docnum, weight, value)``, sorted."""
        for name in sorted(self._postings):
            boost = self.schema[name].format.field_boost
            for tbytes, docs, weights, values in self._terms(name, boost):
                for k, docnum in enumerate(docs):
                    yield name, tbytes, docnum, weights[k], values[k] if values else b""

    def _terms(self, name: str, boost: float):
        """(term bytes, docnums, weights, encoded values) of one field, in term order."""
        table = self._postings[name]
        entries = table.sorted_items() if isinstance(table, Grouped) else ((t, table[t]) for t in sorted(table))
        for tbytes, entry in entries:
            if len(entry) > 3:
                weights = entry[3]
            elif boost == 1.0:
                weights = list(map(float, entry[1]))
            else:
                weights = [float(f) * boost for f in entry[1]]
            yield tbytes, entry[0], weights, entry[2]

    def _write_postings(self, lengths) -> None:
        """What ``FieldWriter.add_postings`` does, without a tuple and a length lookup per
        posting; fields without positions go to the sidecar only (:mod:`index.whoosh_ext.codec`)."""
        writer = self.fieldwriter
        schema = self.schema
        whole = blocks.applies(writer)  # Whoosh's W3 codec: whole posting lists at once
        direct = whole and isinstance(writer._codec, codec.SidecarCodec)
        recorder = Recorder(writer)  # posting arrays for queries (index.whoosh_ext.sidecar_writer)
        covered = []
        for name in sorted(self._postings):
            if not self._postings[name]:
                continue
            field = schema[name]
            if lengths:
                doc_length = [lengths.doc_field_length(d, name) for d in range(self.docnum)]
            else:
                doc_length = [0] * self.docnum
            writer.start_field(name, field)
            if direct and codec.covers(field, name in self._fast):
                covered.append(name)
                table = self._postings[name]
                if isinstance(table, Grouped):  # ours: every term at once; Whoosh says None for a length of 0
                    write_field(writer, recorder, table, _array(doc_length))
                else:
                    for tbytes, docs, weights, _ in self._terms(name, field.format.field_boost):
                        codec.write_term(writer, recorder, tbytes, docs, weights, doc_length)
                writer.finish_field()
                continue
            if direct and positional.applies(field, self._postings[name]):  # ours: every term at once
                positional.write_field(writer, recorder, self._postings[name], _array(doc_length), self.block_format)
                writer.finish_field()
                continue
            end = writer._postfile.tell() if whole else None  # then kept here: a tell per term is a system call
            for tbytes, docs, weights, values in self._terms(name, field.format.field_boost):
                if whole:
                    end = blocks.write_term(writer, tbytes, docs, weights, values, doc_length, end, self.block_format)
                else:
                    writer.start_term(tbytes)
                    add = writer.add
                    for k, docnum in enumerate(docs):
                        add(docnum, weights[k], values[k] if values else b"", doc_length[docnum])
                    writer.finish_term()
                recorder.term(docs, weights, end)
            writer.finish_field()
        writer._tindex.extras[codec.COVERED] = covered
        recorder.save(self.storage, self.newsegment)

    def _flush_segment(self):
        self.perdocwriter.close()
        lengths = self.per_document_reader() if self.codec.length_stats else None
        try:
            if self.pool.current or self.pool.runs:  # segments merged in by Whoosh's policy
                items = heapq.merge(self._items(), self.pool.iter_postings())
                self.fieldwriter.add_postings(self.schema, lengths, items)
            else:
                self._write_postings(lengths)
        finally:
            self.fieldwriter.close()
            if lengths:
                lengths.close()
        self._postings = {}


def _array(doc_length: list[int | None]) -> np.ndarray:
    """Each document's length in a field as numpy, 0 where Whoosh says None (a length of 0)."""
    return np.array([n or 0 for n in doc_length], dtype=np.int64)
