"""Writing a fresh generation with forked workers, each filling its own segments.

:class:`ParallelWriter` hands batches of documents to worker processes, each running a
:class:`index.whoosh_ext.segment.BulkSegmentWriter` and writing its own segments (like
Whoosh's ``multisegment``). The parent analyzes each new word form once for every
worker; at the end it merges the segments into one when there are more than
``merge_above`` (:mod:`index.whoosh_ext.merge`), and commits the table of contents.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import queue
from array import array
from collections.abc import Callable

from index.analysis.chain import words
from index.build.limits import BuildSettings, FlushRule, build_resident
from index.build.memos import Analyses
from index.errors import BuildFailed
from index.whoosh_ext.segment import BulkSegmentWriter
from index.whoosh_ext.vocabulary import FirstSight, News, TermNumbers, Vocabulary

#: Postings a worker holds in memory before it writes them out as a segment, unless the
#: caller says otherwise (a build passes its memory setting's rule:
#: :meth:`index.build.limits.BuildSettings.flush_rule`). This bounds a worker's
#: memory; each extra segment repeats the common terms, so a lower limit makes the
#: index larger (benchmarks/README.md, "Build memory").
FLUSH_POSTINGS = 8_000_000
#: Documents sent to a worker at a time.
BATCH_DOCUMENTS = 200
#: Batches queued per worker (the parent reads on while it writes a segment); two each
#: hold as many in the parent as the one shared queue of four before.
JOBS_AHEAD = 2

#: What a failed build says of a worker that stopped without reporting why.
WORKER_DIED = "a worker process died"


def _give_back() -> None:
    """Return the memory a written segment freed to the system (glibc's ``malloc_trim``).

    Without it a worker stayed 70–100 MB higher after each segment (the heap's free
    blocks stay mapped), and its next segment started from there: a build's peak grew with
    its number of segments instead of staying at the budget's."""
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: its allocator decides
        pass


def _work(storage, indexname: str, number: int, jobs, analyses, results, limit: FlushRule, memos: dict, wanted) -> None:
    """Worker ``number``: add the documents of every batch of its ``jobs``, a new segment
    when ``limit`` says so (checked against the postings held after each document, against
    the build's memory after each batch), and report its segments with its number.

    Before a batch it takes from ``analyses`` every analysis the parent made up to that
    batch (:meth:`ParallelWriter._send`): the terms the parent numbered and per analyzer
    the term numbers of the word forms it numbered (:mod:`index.whoosh_ext.vocabulary`),
    so a batch's word numbers never miss. ``wanted``
    (shared) keeps the most memory a small segment said the build needed
    (:meth:`FlushRule.wanted`).
    """
    segments = []
    applied = -1
    vocabulary = Vocabulary()
    # The cyclic collector would keep walking the millions of posting lists a worker
    # holds. It runs once per segment written instead: a finished segment writer
    # leaves cycles behind, and without a collection each one would stay in memory
    # until the worker exits.
    gc.disable()

    def catch_up(number: int) -> None:
        nonlocal applied
        while applied < number:
            applied, news = analyses.get()
            vocabulary.extend(news)

    try:
        ix = storage.open_index(indexname)
        writer = BulkSegmentWriter(ix, memos, _lk=False)

        def flush() -> BulkSegmentWriter:
            nonlocal writer
            segments.append(writer._finalize_segment())
            writer = None
            gc.collect()
            _give_back()
            return BulkSegmentWriter(ix, memos, _lk=False)

        while (job := jobs.get()) is not None:
            number, batch = job
            catch_up(number)
            while batch:
                batch = batch[writer.add_batch(batch, vocabulary, limit.postings):]
                if writer.postings_count >= limit.postings:
                    writer = flush()
            if writer._added and limit.due(writer.postings_count, build := build_resident()):
                with wanted.get_lock():
                    wanted.value = max(wanted.value, limit.wanted(writer.postings_count, build or 0))
                writer = flush()
        if writer._added:
            segments.append(writer._finalize_segment())
        else:
            writer._close_segment()
        while analyses.get() is not None:  # empty the pipe, or the parent cannot exit
            pass
        results.put(("ok", (number, segments)))
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
    parent thus holds the analysis of every form indexed (:attr:`memos`), kept in ``analysis.cache``.
    """

    def __init__(self, ix, procs: int, limit: FlushRule | int = FLUSH_POSTINGS, memos: dict | None = None,
                 merge_above: int | None = None, phase: Callable[[str], None] | None = None, fan_in: int = BuildSettings.merge_fan_in):
        #: More segments than this are merged into one at commit (:mod:`index.whoosh_ext.merge`); None: never.
        self.merge_above = merge_above
        #: Segments merged at a time (:func:`index.whoosh_ext.merge.merge_in_rounds`).
        self.fan_in = fan_in
        #: Told each step of that merge as it begins (a build's progress: one line each).
        self.phase = phase
        self.parent = BulkSegmentWriter(ix, memos)
        context = multiprocessing.get_context("fork")
        # Batches go to the workers in turn and segments are listed in worker order: the
        # same input gets the same document numbers in every build, so score ties (broken
        # by document number) rank the same. A shared queue gave batches to whoever was free.
        self.jobs = [context.Queue(JOBS_AHEAD) for _ in range(procs)]
        self.analyses = [context.Queue() for _ in range(procs)]
        self.results = context.Queue()
        #: The memory setting the workers' small segments said the build needed (0: none small).
        self.wanted_memory = context.Value("q", 0)
        if not isinstance(limit, FlushRule):
            limit = FlushRule(limit)
        self.tasks = [
            context.Process(
                target=_work,
                args=(ix.storage, ix.indexname, number, jobs, analyses, self.results, limit, self.parent.memos,
                      self.wanted_memory),
                daemon=True,
            )
            for number, (jobs, analyses) in enumerate(zip(self.jobs, self.analyses))
        ]
        for task in self.tasks:
            task.start()
        self.buffer: list[dict] = []
        self.batches = 0
        self.segments: list | None = None  # the workers', once finish() has them
        #: word form → its number, in order of first sight.
        self.numbers = FirstSight()
        #: The term of every numbered form under each analyzer, as numbers: the workers'
        #: tables. Not a memo per analyzer keyed by form as well: three more dictionaries
        #: of the whole vocabulary cost the parent ~30 MB at 30k articles
        #: (benchmarks/README.md, "Build memory"); :attr:`memos` is made from it at the end.
        self.terms = TermNumbers(self.parent.word_analyses())

    @property
    def memos(self) -> dict[str, dict[str, bytes | None]]:
        """Analyzer key → word form → term: the analyses given plus every form numbered
        (the next add's ``analysis.cache``), made when asked, once the workers are done."""
        given = self.parent.memos
        return {key: {**given.get(key, {}), **memo} for key, memo in self._tables().memos().items()}

    def analysis_cache(self) -> Analyses | dict:
        """:attr:`memos` as the analysis cache keeps them: this writer's own tables, without
        a dictionary per analyzer, unless it was given analyses to add them to."""
        return self.memos if any(self.parent.memos.values()) else self._tables()

    def _tables(self) -> Analyses:
        """Every form numbered (in number order, as the term numbers are) and its term under each analyzer."""
        return Analyses(list(self.numbers), self.terms.spelled(), dict(self.terms.forms))

    def add_document(self, **fields) -> None:
        self.buffer.append(fields)
        if len(self.buffer) >= BATCH_DOCUMENTS:
            self._send()

    def _send(self) -> None:
        if self.buffer:
            batch, news = self._analyze(self.buffer)
            for analyses in self.analyses:
                analyses.put((self.batches, news))
            self._put_job(self.batches % len(self.tasks), (self.batches, batch))
            self.batches += 1
            self.buffer = []

    def _put_job(self, worker: int, job) -> None:
        """Queue ``job`` for worker number ``worker``, failing (not waiting forever on a
        full queue) when that worker has stopped before the end: killed (out of memory)
        or failed."""
        while True:
            try:
                self.jobs[worker].put(job, timeout=1.0)
                return
            except queue.Full:
                if self.tasks[worker].is_alive():
                    continue
                try:
                    _, value = self.results.get_nowait()
                except queue.Empty:
                    value = WORKER_DIED
                raise self._failed(value)

    def _analyze(self, batch: list[dict]) -> tuple[list[tuple[dict, dict | None]], News]:
        """Each document of ``batch`` with its texts as word numbers (field name →
        array; twins share one), and the terms and forms first numbered here
        (:meth:`TermNumbers.news`; kept in :attr:`terms` too)."""
        number = self.numbers.__getitem__
        keys = self.parent.analyzer_keys
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
                    numbered = texts[value] = array("i", map(number, words(value)))
                tokens[name] = numbered
            documents.append((fields, tokens))
        new = self.numbers.taken()
        # Each form through every analyzer in a row: they share its normalization
        # and stop-word check (index.analysis.oneword._filters remembers the last word).
        analyses = [(key, analyze, memo, []) for key, (analyze, memo) in self.parent.word_analyses().items()]
        for surface in new:
            for _, analyze, memo, terms in analyses:
                terms.append(memo[surface] if surface in memo else analyze(surface))
        for key, _, _, terms in analyses:
            self.terms.extend(key, terms)
        return documents, self.terms.news()

    def delete_by_term(self, fieldname: str, text: str) -> int:
        return self.parent.delete_by_term(fieldname, text)

    def update_document(self, **fields) -> None:
        # Fresh generation: only documents of this session exist, all in workers.
        self.add_document(**fields)

    def finish(self) -> None:
        """Every document written, nothing committed (:meth:`commit` merges and commits):
        the caller may let its own state go before the merge takes memory."""
        if self.segments is not None:
            return
        self._send()
        for analyses in self.analyses:
            analyses.put(None)
        for worker in range(len(self.tasks)):
            self._put_job(worker, None)
        found = {}
        for _ in self.tasks:
            status, value = self._result()
            if status != "ok":
                raise self._failed(value)
            number, segments = value
            found[number] = segments
        for task in self.tasks:
            task.join()
        self.segments = [segment for number in sorted(found) for segment in found[number]]

    def forget_vocabulary(self) -> None:
        """Let the word numbers and terms go (once :attr:`memos` is saved): the merge does not need them."""
        self.numbers = FirstSight()
        self.terms = TermNumbers(self.terms.forms)

    def commit(self) -> None:
        self.finish()
        parent = self.parent
        final = parent._merge_segments(None, None, None) + self.segments
        if parent._added:
            final.append(parent._finalize_segment())
        else:
            parent._close_segment()
        if self.merge_above is not None and len(final) > self.merge_above:
            gc.collect()  # what the caller let go of (Batch.commit) is the merge's to use
            _give_back()
            final = self._merged(final)
        parent._commit_toc(final)
        parent._finish()

    def _merged(self, segments: list) -> list:
        """``segments`` as one (:func:`index.whoosh_ext.merge.merge_in_rounds`), or as
        they are when the merge refuses them (never a fresh build's); any other error or
        an interrupt cancels the build: the generation is not committed."""
        from index.whoosh_ext.merge import NotMergeable, merge_in_rounds

        parent = self.parent
        try:
            return [merge_in_rounds(parent.storage, parent.schema, parent.indexname, segments, self.fan_in, self.phase)]
        except NotMergeable:
            return segments
        except BaseException:
            parent.cancel()
            raise

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
        return BuildFailed.because(why)

    def cancel(self) -> None:
        for pipe in (*self.jobs, *self.analyses):
            pipe.cancel_join_thread()  # what a dead worker did not read is not needed: exit without it
        for task in self.tasks:
            if task.is_alive():
                task.terminate()
            task.join()
        if not self.parent.is_closed:
            self.parent.cancel()
