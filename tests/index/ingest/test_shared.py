"""Real pages from ../shared: the five seed pages and the SaudiNewsNet raw sample.

The expected titles and dates were read off the pages by hand: the headline each page
shows, and the publication date where the page states one (000 and 002 state none;
000 mentions "30 و31 تشرين الاول/اكتوبر" in its text, an event without a year).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from index.ingest.files import read_file
from search import SearchIndex

SHARED = Path(__file__).resolve().parents[3].parent / "shared"
SEEDS = SHARED / "seeds"
RAW = SHARED / "corpus" / "saudinewsnet" / "raw-sample"

pytestmark = pytest.mark.skipif(not SHARED.exists(), reason="../shared not present (fresh clone)")

EXPECTED = {
    "000_a8e8d089294d6fa6": (
        "سباق بين قوات النظام و«قسد» في اتجاه البوكمال وعناصر «الدولة» الأجانب يغادرون دير الزور إلى الحدود مع العراق",
        None,
        None,
    ),
    "001_77b17fb1c50acb1e": ('"داعش" يتهاوى بدير الزور وخلاف جديد بين الروس والأميركيين', dt.date(2017, 11, 2), None),
    "002_12267a34fe978af7": ("مصادر لـ«البيان »: خفض التصعيد نهاية العام", None, None),
    "003_9aed169284d176bc": (
        'تفاصيل المفاوضات مع تنظيم "الدولة" لـ انسحابه مِن دير الزور',
        dt.date(2018, 11, 27),
        "تلفزيون سوريا",
    ),
    "004_e7c410046469def3": (
        "أفول داعش.. التنظيم ينهار في سوريا ويخسر دير الزور والرقة معا",
        dt.date(2017, 10, 14),
        "الإمارات 71",
    ),
}

#: Furniture seen on the seed pages, which must not reach the index.
FURNITURE = ("icon", "التغطية الحية", "+ الخط -", "حجم الخط", "المساهمون", "الأكثر مشاركة", "m2pack.biz", "أحدث الأخبار", "المزيد")


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    location = tmp_path_factory.mktemp("seeds") / "ix"
    result = CliRunner().invoke(app, ["index", "add", str(SEEDS), "--index", str(location)])
    assert result.exit_code == 0, result.output
    return location


@pytest.mark.parametrize("doc_id", sorted(EXPECTED))
def test_seed_page_title_date_and_source(seeded, doc_id):
    result = CliRunner().invoke(app, ["show", doc_id, "--json", "--index", str(seeded)])
    assert result.exit_code == 0, result.output
    shown = json.loads(result.output)
    title, date, source = EXPECTED[doc_id]
    assert shown["title"] == title
    assert shown["date"] == (date.isoformat() if date else None)
    assert shown["source"] == source
    assert set(shown["provenance"]) >= {"title", "date", "source"}
    for furniture in FURNITURE:
        assert furniture not in shown["body"]
    assert title not in shown["body"]


def test_seed_snippets_are_free_of_furniture(seeded):
    results = SearchIndex(seeded).query("دير الزور", limit=10)
    assert results.total == 5
    for hit in results.hits:
        assert not any(f in hit.snippet for f in FURNITURE[:5])


@pytest.mark.parametrize("name", ["000_a8e8d089294d6fa6", "001_77b17fb1c50acb1e", "003_9aed169284d176bc", "004_e7c410046469def3"])
def test_windows_1256_copy_of_seed_indexes_the_same(tmp_path, name):
    original = SEEDS / f"{name}.txt"
    copy = tmp_path / f"{name}.txt"
    copy.write_bytes(original.read_text(encoding="utf-8").encode("cp1256"))
    (want,) = list(read_file(original))
    (got,) = list(read_file(copy))
    assert (got.title, got.body, got.date, got.source) == (want.title, want.body, want.date, want.source)
    ix = SearchIndex(tmp_path / "ix")
    ix.add([original, copy])
    doc = ix.get(name)
    assert doc.title == EXPECTED[name][0] and len(doc.paths) == 2  # one article, two files


@pytest.mark.skipif(not RAW.exists(), reason="SaudiNewsNet raw sample not present")
def test_raw_sample_titles_are_first_lines_and_text_is_kept():
    files = sorted(RAW.glob("*.txt"))
    assert len(files) == 200
    for path in files:
        text = path.read_text(encoding="utf-8")
        first, _, rest = text.partition("\n")
        (record,) = list(read_file(path))
        assert record.title == first.strip(), path.name
        kept = len("".join(record.body.split()))
        assert kept >= 0.95 * len("".join(rest.split())), path.name
