"""Saved web pages from any site: headline without the site's name, the site's own date, publication name.

The small pages here are written for these tests, each in a shape real sites use; the
six real pages of ../shared/pages are checked against their truth.json when present.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from ingest_support import HEADLINE, PARAGRAPHS, write

from index.ingest.dates import dates_in
from index.ingest.files import Record, read_file

PAGES = Path(__file__).resolve().parents[4] / "shared" / "pages"
ARTICLE = "<article>" + "".join(f"<p>{p}</p>" for p in PARAGRAPHS) + "</article>"


def page(head: str, before: str = "", after_h1: str = "", h1: str | None = HEADLINE) -> str:
    heading = f"<h1>{h1}</h1>" if h1 else ""
    return (
        f'<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8">{head}</head><body>'
        f"<header><nav><a href='/'>الرئيسية</a> <a href='/n'>أخبار</a></nav></header>{before}"
        f"<main>{heading}{after_h1}{ARTICLE}</main><footer>جميع الحقوق محفوظة</footer></body></html>"
    )


def read(tmp_path, html: str) -> Record:
    (record,) = list(read_file(write(tmp_path / "page.html", html)))
    assert isinstance(record, Record), record
    return record


def test_site_name_after_the_headline_in_title(tmp_path):
    record = read(tmp_path, page(f'<title>{HEADLINE} - جريدة الشروق</title><meta property="og:site_name" content="الشروق">'))
    assert (record.title, record.source) == (HEADLINE, "الشروق")
    assert record.provenance["title"] == "h1 matching html title"


def test_site_name_before_the_headline_and_a_logo_h1(tmp_path):
    head = f'<meta property="og:title" content="الشروق | {HEADLINE}"><meta property="og:site_name" content="الشروق">'
    record = read(tmp_path, page(head, h1="الشروق", after_h1=f"<h2>{HEADLINE}</h2>"))
    assert record.title == HEADLINE and record.provenance["title"] == "og:title"


def test_site_name_that_is_a_url_gives_the_domain(tmp_path):
    head = (
        f'<title>{HEADLINE} | Alwadi News</title><meta property="og:site_name" content="https://www.alwadi-news.com/">'
        '<meta property="og:url" content="https://www.alwadi-news.com/a/1">'
    )
    record = read(tmp_path, page(head, h1=None))
    assert (record.title, record.source, record.url) == (HEADLINE, "alwadi-news.com", "https://www.alwadi-news.com/a/1")


def test_publisher_company_is_never_the_source(tmp_path):
    ld = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "name": "الوادي"},
            {
                "@type": "NewsArticle",
                "headline": HEADLINE,
                "datePublished": "2021-01-05T01:10:00+03:00",
                "publisher": {"@type": "Organization", "name": "Wadi Media Holding"},
            },
        ],
    }
    head = f'<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script><link rel="canonical" href="https://alwadi.example/a/2">'
    record = read(tmp_path, page(head, h1=None))
    assert (record.title, record.date, record.source) == (HEADLINE, dt.date(2021, 1, 5), "alwadi.example")


def test_headline_with_its_own_dash_is_kept_whole(tmp_path):
    title = "غزة - قصف جديد يستهدف الأحياء الشرقية للمدينة"
    record = read(tmp_path, page(f'<meta property="og:title" content="{title}"><meta property="og:site_name" content="الوادي">', h1=title))
    assert record.title == title


def test_title_with_section_names_and_no_other_statement(tmp_path):
    record = read(tmp_path, page(f"<title>{HEADLINE} - محليات - أخبار - الوادي</title>", h1=None))
    assert record.title == HEADLINE


@pytest.mark.parametrize(
    "printed, day",
    [
        ("الأحد، 04 آب/اغسطس 2013، آخر تحديث 14:00 (GMT+0400)", dt.date(2013, 8, 4)),
        ("الأربعاء، 07 أكتوبر 2020 - 12:09 م", dt.date(2020, 10, 7)),
        ("نشر في: 14 تشرين الثاني 2019 | 09:30", dt.date(2019, 11, 14)),
    ],
)
def test_date_printed_beside_the_headline(tmp_path, printed, day):
    record = read(tmp_path, page(f"<title>{HEADLINE}</title>", after_h1=f'<div class="date"><i class="icon"></i>{printed}</div>'))
    assert record.date == day and record.provenance["date"].startswith("html text")


def test_a_date_far_from_the_headline_is_not_the_publication_date(tmp_path):
    header = '<div class="today">القاهرة: الخميس، 01 يناير 2026</div>'
    record = read(tmp_path, page(f"<title>{HEADLINE}</title>", before=header + "<section>" + "<p>خبر آخر</p>" * 8 + "</section>"))
    assert record.date is None


def test_utc_time_moves_to_the_zone_of_the_sites_other_stamps(tmp_path):
    head = (
        f'<meta property="og:title" content="{HEADLINE}">'
        '<meta property="article:published_time" content="2020-06-02T21:30:00Z">'
        '<meta property="article:modified_time" content="2020-06-03T09:00:00+04:00">'
    )
    record = read(tmp_path, page(head))
    assert record.date == dt.date(2020, 6, 3) and "site's zone" in record.provenance["date"]


def test_utc_time_yields_to_the_date_printed_a_day_later(tmp_path):
    head = f'<meta property="og:title" content="{HEADLINE}"><meta property="article:published_time" content="2020-10-06T22:15:00Z">'
    record = read(tmp_path, page(head, after_h1="<span>الأربعاء، 07 أكتوبر 2020 - 12:15 ص</span>"))
    assert record.date == dt.date(2020, 10, 7)


def test_midnight_utc_is_a_date_without_time_and_stays(tmp_path):
    head = (
        f'<meta property="og:title" content="{HEADLINE}">'
        '<meta property="article:published_time" content="2020-10-07T00:00:00Z">'
        '<meta property="article:modified_time" content="2020-10-07T10:00:00-05:00">'
    )
    assert read(tmp_path, page(head)).date == dt.date(2020, 10, 7)


def test_zone_written_in_the_stamp_is_kept(tmp_path):
    head = f'<meta property="og:title" content="{HEADLINE}"><meta name="datePublished" content="2020-12-01T02:00:00+03:00">'
    assert read(tmp_path, page(head)).date == dt.date(2020, 12, 1)  # 30 November in UTC


def test_time_element_and_arabic_meta_value(tmp_path):
    record = read(tmp_path, page(f"<title>{HEADLINE}</title>", after_h1='<time itemprop="datePublished" datetime="2020-06-03T03:01+0400">03 يونيو 2020</time>'))
    assert record.date == dt.date(2020, 6, 3) and record.provenance["date"] == "time datePublished"
    head = f'<title>{HEADLINE}</title><meta property="article:published_time" content="الأربعاء، 07 أكتوبر 2020 - 12:09 م">'
    assert read(tmp_path, page(head)).date == dt.date(2020, 10, 7)


def _truth() -> list[tuple[str, dict]]:
    if not (PAGES / "truth.json").exists():
        return []
    return sorted(json.loads((PAGES / "truth.json").read_text(encoding="utf-8")).items())


@pytest.mark.skipif(not PAGES.exists(), reason="../shared/pages not present (fresh clone)")
@pytest.mark.parametrize("name, truth", _truth())
def test_shared_pages_headline_date_and_source(name, truth):
    (record,) = list(read_file(PAGES / name))
    assert record.source and "://" not in record.source
    if truth["title"]:
        assert record.title == truth["title"]
    if truth["date"]:
        html = (PAGES / name).read_text(encoding="utf-8", errors="replace")
        day = dt.date.fromisoformat(truth["date"])
        if truth["date"] not in html and day not in dates_in(html):
            pytest.skip(f"the saved file does not state {day} anywhere (truth.json: {truth['from']})")
        assert record.date == day


def test_site_name_known_only_from_the_logo_link(tmp_path):
    before = '<a href="/"><img src="logo.png" alt="اليوم الجديد"></a>'
    head = f'<meta property="og:title" content="{HEADLINE} - اليوم الجديد">'
    record = read(tmp_path, page(head, before=before, h1=None))
    assert record.title == HEADLINE


def test_a_title_that_is_only_the_site_name_is_no_headline(tmp_path):
    head = '<meta property="og:title" content="صحيفة الوادي"><meta property="og:site_name" content="صحيفة الوادي">'
    record = read(tmp_path, page(head + f"<title>{HEADLINE} | صحيفة الوادي</title>", h1=None))
    assert record.title == HEADLINE


def test_a_place_opening_the_headline_is_kept_though_the_site_is_named_after_it(tmp_path):
    title = "غزة - قصف جديد يستهدف الأحياء الشرقية للمدينة"
    head = f'<meta property="og:title" content="{title}"><meta property="og:site_name" content="أخبار غزة">'
    assert read(tmp_path, page(head, h1=None)).title == title


@pytest.mark.parametrize("stamp, day", [("2020-06-02T21:00:00.000Z", dt.date(2020, 6, 3)), ("2020-06-02T21:17:43Z", dt.date(2020, 6, 2))])
def test_the_sites_midnight_written_in_utc(tmp_path, stamp, day):
    head = f'<meta property="og:title" content="{HEADLINE}"><meta property="article:published_time" content="{stamp}">'
    assert read(tmp_path, page(head)).date == day
