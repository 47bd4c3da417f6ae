"""Writing whole segments fast: our own inversion, Whoosh's own codec.

Whoosh's writer analyzes every field of every document through a chain of generators
(one ``Token`` per word per filter), then pushes each posting through a pool that pickles
and sorts them all. On Arabic news that costs minutes: the same few hundred thousand word
forms are normalized and stemmed again in every document and every twin field.

:class:`BulkSegmentWriter` is a Whoosh ``SegmentWriter`` whose ``add_document``
tokenizes each text once with :data:`index.analysis.chain.WORD`, maps every distinct surface
form through each field's analyzer once (a memo per analyzer), and keeps per field its
postings as flat arrays, grouped by term when the segment is written. At commit the
postings are written, in order, straight to the codec's field writer; stored fields,
lengths and columns go through the codec's per-document writer exactly as Whoosh's
``add_document`` sends them. The segment it writes therefore reads back as what Whoosh
would write (``tests/test_bulk.py`` checks it posting by posting), though fields
without positions keep their postings in the posting sidecar only (:mod:`index.whoosh_ext.codec`).

What it does not invert itself it leaves to Whoosh in the same writer: fields whose
analyzer is not ours (``id``, ``source``, ``date``...) go through ``field.index``, and
postings from merged segments come through Whoosh's pool and are merged in order.
:func:`supports` says when a schema needs Whoosh's writer instead (term vectors,
spelling fields).

:class:`ParallelWriter` runs :data:`index.build.writing.WRITER_PROCS` forked workers, each
writing its own segments (no merge: like Whoosh's ``multisegment``), for a fresh
generation.
"""

from __future__ import annotations

import gc
import heapq
import multiprocessing
import queue
from array import array
from collections import Counter
from collections.abc import Callable, Iterable

import numpy as np

from whoosh.analysis import CompositeAnalyzer
from whoosh.system import pack_uint
from whoosh.writing import SegmentWriter

from index.whoosh_ext import blocks, codec, sidecar
from index.analysis.chain import WORD, ArabicStopFilter
from index.errors import SearchError
from index.analysis.oneword import word_analysis

#: Postings a worker holds in memory before it writes them out as a segment:
#: about 80 bytes each, so this bounds a worker near 0.6 GB. Measured on the full corpus
#: (summed RSS of the three processes / index size): 8 M → 1,504 MB / 346 MB (one
#: segment per worker); 5 M → 1,231 MB / 396 MB (each extra segment repeats the terms).
#: Since the parent analyzes for the workers and blocks are pickled with protocol 3/4
#: (index.whoosh_ext.blocks): 8 M → 1,310 MB / 254 MB, each worker ending with ~7.1 M postings.
FLUSH_POSTINGS = 8_000_000
#: Documents sent to a worker at a time.
BATCH_DOCUMENTS = 200

#: What a failed build says of a worker that stopped without reporting why.
WORKER_DIED = "a worker process died"


class BuildFailed(SearchError):
    """A worker process could not write its part of the index."""


def _fast_field(field) -> tuple | None:
    """(analyzer, word analysis, renumbers positions, what the format encodes) when we can invert ``field``.

    Its analyzer must be our tokenizer and filters that turn one token into at most one
    (:data:`index.analysis.oneword.STEPS`); positions are kept, or renumbered by the stop filter
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
        #: caller, who may have loaded it from the index (:func:`index.build.memos.load_memos`).
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
        self._single: dict[str, _Encodings] = {}
        #: field name → the postings we invert, as flat arrays until the segment is written.
        self._flat: dict[str, _FlatPostings] = {}
        #: field name → term bytes → [docnums, frequencies, encoded values(, weights)]
        #: (fields Whoosh indexes; ours join them when the segment is written: :meth:`_gather`)
        self._postings: dict[str, dict[bytes, list]] = {}
        #: (field, value type, value) → what ``field.index`` makes of it, for fields that
        #: repeat their values (source, date: a date is eight numeric terms).
        self._indexed: dict[tuple, tuple] = {}
        #: Postings held in memory (see :data:`FLUSH_POSTINGS`).
        self.postings_count = 0

    def add_document(self, **fields):
        self.add_tokenized(fields)

    def add_tokenized(self, fields: dict, tokens: dict[str, array] | None = None, tables: dict | None = None) -> None:
        """``add_document``, where ``tokens`` may give a field's words as numbers into
        the list of term bytes ``tables[analyzer key]`` (:class:`ParallelWriter`)."""
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
                    if fast and tokens and name in tokens:
                        length = self._invert(name, fast, tokens[name], docnum, tables[self._keys[name]])
                    elif fast and isinstance(value, str):
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

    def _invert(self, name: str, fast: tuple, surfaces, docnum: int, table: list | None = None) -> int:
        """Add one field's postings; returns its length (tokens kept).

        ``surfaces`` are the field's words, or with ``table`` their numbers in it.
        Positions are those Whoosh's chain gives: the tokenizer numbers every word; a
        stop filter gives the first kept word its own number and counts up from there.
        """
        analyze, memo, renumbers, kind, fmt = fast
        if table is not None:
            terms = list(map(table.__getitem__, surfaces))
        else:
            try:
                terms = list(map(memo.__getitem__, surfaces))
            except KeyError:  # forms not analyzed yet
                for surface in set(surfaces).difference(memo):
                    memo[surface] = _analyze(analyze, surface)
                terms = list(map(memo.__getitem__, surfaces))
        flat = self._flat.get(name) or self._flat.setdefault(name, _FlatPostings(kind))
        scorable = self.schema[name].scorable
        if kind != "positions":
            counts = Counter(terms)
            counts.pop(None, None)
            flat.add(docnum, counts, counts.values())
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
        once = self._single.get(name) or self._single.setdefault(name, _Encodings(encode))
        lists = positions.values()
        # Most postings have one position: one encoding per position, reused.
        flat.add(docnum, positions, map(len, lists), [once[p[0]] if len(p) == 1 else encode(p) for p in lists])
        self.postings_count += len(positions)
        if not scorable:
            return 0
        return len(kept) if renumbers else sum(term is not None for term in terms)

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
        posting; fields without positions go to the sidecar only (:mod:`index.whoosh_ext.codec`)."""
        writer = self.fieldwriter
        schema = self.schema
        whole = blocks.applies(writer)  # Whoosh's W3 codec: whole posting lists at once
        direct = whole and isinstance(writer._codec, codec.SidecarCodec)
        recorder = sidecar.Recorder(writer)  # posting arrays for queries (index.whoosh_ext.sidecar)
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


