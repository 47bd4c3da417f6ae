"""Evaluating a query tree over posting arrays: Whoosh's BM25F scores, vectorized.

Why: a query word becomes about forty ``Term`` queries (stem, proclitic variants,
exact and root forms, each in title and body; see :mod:`search.query.parsing`), and Whoosh
walks such a tree one document at a time in Python, several times per query (word
sets, tiers, facets). Here each term's postings are read once per open index into
numpy arrays (document numbers, term frequencies): mapped from the segment's posting
sidecar when it has one, else decoded from Whoosh's blocks (:mod:`index.whoosh_ext.postings`).
A query becomes a few array operations over a score vector with one slot per document:

* ``Term``: BM25F exactly as :class:`whoosh.scoring.BM25F` computes it (the searcher's
  idf and average field length, the quantized field length Whoosh stores per
  document, the weighting's B and K1, the query's boost);
* ``Or``: the sum of its parts; ``And``: the sum, where every part matches;
  ``AndNot``: the first part where the second does not match;
* ``DisjunctionMax``: the best part plus ``tiebreak`` times the others (Whoosh's own
  matcher ignores the tie-break and, when two parts sit on different documents,
  compares a score of the wrong document; this is the documented rule);
* ``DateRange`` on a sortable date field: a comparison on its column;
* anything else (phrases, ...): Whoosh's own matchers, once per query.

Whatever the scores, documents are ordered as Whoosh orders them: score descending,
then document number ascending. tests/test_scorer.py checks documents, order and
scores against Whoosh's searcher.
"""

from __future__ import annotations

import math
import weakref
from collections import OrderedDict

import numpy as np
from whoosh import query as q
from whoosh.fields import DATETIME
from whoosh.scoring import BM25F, WeightingModel

from index.whoosh_ext.postings import BYTE_LENGTHS, leaf_postings, length_bytes, numeric_column, open_leaf_sidecar, per_field_b
from search.rank.compound import Compounds, Scored

#: Whoosh stores a field's length per document as one byte (a logarithmic scale).
_BYTE_TO_LENGTH = BYTE_LENGTHS.astype(np.float64)
#: Posting arrays kept per open index (a query word uses about forty terms).
POSTINGS_CACHE = 4096
#: Documents whose positions of one term are kept (a query asks for a few dozen).
POSITIONS_PER_TERM = 2048
#: Results of queries evaluated by Whoosh itself (phrases), kept per open index.
FALLBACK_CACHE = 64



