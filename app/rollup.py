"""The roll-up of progress reports to the governance committee, as DOMAIN.md defines it.

Pure: plain values in, plain values out (no Flask, no session). The database hands in one tally per
sub-item (SQL aggregates over the round's reports); this module combines them:

- a sub-item's percent is the mean over its responsible units, a unit without a submitted or accepted
  report counting 0 (and as missing);
- a theme's percent is the weighted mean of its sub-items, the plan's the weighted mean of its themes,
  and the committee's the mean of its plans (weights default 1);
- a parent's status is the worst of its children's, in the order delayed, at_risk, not_started,
  on_track, completed; a missing report counts as not_started;
- every level carries counts: expected, submitted (delivered: submitted, resubmitted or accepted),
  accepted, missing (expected − submitted) and late (delivered after the due date, or still missing
  once it has passed).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Iterable, Mapping, Sequence

SEVERITY = ("delayed", "at_risk", "not_started", "on_track", "completed")  # worst first
RECEIVED_STATES = frozenset({"submitted", "resubmitted", "accepted"})
MISSING_STATUS = "not_started"


def severity(status: str) -> int:
    """Position of a progress status in SEVERITY (0 is the worst)."""
    return SEVERITY.index(status)


def worst(statuses: Iterable[str]) -> str | None:
    """The worst of the statuses, or None when there are none."""
    ranked = [severity(s) for s in statuses]
    return SEVERITY[min(ranked)] if ranked else None


def worst_counted(counts: Mapping[str, int]) -> str | None:
    """The worst status that some report has, given how many reports have each status (None when none has)."""
    return worst(status for status, count in counts.items() if count)


def is_late(submitted_on: date | None, due_date: date, today: date, due_on_at_submission: date | None = None) -> bool:
    """Late: delivered after what was due when it was first delivered (decided at delivery: moving the due date
    later does not change it), or not delivered and the current due date has passed."""
    if submitted_on is None:
        return today > due_date
    return submitted_on > (due_on_at_submission or due_date)


@dataclass(frozen=True)
class Counts:
    """How many reports a level expects, has received, has accepted, still misses, and got (or misses) late."""

    expected: int = 0
    submitted: int = 0
    accepted: int = 0
    missing: int = 0
    late: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.expected + other.expected, self.submitted + other.submitted,
                      self.accepted + other.accepted, self.missing + other.missing, self.late + other.late)

    def as_dict(self) -> dict[str, int]:
        return {"expected": self.expected, "submitted": self.submitted, "accepted": self.accepted,
                "missing": self.missing, "late": self.late}


def total(counts: Iterable[Counts]) -> Counts:
    """The sum of several levels' counts."""
    result = Counts()
    for c in counts:
        result = result + c
    return result


@dataclass(frozen=True)
class UnitStanding:
    """One responsible unit's report on a sub-item in a round (state None: no report at all)."""

    unit_id: int
    state: str | None = None
    status: str | None = None
    percent: int = 0
    submitted_on: date | None = None
    due_on_at_submission: date | None = None  # what was due when it was first delivered

    @property
    def received(self) -> bool:
        return self.state in RECEIVED_STATES


@dataclass(frozen=True)
class SubItemTally:
    """What SQL aggregates over one sub-item's reports in a round (received reports only, responsible units only)."""

    expected: int  # responsible units
    received: int = 0  # reports submitted, resubmitted or accepted
    accepted: int = 0
    percent_sum: int = 0  # sum of the received reports' percents
    late_received: int = 0  # received after what was due at their first submission
    worst_received: str | None = None  # worst status among received reports


def tally_units(units: Sequence[UnitStanding], due_date: date, today: date) -> SubItemTally:
    """The tally SQL would compute, from each unit's standing (for drill-down and for hand-made cases)."""
    received = [u for u in units if u.received]
    return SubItemTally(
        expected=len(units),
        received=len(received),
        accepted=sum(1 for u in received if u.state == "accepted"),
        percent_sum=sum(u.percent for u in received),
        late_received=sum(1 for u in received if is_late(u.submitted_on, due_date, today, u.due_on_at_submission)),
        worst_received=worst(u.status for u in received if u.status),
    )


@dataclass(frozen=True)
class Figure:
    """One level of the roll-up: its percent (exact), status, counts, and the levels under it."""

    id: int | None
    title: str
    weight: Fraction
    percent: Fraction
    status: str
    counts: Counts
    children: tuple[Figure, ...] = field(default=())

    @property
    def percent_rounded(self) -> float:
        """The percent to two decimals, half up, as shown and returned by the API."""
        return round_percent(self.percent)


def round_percent(value: Fraction) -> float:
    """A percent to two decimals, rounding halves up (85.005 → 85.01)."""
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return float(exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def as_fraction(weight: Decimal | float | int | str | None) -> Fraction:
    """A weight as an exact fraction; None means 1."""
    return Fraction(1) if weight is None else Fraction(str(weight))


def sub_item_figure(id: int | None, title: str, weight, tally: SubItemTally, past_due: bool) -> Figure:
    """A sub-item from its tally: mean over responsible units (missing ones count 0), worst status."""
    missing = tally.expected - tally.received
    percent = Fraction(tally.percent_sum, tally.expected) if tally.expected else Fraction(0)
    statuses = [tally.worst_received] if tally.worst_received else []
    if missing or not tally.expected:
        statuses.append(MISSING_STATUS)
    counts = Counts(expected=tally.expected, submitted=tally.received, accepted=tally.accepted,
                    missing=missing, late=tally.late_received + (missing if past_due else 0))
    return Figure(id, title, as_fraction(weight), percent, worst(statuses) or MISSING_STATUS, counts)


def weighted_figure(id: int | None, title: str, weight, children: Sequence[Figure]) -> Figure:
    """A parent of several figures: weighted mean of their percents, worst status, summed counts."""
    total_weight = sum((c.weight for c in children), Fraction(0))
    percent = (sum((c.percent * c.weight for c in children), Fraction(0)) / total_weight
               if total_weight else Fraction(0))
    return Figure(id, title, as_fraction(weight), percent, worst(c.status for c in children) or MISSING_STATUS,
                  total(c.counts for c in children), tuple(children))


@dataclass(frozen=True)
class SubItemShape:
    """A sub-item of the plan as the roll-up needs it."""

    id: int
    title: str
    weight: Decimal | int = 1


@dataclass(frozen=True)
class ThemeShape:
    """A theme with its sub-items."""

    id: int
    title: str
    weight: Decimal | int = 1
    sub_items: tuple[SubItemShape, ...] = ()


def roll_up_plan(plan_id: int | None, title: str, themes: Sequence[ThemeShape],
                 tallies: dict[int, SubItemTally], past_due: bool) -> Figure:
    """The plan's figure for one round: sub-items from their tallies, themes and plan by weighted means.

    A sub-item without a tally has no responsible unit (expected 0, percent 0, not_started).
    """
    theme_figures = []
    for theme in themes:
        sub_figures = [
            sub_item_figure(s.id, s.title, s.weight, tallies.get(s.id, SubItemTally(expected=0)), past_due)
            for s in theme.sub_items
        ]
        theme_figures.append(weighted_figure(theme.id, theme.title, theme.weight, sub_figures))
    return weighted_figure(plan_id, title, 1, theme_figures)


def roll_up_committee(title: str, plans: Sequence[Figure]) -> Figure:
    """The governance committee's view: the mean of its working groups' plans (each weight 1)."""
    return weighted_figure(None, title, 1, plans)
