"""Articles written for the ingest tests (not copied from anywhere), and small helpers."""

from __future__ import annotations

from pathlib import Path

HEADLINE = "ارتفاع منسوب نهر الفرات يهدد القرى الزراعية في ريف دير الزور"

PARAGRAPHS = [
    "حذرت السلطات المحلية في ريف دير الزور من ارتفاع منسوب مياه نهر الفرات خلال الأيام المقبلة، "
    "بعد هطول أمطار غزيرة على المناطق الشمالية وتزايد تدفق المياه من السدود.",
    "وقال مسؤول في مديرية الموارد المائية إن فرق الطوارئ بدأت تعزيز السواتر الترابية على ضفتي النهر، "
    "ودعا المزارعين إلى نقل معداتهم ومواشيهم بعيدا عن الأراضي المنخفضة.",
    "وأضاف أن مستوى المياه ارتفع أكثر من متر واحد خلال يومين، وهو ما لم تشهده المنطقة منذ سنوات.",
]
BODY = "\n\n".join(PARAGRAPHS)

SCRAPED_PAGE = "\n".join(
    [
        "icon",
        "التغطية الحية",
        "أحدث الأخبار",
        "  • 09:15 . افتتاح معرض الكتاب في العاصمة بمشاركة واسعة... المزيد",
        "  • 08:40 . ارتفاع أسعار الذهب في الأسواق المحلية 12/03/2016... المزيد",
        "",
        HEADLINE,
        "",
        HEADLINE,
        "",
        "2019.03.14 | 10:05 دمشق",
        "مياه الفرات تغمر أراضي زراعية قرب الميادين (أرشيف - إنترنت)",
        "شبكة الفرات نيوز - متابعات",
        "+A",
        "حجم الخط",
        "-A",
        "+ الخط -",
        "",
        PARAGRAPHS[0],
        "",
        PARAGRAPHS[1],
        "",
        PARAGRAPHS[2],
        "",
        "الأكثر مشاركة",
        "المساهمون",
        "example-news.net",
    ]
)


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


def records_index(tmp_path_factory, name: str, records: list[dict]):
    """A SearchIndex of ``records`` without the shipped synonyms, so a test sees only
    what its own articles say."""
    from search import SearchIndex

    ix = SearchIndex(tmp_path_factory.mktemp(name) / "ix", default_synonyms=False)
    ix.add_records(records)
    return ix
