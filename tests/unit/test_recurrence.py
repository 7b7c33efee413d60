"""The meeting series date rule (app.recurrence): monthly by ordinal weekday, weekly, caps, next dates, numbering."""
from __future__ import annotations

from datetime import date

import pytest

from app.recurrence import (
    LAST,
    MAX_OCCURRENCES,
    SeriesRule,
    TooManyOccurrences,
    month_later_same_weekday,
    next_occurrence,
    occurrences,
    planned_numbers,
    weekday_in_month,
)

FRIDAY, MONDAY, THURSDAY = 4, 0, 3


def test_last_friday_of_every_second_month_across_a_year_boundary():
    rule = SeriesRule("months", every=2, weekday=FRIDAY, ordinal=LAST)
    days = occurrences(rule, date(2020, 10, 1), count=4)
    assert days == [date(2020, 10, 30), date(2020, 12, 25), date(2021, 2, 26), date(2021, 4, 30)]


def test_a_first_month_whose_date_has_passed_is_skipped_and_the_count_kept():
    rule = SeriesRule("months", every=1, weekday=MONDAY, ordinal=1)
    assert occurrences(rule, date(2020, 6, 2), count=3) == [date(2020, 7, 6), date(2020, 8, 3), date(2020, 9, 7)]


def test_the_last_weekday_is_the_fifth_when_there_is_one_and_a_fifth_is_refused():
    assert weekday_in_month(2020, 1, THURSDAY, LAST) == date(2020, 1, 30)  # January 2020 has five Thursdays
    assert weekday_in_month(2020, 2, THURSDAY, LAST) == date(2020, 2, 27)  # February 2020 has four
    assert weekday_in_month(2020, 2, THURSDAY, 4) == date(2020, 2, 27)
    with pytest.raises(ValueError):
        weekday_in_month(2020, 1, THURSDAY, 5)
    with pytest.raises(ValueError):
        SeriesRule("months", weekday=THURSDAY, ordinal=5)


def test_every_two_weeks_on_thursday_until_a_date_inclusive():
    rule = SeriesRule("weeks", every=2, weekday=THURSDAY)
    assert occurrences(rule, date(2020, 6, 26), until=date(2020, 7, 23)) == [date(2020, 7, 2), date(2020, 7, 16)]
    assert occurrences(rule, date(2020, 6, 26), until=date(2020, 7, 16))[-1] == date(2020, 7, 16)


@pytest.mark.parametrize("kwargs", [{"count": MAX_OCCURRENCES + 1}, {"until": date(2030, 1, 1)}])
def test_more_dates_than_the_cap_are_refused(kwargs):
    with pytest.raises(TooManyOccurrences):
        occurrences(SeriesRule("weeks", weekday=MONDAY), date(2020, 1, 1), **kwargs)


def test_exactly_the_cap_is_allowed_and_count_or_until_is_required():
    rule = SeriesRule("months", weekday=MONDAY, ordinal=1)
    assert len(occurrences(rule, date(2020, 1, 1), count=MAX_OCCURRENCES)) == MAX_OCCURRENCES
    with pytest.raises(ValueError):
        occurrences(rule, date(2020, 1, 1))
    with pytest.raises(ValueError):
        occurrences(rule, date(2020, 1, 1), count=2, until=date(2020, 6, 1))


@pytest.mark.parametrize("rule", [
    dict(frequency="days"), dict(frequency="months", every=13, ordinal=1), dict(frequency="weeks", every=0),
    dict(frequency="weeks", weekday=7), dict(frequency="weeks", ordinal=1), dict(frequency="months"),
])
def test_rules_outside_the_small_grammar_are_refused(rule):
    with pytest.raises(ValueError):
        SeriesRule(**rule)


def test_next_occurrence_keeps_the_series_rhythm_and_skips_taken_dates():
    rule = SeriesRule("months", every=2, weekday=FRIDAY, ordinal=LAST)
    assert next_occurrence(rule, date(2020, 10, 1), date(2020, 10, 30)) == date(2020, 12, 25)
    assert next_occurrence(rule, date(2020, 10, 1), date(2020, 10, 30), frozenset({date(2020, 12, 25)})) == \
        date(2021, 2, 26)
    weekly = SeriesRule("weeks", every=3, weekday=MONDAY)
    assert next_occurrence(weekly, date(2020, 6, 1), date(2020, 6, 10)) == date(2020, 6, 22)


def test_a_month_later_on_the_same_weekday():
    assert month_later_same_weekday(date(2020, 6, 26)) == date(2020, 7, 24)  # Friday → Friday
    assert month_later_same_weekday(date(2020, 1, 31)) == date(2020, 2, 28)  # Friday; February is short
    assert month_later_same_weekday(date(2020, 12, 4)) == date(2021, 1, 1)  # across the year
    assert month_later_same_weekday(date(2020, 6, 26), frozenset({date(2020, 7, 24)})) == date(2020, 7, 31)
    assert all(month_later_same_weekday(date(2020, m, 15)).weekday() == date(2020, m, 15).weekday()
               for m in range(1, 13))


def test_fiscal_numbering_restarts_on_1_october_and_continues_from_numbers_used():
    rule = SeriesRule("months", every=1, weekday=FRIDAY, ordinal=LAST)
    days = occurrences(rule, date(2020, 8, 1), count=4)  # 28 Aug, 25 Sep, 30 Oct, 27 Nov 2020
    assert planned_numbers(days, "fiscal", {2563: 3}) == [(4, 2563), (5, 2563), (1, 2564), (2, 2564)]
    assert planned_numbers(days, "calendar", {2563: 3}) == [(4, 2563), (5, 2563), (6, 2563), (7, 2563)]


def test_calendar_numbering_restarts_on_1_january_in_be_years():
    rule = SeriesRule("months", every=1, weekday=MONDAY, ordinal=1)
    days = occurrences(rule, date(2020, 12, 1), count=2)  # 7 Dec 2020, 4 Jan 2021
    assert planned_numbers(days, "calendar", {}) == [(1, 2563), (1, 2564)]
