"""Dates as Thai offices type them: app.thaidates.parse_typed_date / parse_typed_time / typed_* (no app)."""
from datetime import date, datetime, time, timezone

import pytest

from app.thaidates import (
    BANGKOK, DateInputError, parse_typed_date, parse_typed_time, typed_date, typed_datetime, typed_time,
)

TODAY = date(2026, 12, 3)  # BE 2569: the sane range is 2500-2579
MEETING = datetime(2020, 6, 26, 9, 30, tzinfo=BANGKOK)


@pytest.mark.parametrize("text", [
    "26/06/2563 09.30", "26/6/2563 9:30", "26/06/2563 09.30 น.", "26/06/2563 เวลา 09.30 น.", " 26 / 06 / 2563  09.30 ",
    "๒๖/๐๖/๒๕๖๓ ๐๙.๓๐", "26-06-2563 09.30", "26.06.2563 09.30", "26/06/63 09.30", "2563-06-26T09:30",
    "2563-06-26 09:30", "2020-06-26T09:30", "2020-06-26 09:30",
])
def test_date_and_time_forms_read_as_26_june_2020_0930_bangkok(text):
    parsed = parse_typed_date(text, TODAY, with_time=True)
    assert parsed == MEETING and parsed.tzinfo == BANGKOK
    assert parsed.astimezone(timezone.utc) == datetime(2020, 6, 26, 2, 30, tzinfo=timezone.utc)


@pytest.mark.parametrize("text", ["26/06/2563", "26/6/2563", "๒๖/๐๖/๒๕๖๓", "26.06.2563", "2563-06-26", "26/06/63",
                                  "2020-06-26"])  # year first: BE, or ISO 8601 with its CE year
def test_date_only_forms(text):
    assert parse_typed_date(text, TODAY) == date(2020, 6, 26)


@pytest.mark.parametrize("text, year, be", [("26/06/2020", 2020, 2563), ("26/06/2020 09.30", 2020, 2563),
                                            ("01/01/1990", 1990, 2533), ("26-06-2020", 2020, 2563)])
def test_a_western_looking_year_names_both_readings(text, year, be):
    with pytest.raises(DateInputError) as caught:
        parse_typed_date(text, TODAY, with_time="09.30" in text)
    assert (caught.value.kind, caught.value.year, caught.value.be_reading) == ("western_year", year, be)


@pytest.mark.parametrize("text, year", [("26/06/2700", 2700), ("26/06/2499", 2499), ("26/06/1800", 1800),
                                        ("26/06/3106", 3106)])
def test_years_outside_the_sane_range_are_refused(text, year):
    with pytest.raises(DateInputError) as caught:
        parse_typed_date(text, TODAY)
    assert (caught.value.kind, caught.value.year, caught.value.low, caught.value.high) == (
        "out_of_range", year, 2500, 2579)


@pytest.mark.parametrize("text, with_time, kind", [
    ("", False, "empty"), ("   ", True, "empty"), ("พรุ่งนี้", False, "unparseable"), ("26 มิ.ย. 2563", False, "unparseable"),
    ("26/06", False, "unparseable"), ("26/06-2563", False, "unparseable"), ("26/06/2563 09.30", False, "unparseable"),
    ("31/02/2563", False, "no_such_date"), ("00/06/2563", False, "no_such_date"), ("26/13/2563", True, "no_such_date"),
    ("26/06/2563", True, "missing_time"), ("26/06/2563 24.00", True, "no_such_time"),
    ("26/06/2563 09.60", True, "no_such_time"), ("26/06/2563 0930", True, "unparseable"),
    ("1900-06-26", False, "out_of_range"), ("2700-01-01", False, "out_of_range"),
])
def test_refusals_say_why(text, with_time, kind):
    with pytest.raises(DateInputError) as caught:
        parse_typed_date(text, TODAY, with_time=with_time)
    assert caught.value.kind == kind


def test_the_range_follows_today():
    assert parse_typed_date("01/01/2579", TODAY) == date(2036, 1, 1)
    with pytest.raises(DateInputError):
        parse_typed_date("01/01/2580", TODAY)
    assert parse_typed_date("01/01/2580", date(2027, 1, 1)) == date(2037, 1, 1)


@pytest.mark.parametrize("text, expected", [("09.30", time(9, 30)), ("9:30", time(9, 30)), ("๑๖.๐๐ น.", time(16, 0)),
                                            ("เวลา 13.05 น.", time(13, 5)), ("00.00", time(0, 0))])
def test_times_of_day(text, expected):
    assert parse_typed_time(text) == expected


@pytest.mark.parametrize("text, kind", [("25.00", "no_such_time"), ("9", "unparseable"), ("", "empty"),
                                        ("9.30 pm", "unparseable")])
def test_bad_times(text, kind):
    with pytest.raises(DateInputError) as caught:
        parse_typed_time(text)
    assert caught.value.kind == kind


def test_values_are_shown_as_typed_in_bangkok_time():
    stored = datetime(2020, 6, 26, 2, 30, tzinfo=timezone.utc)  # what the database holds
    assert typed_datetime(stored) == "26/06/2563 09.30"
    assert typed_datetime(datetime(2020, 6, 26, 9, 30)) == "26/06/2563 09.30"  # naive: Bangkok local already
    assert typed_datetime(datetime(2020, 6, 25, 17, 0, tzinfo=timezone.utc)) == "26/06/2563 00.00"  # next day
    assert typed_date(date(2020, 1, 5)) == "05/01/2563"
    assert typed_time(time(9, 5)) == "09.05" and typed_time(stored) == "09.30"


def test_what_is_shown_reads_back_unchanged():
    shown = typed_datetime(MEETING)
    assert parse_typed_date(shown, TODAY, with_time=True) == MEETING
    assert parse_typed_date(typed_date(date(2020, 2, 29)), TODAY) == date(2020, 2, 29)
