"""Writing whole segments fast: our own inversion, Whoosh's own codec.

Whoosh's writer analyzes every field of every document through a chain of generators
(one ``Token`` per word per filter), then pushes each posting through a pool that pickles
and sorts them all. On Arabic news that costs minutes: the same few hundred thousand word
forms are normalized and stemmed again in every document and every twin field.

:class:`BulkSegmentWriter` is a Whoosh ``SegmentWriter`` whose ``add_document``
tokenizes each text once with :data:`index.analysis.WORD`, maps every distinct surface
form through each field's analyzer once (a memo per analyzer), and keeps per field a
dict term → postings. At commit the postings are written, in order, straight to the
codec's field writer; stored fields, lengths and columns go through the codec's
per-document writer exactly as Whoosh's ``add_document`` sends them. The segment it
writes is therefore what Whoosh would write (``tests/test_bulk.py`` checks it posting
by posting).

What it does not invert itself it leaves to Whoosh in the same writer: fields whose
analyzer is not ours (``id``, ``source``, ``date``...) go through ``field.index``, and
postings from merged segments come through Whoosh's pool and are merged in order.
:func:`supports` says when a schema needs Whoosh's writer instead (term vectors,
spelling fields).

:class:`ParallelWriter` runs :data:`index.writing.WRITER_PROCS` forked workers, each
writing its own segments (no merge: like Whoosh's ``multisegment``), for a fresh
generation.
"""

from __future__ import annotations

import heapq
import multiprocessing
import queue
from array import array

from whoosh.analysis import CompositeAnalyzer
from whoosh.system import pack_uint
from whoosh.writing import SegmentWriter

from index.analysis import (
    WORD,
    ArabicNormalizer,
    ArabicRootFilter,
    ArabicStemFilter,
    ArabicStopFilter,
    ArabicTokenizer,
)
from index import sidecar
from index.errors import SearchError

#: Filters that turn one token into at most one token and keep positions (or, for the
#: stop filter, renumber them in a way :meth:`BulkSegmentWriter._invert` reproduces).
#: A field whose analyzer has any other filter is analyzed by Whoosh, token by token.
ONE_TO_ONE_FILTERS = (ArabicNormalizer, ArabicStopFilter, ArabicStemFilter, ArabicRootFilter)

#: Postings a worker holds in memory before it writes them out as a segment:
#: about 80 bytes each, so this bounds a worker near 0.6 GB. Measured on the full corpus
#: (summed RSS of the three processes / index size): 8 M → 1,504 MB / 346 MB (one
#: segment per worker); 5 M → 1,231 MB / 396 MB (each extra segment repeats the terms).
FLUSH_POSTINGS = 8_000_000
#: Documents sent to a worker at a time.
BATCH_DOCUMENTS = 200

_MISSING = object()


class BuildFailed(SearchError):
    """A worker process could not write its part of the index."""


def _fast_field(field) -> tuple | None:
    """(analyzer, renumbers positions, what the format encodes) when we can invert ``field``."""
    analyzer = getattr(field, "analyzer", None)
    fmt = field.format
    if not isinstance(analyzer, CompositeAnalyzer) or not fmt:
        return None
    first, *rest = analyzer.items
    if type(first) is not ArabicTokenizer or any(type(f) not in ONE_TO_ONE_FILTERS for f in rest):
        return None
    if fmt.supports("characters"):
        return None
    kind = "positions" if fmt.supports("positions") else "frequency" if fmt.supports("frequency") else "existence"
    return analyzer, any(type(f) is ArabicStopFilter for f in rest), kind


def supports(schema) -> bool:
    """Whether :class:`BulkSegmentWriter` writes this schema exactly as Whoosh would."""
    return not any(field.vector or field.separate_spelling() for _, field in schema.items())


