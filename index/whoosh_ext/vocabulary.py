"""The terms of every word form a parallel build has numbered, held as numbers.

:class:`index.whoosh_ext.parallel.ParallelWriter` numbers each word form in order of
first sight and analyzes it once for every analyzer; its workers invert texts given as
form numbers. Held as one list of term bytes per analyzer, the vocabulary of SaudiNewsNet
(316,000 forms, 785,000 term objects) cost each worker and the parent 39 MB, and a
build's memory is the sum of all three (benchmarks/README.md, "Build memory"). Here
each distinct term is numbered once by the parent (:class:`TermNumbers`); per analyzer
a form's term is a 32-bit term number (:data:`NONE` for a stop word), and a worker keeps
each term's bytes once, packed (:class:`Vocabulary`): about 12 MB for the same vocabulary.
A worker inverts by term number and spells the terms only when it writes a segment
(:class:`index.whoosh_ext.inversion.FlatPostings`).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable

#: The term number of a form that is no term under an analyzer (a stop word): no term's
#: number, and the last item of a list of the terms ended by None
#: (:meth:`index.build.memos.Analyses.memos` spells it so).
NONE = -1

#: What the parent sends the workers after each batch: the terms numbered since the
#: last news, in number order, and per analyzer key the term numbers of the forms
#: numbered since then, in form order.
News = tuple[list[bytes], dict[str, array]]


class Vocabulary:
    """Per analyzer key, each form number's term number; each term number's bytes."""

    def __init__(self) -> None:
        self.forms: dict[str, array] = {}
        self._bytes = bytearray()
        self._ends = array("q")

    def __len__(self) -> int:
        """The number of terms."""
        return len(self._ends)

    def spell(self, number: int) -> bytes:
        """The bytes of term ``number``."""
        ends = self._ends
        return bytes(self._bytes[ends[number - 1] if number else 0 : ends[number]])

    def extend(self, news: News) -> None:
        """Take the parent's news (:meth:`TermNumbers.news`)."""
        terms, forms = news
        end = self._ends[-1] if self._ends else 0
        for term in terms:
            end += len(term)
            self._ends.append(end)
        self._bytes += b"".join(terms)
        for key, numbers in forms.items():
            self.forms.setdefault(key, array("i")).extend(numbers)


class FirstSight(dict):
    """Key → number, in order of first sight: looking a key up numbers it if new.

    A text's numbers are ``map(numbers.__getitem__, words)``: known keys are found in C,
    and only a new key costs a Python call (:meth:`__missing__`), where numbering the
    words absent from a set of each text's words made a set of every text and cost the
    6,000-article build as much as splitting the texts (benchmarks/README.md, "Small builds")."""

    def __init__(self) -> None:
        super().__init__()
        #: Keys numbered since :meth:`taken` last gave them, in number order.
        self.new: list = []

    def __missing__(self, key) -> int:
        number = self[key] = len(self)
        self.new.append(key)
        return number

    def taken(self) -> list:
        """The keys numbered since the last call, in number order."""
        new, self.new = self.new, []
        return new


class _Terms(FirstSight):
    """Term bytes → number; None (no term: a stop word) is :data:`NONE` and never numbered."""

    def __missing__(self, key) -> int:
        return NONE if key is None else super().__missing__(key)


class TermNumbers:
    """The parent's side: each distinct term numbered once, and per analyzer key the term
    number of each form (in form order). Terms are the dictionary's keys, in number order."""

    def __init__(self, keys: Iterable[str]) -> None:
        self._numbers = _Terms()
        self.forms: dict[str, array] = {key: array("i") for key in keys}
        self._sent_forms = 0

    def extend(self, key: str, terms: Iterable[bytes | None]) -> None:
        """The next forms' terms under analyzer ``key``, in form order (None: no term)."""
        self.forms[key].extend(map(self._numbers.__getitem__, terms))

    def news(self) -> News:
        """The terms and forms numbered since the last call."""
        terms = self._numbers.taken()
        first = self._sent_forms
        forms = {key: numbers[first:] for key, numbers in self.forms.items()}
        self._sent_forms = len(next(iter(self.forms.values()), ()))
        return terms, forms

    def spelled(self) -> list[bytes]:
        """Every term numbered, in number order (with :attr:`forms`, what the analysis cache keeps)."""
        return list(self._numbers)
