"""Scraped .txt pages: the headline is the article's, not a menu word or section name above it.

The pages are written for these tests in shapes the seeds do not have: a menu and section
name above a headline shown twice, with or without blank lines, a breadcrumb, a near
variant of the headline below it; and the guards (a short headline, a repeated first line).
"""

from __future__ import annotations

import datetime as dt

import pytest
from ingest_support import HEADLINE, PARAGRAPHS, write

from index.ingest.article import extract
from index.ingest.files import read_file

BODY = "\n\n".join(PARAGRAPHS)


def _read(tmp_path, text: str):
    (record,) = list(read_file(write(tmp_path / "page.txt", text)))
    return record


@pytest.mark.parametrize(
    "top",
    [
        ["أخبار", "", "أخبار العالم العربي", "", HEADLINE, "", HEADLINE],
        ["أخبار", HEADLINE, HEADLINE],
        ["الرياضة", "كرة القدم المحلية", "الدوري", HEADLINE, "", HEADLINE],
        ["أخبار العالم العربي", "", HEADLINE, "", HEADLINE.replace("في ريف", "بريف")],
    ],
    ids=["menu-and-section", "no-blank-lines", "three-levels", "near-variant"],
)
def test_menu_and_section_names_above_a_repeated_headline(tmp_path, top):
    record = _read(tmp_path, "\n".join(top + ["", "2019.03.14 | 10:05", "", BODY]))
    assert record.title == HEADLINE
    assert record.provenance["title"] == "repeated headline below navigation"
    assert record.date == dt.date(2019, 3, 14)
    assert not any(line in record.body.splitlines() for line in top if line)
    assert record.body.startswith(PARAGRAPHS[0])


@pytest.mark.parametrize("crumbs", ["الرئيسية > أخبار > أخبار العالم العربي", "الرئيسية / محليات", "Home » News » World"])
def test_a_breadcrumb_is_not_the_headline(tmp_path, crumbs):
    record = _read(tmp_path, f"{crumbs}\n\n{HEADLINE}\n\n{BODY}")
    assert record.title == HEADLINE and crumbs not in record.body


def test_a_short_headline_that_is_not_repeated_stays(tmp_path):
    record = _read(tmp_path, f"انفجار في المرفأ\n\n{BODY}")
    assert record.title == "انفجار في المرفأ"


def test_a_repeated_first_line_is_the_headline_whatever_its_length(tmp_path):
    record = _read(tmp_path, f"انفجار في المرفأ\n\nانفجار في المرفأ\n\n{HEADLINE}\n\n{HEADLINE}\n\n{BODY}")
    assert record.title == "انفجار في المرفأ"


def test_a_long_first_line_is_never_navigation():
    long_first = "وزير الخارجية يصل إلى العاصمة في زيارة رسمية تستمر ثلاثة أيام"
    article = extract(f"{long_first}\n\n{HEADLINE}\n\n{HEADLINE}\n\n{BODY}")
    assert article.title == long_first
