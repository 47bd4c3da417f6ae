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
writes therefore reads back as what Whoosh would write (``tests/test_bulk.py`` checks it
posting by posting), though fields without positions keep their postings in the
posting sidecar only (:mod:`index.codec`).

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
from collections import Counter

from whoosh.analysis import CompositeAnalyzer
from whoosh.system import pack_uint
from whoosh.writing import SegmentWriter

from index import blocks, codec, sidecar
from index.analysis import WORD, ArabicStopFilter
from index.errors import SearchError
from index.oneword import word_analysis

#: Postings a worker holds in memory before it writes them out as a segment:
#: about 80 bytes each, so this bounds a worker near 0.6 GB. Measured on the full corpus
#: (summed RSS of the three processes / index size): 8 M → 1,504 MB / 346 MB (one
#: segment per worker); 5 M → 1,231 MB / 396 MB (each extra segment repeats the terms).
#: Since the parent analyzes for the workers and blocks are pickled with protocol 3/4
#: (index.blocks): 8 M → 1,310 MB / 254 MB, each worker ending with ~7.1 M postings.
FLUSH_POSTINGS = 8_000_000
#: Documents sent to a worker at a time.
BATCH_DOCUMENTS = 200

class BuildFailed(SearchError):
    """A worker process could not write its part of the index."""