class _Encodings(dict):
    """position → the encoding of that single position, made on first use."""

    def __init__(self, encode: Callable[[list[int]], bytes]):
        super().__init__()
        self.encode = encode

    def __missing__(self, pos: int) -> bytes:
        value = self[pos] = self.encode([pos])
        return value


class _Ids(dict):
    """term bytes → its number, numbered in order of first sight."""

    def __missing__(self, term: bytes) -> int:
        number = self[term] = len(self)
        return number


class _FlatPostings:
    """One field's postings as flat arrays (term number, docnum, frequency, value), in
    the order documents came.

    Appending a document's postings is a few C-level ``extend`` calls instead of a
    dictionary lookup and three appends per posting in Python (the per-term lists of
    :meth:`by_term`): that was most of the inversion's time. Grouping by term is one
    stable numpy sort when the segment is written, which keeps docnums ascending.
    """

    def __init__(self, kind: str):
        #: "positions", "frequency" or "existence": what the field's format encodes.
        self.kind = kind
        self.ids = _Ids()
        self.terms = array("i")
        self.docs = array("i")
        self.freqs = array("i")
        #: Encoded positions, one per posting ("positions" only; the others are made from freqs).
        self.values: list[bytes] = []

    def add(self, docnum: int, terms: Iterable[bytes], freqs: Iterable[int], values: list[bytes] | None = None) -> None:
        """One document's postings: its distinct terms, their frequencies (and values)."""
        # Through lists: ``array.extend`` of an iterator resizes once per item.
        numbers = list(map(self.ids.__getitem__, terms))
        self.terms.fromlist(numbers)
        self.docs.extend(array("i", (docnum,)) * len(numbers))
        self.freqs.fromlist(list(freqs))
        if values is not None:
            self.values.extend(values)

    def by_term(self) -> dict[bytes, list]:
        """term bytes → [docnums, frequencies, encoded values], as Whoosh's format would encode them."""
        order = np.argsort(np.frombuffer(self.terms, dtype=np.intc), kind="stable")
        ends = np.cumsum(np.bincount(np.frombuffer(self.terms, dtype=np.intc), minlength=len(self.ids))).tolist()
        docs = np.frombuffer(self.docs, dtype=np.intc)[order].tobytes()
        freqs = np.frombuffer(self.freqs, dtype=np.intc)[order]
        if self.kind == "positions":
            values = list(map(self.values.__getitem__, order.tolist()))
        elif self.kind == "frequency":  # what Frequency.word_values writes, one object per count
            packed = {int(f): pack_uint(int(f)) for f in np.unique(freqs)}
            values = list(map(packed.__getitem__, freqs.tolist()))
        else:
            values = None
        freqs = freqs.tobytes()
        size = self.terms.itemsize
        table = {}
        start = 0
        for term, end in zip(self.ids, ends):
            table[term] = [
                array("i", docs[start * size:end * size]),
                array("i", freqs[start * size:end * size]),
                values[start:end] if values is not None else [],
            ]
            start = end
        return table


def _analyze(analyze, surface: str) -> bytes | None:
    """A word form's first analysis (:func:`index.analysis.oneword.word_analysis`); a function of
    its own so that ``benchmarks/build_breakdown.py`` can time it."""
    return analyze(surface)


def _analyzer_key(analyzer) -> str:
    """A name for an analyzer that survives pickling to a file: its pieces' classes."""
    return "|".join(f"{type(item).__module__}.{type(item).__qualname__}" for item in analyzer.items)


