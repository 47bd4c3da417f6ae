"""What the cluster tests share: a corpus whose terms spread unevenly over shards, the
queries asked of it, and comparing two rankings ties aside."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

WORDS = (
    "انسحاب القوات المدينة الحكومة مفاوضات أسعار النفط الأسواق العالمية الإنتاج المنتخب مباراة كرة القدم "
    "الريف الشرقي تنظيم الدولة معرض الكتاب الزوار العاصمة المرور الصيف وزير الخارجية السعودي الرياض "
    "مجلس الوزراء الملك سلمان اليمن عدن صنعاء الاقتصاد الميزانية المدارس الطلاب الجامعة المستشفى الصحة "
    "الأمطار السيول الطرق المطار الرحلات الشركة الأسهم البورصة الانتخابات البرلمان الرئيس القمة العربية"
).split()
QUERIES = [
    "انسحاب القوات", "أسعار النفط", "وزير الخارجية السعودي", "الرياض", '"مجلس الوزراء"', "ما هي عاصمة اليمن",
    "الحكومه", "الملك سلمان -اليمن", "الأمطار والسيول في الرياض", "البورصة", "القمة العربية في الرياض",
]
DOCUMENTS = 120


def write_corpus(folder: Path) -> Path:
    """Documents of random words from one list: terms spread unevenly over the shards,
    so a shard's own statistics would rank differently from the whole index's."""
    draw = random.Random(17)
    lines = []
    for n in range(DOCUMENTS):
        title = " ".join(draw.sample(WORDS, 3))
        body = " ".join(draw.choice(WORDS[: 10 + n % 50]) for _ in range(draw.randint(8, 60)))
        day = f"2015-{1 + n % 12:02d}-{1 + n % 28:02d}" if n % 7 else None
        lines.append({"id": f"doc-{n:03d}", "title": title, "body": body, "source": f"source-{n % 4}", "date": day})
    path = folder / "corpus.jsonl"
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in lines), encoding="utf-8")
    return path


def ties(pairs: list[tuple[str, float]]) -> list[set[str]]:
    """The ids grouped by equal score, in rank order: the order within a group depends
    on document numbers, i.e. on how documents were spread over segments and shards."""
    groups: list[tuple[float, set[str]]] = []
    for doc_id, score in pairs:
        if groups and abs(groups[-1][0] - score) <= 1e-6:
            groups[-1][1].add(doc_id)
        else:
            groups.append((score, {doc_id}))
    return [ids for _, ids in groups]


def same_ranking(a: list[tuple[str, float]], b: list[tuple[str, float]], paged: bool = False) -> None:
    """Equal scores to 1e-6 in order, the same ids but for the order of ties (and which
    of a tie the page's end, and a later page's start, cut off)."""
    assert [s for _, s in a] == pytest.approx([s for _, s in b], abs=1e-6)
    assert ties(a)[int(paged):-1] == ties(b)[int(paged):-1]


def same(a, b, paged: bool = False) -> None:
    same_ranking([(h.id, h.score) for h in a.hits], [(h.id, h.score) for h in b.hits], paged)
    assert (a.total, a.documents, a.suggestions, a.rewrites) == (b.total, b.documents, b.suggestions, b.rewrites)
