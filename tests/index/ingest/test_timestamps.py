"""Timestamps read as the day they state, in the zone they are written in."""

from __future__ import annotations

import datetime as dt

import pytest

from index.ingest.timestamps import parse_stamp

D = dt.date


@pytest.mark.parametrize(
    "value, day, offset_hours",
    [
        ("2020-12-01T02:00:00+03:00", D(2020, 12, 1), 3),  # 30 November in UTC
        ("2020-06-03T03:01+0400", D(2020, 6, 3), 4),
        ("2020-08-24T09:23:13Z", D(2020, 8, 24), 0),
        ("2020-12-01 02:00:00", D(2020, 12, 1), None),
        ("Sun, 15 Apr 2018 01:37:17 +0400", D(2018, 4, 15), 4),
        ("Tue, 22 May 2018 23:05:31 GMT", D(2018, 5, 22), 0),
        ("15 Apr 2018", D(2018, 4, 15), None),
        ("19940513", D(1994, 5, 13), None),
        ("940513", D(1994, 5, 13), None),
        ("05/13/1994 14:52", D(1994, 5, 13), None),
        ("الأربعاء، 07 أكتوبر 2020 - 12:09 م", D(2020, 10, 7), None),
    ],
)
def test_the_day_as_written(value, day, offset_hours):
    stamp = parse_stamp(value)
    assert stamp.date == day
    assert stamp.offset == (None if offset_hours is None else dt.timedelta(hours=offset_hours))


def test_ambiguous_numeric_dates_month_first_unless_a_hint_says_otherwise():
    assert parse_stamp("05/04/1994", month_first=True).date == D(1994, 5, 4)
    assert parse_stamp("05/04/1994").date == D(1994, 4, 5)
    assert parse_stamp("05/04/1994", month_first=True, hint=D(1994, 4, 5)).date == D(1994, 4, 5)


def test_moving_to_another_zone():
    stamp = parse_stamp("2020-06-02T21:30:00Z")
    assert stamp.in_zone(dt.timedelta(hours=4)) == D(2020, 6, 3)
    assert parse_stamp("2020-06-02").in_zone(dt.timedelta(hours=4)) == D(2020, 6, 2)  # no time: no move


@pytest.mark.parametrize("value", ["", "garbage", "2020-13-45", "1596240000", None, "32/13/2020"])
def test_what_is_not_a_date(value):
    assert parse_stamp(value) is None