class BulkSegmentWriter(SegmentWriter):
    """A ``SegmentWriter`` that inverts Arabic-analyzed fields itself (see module doc)."""

    def __init__(self, ix, memos: dict | None = None, **kwargs):
        super().__init__(ix, **kwargs)
        #: analyzer key → surface form → term bytes (None: dropped); shared with the
        #: caller, who may have loaded it from the index (:func:`index.memos.load_memos`).
        self.memos = {} if memos is None else memos
        #: field name → (analyzer, its memo, renumbers, kind, format) for fields we invert.
        self._fast: dict[str, tuple] = {}
        for name, field in self.schema.items():
            spec = _fast_field(field)
            if spec:
                analyzer, renumbers, kind = spec
                memo = self.memos.setdefault(_analyzer_key(analyzer), {})
                self._fast[name] = (analyzer, memo, renumbers, kind, field.format)
        #: field name → position → that one position encoded by the field's format.
        self._single: dict[str, dict[int, bytes]] = {}
        #: field name → term bytes → [docnums, frequencies, encoded values(, weights)]
        self._postings: dict[str, dict[bytes, list]] = {}
        #: Postings held in memory (see :data:`FLUSH_POSTINGS`).
        self.postings_count = 0

    def add_document(self, **fields):
        if any(name.startswith("_") for name in fields):
            return super().add_document(**fields)  # boosts or custom stored values: Whoosh's way
        self._check_state()
        schema = self.schema
        docnum = self.docnum
        names = sorted(fields)
        self._check_fields(schema, names)
        pdw = self.perdocwriter
        pdw.start_doc(docnum)
        words: dict[str, list[str]] = {}
        try:
            for name in names:
                value = fields[name]
                if value is None:
                    continue
                field = schema[name]
                length = 0
                if field.indexed:
                    fast = self._fast.get(name)
                    if fast and isinstance(value, str):
                        surfaces = words.get(value)
                        if surfaces is None:
                            surfaces = words[value] = WORD.findall(value)
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
        """Add one field's postings; returns its length (tokens kept).

        Positions are those Whoosh's chain gives: the tokenizer numbers every word; a
        stop filter gives the first kept word its own number and counts up from there.
        """
        analyzer, memo, renumbers, kind, fmt = fast
        get = memo.get
        positions: dict[bytes, list[int]] = {}
        pos = -1
        kept = 0
        for i, surface in enumerate(surfaces):
            term = get(surface, _MISSING)
            if term is _MISSING:
                term = memo[surface] = _analyze(analyzer, surface)
            if term is None:
                continue
            pos = (i if kept == 0 else pos + 1) if renumbers else i
            kept += 1
            found = positions.get(term)
            if found is None:
                positions[term] = [pos]
            else:
                found.append(pos)
        table = self._postings.setdefault(name, {})
        encode = fmt.encode if kind == "positions" else None
        once = self._single.setdefault(name, {})
        for term, poslist in positions.items():
            entry = table.get(term)
            if entry is None:
                entry = table[term] = [array("i"), array("i"), []]
            entry[0].append(docnum)
            entry[1].append(len(poslist))
            if kind == "positions":
                if len(poslist) == 1:  # most postings: one encoding per position, reused
                    value = once.get(poslist[0])
                    if value is None:
                        value = once[poslist[0]] = encode(poslist)
                    entry[2].append(value)
                else:
                    entry[2].append(encode(poslist))
            elif kind == "frequency":
                entry[2].append(pack_uint(len(poslist)))  # what Frequency.word_values writes
        self.postings_count += len(positions)
        return kept if self.schema[name].scorable else 0

    def _index_generic(self, name: str, field, value, docnum: int) -> int:
        """Whoosh's own ``field.index`` for fields we do not invert ourselves."""
        table = self._postings.setdefault(name, {})
        length = 0
        for tbytes, freq, weight, vbytes in field.index(value):
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
        for tbytes in sorted(table):
            entry = table[tbytes]
            weights = entry[3] if len(entry) > 3 else [float(f) * boost for f in entry[1]]
            yield tbytes, entry[0], weights, entry[2]

    def _write_postings(self, lengths) -> None:
        """What ``FieldWriter.add_postings`` does, without a tuple and a length lookup per posting."""
        writer = self.fieldwriter
        schema = self.schema
        recorder = sidecar.Recorder(writer)  # posting arrays for queries (index.sidecar)
        for name in sorted(self._postings):
            if not self._postings[name]:
                continue
            field = schema[name]
            if lengths:
                doc_length = [lengths.doc_field_length(d, name) for d in range(self.docnum)]
            else:
                doc_length = [0] * self.docnum
            writer.start_field(name, field)
            for tbytes, docs, weights, values in self._terms(name, field.format.field_boost):
                writer.start_term(tbytes)
                add = writer.add
                for k, docnum in enumerate(docs):
                    add(docnum, weights[k], values[k] if values else b"", doc_length[docnum])
                writer.finish_term()
                recorder.term(docs, weights)
            writer.finish_field()
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


