"""The parallel build's vocabulary as numbers: what the parent numbers, a worker spells back."""

from __future__ import annotations

import pickle

from index.whoosh_ext.vocabulary import NONE, FirstSight, TermNumbers, Vocabulary


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
        for key in expected:
            terms = [analyses[key] for _, analyses in batch]
            parent.extend(key, terms)
            expected[key] += terms
        worker.extend(pickle.loads(pickle.dumps(parent.news())))
    spelled = parent.spelled()
    assert {key: [None if n == NONE else spelled[n] for n in numbers] for key, numbers in parent.forms.items()} == expected
    for key, terms in expected.items():
        numbers = worker.forms[key]
        assert len(numbers) == len(terms)
        assert [None if n == NONE else worker.spell(n) for n in numbers] == terms
    assert len(worker) == len({t for terms in expected.values() for t in terms if t is not None})
    assert worker.forms["stem"][2] is NONE  # the stop word


def test_news_after_nothing_new_is_empty():
    parent = TermNumbers(["stem"])
    parent.extend("stem", [b"x"])
    parent.news()
    terms, forms = parent.news()
    assert terms == [] and list(forms["stem"]) == []


def test_forms_are_numbered_in_order_of_first_sight_and_taken_once():
    """Looking a text's words up numbers the new ones; each is handed over once."""
    numbers = FirstSight()
    first = list(map(numbers.__getitem__, ["قال", "الوزير", "قال", "إن"]))
    assert first == [0, 1, 0, 2]
    assert numbers.taken() == ["قال", "الوزير", "إن"]
    second = list(map(numbers.__getitem__, ["إن", "الانسحاب", "قال"]))
    assert second == [2, 3, 0]
    assert numbers.taken() == ["الانسحاب"]
    assert numbers.taken() == []
    assert list(numbers) == ["قال", "الوزير", "إن", "الانسحاب"]  # number order
