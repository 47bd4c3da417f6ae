"""The parallel build's vocabulary as numbers: what the parent numbers, a worker spells back."""

from __future__ import annotations

import pickle

from index.whoosh_ext.vocabulary import NONE, TermNumbers, Vocabulary


def test_a_worker_spells_every_form_as_the_parent_analyzed_it_across_batches():
    """Terms shared by forms and by analyzers are numbered once; a stop word is NONE;
    news pickled as the queue pickles them rebuilds the same table batch after batch."""
    batches = [
        [("الانسحاب", {"stem": b"\xa1", "exact": b"\xa1\xa2"}), ("انسحاب", {"stem": b"\xa1", "exact": b"\xa1"})],
        [("في", {"stem": None, "exact": None}), ("وانسحابه", {"stem": b"\xa1", "exact": b"\xa3\xa4\xa5"})],
        [],
        [("", {"stem": b"", "exact": b""})],
    ]
    parent, worker = TermNumbers(["stem", "exact"]), Vocabulary()
    expected: dict[str, list[bytes | None]] = {"stem": [], "exact": []}
    for batch in batches:
        for _, terms in batch:
            for key, term in terms.items():
                parent.add(key, term)
                expected[key].append(term)
        worker.extend(pickle.loads(pickle.dumps(parent.news())))
    assert parent.terms() == expected
    for key, terms in expected.items():
        numbers = worker.forms[key]
        assert len(numbers) == len(terms)
        assert [None if n == NONE else worker.spell(n) for n in numbers] == terms
    assert len(worker) == len({t for terms in expected.values() for t in terms if t is not None})
    assert worker.forms["stem"][2] is NONE  # what _invert compares with ``is``


def test_news_after_nothing_new_is_empty():
    parent = TermNumbers(["stem"])
    parent.add("stem", b"x")
    parent.news()
    terms, forms = parent.news()
    assert terms == [] and list(forms["stem"]) == []
