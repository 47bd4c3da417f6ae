"""Publication dates: every written form, and the rules that decide which date is trusted."""

from __future__ import annotations

import datetime as dt

import pytest

from index.ingest.dates import dates_in, find_date, is_date_line, labeled_date, parse_date

D = dt.date


@pytest.mark.parametrize(
    "text, expected",
    [
        ("02 نوفمبر 2017", D(2017, 11, 2)),
        ("2 تشرين الثاني 2017", D(2017, 11, 2)),
        ("15 تشرين الاول/اكتوبر 2017", D(2017, 10, 15)),
        ("15 تشرين الأول/أكتوبر 2017", D(2017, 10, 15)),
        ("3 أكتوبر (تشرين الأول) 2017م", D(2017, 10, 3)),
        ("1 كانون الثاني 2020", D(2020, 1, 1)),
        ("9 آب 2016", D(2016, 8, 9)),
        ("21 أيلول 2015", D(2015, 9, 21)),
        ("7 آذار 2019", D(2019, 3, 7)),
        ("5 جوان 2018", D(2018, 6, 5)),
        ("12 يونية 2014", D(2014, 6, 12)),
        ("الخميس 2 من شهر مايو عام 2019", D(2019, 5, 2)),
        ("مارس 4، 2018", D(2018, 3, 4)),
        ("2018.11.27", D(2018, 11, 27)),
        ("27.11.2018", D(2018, 11, 27)),
        ("14-10-2017", D(2017, 10, 14)),
        ("27/11/2018", D(2018, 11, 27)),
        ("2018/11/27", D(2018, 11, 27)),
        ("2018-11-27", D(2018, 11, 27)),
        ("2018-11-27T13:11:00+02:00", D(2018, 11, 27)),
        ("11/27/2018", D(2018, 11, 27)),  # month/day, told apart because 27 cannot be a month
        ("٢٧/١١/٢٠١٨", D(2018, 11, 27)),
        ("٠٢ نوفمبر ٢٠١٧", D(2017, 11, 2)),
        ("۱۴-۱۰-۲۰۱۷", D(2017, 10, 14)),
        ("November 2, 2017", D(2017, 11, 2)),
        ("2 Nov 2017", D(2017, 11, 2)),
    ],
)
def test_every_written_form(text, expected):
    assert dates_in(text) == (expected,)


@pytest.mark.parametrize(
    "text",
    [
        "30 و31 تشرين الاول/اكتوبر",  # no year: an event, not a date we can use
        "31/02/2018",  # no such day
        "13 صفر 1439",  # Hijri: not a Gregorian year
        "3 تشرين الاول/نوفمبر 2017",  # the two names of the pair disagree
        "10:50",
        "رقم الهاتف 2018.11.277",
    ],
)
def test_no_date_rather_than_a_wrong_one(text):
    assert dates_in(text) == ()


@pytest.mark.parametrize(
    "line, expected",
    [
        ("02 نوفمبر 2017", True),
        ("2018.11.27 | 13:11 دمشق", True),
        ("الاثنين 13 صفر 1439 هـ - 2 نوفمبر 2017 م", True),
        ("آخر تحديث: الخميس 14/03/2019 - 10:05 ص", True),
        ("وقال المتحدث إن الاجتماع عقد في 2 نوفمبر 2017 في جنيف بحضور الوفود", False),
        ("من 2 نوفمبر 2017 إلى 5 نوفمبر 2017", False),
    ],
)
def test_date_line(line, expected):
    assert is_date_line(line) is expected


@pytest.mark.parametrize(
    "lines, expected",
    [
        (["تاريخ الخبر: 14-10-2017"], D(2017, 10, 14)),
        (["نشر في: 2 نوفمبر 2017"], D(2017, 11, 2)),
        (["نُشر في 27/11/2018 - 13:11"], D(2018, 11, 27)),
        (["تاريخ النشر:", "٠٢/١١/٢٠١٧"], D(2017, 11, 2)),
        (["Published: 2 November 2017"], D(2017, 11, 2)),
        (["تاريخ النشر: 2 novembre 2017"], D(2017, 11, 2)),  # dateparser reads what the patterns cannot
        (["تاريخ سوريا الحديث شهد في 12 مايو 2017 تحولا كبيرا"], None),  # a sentence, not a label
    ],
)
def test_labels(lines, expected):
    found = labeled_date(lines)
    assert (found.date if found else None) == expected


def test_label_beside_headline_beats_date_line_and_body():
    header = ["02 نوفمبر 2017", "تاريخ الخبر: 14-10-2017"]
    found = find_date(header, ["وجرى الاتفاق في 5 مايو 2016."])
    assert found.date == D(2017, 10, 14) and "تاريخ الخبر" in found.rule


def test_date_line_beside_headline_beats_label_far_away():
    found = find_date(["02 نوفمبر 2017"], ["نشر في: 5 مايو 2016"])
    assert found.date == D(2017, 11, 2) and found.rule == "date line beside headline"


def test_dates_in_sentences_are_never_taken():
    assert find_date(["الرياض - متابعات"], ["وعقد الاجتماع في 2 نوفمبر 2017 بحضور الوزراء."]) is None


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2017-11-02", D(2017, 11, 2)),
        ("2017-11-02T10:00:00", D(2017, 11, 2)),
        ("27/11/2018", D(2018, 11, 27)),
        ("2018.11.27", D(2018, 11, 27)),
        ("2 تشرين الثاني 2017", D(2017, 11, 2)),
        (dt.datetime(2017, 11, 2, 9), D(2017, 11, 2)),
        ("قريبا", None),
        ("", None),
        (None, None),
        (20171102, None),
    ],
)
def test_parse_date_fields(value, expected):
    assert parse_date(value) == expected
