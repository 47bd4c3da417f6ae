"""Page furniture: each pattern on its own, then whole pages through the reader and the index."""

from __future__ import annotations

import datetime as dt

import pytest
from ingest_support import BODY, HEADLINE, PARAGRAPHS, SCRAPED_PAGE, write

from index.ingest.article import extract, same_headline
from index.ingest.boilerplate import clean_lines, is_caption, is_domain, is_ticker_item, is_trailer, is_widget, strip_icon
from index.ingest.files import ReadProblem, read_file
from search import SearchIndex


@pytest.mark.parametrize(
    "line", ["icon", "التغطية الحية", "+ الخط -", "حجم الخط", "+A", "-A", "A+", "طباعة", "شارك", "* * * * *", "•"]
)
def test_widget_lines(line):
    assert is_widget(line)


@pytest.mark.parametrize(
    "line",
    [
        "  • 10:50 . إيران تدعو إلى تأسيس صندوق استثمار مشترك... المزيد",
        "• 08:06 . زيادة جديدة في أسعار الوقود",
        "11:31 . المركزي: احتياطيات البنوك تتجاوز نصف تريليون… المزيد",
    ],
)
def test_ticker_items(line):
    assert is_ticker_item(line)


@pytest.mark.parametrize(
    "line",
    [
        "النظام ينفذ عمليات انتقام واسعة بحق المدنيين(جورج أورفاليان/فرانس برس)",
        "أنباء عن مفاوضات بين الطرفين لانسحاب الأخير من المدينة (أرشيف - إنترنت)",
        "Ⅶ غارات على مواقع التنظيم في البوكمال | أ ف ب",
        "متظاهرون في وسط العاصمة (رويترز)",
        "الصورة: جانب من الاجتماع الوزاري",
    ],
)
def test_captions(line):
    assert is_caption(line)


@pytest.mark.parametrize(
    "line",
    [
        "وقال المتحدث باسم الوزارة إن الاجتماع سيعقد الأسبوع المقبل (رويترز).",
        "مجلس مدني للرقة",
        "«أستانة-7»",
        "وقال مصدر في المجلس (طلب عدم ذكر اسمه) إن المفاوضات مستمرة",
        HEADLINE,
    ],
)
def test_not_captions(line):
    assert not is_caption(line)


@pytest.mark.parametrize("line", ["المساهمون", "الأكثر مشاركة", "الأكثر قراءة", "أخبار ذات صلة"])
def test_trailers(line):
    assert is_trailer(line)


@pytest.mark.parametrize("line, expected", [("m2pack.biz", True), ("www.example.com", True), ("example.com.sa", True), ("قال 2.5", False)])
def test_bare_domains(line, expected):
    assert is_domain(line) is expected


def test_icon_glyphs_are_stripped():
    assert strip_icon("Ⅶ غارات") == "غارات"
    assert strip_icon("► عاجل") == "عاجل"
    assert strip_icon("غارات") == "غارات"


def test_trailing_block_of_short_related_headlines_is_cut():
    lines = [PARAGRAPHS[0], "", "أخبار ذات صلة", "افتتاح معرض الكتاب", "ارتفاع أسعار الذهب"]
    assert clean_lines(lines) == [PARAGRAPHS[0]]


def test_trailer_word_followed_by_article_text_is_kept():
    lines = ["اقرأ أيضا", PARAGRAPHS[0] + " " + PARAGRAPHS[1]]
    assert clean_lines(lines)[-1].startswith(PARAGRAPHS[0][:20])


def test_same_headline_variants():
    assert same_headline('"داعش" يتهاوى بدير الزور وخلاف جديد بين الروس', '"داعش" يتهاوى في دير الزور وخلاف جديد بين الروس')
    assert not same_headline(HEADLINE, "افتتاح معرض الكتاب في العاصمة بمشاركة واسعة")


def test_scraped_page_gives_headline_date_source_and_clean_body():
    article = extract(SCRAPED_PAGE)
    assert article.title == HEADLINE
    assert article.date == dt.date(2019, 3, 14)  # not the ticker's 12/03/2016
    assert article.source == "شبكة الفرات نيوز"
    assert article.body == BODY
    assert article.provenance == {
        "title": "headline after page furniture",
        "date": "date line beside headline",
        "source": "byline",
    }


def test_title_is_never_a_widget_or_ticker_line():
    page = "أحدث الأخبار\n• 10:50 . خبر عاجل... المزيد\nicon\n+A\n" + HEADLINE + "\n\n" + BODY
    assert extract(page).title == HEADLINE


def test_page_of_furniture_only_is_a_problem(tmp_path):
    path = write(tmp_path / "furniture.txt", "icon\n+A\nحجم الخط\n-A\nالمساهمون\n")
    (problem,) = list(read_file(path))
    assert isinstance(problem, ReadProblem) and "furniture" in problem.message


def test_boilerplate_stays_out_of_index_and_snippets_but_file_is_untouched(tmp_path):
    path = write(tmp_path / "pages" / "flood.txt", SCRAPED_PAGE)
    before = path.read_bytes()
    ix = SearchIndex(tmp_path / "ix")
    ix.add([path.parent])
    assert path.read_bytes() == before
    doc = ix.get("flood")
    for furniture in ("icon", "التغطية الحية", "حجم الخط", "المساهمون", "example-news.net", "أرشيف", "افتتاح معرض"):
        assert furniture not in doc.body
    assert doc.body.count("ارتفاع منسوب نهر الفرات يهدد") == 0
    assert ix.query("معرض الكتاب").total == 0  # ticker headline is not indexed
    hit = ix.query("السواتر الترابية").hits[0]
    assert "حجم الخط" not in hit.snippet and "icon" not in hit.snippet


def test_front_matter_wins_over_extraction(tmp_path):
    text = "---\ntitle: عنوان من الترويسة\ndate: 2020-01-05\nsource: أرشيف خاص\n---\n" + SCRAPED_PAGE
    (record,) = list(read_file(write(tmp_path / "fm.txt", text)))
    assert (record.title, record.date, record.source) == ("عنوان من الترويسة", dt.date(2020, 1, 5), "أرشيف خاص")
    assert record.provenance["title"] == record.provenance["date"] == record.provenance["source"] == "front matter"
    assert record.body.startswith(HEADLINE + "\n\n" + PARAGRAPHS[0][:30])  # the page's headline, once
