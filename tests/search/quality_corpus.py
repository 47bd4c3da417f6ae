"""A tiny corpus written for the quality tests (not taken from any data set)."""

from __future__ import annotations

import json
from pathlib import Path

DOCS = [
    {"id": "w1", "title": "انسحاب القوات من المدينة", "text": "أعلنت الحكومة انسحاب القوات من المدينة بعد مفاوضات طويلة مع الوجهاء."},
    {"id": "w2", "title": "أسعار النفط", "text": "ارتفعت أسعار النفط في الأسواق العالمية اليوم بعد قرار خفض الإنتاج."},
    {"id": "w3", "title": "مباراة كرة القدم", "text": "فاز المنتخب الوطني في مباراة كرة القدم النهائية أمام جمهور كبير."},
    {"id": "w4", "title": "مفاوضات مع تنظيم الدولة", "text": "تجري مفاوضات مع تنظيم الدولة من أجل خروج عناصره من الريف الشرقي."},
    {"id": "w5", "title": "القوات تتقدم", "text": "تقدمت القوات في الريف وسيطرت القوات على قرى عدة، وقالت القوات إن القوات مستمرة."},
    {"id": "w6", "title": "معرض الكتاب", "text": "افتتح معرض الكتاب أبوابه للزوار وشاركت فيه دور نشر كثيرة من المدينة."},
    {"id": "w7", "title": "تنظيم المرور", "text": "أعلنت الدولة خطة جديدة لتنظيم المرور في العاصمة خلال الصيف."},
]

QUERIES = [
    {"id": "news-1", "text": "انسحاب القوات"},
    {"id": "news-2", "text": "ما هي أسعار النفط؟"},
    {"id": "sport-1", "text": "من فاز في مباراة كرة القدم"},
    {"id": "sport-2", "text": "سباق الدراجات"},  # matches nothing
]

QRELS = [("news-1", "w1", 1), ("news-2", "w2", 1), ("sport-1", "w3", 1), ("sport-2", "w6", 1)]


def write_corpus(folder: Path) -> Path:
    path = folder / "corpus.jsonl"
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in DOCS), encoding="utf-8")
    return path


def write_eval_files(folder: Path) -> tuple[Path, Path]:
    queries = folder / "queries.jsonl"
    queries.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in QUERIES), encoding="utf-8")
    qrels = folder / "qrels.tsv"
    qrels.write_text("".join(f"{q}\t{d}\t{r}\n" for q, d, r in QRELS), encoding="utf-8")
    return queries, qrels
