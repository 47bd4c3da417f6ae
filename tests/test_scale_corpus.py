"""The scale benchmark's archive (benchmarks/scale_corpus.py) is what its measurements assume.

* Tile 0 is the base itself; every later article is new: its own id, no body equal to
  another's (the index would drop it as a duplicate), every sentence a real one.
* A rewrite keeps part of its own text and is dated a whole tile earlier, so it is
  never a syndicated copy of its original.
* The copies of one story take the same partner's sentences in a tile, so they stay
  copies of each other; two stories never share a partner in one tile.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import scale_corpus  # noqa: E402

from index.build.copies import CopyFinder  # noqa: E402
from index.ingest.duplicates import body_key  # noqa: E402
from index.ingest.records import Record  # noqa: E402

#: Sentences written for these tests; each article is a different choice of them.
SENTENCES = [
    "أعلنت القوات انسحابها من المدينة بعد معارك عنيفة استمرت أسابيع طويلة.",
    "وقال المتحدث إن الانسحاب سيكتمل قبل نهاية الشهر الجاري دون تأخير.",
    "ارتفعت أسعار النفط في الأسواق العالمية للمرة الثالثة هذا الأسبوع.",
    "افتتح معرض الكتاب الدولي أبوابه للزوار بمشاركة مئات دور النشر العربية.",
    "تساقطت الثلوج بكثافة على المرتفعات وأغلقت الطرق الجبلية أمام المسافرين.",
    "أكد وزير الصحة أن حملة التطعيم شملت ملايين الأطفال في المحافظات كلها.",
    "فاز الفريق بالكأس بعد مباراة نهائية مثيرة حسمتها ركلات الترجيح.",
    "ناقش البرلمان مشروع قانون الموازنة العامة للدولة للعام المقبل بالتفصيل.",
    "حذرت الأرصاد من فيضانات محتملة في الوديان المنخفضة خلال الأيام المقبلة.",
    "وأشار التقرير إلى تراجع معدلات البطالة بين الشباب في المدن الكبرى.",
    "استقبل الأمير وفدا من رجال الأعمال لبحث فرص الاستثمار في المنطقة.",
    "أطلقت الجامعة برنامجا جديدا لتدريب الخريجين على مهارات سوق العمل.",
]


def base(count: int) -> list[Record]:
    """``count`` articles of six sentences; articles 0 and 1 share five (one story)."""
    records = []
    for n in range(count):
        picked = [SENTENCES[(n * 5 + k * 7) % len(SENTENCES)][:-1] + f" في العدد {n}." for k in range(6)]
        if n == 1:
            picked = [SENTENCES[(k * 7) % len(SENTENCES)][:-1] + " في العدد 0." for k in range(5)] + ["وأضاف أن الأمر انتهى."]
        paragraphs = ["\n".join([" ".join(picked[:3]), " ".join(picked[3:])])]
        records.append(Record(id=f"a{n}", title=f"عنوان الخبر رقم {n} عن {SENTENCES[n % 12].split()[1]}",
                              body=paragraphs[0], source="wire", date=dt.date(2015, 7, 21 + n % 5)))
    return records


def test_tile_zero_is_the_base_and_rewrites_are_new_articles():
    records = base(40)
    corpus = scale_corpus.ScaleCorpus(records)
    rows = list(corpus.rows(160))
    assert [(r["id"], r["body"]) for r in rows[:40]] == [(r.id, r.body) for r in records]
    assert len({r["id"] for r in rows}) == 160
    assert len({body_key(r["body"]) for r in rows}) == 160
    known = {s for r in records for par in scale_corpus._paragraphs(r.body) for s in par}
    for row in rows[40:]:
        assert {s for par in scale_corpus._paragraphs(row["body"]) for s in par} <= known


def test_a_rewrite_is_dated_a_tile_earlier_and_is_no_copy_of_its_original():
    records = base(40)
    rows = list(scale_corpus.ScaleCorpus(records).rows(80))
    for original, rewrite in zip(rows[:40], rows[40:]):
        days = dt.date.fromisoformat(original["date"]) - dt.date.fromisoformat(rewrite["date"])
        assert days.days == scale_corpus.TILE_DAYS
        assert rewrite["id"] == original["id"] + "~2" and rewrite["body"] != original["body"]
    finder = CopyFinder()
    stories = [finder.assign(r["id"], r["body"], dt.date.fromisoformat(r["date"])) for r in rows]
    originals = {r["id"] for r in rows[:40]}
    assert not originals & set(stories[40:])


def test_copies_of_a_story_take_the_same_partner_and_partners_differ():
    records = base(40)
    stories = [r.id for r in records]
    stories[1] = "a0"  # articles 0 and 1: one story
    corpus = scale_corpus.ScaleCorpus(records, stories)
    partners = [corpus._partner(corpus.first[i], 1) for i in range(40) if corpus.first[i] == i]
    assert len(set(partners)) == len(partners)
    first, second = corpus.rewrite(0, 1)["body"].split("\n"), corpus.rewrite(1, 1)["body"].split("\n")
    own = {s for par in scale_corpus._paragraphs(records[0].body) + scale_corpus._paragraphs(records[1].body) for s in par}
    taken = lambda lines: {s for line in lines for s in scale_corpus._SENTENCE_END.split(line) if s not in own}  # noqa: E731
    assert taken(first) and taken(first) == taken(second)
