"""TREC/SGML records written for these tests, in the two shapes collections use.

AFP-style (TREC 2001/2002 Arabic newswire, LDC): many records per file, ``HEADLINE``,
``DATE_TIME`` (month first), ``DATELINE``, ``<P>`` paragraphs wrapped over several lines,
SGML entities. ANT-style: one record per file, ``TITLE``, ``TIME`` (RFC 822 with zone),
``SRC``, ``URL``, ``ABSTRACT`` and ``TEXT`` with one paragraph per line.
"""

from __future__ import annotations

AFP_STORIES = [
    (
        "20000115_AFP_ARB.0001",
        "01/15/2000 23:40:00",
        "ارتفاع منسوب نهر الفرات يهدد القرى الزراعية",
        "دير الزور 15-1 (اف ب) -",
        [
            "حذرت السلطات المحلية في ريف دير الزور من ارتفاع منسوب مياه نهر\nالفرات خلال الأيام المقبلة &amp; دعت المزارعين إلى الحذر.",
            "وقال مسؤول إن فرق الطوارئ &UR; بدأت تعزيز السواتر الترابية.",
        ],
    ),
    (
        "20000203_AFP_ARB.0002",
        "03/02/2000 08:05:00",  # day first here: the id's date decides
        "افتتاح معرض الكتاب في العاصمة",
        "دمشق 3-2 (اف ب) -",
        ["افتتح وزير الثقافة معرض الكتاب السنوي بمشاركة مئات دور النشر."],
    ),
    (
        "20000204_AFP_ARB.0003",
        "02/04/2000 10:00:00",
        "ارتفاع أسعار الذهب في الأسواق المحلية",
        "القاهرة 4-2 (اف ب) -",
        ["سجلت أسعار الذهب ارتفاعا ملحوظا في الأسواق &lt;المحلية&gt; اليوم."],
    ),
]


def afp_record(docno: str, stamp: str, headline: str, dateline: str, paragraphs: list[str]) -> str:
    paras = "\n".join(f"<P>\n{p}\n</P>" for p in paragraphs)
    return (
        f"<DOC>\n<DOCNO> {docno} </DOCNO>\n<DOCTYPE> NEWS STORY </DOCTYPE>\n<DATE_TIME> {stamp} </DATE_TIME>\n"
        f"<BODY>\n<HEADLINE>\n{headline}\n</HEADLINE>\n<DATELINE> {dateline} </DATELINE>\n"
        f"<TEXT>\n{paras}\n</TEXT>\n</BODY>\n<TRAILER> AFP </TRAILER>\n</DOC>\n"
    )


def afp_file(stories=AFP_STORIES) -> str:
    return "".join(afp_record(*story) for story in stories)


def ant_record(docno: str, title: str, time: str, text: str, src: str | None = "alarabia", url: str = "") -> str:
    source = f"<SRC>{src}</SRC>\n" if src is not None else ""
    return (
        f"<DOC>\n<DOCNO>{docno}</DOCNO>\n<URL>{url}</URL>\n{source}<CAT>culture</CAT>\n<TITLE>{title}</TITLE>\n"
        f"<TIME>{time}</TIME>\n<AUTHOR></AUTHOR>\n<ABSTRACT>\n{text.splitlines()[0]}\n</ABSTRACT>\n<TEXT>\n{text}\n</TEXT>\n</DOC>\n"
    )