def _fast_field(field) -> tuple | None:
    """(analyzer, word analysis, renumbers positions, what the format encodes) when we can invert ``field``.

    Its analyzer must be our tokenizer and filters that turn one token into at most one
    (:data:`index.oneword.STEPS`); positions are kept, or renumbered by the stop filter
    in the way :meth:`BulkSegmentWriter._invert` reproduces. Any other field is analyzed
    by Whoosh, token by token.
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


class BulkSegmentWriter(SegmentWriter):
    """A ``SegmentWriter`` that inverts Arabic-analyzed fields itself (see module doc)."""

    def __init__(self, ix, memos: dict | None = None, **kwargs):
        kwargs.setdefault("codec", codec.SidecarCodec())  # reads fields kept in the sidecar only
        super().__init__(ix, **kwargs)
        #: analyzer key → surface form → term bytes (None: dropped); shared with the
        #: caller, who may have loaded it from the index (:func:`index.memos.load_memos`).
        self.memos = {} if memos is None else memos
        #: field name → (word analysis, its memo, renumbers, kind, format) for fields we invert.
        self._fast: dict[str, tuple] = {}
        #: field name → the key of its analyzer's memo in :attr:`memos`.
        self._keys: dict[str, str] = {}
        for name, field in self.schema.items():
            spec = _fast_field(field)
            if spec:
                analyzer, analyze, renumbers, kind = spec
                key = self._keys[name] = _analyzer_key(analyzer)
                memo = self.memos.setdefault(key, {})
                self._fast[name] = (analyze, memo, renumbers, kind, field.format)
        #: field name → position → that one position encoded by the field's format.
        self._single: dict[str, dict[int, bytes]] = {}
        #: frequency → its encoding (frequency-only fields): one object, not one per posting.
        self._packed: dict[int, bytes] = {}
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
        analyze, memo, renumbers, kind, fmt = fast
        try:
            terms = list(map(memo.__getitem__, surfaces))
        except KeyError:  # forms not analyzed yet (the parallel writer's parent analyzed them all)
            for surface in set(surfaces).difference(memo):
                memo[surface] = _analyze(analyze, surface)
            terms = list(map(memo.__getitem__, surfaces))
        table = self._postings.setdefault(name, {})
        scorable = self.schema[name].scorable
        if kind != "positions":
            counts = Counter(terms)
            counts.pop(None, None)
            packed = self._packed
            for term, freq in counts.items():
                entry = table.get(term)
                if entry is None:
                    entry = table[term] = [array("i"), array("i"), []]
                entry[0].append(docnum)
                entry[1].append(freq)
                if kind == "frequency":  # what Frequency.word_values writes, one object per count
                    value = packed.get(freq)
                    if value is None:
                        value = packed[freq] = pack_uint(freq)
                    entry[2].append(value)
            self.postings_count += len(counts)
            return sum(counts.values()) if scorable else 0
        if renumbers:
            kept = [term for term in terms if term is not None]
            numbered = enumerate(kept, terms.index(kept[0]) if kept else 0)
        else:
            kept = terms
            numbered = ((i, term) for i, term in enumerate(terms) if term is not None)
        positions: dict[bytes, list[int]] = {}
        for pos, term in numbered:
            if term in positions:
                positions[term].append(pos)
            else:
                positions[term] = [pos]
        encode = fmt.encode
        once = self._single.setdefault(name, {})
        for term, poslist in positions.items():
            entry = table.get(term)
            if entry is None:
                entry = table[term] = [array("i"), array("i"), []]
            entry[0].append(docnum)
            entry[1].append(len(poslist))
            if len(poslist) == 1:  # most postings: one encoding per position, reused
                value = once.get(poslist[0])
                if value is None:
                    value = once[poslist[0]] = encode(poslist)
                entry[2].append(value)
            else:
                entry[2].append(encode(poslist))
        self.postings_count += len(positions)
        if not scorable:
            return 0
        return len(kept) if renumbers else sum(term is not None for term in terms)

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
            if len(entry) > 3:
                weights = entry[3]
            elif boost == 1.0:
                weights = list(map(float, entry[1]))
            else:
                weights = [float(f) * boost for f in entry[1]]
            yield tbytes, entry[0], weights, entry[2]

    def _write_postings(self, lengths) -> None:
        """What ``FieldWriter.add_postings`` does, without a tuple and a length lookup per
        posting; fields without positions go to the sidecar only (:mod:`index.codec`)."""
        writer = self.fieldwriter
        schema = self.schema
        whole = blocks.applies(writer)  # Whoosh's W3 codec: whole posting lists at once
        direct = whole and isinstance(writer._codec, codec.SidecarCodec)
        recorder = sidecar.Recorder(writer)  # posting arrays for queries (index.sidecar)
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
                for tbytes, docs, weights, _ in self._terms(name, field.format.field_boost):
                    codec.write_term(writer, recorder, tbytes, docs, weights, doc_length)
                writer.finish_field()
                continue
            for tbytes, docs, weights, values in self._terms(name, field.format.field_boost):
                if whole:
                    blocks.write_term(writer, tbytes, docs, weights, values, doc_length)
                else:
                    writer.start_term(tbytes)
                    add = writer.add
                    for k, docnum in enumerate(docs):
                        add(docnum, weights[k], values[k] if values else b"", doc_length[docnum])
                    writer.finish_term()
                recorder.term(docs, weights)
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


def _analyze(analyze, surface: str) -> bytes | None:
    """A word form's first analysis (:func:`index.oneword.word_analysis`); a function of
    its own so that ``benchmarks/build_breakdown.py`` can time it."""
    return analyze(surface)


def _analyzer_key(analyzer) -> str:
    """A name for an analyzer that survives pickling to a file: its pieces' classes."""
    return "|".join(f"{type(item).__module__}.{type(item).__qualname__}" for item in analyzer.items)


def _work(storage, indexname: str, jobs, analyses, results, limit: int, memos: dict) -> None:
    """A worker: add the documents of every batch, a new segment each ``limit`` postings.

    Before a batch it takes from ``analyses`` every analysis the parent made up to that
    batch (:meth:`ParallelWriter._send`), so its own memo lookups never miss.
    """
    segments = []
    applied = -1

    def catch_up(number: int) -> None:
        nonlocal applied
        while applied < number:
            applied, found = analyses.get()
            for key, memo in found.items():
                memos.setdefault(key, {}).update(memo)

    try:
        ix = storage.open_index(indexname)
        writer = BulkSegmentWriter(ix, memos, _lk=False)
        while (job := jobs.get()) is not None:
            number, batch = job
            catch_up(number)
            for fields in batch:
                writer.add_document(**fields)
                if writer.postings_count >= limit:
                    segments.append(writer._finalize_segment())
                    writer = BulkSegmentWriter(ix, memos, _lk=False)
        if writer._added:
            segments.append(writer._finalize_segment())
        else:
            writer._close_segment()
        while analyses.get() is not None:  # empty the pipe, or the parent cannot exit
            pass
        results.put(("ok", segments))
    except BaseException as exc:  # reported by the parent as one line
        results.put(("error", f"{type(exc).__name__}: {exc}"))


