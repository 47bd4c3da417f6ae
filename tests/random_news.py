"""Random articles over a small vocabulary, written in several segments with deletions:
the collection on which faster ranking paths are compared with exhaustive scoring
(tests/search/rank/test_same_ranking.py, test_subset.py)."""

from __future__ import annotations

import datetime as dt
import random

SOURCES = ("wire", "daily", "weekly")


def random_record(rng: random.Random, n: int, words: tuple[str, ...] | list[str]) -> dict:
    """Article ``n``: a headline and body drawn from ``words`` (most bodies repeat الرياض,
    a list of several blocks per segment), a source and a date unless ``n`` says none."""
    date = None if n % 7 == 0 else dt.date(2015, 1, 1) + dt.timedelta(days=rng.randint(0, 700))
    return {
        "id": f"doc-{n}",
        "title": " ".join(rng.choices(words, k=rng.randint(2, 8))),
        "body": " ".join(rng.choices(words, k=rng.randint(3, 60))) + (" الرياض" * (n % 4)) + f" رقم {n}",
        "source": SOURCES[n % 3] if n % 11 else None,
        "date": date.isoformat() if date else None,
    }


def add_in_segments(ix, records: list[dict]) -> None:
    """Add ``records`` in commits of 250 (several segments), then replace 20 of them (deletions)."""
    for start in range(0, len(records), 250):
        ix.add_records(records[start : start + 250])
    ix.add_records([dict(r, body=r["body"] + " تحديث") for r in records[40:60]])


def answers(ix, queries: list[str], options: list[dict]) -> list:
    """Each query asked with each option set (10 hits unless it says otherwise): its total
    and hits (id, score, copies), to compare two ways of ranking."""
    out = []
    for text in queries:
        for option in options:
            results = ix.query(text, **({"limit": 10} | option))
            out.append((text, option, results.total, [(h.id, h.score, [c.id for c in h.copies]) for h in results.hits]))
    return out