def _work(storage, indexname: str, jobs, analyses, results, limit: int, memos: dict) -> None:
    """A worker: add the documents of every batch, a new segment each ``limit`` postings.

    Before a batch it takes from ``analyses`` every analysis the parent made up to that
    batch (:meth:`ParallelWriter._send`): per analyzer, the terms of the word forms the
    parent numbered, in number order, so a batch's word numbers never miss.
    """
    segments = []
    applied = -1
    tables: dict[str, list[bytes | None]] = {}
    # The cyclic collector keeps walking the millions of posting lists a worker holds
    # (a fifth of its time). It runs once per segment written instead: a finished
    # segment writer leaves cycles behind, and without a collection each one stayed in
    # memory (a 120k-article build, four segments per worker: 1,803 → 1,630 MB peak).
    gc.disable()

    def catch_up(number: int) -> None:
        nonlocal applied
        while applied < number:
            applied, found = analyses.get()
            for key, terms in found.items():
                tables.setdefault(key, []).extend(terms)

    try:
        ix = storage.open_index(indexname)
        writer = BulkSegmentWriter(ix, memos, _lk=False)
        while (job := jobs.get()) is not None:
            number, batch = job
            catch_up(number)
            for fields, tokens in batch:
                writer.add_tokenized(fields, tokens, tables)
                if writer.postings_count >= limit:
                    segments.append(writer._finalize_segment())
                    writer = None
                    gc.collect()
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
    form (stemming and root extraction are most of the analysis). It numbers the forms
    in order of first sight and sends each text as the numbers of its words, which
    spares the workers splitting it again and looking words up by their letters. The
    parent's memo thus holds the analysis of every form indexed, kept in ``analysis.cache``.
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
        #: word form → its number, in order of first sight.
        self.numbers: dict[str, int] = {}

    def add_document(self, **fields) -> None:
        self.buffer.append(fields)
        if len(self.buffer) >= BATCH_DOCUMENTS:
            self._send()

    def _send(self) -> None:
        if self.buffer:
            batch, found = self._analyze(self.buffer)
            for analyses in self.analyses:
                analyses.put((self.batches, found))
            self._put_job((self.batches, batch))
            self.batches += 1
            self.buffer = []

    def _put_job(self, job) -> None:
        """Queue ``job`` for the workers, failing (not waiting forever on a full queue)
        when every worker has stopped before the end: killed (out of memory) or failed.
        While one still runs it drains the queue, and :meth:`commit` reports the other."""
        while True:
            try:
                self.jobs.put(job, timeout=1.0)
                return
            except queue.Full:
                if any(task.is_alive() for task in self.tasks):
                    continue
                try:
                    _, value = self.results.get_nowait()
                except queue.Empty:
                    value = WORKER_DIED
                raise self._failed(value)

    def _analyze(self, batch: list[dict]) -> tuple[list[tuple[dict, dict | None]], dict[str, list[bytes | None]]]:
        """Each document of ``batch`` with its texts as word numbers (field name →
        array; twins share one), and per analyzer key the terms of the forms first
        numbered here, in number order (analyzed into the parent's memo too)."""
        numbers = self.numbers
        keys = self.parent._keys
        analyzers = {keys[name]: (analyze, memo) for name, (analyze, memo, *_) in self.parent._fast.items()}
        found: dict[str, list[bytes | None]] = {key: [] for key in analyzers}
        documents: list[tuple[dict, dict | None]] = []
        for fields in batch:
            if any(name.startswith("_") for name in fields):
                documents.append((fields, None))  # written Whoosh's way
                continue
            tokens: dict[str, array] = {}
            texts: dict[str, array] = {}
            for name in keys:
                value = fields.get(name)
                if not isinstance(value, str):
                    continue
                numbered = texts.get(value)
                if numbered is None:
                    surfaces = WORD.findall(value)
                    for surface in set(surfaces).difference(numbers):
                        numbers[surface] = len(numbers)
                        for key, (analyze, memo) in analyzers.items():
                            if surface not in memo:
                                memo[surface] = _analyze(analyze, surface)
                            found[key].append(memo[surface])
                    numbered = texts[value] = array("i", map(numbers.__getitem__, surfaces))
                tokens[name] = numbered
            documents.append((fields, tokens))
        return documents, found

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
            self._put_job(None)
        segments = []
        for _ in self.tasks:
            status, value = self._result()
            if status != "ok":
                raise self._failed(value)
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
                    return "error", WORKER_DIED

    def _failed(self, why: str) -> BuildFailed:
        """Stop every worker and drop the parent's segment: the error to raise."""
        self.cancel()
        return BuildFailed(f"an indexing process failed ({why}): nothing was changed; try again")

    def cancel(self) -> None:
        for pipe in (self.jobs, *self.analyses):
            pipe.cancel_join_thread()  # what a dead worker did not read is not needed: exit without it
        for task in self.tasks:
            if task.is_alive():
                task.terminate()
            task.join()
        if not self.parent.is_closed:
            self.parent.cancel()
