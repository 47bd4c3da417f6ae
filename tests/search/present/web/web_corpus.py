"""A small Arabic news collection for the web tests (written for these tests).

Three withdrawal articles in different inflections, two sources (one Latin, one
Arabic name), dates over three months, filler for pagination, and one hostile article
whose every field tries to run script in the page.
"""

from __future__ import annotations

from pathlib import Path

from search import SearchIndex

HOSTILE_ID = "hostile-1"

ARTICLES = [
    {
        "id": "withdraw-city",
        "title": "انسحاب القوات من المدينة بعد اتفاق الهدنة",
        "body": "أعلنت القيادة العسكرية اليوم انسحاب القوات من وسط المدينة بعد اتفاق هدنة رعته الأمم المتحدة (UN) لمدة 30 يوما.\nوقال شهود إن الشوارع هدأت.",
        "source": "gulf-wire",
        "date": "2019-01-12",
        "url": "https://example.org/news/withdraw-city",
    },
    {
        "id": "withdraw-border",
        "title": "الجيش يكمل الانسحاب من المنطقة الحدودية",
        "body": "أكد المتحدث باسم الجيش أن الانسحاب من المنطقة الحدودية اكتمل دون حوادث، وأن الطرق ستفتح أمام المدنيين خلال أسبوع.",
        "source": "صحيفة الشرق",
        "date": "2019-03-05",
    },
    {
        "id": "withdraw-race",
        "title": "مرشح يعلن خروجه من السباق الانتخابي",
        "body": "فتح المرشح الطريق أمام منافسه بانسحابه من السباق، وقال في بيان إن قراره نهائي.",
        "source": "gulf-wire",
        "date": "2019-03-20",
    },
    {
        "id": "oil-prices",
        "title": "ارتفاع أسعار النفط في الأسواق العالمية",
        "body": "ارتفعت أسعار النفط الخام بنسبة 3% في تعاملات اليوم مع تراجع المخزونات.",
        "source": "صحيفة الشرق",
        "date": "2018-11-02",
    },
    {
        "id": "withdraw-undated",
        "title": "بيان قصير",
        "body": "نص بيان بلا مصدر ولا تاريخ يذكر الانسحابات الأخيرة.",
    },
    {
        "id": HOSTILE_ID,
        "title": '<script>alert("title")</script> انسحاب مريب',
        "body": 'نص عادي <script>window.__pwned = "body"</script> ثم <img src=x onerror="window.__pwned=\'img\'"> انسحاب مريب آخر.',
        "source": "<b onmouseover=alert(1)>evil</b>",
        "date": "2019-02-01",
        "url": "javascript:window.__pwned='url'",
    },
] + [
    {
        "id": f"weather-{n:02d}",
        "title": f"نشرة الطقس رقم {n}",
        "body": f"تتوقع الأرصاد طقسا معتدلا في النشرة رقم {n} مع رياح خفيفة.",
        "source": "gulf-wire",
        "date": f"2018-{(n % 12) + 1:02d}-15",
    }
    for n in range(1, 24)
]


def build_index(folder: Path) -> SearchIndex:
    index = SearchIndex(folder)
    index.add_records(ARTICLES, origin="web-test-fixture")
    return index
