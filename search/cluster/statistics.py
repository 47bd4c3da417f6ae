"""The whole index's statistics, for a shard that scores and a coordinator that rewrites.

BM25F reads three collection figures: the number of documents (deleted ones included,
as Whoosh counts them), each term's document frequency, and each field's total length
(for the average). A shard alone would score with its own figures, and three shards
would rank differently from one index. So the coordinator sums every shard's figures
("DFS then query") and each shard is searched through a :class:`CollectionSearcher`:
a Whoosh searcher over the shard's own segments whose statistics methods answer from
the summed :class:`Figures`. The pipeline's code (array scorer, word weights,
proximity, Whoosh's own matchers) reads them through the searcher, so it runs
unchanged on a shard and computes the very floats one index would.

The rewrite stage (joined words, near words, bare forms) and "did you mean" read
document frequencies and word lists from a reader; on the coordinator they read a
:class:`CollectionReader` holding what the shards reported. It does not know in
advance which terms the rewrite asks for, and the rewrite's questions depend on the
answers, so :func:`resolve` runs it in rounds: a term not yet fetched counts 0 and is
noted; the notes are fetched from every shard and the stage runs again, until a round
asks nothing new. Its answer then rests only on true whole-index figures. Word lists
(near words, suggestions) are fetched whole with every word's frequencies.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from whoosh.searching import Searcher

Key = tuple[str, bytes]
T = TypeVar("T")


class MissingFigures(Exception):
    """A shard was asked a term's statistics the coordinator did not send (the
    coordinator fetches them and asks again)."""

    def __init__(self, keys: set[Key]):
        super().__init__(keys)  # the one argument, so that it pickles back from a worker
        self.keys = keys

    def __str__(self) -> str:
        return f"{len(self.keys)} terms without collection statistics"


@dataclass
class Figures:
    """What BM25F needs of the whole index: ``version`` names the shards' states it was
    summed from (a shard that changes starts a new one)."""

    version: tuple
    documents: int
    lengths: dict[str, int]
    #: (field, term bytes) -> document frequency, for the terms sent so far.
    frequencies: dict[Key, int] = field(default_factory=dict)


class CollectionSearcher(Searcher):
    """A Whoosh searcher over one shard that answers collection statistics for the whole
    index (:class:`Figures`); documents, postings and stored fields stay the shard's.

    Whoosh's leaf searchers (made with ``parent=``) keep their own counts: they size
    matchers by their segment, and Whoosh's scorers ask the top searcher for statistics.
    """

    def __init__(self, reader, figures: Figures | None = None, **kwargs):
        super().__init__(reader, **kwargs)
        self.figures = figures
        #: Read by the array scorer: idf from these statistics, not its own posting counts.
        self.collection_wide = figures is not None and self.parent is None
        if self.collection_wide:
            self.doc_frequency = self._doc_frequency

    def _key(self, fieldname: str, text) -> Key:
        return fieldname, text if isinstance(text, bytes) else self.schema[fieldname].to_bytes(text)

    def _doc_frequency(self, fieldname: str, text) -> int:
        key = self._key(fieldname, text)
        try:
            return self.figures.frequencies[key]
        except KeyError:
            raise MissingFigures({key}) from None

    def doc_count_all(self) -> int:
        return self.figures.documents if self.collection_wide else super().doc_count_all()

    def field_length(self, fieldname: str) -> int:
        return self.figures.lengths.get(fieldname, 0) if self.collection_wide else super().field_length(fieldname)

    def avg_field_length(self, fieldname: str, default=None):
        if not self.collection_wide:
            return super().avg_field_length(fieldname, default)
        if not self.schema[fieldname].scorable:
            return default
        return self.field_length(fieldname) / (self.figures.documents or 1)


@dataclass
class Collection:
    """The coordinator's view of the whole index at one version: figures, and for the
    rewrite stage collection frequencies and the fields whose every word it has."""

    figures: Figures
    schema: object
    #: Matching documents alive over every shard (0: nothing indexed).
    live: int
    frequencies: dict[Key, int] = field(default_factory=dict)
    words: dict[str, list[bytes]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        #: One reader for every query of this version: "did you mean" caches word lists
        #: and corrections per reader, and they only ever come from complete word lists.
        self.reader = CollectionReader(self)

    def known(self, key: Key) -> bool:
        return key in self.figures.frequencies or key[0] in self.words

    def learn(self, key: Key, documents: int, occurrences: int) -> None:
        self.figures.frequencies[key] = documents
        self.frequencies[key] = occurrences

    def learn_words(self, fieldname: str, counts: dict[bytes, tuple[int, int]]) -> None:
        """Every word of ``fieldname`` with its (document, collection) frequencies."""
        for term, (documents, occurrences) in counts.items():
            self.learn((fieldname, term), documents, occurrences)
        self.words[fieldname] = sorted(counts)


class NeedWords(Exception):
    """The rewrite asked for every word of a field: fetch them, then run it again."""

    def __init__(self, fieldname: str):
        super().__init__(fieldname)
        self.fieldname = fieldname


class CollectionReader:
    """The reader methods the rewrite stage and "did you mean" call, answered from a
    :class:`Collection`; unknown terms count 0 and are noted in ``missing``."""

    def __init__(self, collection: Collection):
        self.collection = collection
        self.schema = collection.schema
        self.missing: set[Key] = set()

    def reader(self) -> CollectionReader:  # search.query.suggestions.suggest asks a searcher for it
        return self

    def _key(self, fieldname: str, text) -> Key:
        return fieldname, text if isinstance(text, bytes) else self.schema[fieldname].to_bytes(text)

    def doc_frequency(self, fieldname: str, text) -> int:
        key = self._key(fieldname, text)
        if not self.collection.known(key):
            self.missing.add(key)
        return self.collection.figures.frequencies.get(key, 0)

    def frequency(self, fieldname: str, text) -> int:
        key = self._key(fieldname, text)
        if not self.collection.known(key):
            self.missing.add(key)
        return self.collection.frequencies.get(key, 0)

    def lexicon(self, fieldname: str) -> list[bytes]:
        if fieldname not in self.collection.words:
            raise NeedWords(fieldname)
        return self.collection.words[fieldname]


def resolve(collection: Collection, stage: Callable[[CollectionReader], T],
            fetch: Callable[[set[Key]], None], fetch_words: Callable[[str], None], rounds: int = 20) -> T:
    """``stage`` run on whole-index figures (see the module's docstring): rounds until it
    asks for nothing the collection lacks."""
    reader = collection.reader
    for _ in range(rounds):
        reader.missing = set()
        try:
            answer = stage(reader)
        except NeedWords as need:
            fetch_words(need.fieldname)
            continue
        if not reader.missing:
            return answer
        fetch(reader.missing)
    raise RuntimeError(f"the query rewrite still asked for new terms after {rounds} rounds")