class ArrayScorer(Compounds):
    """Evaluates queries for one open searcher; its caches live as long as the searcher.

    Segments never change once written and a reopened index gets a new searcher (see
    ``SearchIndex._searcher``), so nothing here needs invalidating: :func:`for_searcher`
    keys the scorer by the searcher object."""

    def __init__(self, searcher):
        weighting = searcher.weighting
        if not isinstance(weighting, BM25F):
            raise TypeError(f"the array scorer computes BM25F, not {type(weighting).__name__}")
        self.searcher = searcher
        self.schema = searcher.schema
        #: One slot per document of this reader. Not ``searcher.doc_count_all()``: a shard's
        #: searcher answers the whole index's statistics (:mod:`search.cluster.statistics`).
        self.size = searcher.reader().doc_count_all()
        self.leaves = list(searcher.reader().leaf_readers())
        #: Each segment's posting arrays (index.whoosh_ext.postings), None where it has none.
        self._sidecars = [open_leaf_sidecar(leaf) for leaf, _ in self.leaves]
        self.K1 = weighting.K1
        #: Whether idf is Whoosh's default formula over this reader's own documents (a
        #: subclass may have its own; a shard is scored with the whole index's figures).
        self._own_idf = (type(weighting).idf is WeightingModel.idf and searcher.get_parent() is searcher
                         and not getattr(searcher, "collection_wide", False))
        self._B = weighting.B
        self._field_B = per_field_b(weighting)
        self.live = np.ones(self.size, dtype=bool)
        for leaf, base in self.leaves:
            if leaf.has_deletions():
                self.live[np.fromiter(leaf.deleted_docs_set, dtype=np.int64) + base] = False
        self._deletions = not self.live.all()  # else no posting list needs a pass to drop them
        self._lengths: dict[str, np.ndarray] = {}
        self._length_bytes: dict[str, np.ndarray] = {}
        self._norms: dict[str, np.ndarray] = {}
        self._fallbacks: OrderedDict[q.Query, Scored] = OrderedDict()
        self._columns: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        #: (field, text) -> (documents, unboosted scores), least recently used first.
        self._postings: OrderedDict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = OrderedDict()
        #: (field, text) -> (documents, term frequencies, idf), least recently used first.
        self._raw: OrderedDict[tuple[str, str], tuple[np.ndarray, np.ndarray, float | None]] = OrderedDict()
        #: (field, text) -> document frequency (deleted documents included), beside _raw.
        self._frequencies: dict[tuple[str, str], int] = {}
        #: (field, text) -> {document number: positions read} (search.rank.positions).
        self._positions: OrderedDict[tuple[str, str], dict[int, list[int]]] = OrderedDict()
        #: Per document number its slot in the documents last given to :meth:`slot_table`.
        self._slot_table: np.ndarray | None = None
        self._slot_docs: np.ndarray | None = None

    # -- what is read from the index, once ------------------------------------

    def postings(self, fieldname: str, btext: bytes) -> tuple[np.ndarray, np.ndarray, int]:
        """(document numbers, weights) of a term over every segment, live documents only,
        and its document frequency as Whoosh counts it (deleted documents included)."""
        ids: list[np.ndarray] = []
        weights: list[np.ndarray] = []
        frequency = 0
        for (leaf, base), side in zip(self.leaves, self._sidecars):
            found = leaf_postings(leaf, side, fieldname, btext)
            if found is None:
                continue
            leaf_ids, leaf_weights, leaf_frequency = found
            ids.append(leaf_ids + base if base else leaf_ids)
            weights.append(leaf_weights)
            frequency += leaf_frequency
        if not ids:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float64), 0
        # One segment (a merged index) hands its arrays over as read: no copy of a long list.
        docs, tf = (ids[0], weights[0]) if len(ids) == 1 else (np.concatenate(ids), np.concatenate(weights))
        keep = self.live[docs] if self._deletions else None
        return (docs, tf, frequency) if keep is None or keep.all() else (docs[keep], tf[keep], frequency)

    def idf(self, fieldname: str, btext: bytes, frequency: int) -> float:
        """Whoosh's idf (``WeightingModel.idf``) from the document frequency just read:
        asking the searcher would look the term up in every segment a second time."""
        if not self._own_idf:
            return self.searcher.idf(fieldname, btext)
        return math.log(self.size / (frequency + 1)) + 1

    def lengths(self, fieldname: str) -> np.ndarray:
        """Per document, the field length Whoosh's scorer sees (quantized to one byte)."""
        if fieldname not in self._lengths:
            self._lengths[fieldname] = _BYTE_TO_LENGTH[self._stored_lengths(fieldname)]
        return self._lengths[fieldname]

    def lengths_of(self, fieldname: str, docs: np.ndarray) -> np.ndarray:
        """The field lengths of ``docs``, as :meth:`lengths` gives them. The stored bytes are
        kept (one per document), not the floats, which :meth:`norms` lets go."""
        if fieldname not in self._length_bytes:
            self._length_bytes[fieldname] = self._stored_lengths(fieldname)
        return _BYTE_TO_LENGTH[self._length_bytes[fieldname][docs]]

    def _stored_lengths(self, fieldname: str) -> np.ndarray:
        """Per document, the field's stored length byte (every segment's, in order)."""
        parts = [length_bytes(leaf, fieldname) for leaf, _ in self.leaves]
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.uint8)

    def norms(self, fieldname: str) -> np.ndarray:
        """Per document, BM25's length part of the field, K1·((1−B) + B·fl/avgfl), computed
        once per open index with the operations a term's scores used per posting (so the
        same floats): a term then costs one lookup per posting instead of four operations."""
        if fieldname not in self._norms:
            B, avgfl = self._field_B.get(fieldname, self._B), self.searcher.avg_field_length(fieldname) or 1
            self._norms[fieldname] = self.K1 * ((1 - B) + B * self.lengths(fieldname) / avgfl)
            del self._lengths[fieldname]  # only the norms are needed from now on
        return self._norms[fieldname]

    def dates(self, fieldname: str) -> tuple[np.ndarray, np.ndarray]:
        """(values, present) of a sortable DATETIME column: Whoosh's longs (microseconds
        since year 1, as DateRange's bounds), 0 where a document has no date."""
        if fieldname not in self._columns:
            missing = self.schema[fieldname].column_type.default_value()
            values = [numeric_column(leaf, fieldname, missing) for leaf, _ in self.leaves]
            joined = np.concatenate(values) if values else np.zeros(0, dtype=np.uint64)
            present = joined != missing
            self._columns[fieldname] = (np.where(present, joined, 0).astype(np.int64), present)
        return self._columns[fieldname]

    # -- evaluation -------------------------------------------------------------

    def _other(self, query: q.Query) -> Scored:
        """A date range from its column; anything else (phrases) as Whoosh scores it."""
        if isinstance(query, q.DateRange) and isinstance(self.schema[query.fieldname], DATETIME) \
                and self.schema[query.fieldname].column_type is not None:
            return self._range(query)
        return self._whoosh(query)

    def _add_term(self, query: q.Term, weight: float, into: Scored) -> None:
        docs, scores = self.term_scores(query.fieldname, query.text)
        into.mask[docs] = True
        into.scores[docs] += scores * weight

    def term_postings(self, fieldname: str, text: str) -> tuple[np.ndarray, np.ndarray, float | None]:
        """(documents, term frequencies, idf or None: scored by weight alone) of one term,
        live documents only, read once per open index (matching needs only the documents)."""
        key = (fieldname, text)
        found = self._raw.get(key)
        if found is not None:
            self._raw.move_to_end(key)
            return found
        field = self.schema[fieldname] if fieldname in self.schema else None
        try:
            btext = field.to_bytes(text) if field is not None else None
        except ValueError:
            btext = None
        docs, tf, frequency = (np.empty(0, np.int64), np.empty(0), 0) if btext is None else self.postings(fieldname, btext)
        found = (docs, tf, self.idf(fieldname, btext, frequency) if btext is not None and field.scorable else None)
        self._raw[key] = found
        self._frequencies[key] = frequency
        if len(self._raw) > POSTINGS_CACHE:
            self._frequencies.pop(self._raw.popitem(last=False)[0], None)
        return found

    def bm25(self, fieldname: str, docs: np.ndarray, tf: np.ndarray, idf: float | None) -> np.ndarray:
        """BM25F of postings as Whoosh's scorer computes it (the searcher's idf and average
        field length, the quantized field length), element by element: a posting scores
        the same among a few as among all."""
        return tf if idf is None else idf * ((tf * (self.K1 + 1)) / (tf + self.norms(fieldname)[docs]))

    def term_scores(self, fieldname: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(documents, unboosted scores) of one term (:meth:`bm25` of every posting)."""
        key = (fieldname, text)
        found = self._postings.get(key)
        if found is not None:
            self._postings.move_to_end(key)
            return found
        docs, tf, idf = self.term_postings(fieldname, text)
        found = self._postings[key] = (docs, self.bm25(fieldname, docs, tf, idf))
        if len(self._postings) > POSTINGS_CACHE:
            self._postings.popitem(last=False)
        return found

    def slot_table(self, docs: np.ndarray) -> np.ndarray:
        """Per document number, its place in ``docs`` (ascending document numbers), -1 for
        the others. One table serves every subset (:mod:`search.rank.subset`) in turn, the
        previous subset's places reset: a fresh collection-long table per subset cost more
        than its lookups. Valid until the next call with other documents."""
        if self._slot_docs is not docs:
            if self._slot_table is None:
                self._slot_table = np.full(self.size, -1, dtype=np.int32)
            elif self._slot_docs is not None:
                self._slot_table[self._slot_docs] = -1
            self._slot_table[docs] = np.arange(len(docs), dtype=np.int32)
            self._slot_docs = docs
        return self._slot_table

    def known_positions(self, fieldname: str, text: str) -> dict[int, list[int]]:
        """The positions of a term read so far, per document (filled by
        :func:`search.rank.positions.positions`); as many terms kept as posting arrays."""
        key = (fieldname, text)
        known = self._positions.get(key)
        if known is None:
            known = self._positions[key] = {}
            if len(self._positions) > POSTINGS_CACHE:
                self._positions.popitem(last=False)
        else:
            self._positions.move_to_end(key)
            if len(known) > POSITIONS_PER_TERM:  # a common word, over many queries: start again
                known.clear()
        return known

    def term_idf(self, fieldname: str, text: str) -> float | None:
        """Whoosh's idf of a term of the index (None if no segment has it), from what
        :meth:`term_postings` read: the proximity rerank asks it of every form of a word."""
        self.term_postings(fieldname, text)
        btext = self.schema[fieldname].to_bytes(text)
        # "Of the index": a shard asks the whole index, which may have a form this shard lacks.
        frequency = self._frequencies.get((fieldname, text), 0) if self._own_idf \
            else self.searcher.doc_frequency(fieldname, btext)
        if not frequency:
            return None
        return self.idf(fieldname, btext, frequency)

    def _range(self, query: q.DateRange) -> Scored:
        """Dates compared on the sortable column (Whoosh's longs, as DateRange's bounds);
        as through Whoosh's index terms, a document without a date never matches."""
        values, present = self.dates(query.fieldname)
        mask = present & self.live
        if query.start is not None:
            mask &= values > query.start if query.startexcl else values >= query.start
        if query.end is not None:
            mask &= values < query.end if query.endexcl else values <= query.end
        # Whoosh scores a range as a constant (its boost) per matching document.
        return Scored(mask, np.where(mask, query.boost, 0.0))

    def _whoosh(self, query: q.Query) -> Scored:
        """Any other query, through Whoosh's own matchers (all matches, scored).

        Kept for the next queries: a phrase of common words (a multi-word synonym)
        costs Whoosh up to a second, and facets and the next page ask for it again.
        """
        if query in self._fallbacks:
            self._fallbacks.move_to_end(query)
            return self._fallbacks[query]
        found = self._empty()
        results = self.searcher.search(query, limit=None)
        if results.top_n:
            scores, docs = zip(*results.top_n)
            docs = np.fromiter(docs, dtype=np.int64, count=len(docs))
            found.mask[docs] = True
            found.scores[docs] = np.fromiter((s or 0.0 for s in scores), dtype=np.float64, count=len(docs))
        found.mask.setflags(write=False)  # shared by later queries
        found.scores.setflags(write=False)
        self._fallbacks[query] = found
        if len(self._fallbacks) > FALLBACK_CACHE:
            self._fallbacks.popitem(last=False)
        return found


_SCORERS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def for_searcher(searcher) -> ArrayScorer:
    """The scorer (and its caches) of this open searcher."""
    scorer = _SCORERS.get(searcher)
    if scorer is None:
        scorer = _SCORERS[searcher] = ArrayScorer(searcher)
    return scorer


__all__ = ["ArrayScorer", "Scored", "for_searcher"]