class ParallelWriter:
    """Fresh-generation writer: documents go in batches to forked workers.

    Workers are forked when the writer is made, before the caller starts a progress
    thread (a fork taken while another thread holds a lock can hang the child). The
    parent keeps a Whoosh writer for the lock, deletions and the table of contents.

    The parent analyzes each new word form once and sends every worker the analyses
    made for each batch: left to themselves, both workers would analyze every common
    form (stemming and root extraction are most of the analysis). The parent's memo
    thus holds the analysis of every form indexed, kept in ``analysis.cache``.
    """

    def __init__(self, ix, procs: int, limit: int = FLUSH_POSTINGS, memos: dict | None = None):
        self.parent = BulkSegmentWriter(ix, memos)
        self.memos = self.parent.memos
        context = multiprocessing.get_context("fork")
        self.jobs = context.Queue(procs * 2)
        self.analyses = [context.Queue() for _ in range(procs)]
        self.results = context.Queue()
        self.tasks = [
            context.Process(
                target=_work,
                args=(ix.storage, ix.indexname, self.jobs, analyses, self.results, limit, self.memos),
                daemon=True,
            )
            for analyses in self.analyses
        ]
        for task in self.tasks:
            task.start()
        self.buffer: list[dict] = []
        self.batches = 0

    def add_document(self, **fields) -> None:
        self.buffer.append(fields)
        if len(self.buffer) >= BATCH_DOCUMENTS:
            self._send()

    def _send(self) -> None:
        if self.buffer:
            found = self._analyze(self.buffer)
            for analyses in self.analyses:
                analyses.put((self.batches, found))
            self.jobs.put((self.batches, self.buffer))
            self.batches += 1
            self.buffer = []

    def _analyze(self, batch: list[dict]) -> dict[str, dict[str, bytes | None]]:
        """Analyze the word forms of ``batch`` not seen before (into the parent's memo);
        returns them by analyzer key, for the workers."""
        found: dict[str, dict[str, bytes | None]] = {}
        for fields in batch:
            words: dict[str, set[str]] = {}
            for name, (analyze, memo, *_) in self.parent._fast.items():
                value = fields.get(name)
                if not isinstance(value, str):
                    continue
                surfaces = words.get(value)
                if surfaces is None:
                    surfaces = words[value] = set(WORD.findall(value))
                new = surfaces.difference(memo)
                if new:
                    out = found.setdefault(self.parent._keys[name], {})
                    for surface in new:
                        out[surface] = memo[surface] = _analyze(analyze, surface)
        return found

    def delete_by_term(self, fieldname: str, text: str) -> int:
        return self.parent.delete_by_term(fieldname, text)

    def update_document(self, **fields) -> None:
        # Fresh generation: only documents of this session exist, all in workers.
        self.add_document(**fields)

    def commit(self) -> None:
        self._send()
        for analyses in self.analyses:
            analyses.put(None)
        for _ in self.tasks:
            self.jobs.put(None)
        segments = []
        for _ in self.tasks:
            status, value = self._result()
            if status != "ok":
                self.cancel()
                raise BuildFailed(f"an indexing process failed ({value}): nothing was changed; try again")
            segments += value
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
        for analyses in self.analyses:
            analyses.cancel_join_thread()  # what a dead worker did not read is not needed
        for task in self.tasks:
            if task.is_alive():
                task.terminate()
            task.join()
        if not self.parent.is_closed:
            self.parent.cancel()
