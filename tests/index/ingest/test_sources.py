"""Sources named by a byline, a dateline or a label; anything unclear is no source."""

from __future__ import annotations

import pytest

from index.ingest.sources import byline, dateline, find_source


@pytest.mark.parametrize(
    "line, name",
    [
        ("تلفزيون سوريا - متابعات", "تلفزيون سوريا"),
        ("وكالات – الإمارات 71", "الإمارات 71"),
        ("متابعات - سكاي نيوز عربية", "سكاي نيوز عربية"),
        ("رويترز - وكالات", "رويترز"),
        ("المصدر: الجزيرة نت", "الجزيرة نت"),
    ],
)
def test_bylines(line, name):
    assert byline(line).name == name


@pytest.mark.parametrize(
    "line",
    [
        "عواصم – وكالات",  # both sides generic
        "حنان الحامدي – متابعات",  # a reporter, not an outlet
        "سوريا - سياسة",  # a breadcrumb
        "ترامب - كيم: قمة تاريخية",
        "عواصم – وكالات: أكدت مصادر مقربة من التنظيم",
        "2018.11.27 | 13:11 دمشق",
    ],
)
def test_not_bylines(line):
    assert byline(line) is None


@pytest.mark.parametrize(
    "line, name",
    [
        ("دمشق - سانا: أعلنت وزارة الدفاع", "سانا"),
        ("الرياض (واس) - أعلن مجلس الوزراء", "واس"),
        ("بيروت – رويترز: قال مسؤول", "رويترز"),
    ],
)
def test_datelines(line, name):
    assert dateline(line).name == name


def test_unknown_agency_in_dateline_is_no_source():
    assert dateline("عواصم – وكالات: أكدت مصادر") is None
    assert dateline("القاهرة - الأهرام الزراعي: أعلنت") is None


def test_first_clear_source_wins():
    found = find_source(["02 نوفمبر 2017", "تلفزيون سوريا - متابعات", "دمشق - سانا: نص"])
    assert (found.name, found.rule) == ("تلفزيون سوريا", "byline")
    assert find_source(["نص الخبر بلا أي توقيع"]) is None