def _analyze(analyzer, surface: str) -> bytes | None:
    """The one term ``analyzer`` makes of one word (as index bytes), or None when it drops the word."""
    terms = [t.text for t in analyzer(surface, mode="index")]
    return terms[0].encode("utf-8") if terms else None


def _analyzer_key(analyzer) -> str:
    """A name for an analyzer that survives pickling to a file: its pieces' classes."""
    return "|".join(f"{type(item).__module__}.{type(item).__qualname__}" for item in analyzer.items)


def _work(storage, indexname: str, jobs, results, limit: int, memos: dict) -> None:
    """A worker: add the documents of every batch, a new segment each ``limit`` postings."""
    segments = []
    try:
        ix = storage.open_index(indexname)
        writer = BulkSegmentWriter(ix, memos, _lk=False)
        while (batch := jobs.get()) is not None:
            for fields in batch:
                writer.add_document(**fields)
                if writer.postings_count >= limit:
                    segments.append(writer._finalize_segment())
                    writer = BulkSegmentWriter(ix, memos, _lk=False)
        if writer._added:
            segments.append(writer._finalize_segment())
        else:
            writer._close_segment()
        results.put(("ok", (segments, memos)))
    except BaseException as exc:  # reported by the parent as one line
        results.put(("error", f"{type(exc).__name__}: {exc}"))


class ParallelWriter:
    """Fresh-generation writer: documents go in batches to forked workers.

    Workers are forked when the writer is made, before the caller starts a progress
    thread (a fork taken while another thread holds a lock can hang the child). The
    parent keeps a Whoosh writer for the lock, deletions and the table of contents.
    """

    def __init__(self, ix, procs: int, limit: int = FLUSH_POSTINGS, memos: dict | None = None):
        self.parent = BulkSegmentWriter(ix, memos)
        self.memos = self.parent.memos
        context = multiprocessing.get_context("fork")
        self.jobs = context.Queue(procs * 2)
        self.results = context.Queue()
        self.tasks = [
            context.Process(target=_work, args=(ix.storage, ix.indexname, self.jobs, self.results, limit, self.memos), daemon=True)
            for _ in range(procs)
        ]
        for task in self.tasks:
            task.start()
        self.buffer: list[dict] = []

    def add_document(self, **fields) -> None:
        self.buffer.append(fields)
        if len(self.buffer) >= BATCH_DOCUMENTS:
            self._send()

    def _send(self) -> None:
        if self.buffer:
            self.jobs.put(self.buffer)
            self.buffer = []

    def delete_by_term(self, fieldname: str, text: str) -> int:
        return self.parent.delete_by_term(fieldname, text)

    def update_document(self, **fields) -> None:
        # Fresh generation: only documents of this session exist, all in workers.
        self.add_document(**fields)

    def commit(self) -> None:
        self._send()
        for _ in self.tasks:
            self.jobs.put(None)
        segments = []
        for _ in self.tasks:
            status, value = self._result()
            if status != "ok":
                self.cancel()
                raise BuildFailed(f"an indexing process failed ({value}): nothing was changed; try again")
            found, memos = value
            segments += found
            for key, memo in memos.items():
                self.memos.setdefault(key, {}).update(memo)
        for task in self.tasks:
            task.join()
        parent = self.parent
        final = parent._merge_segments(None, None, None) + segments
        if parent._added:
            final.append(parent._finalize_segment())
        else:
            parent._close_segment()
        parent._commit_toc(final)
        parent._finish()

    def _result(self) -> tuple[str, object]:
        while True:
            try:
                return self.results.get(timeout=1.0)
            except queue.Empty:
                if any(task.exitcode not in (None, 0) for task in self.tasks):
                    return "error", "a worker process died"

    def cancel(self) -> None:
        for task in self.tasks:
            if task.is_alive():
                task.terminate()
            task.join()
        if not self.parent.is_closed:
            self.parent.cancel()
