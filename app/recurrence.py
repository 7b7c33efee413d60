"""Meeting series dates: a small rule ("the last Friday of every second month", "the first Monday of every month",
"every 2 weeks on Thursday"), its dates from a start date, the date suggested for the next meeting, and the
ครั้งที่ N/ปี each date will take (calendar or fiscal numbering, restarting each BE year).

Pure module: plain values in, plain values out (no Flask, no database).
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Iterator, Mapping, Sequence

from app import thaidates

FREQUENCIES = ("months", "weeks")
ORDINALS = (1, 2, 3, 4, -1)  # the 1st … 4th weekday of the month, or its last (-1); a 5th is not always there
LAST = -1
MAX_EVERY = {"months": 12, "weeks": 52}  # every N months (at most yearly) or N weeks
MAX_OCCURRENCES = 24  # meetings scheduled ahead in one go


class TooManyOccurrences(ValueError):
    """The rule gives more dates than may be scheduled in one go."""


@dataclass(frozen=True)
class SeriesRule:
    """When a body meets: every `every` months on the `ordinal` (1–4 or LAST) `weekday`, or every `every` weeks on
    `weekday` (Monday 0 … Sunday 6)."""

    frequency: str
    every: int = 1
    weekday: int = 0
    ordinal: int | None = None

    def __post_init__(self) -> None:
        if self.frequency not in FREQUENCIES:
            raise ValueError(f"frequency must be one of {FREQUENCIES}, got {self.frequency!r}")
        if not 1 <= self.every <= MAX_EVERY[self.frequency]:
            raise ValueError(f"every must be 1 to {MAX_EVERY[self.frequency]} {self.frequency}, got {self.every!r}")
        if not 0 <= self.weekday <= 6:
            raise ValueError(f"weekday must be 0 (Monday) to 6 (Sunday), got {self.weekday!r}")
        if self.frequency == "months" and self.ordinal not in ORDINALS:
            raise ValueError(f"a monthly rule needs an ordinal in {ORDINALS}, got {self.ordinal!r}")
        if self.frequency == "weeks" and self.ordinal is not None:
            raise ValueError("a weekly rule has no ordinal")


def weekday_in_month(year: int, month: int, weekday: int, ordinal: int) -> date:
    """The `ordinal` (1–4, or LAST) `weekday` of a month: e.g. the last Friday of June 2020 is 26 June 2020."""
    if ordinal == LAST:
        last_day = date(year, month, calendar.monthrange(year, month)[1])
        return last_day - timedelta(days=(last_day.weekday() - weekday) % 7)
    if ordinal not in ORDINALS:
        raise ValueError(f"ordinal must be one of {ORDINALS}, got {ordinal!r}")
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (ordinal - 1))


def iter_occurrences(rule: SeriesRule, starts_on: date) -> Iterator[date]:
    """The rule's dates on or after `starts_on`, without end. A monthly rule counts its months from starts_on's
    month (as iCalendar's RRULE does from DTSTART); a weekly one from the first matching weekday."""
    if rule.frequency == "weeks":
        day = starts_on + timedelta(days=(rule.weekday - starts_on.weekday()) % 7)
        while True:
            yield day
            day += timedelta(weeks=rule.every)
    month_index = starts_on.year * 12 + starts_on.month - 1
    while True:
        year, month = divmod(month_index, 12)
        day = weekday_in_month(year, month + 1, rule.weekday, rule.ordinal)
        if day >= starts_on:
            yield day
        month_index += rule.every


def occurrences(rule: SeriesRule, starts_on: date, *, count: int | None = None, until: date | None = None,
                cap: int = MAX_OCCURRENCES) -> list[date]:
    """The first `count` dates of the rule from `starts_on`, or those up to `until` (inclusive); more than `cap`
    dates raise TooManyOccurrences. One of count and until is required."""
    if (count is None) == (until is None):
        raise ValueError("give either count or until")
    if count is not None:
        if count > cap:
            raise TooManyOccurrences(f"{count} dates asked, at most {cap}")
        if count < 1:
            raise ValueError("count must be at least 1")
    days: list[date] = []
    for day in iter_occurrences(rule, starts_on):
        if (count is not None and len(days) == count) or (until is not None and day > until):
            break
        if len(days) == cap:
            raise TooManyOccurrences(f"more than {cap} dates until {until}")
        days.append(day)
    return days


def next_occurrence(rule: SeriesRule, starts_on: date, after: date, taken: frozenset[date] = frozenset()) -> date:
    """The series' first date after `after` (the series counted from `starts_on`) that is not `taken`."""
    for day in iter_occurrences(rule, starts_on):
        if day > after and day not in taken:
            return day
    raise AssertionError("unreachable: a rule's dates never end")  # pragma: no cover


def month_later_same_weekday(day: date, taken: frozenset[date] = frozenset()) -> date:
    """About a month after `day`, on the same weekday: 4 or 5 weeks later, whichever is nearer to the same day of
    the next month (26 Jun 2020, a Friday → 24 Jul 2020); a week later again while that date is `taken`."""
    year, month = divmod(day.year * 12 + day.month, 12)
    target = date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))
    suggestion = min((day + timedelta(weeks=4), day + timedelta(weeks=5)), key=lambda d: abs((d - target).days))
    while suggestion in taken:
        suggestion += timedelta(weeks=1)
    return suggestion


def planned_numbers(days: Sequence[date], basis: str, highest: Mapping[int, int]) -> list[tuple[int, int]]:
    """(N, BE year) of ครั้งที่ N/ปี for meetings on `days`, created in this order: each numbering year (calendar or
    fiscal `basis`) continues from `highest[year]`, the highest number the body has used in it (0 when none)."""
    used = dict(highest)
    numbers = []
    for day in days:
        year_be = thaidates.numbering_year(day, basis)
        used[year_be] = used.get(year_be, 0) + 1
        numbers.append((used[year_be], year_be))
    return numbers
