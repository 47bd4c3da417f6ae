"""RSS 2.0 and Atom files: one document per item, told by content, broken XML reported in one line."""

from __future__ import annotations

import datetime as dt

import pytest
from ingest_support import PARAGRAPHS, write

from index.ingest.files import ReadProblem, Record, find_files, read_file
from search import SearchIndex

RSS = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
<title>صحيفة الوادي</title>
<link>https://alwadi.example/</link>
<item>
  <title>ارتفاع منسوب نهر الفرات</title>
  <link>https://alwadi.example/news/1</link>
  <guid isPermaLink="false">alwadi-1</guid>
  <pubDate>Sun, 15 Apr 2018 01:37:17 +0400</pubDate>
  <description><![CDATA[<p>{PARAGRAPHS[0]}</p><p>{PARAGRAPHS[1]}</p>]]></description>
</item>
<item>
  <title>افتتاح معرض الكتاب &amp; الفنون</title>
  <link>https://alwadi.example/news/2</link>
  <pubDate>Mon, 16 Apr 2018 23:10:00 GMT</pubDate>
  <description>&lt;b&gt;{PARAGRAPHS[2]}&lt;/b&gt;</description>
  <content:encoded><![CDATA[<div><p>{PARAGRAPHS[2]}</p><p>{PARAGRAPHS[0]}</p></div>]]></content:encoded>
</item>
<item>
  <title>خبر بلا رابط</title>
  <description>{PARAGRAPHS[1]}</description>
</item>
</channel>
</rss>
"""

ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title type="text">وكالة الأنباء المحلية</title>
  <id>urn:uuid:feed</id>
  <updated>2019-03-14T10:00:00+03:00</updated>
  <entry>
    <title>أمطار غزيرة على المناطق الشمالية</title>
    <id>urn:uuid:entry-1</id>
    <link href="https://agency.example/a/1"/>
    <published>2019-03-14T00:30:00+03:00</published>
    <updated>2019-03-15T09:00:00+03:00</updated>
    <summary type="html">&lt;p&gt;{PARAGRAPHS[0]}&lt;/p&gt;</summary>
  </entry>
  <entry>
    <title>تعزيز السواتر الترابية</title>
    <link href="https://agency.example/a/2"/>
    <id>urn:uuid:entry-2</id>
    <updated>2019-03-16T08:00:00Z</updated>
    <content type="html">&lt;p&gt;{PARAGRAPHS[1]}&lt;br/&gt;{PARAGRAPHS[2]}&lt;/p&gt;</content>
  </entry>
</feed>
"""


def _split(items):
    items = list(items)
    return [i for i in items if isinstance(i, Record)], [i for i in items if isinstance(i, ReadProblem)]


@pytest.mark.parametrize("name", ["news.rss", "news.xml", "news"])
def test_rss_items_are_documents(tmp_path, name):
    records, problems = _split(read_file(write(tmp_path / name, RSS)))
    assert problems == []
    first, second, third = records
    assert (first.id, first.url, first.title) == ("alwadi-1", "https://alwadi.example/news/1", "ارتفاع منسوب نهر الفرات")
    assert first.date == dt.date(2018, 4, 15)  # the feed's own zone, not UTC's 14 April
    assert first.body == "\n".join(PARAGRAPHS[:2])  # HTML turned into text, one paragraph a line
    assert first.source == "صحيفة الوادي" and first.provenance["source"] == "feed title"
    assert second.id == "https://alwadi.example/news/2"  # no guid: the link
    assert second.title == "افتتاح معرض الكتاب & الفنون"
    assert second.body == PARAGRAPHS[2] + "\n" + PARAGRAPHS[0]  # the full content, not the teaser
    assert second.date == dt.date(2018, 4, 16)
    assert third.id == f"{name.split('.')[0]}-3" and third.url is None


@pytest.mark.parametrize("name", ["news.atom", "news.xml"])
def test_atom_entries_are_documents(tmp_path, name):
    records, problems = _split(read_file(write(tmp_path / name, ATOM)))
    assert problems == []
    first, second = records
    assert (first.id, first.url, first.source) == ("urn:uuid:entry-1", "https://agency.example/a/1", "وكالة الأنباء المحلية")
    assert first.date == dt.date(2019, 3, 14) and first.provenance["date"] == "published"
    assert first.body == PARAGRAPHS[0]
    assert second.date == dt.date(2019, 3, 16) and second.provenance["date"] == "updated"
    assert second.body == PARAGRAPHS[1] + "\n" + PARAGRAPHS[2]


def test_broken_xml_is_one_line_and_the_items_read_are_kept(tmp_path):
    broken = RSS.replace("<title>خبر بلا رابط</title>", "<title>خبر بلا رابط</titel>")
    path = write(tmp_path / "broken.rss", broken)
    records, problems = _split(read_file(path))
    assert [r.title for r in records][:2] == ["ارتفاع منسوب نهر الفرات", "افتتاح معرض الكتاب & الفنون"]
    broken = [str(p) for p in problems if "broken XML" in str(p)]
    assert len(broken) == 1 and broken[0].startswith(f"{path}: broken XML at line 21: ")
    assert f"the {len(records)} items the parser could read are indexed" in broken[0] and "\n" not in broken[0]


def test_a_feed_with_nothing_readable(tmp_path):
    path = write(tmp_path / "empty.rss", "<rss version='2.0'><channel><title>x</title><item><title>")
    items = list(read_file(path))
    assert items and all(isinstance(i, ReadProblem) for i in items)


def test_a_feed_in_a_folder_is_indexed_and_searchable(tmp_path):
    write(tmp_path / "in" / "feed.xml", RSS)
    write(tmp_path / "in" / "other.xml", "<?xml version='1.0'?><sitemap/>")
    assert [p.name for p in find_files([tmp_path / "in"])] == ["feed.xml"]
    ix = SearchIndex(tmp_path / "ix")
    report = ix.add([tmp_path / "in"])
    assert (report.added, report.failed) == (3, 0)
    doc = ix.get("alwadi-1")
    assert (doc.source, doc.url, doc.date) == ("صحيفة الوادي", "https://alwadi.example/news/1", dt.date(2018, 4, 15))
    assert ix.query("السواتر الترابية").total >= 1
