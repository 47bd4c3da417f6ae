"""A collection for the sharding tests, written for them (fictional news): enough
documents that every shard of three holds many, with sources, dates, words of very
different frequencies, syndicated copies whose ids fall in different shards, and
phrases; the same records are indexed as one shard and as three.
"""

from __future__ import annotations

import random

from story_support import story_records

#: Word pools the generated articles draw from: a few common words, subject words, names.
COMMON = ["أعلنت", "الحكومة", "اليوم", "قال", "المتحدث", "خلال", "مؤتمر", "صحفي", "الأسبوع", "المقبل"]
SUBJECTS = {
    "war": ["انسحاب", "القوات", "الرقة", "داعش", "تنظيم الدولة", "معارك", "الجيش", "الريف", "هدنة", "الأسرى"],
    "economy": ["أسعار", "النفط", "الأسواق", "البنك", "المركزي", "التضخم", "الريال", "الاستثمار", "الميزانية", "الصادرات"],
    "sport": ["المنتخب", "مباراة", "كرة القدم", "الدوري", "المدرب", "الملعب", "البطولة", "الهدف", "الجمهور", "النهائي"],
    "health": ["وزارة الصحة", "اللقاح", "المستشفى", "الأطباء", "الإنفلونزا", "حملة", "المرضى", "الدواء", "العيادات", "الوقاية"],
}
PLACES = ["دمشق", "الرياض", "القاهرة", "بغداد", "عمان", "بيروت", "جدة", "حلب"]
SOURCES = ["wire-a", "wire-b", "daily", "weekly"]


def _article(rng: random.Random, subject: str) -> tuple[str, str]:
    words = SUBJECTS[subject]
    title = " ".join(rng.sample(words, 3)) + " في " + rng.choice(PLACES)
    sentences = []
    for _ in range(rng.randint(3, 8)):
        picked = rng.sample(words, rng.randint(2, 5)) + rng.sample(COMMON, rng.randint(2, 4))
        rng.shuffle(picked)
        sentences.append(" ".join(picked) + " في " + rng.choice(PLACES))
    return title, "، ".join(sentences) + "."


def shard_records(count: int = 150, seed: int = 17) -> list[dict]:
    """``count`` generated articles plus the syndicated copies of :mod:`story_support`,
    with two more copies of its agency story whose ids fall in other shards."""
    rng = random.Random(seed)
    records = []
    for n in range(count):
        subject = rng.choice(sorted(SUBJECTS))
        title, body = _article(rng, subject)
        date = None if n % 11 == 0 else f"2023-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        records.append({"id": f"{subject}-{n}", "title": title, "body": body,
                        "source": SOURCES[n % len(SOURCES)], "date": date})
    stories = story_records()
    agency = stories[0]
    records += stories
    records += [
        {**agency, "id": "port-d", "title": "ميناء جديد في الساحل الشرقي", "source": "daily", "date": "2024-03-11"},
        {**agency, "id": "port-e", "title": "الميناء الجديد يستقبل السفن", "source": "weekly", "date": "2024-03-10",
         "body": agency["body"] + " وقد حضر الافتتاح عدد من السفراء"},
    ]
    return records


#: Queries the sharded and the unsharded index must answer alike: (text, options).
QUERIES = [
    ("انسحاب", {}),
    ("انسحاب القوات", {}),
    ("القوات الرقة هدنة", {}),
    ("أسعار النفط في الأسواق العالمية", {}),
    ("ما هي أسعار النفط؟", {}),
    ("كيف فاز المنتخب في مباراة النهائي", {}),
    ('"كرة القدم"', {}),
    ('"وزارة الصحة" اللقاح', {}),
    ("القوات -الرقة", {}),
    ("المنتخب -الملعب", {}),
    ("داعش", {}),
    ("الانفلونزا", {}),
    ("الاستثمارر", {}),
    ("الميناء الجديد", {}),
    ("الميناء", {"collapse": False}),
    ("القوات", {"source": "wire-a"}),
    ("النفط", {"since": "2023-06-01", "until": "2023-09-30"}),
    ("البطولة", {"sort": "date"}),
    ("المستشفى الأطباء", {"facets": True}),
    ("الجيش", {"limit": 5, "offset": 5}),
]
