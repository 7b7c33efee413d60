"""Unit tests for app.rollup (pure: no app, no database).

Every expected number is worked out by hand in the comments next to the case.
"""
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from app.rollup import (
    MISSING_STATUS,
    SEVERITY,
    Counts,
    Figure,
    SubItemShape,
    SubItemTally,
    ThemeShape,
    UnitStanding,
    as_fraction,
    is_late,
    round_percent,
    roll_up_committee,
    roll_up_plan,
    severity,
    sub_item_figure,
    tally_units,
    total,
    weighted_figure,
    worst,
)

DUE = date(2020, 6, 30)  # the 9-month round's due date in these cases


def tally(expected, received=0, accepted=0, percent_sum=0, late_received=0, worst_received=None):
    return SubItemTally(expected, received, accepted, percent_sum, late_received, worst_received)


# --- status order -------------------------------------------------------------------------------

def test_severity_order_worst_first():
    assert SEVERITY == ("delayed", "at_risk", "not_started", "on_track", "completed")
    assert [severity(s) for s in ("delayed", "at_risk", "not_started", "on_track", "completed")] == [0, 1, 2, 3, 4]
    assert MISSING_STATUS == "not_started"


@pytest.mark.parametrize("statuses, expected", [
    (["completed", "on_track"], "on_track"),
    (["on_track", "not_started", "completed"], "not_started"),
    (["not_started", "at_risk"], "at_risk"),
    (["completed", "at_risk", "delayed", "on_track"], "delayed"),
    (["completed", "completed"], "completed"),
    (["delayed"], "delayed"),
])
def test_worst_picks_the_most_severe(statuses, expected):
    assert worst(statuses) == expected


def test_worst_of_nothing_is_none():
    assert worst([]) is None
    assert worst(iter(())) is None


# --- lateness -----------------------------------------------------------------------------------

@pytest.mark.parametrize("submitted_on, today, late", [
    (date(2020, 6, 29), date(2020, 7, 10), False),  # before the due date
    (date(2020, 6, 30), date(2020, 7, 10), False),  # on the due date: not late
    (date(2020, 7, 1), date(2020, 7, 10), True),    # the day after: late
    (None, date(2020, 6, 29), False),               # not delivered, due date ahead
    (None, date(2020, 6, 30), False),               # not delivered, due date is today
    (None, date(2020, 7, 1), True),                 # not delivered, due date passed
])
def test_is_late_boundaries(submitted_on, today, late):
    assert is_late(submitted_on, DUE, today) is late


# --- a unit's standing --------------------------------------------------------------------------

@pytest.mark.parametrize("state, received", [
    (None, False), ("draft", False), ("returned", False),
    ("submitted", True), ("resubmitted", True), ("accepted", True),
])
def test_unit_standing_received_states(state, received):
    assert UnitStanding(1, state=state).received is received


# --- counts -------------------------------------------------------------------------------------

def test_counts_add_total_and_as_dict():
    a = Counts(expected=3, submitted=2, accepted=1, missing=1, late=1)
    b = Counts(expected=4, submitted=1, accepted=0, missing=3, late=2)
    # 3+4=7, 2+1=3, 1+0=1, 1+3=4, 1+2=3
    assert a + b == Counts(7, 3, 1, 4, 3)
    assert total([a, b, Counts(1, 1, 1, 0, 0)]) == Counts(8, 4, 2, 4, 3)
    assert total([]) == Counts(0, 0, 0, 0, 0)
    assert (a + b).as_dict() == {"expected": 7, "submitted": 3, "accepted": 1, "missing": 4, "late": 3}


# --- tally_units --------------------------------------------------------------------------------

def mixed_units():
    return [
        UnitStanding(1, "accepted", "on_track", 80, date(2020, 6, 20)),    # received, on time
        UnitStanding(2, "resubmitted", "at_risk", 50, date(2020, 7, 2)),   # received, late
        UnitStanding(3, "returned", "delayed", 90, date(2020, 6, 25)),     # NOT received
        UnitStanding(4),                                                   # no report at all
        UnitStanding(5, "draft", "completed", 100),                        # NOT received
    ]


def test_tally_units_counts_only_received_reports():
    t = tally_units(mixed_units(), DUE, today=date(2020, 7, 5))
    # expected 5 units; received: units 1, 2 → 2; accepted: unit 1 → 1;
    # percent_sum 80 + 50 = 130; late_received: unit 2 (2 Jul > 30 Jun) → 1;
    # worst among received statuses on_track, at_risk → at_risk (returned unit 3's delayed ignored)
    assert t == SubItemTally(expected=5, received=2, accepted=1, percent_sum=130, late_received=1,
                             worst_received="at_risk")


def test_tally_units_submitted_on_due_date_is_not_late_day_after_is():
    units = [UnitStanding(1, "submitted", "on_track", 40, DUE),
             UnitStanding(2, "submitted", "on_track", 60, date(2020, 7, 1))]
    t = tally_units(units, DUE, today=date(2020, 7, 1))
    assert t.late_received == 1
    assert t.received == 2 and t.percent_sum == 100


def test_tally_units_received_without_status_gives_no_worst():
    t = tally_units([UnitStanding(1, "submitted", None, 30, DUE)], DUE, DUE)
    assert t.worst_received is None
    # then the sub-item's status falls back to not_started; percent 30 / 1 = 30
    f = sub_item_figure(1, "s", 1, t, past_due=False)
    assert f.status == "not_started"
    assert f.percent == Fraction(30)


def test_tally_units_empty():
    assert tally_units([], DUE, DUE) == SubItemTally(expected=0, received=0, accepted=0, percent_sum=0,
                                                     late_received=0, worst_received=None)


def test_tally_units_fed_to_sub_item_figure_equals_hand_computation():
    today = date(2020, 7, 5)
    f = sub_item_figure(7, "Sub-item 1.1", 1, tally_units(mixed_units(), DUE, today), past_due=today > DUE)
    # percent: (80 + 50 + 0 + 0 + 0) / 5 = 26
    assert f.percent == Fraction(26)
    assert f.percent_rounded == 26.0
    # missing units 3, 4, 5 → worst(at_risk, not_started) = at_risk
    assert f.status == "at_risk"
    # expected 5, submitted 2, accepted 1, missing 5 - 2 = 3,
    # late = 1 received late + 3 missing past the due date = 4
    assert f.counts == Counts(expected=5, submitted=2, accepted=1, missing=3, late=4)
    # and it equals the tally typed in by hand
    by_hand = sub_item_figure(7, "Sub-item 1.1", 1, tally(5, 2, 1, 130, 1, "at_risk"), past_due=True)
    assert f == by_hand
    assert f.id == 7 and f.title == "Sub-item 1.1" and f.weight == Fraction(1) and f.children == ()


# --- sub-item figure ----------------------------------------------------------------------------

def test_sub_item_mean_over_units_missing_counts_zero():
    # units: accepted 100 (completed), nothing → (100 + 0) / 2 = 50
    t = tally_units([UnitStanding(1, "accepted", "completed", 100, DUE), UnitStanding(2)], DUE, DUE)
    f = sub_item_figure(1, "s", 1, t, past_due=False)
    assert f.percent == Fraction(50)
    # a missing unit makes it at best not_started, even though the only report says completed
    assert f.status == "not_started"
    # due date not passed (today == due): the missing report is not late
    assert f.counts == Counts(expected=2, submitted=1, accepted=1, missing=1, late=0)


def test_sub_item_missing_unit_does_not_hide_a_worse_status():
    f = sub_item_figure(1, "s", 1, tally(2, 1, 0, 10, 0, "delayed"), past_due=False)
    # worst(delayed, not_started) = delayed; percent 10 / 2 = 5
    assert f.status == "delayed"
    assert f.percent == Fraction(5)


def test_sub_item_draft_and_returned_reports_are_not_received():
    units = [UnitStanding(1, "draft", "completed", 100), UnitStanding(2, "returned", "on_track", 60, DUE)]
    f = sub_item_figure(1, "s", 1, tally_units(units, DUE, date(2020, 7, 1)), past_due=True)
    # nothing received: percent 0, not_started, both missing and both late (due date passed)
    assert f.percent == Fraction(0)
    assert f.status == "not_started"
    assert f.counts == Counts(expected=2, submitted=0, accepted=0, missing=2, late=2)


def test_sub_item_all_received_completed():
    units = [UnitStanding(1, "accepted", "completed", 100, DUE),
             UnitStanding(2, "submitted", "completed", 100, date(2020, 7, 3))]
    f = sub_item_figure(1, "s", 1, tally_units(units, DUE, date(2020, 7, 3)), past_due=True)
    # (100 + 100) / 2 = 100, nobody missing → completed; unit 2 delivered late
    assert f.percent == Fraction(100)
    assert f.status == "completed"
    assert f.counts == Counts(expected=2, submitted=2, accepted=1, missing=0, late=1)


def test_sub_item_missing_not_late_before_due_date():
    units = [UnitStanding(1, "submitted", "on_track", 70, date(2020, 6, 1)), UnitStanding(2)]
    today = date(2020, 6, 15)
    f = sub_item_figure(1, "s", 1, tally_units(units, DUE, today), past_due=today > DUE)
    assert f.counts == Counts(expected=2, submitted=1, accepted=0, missing=1, late=0)
    assert f.percent == Fraction(35)  # 70 / 2


def test_sub_item_without_responsible_units():
    for past_due in (False, True):
        f = sub_item_figure(3, "s", 1, SubItemTally(expected=0), past_due=past_due)
        assert f.percent == Fraction(0)
        assert f.status == "not_started"
        assert f.counts == Counts(0, 0, 0, 0, 0)


def test_sub_item_weight_is_exact_fraction():
    f = sub_item_figure(1, "s", Decimal("1.500"), tally(1, 1, 0, 10, 0, "on_track"), past_due=False)
    assert f.weight == Fraction(3, 2)
    assert sub_item_figure(1, "s", None, SubItemTally(expected=0), False).weight == Fraction(1)


# --- weights and rounding -----------------------------------------------------------------------

@pytest.mark.parametrize("weight, expected", [
    (None, Fraction(1)),
    (1, Fraction(1)),
    (2, Fraction(2)),
    (Decimal("1.500"), Fraction(3, 2)),
    (Decimal("0.250"), Fraction(1, 4)),
    ("0.1", Fraction(1, 10)),
    (0.1, Fraction(1, 10)),  # via str(): no binary float noise
])
def test_as_fraction(weight, expected):
    assert as_fraction(weight) == expected


@pytest.mark.parametrize("value, expected", [
    (Fraction(1, 3) * 100, 33.33),     # 33.333…
    (Fraction(2, 3) * 100, 66.67),     # 66.666… → up
    (Fraction("85.005"), 85.01),       # exact half → up
    (Fraction("85.004999"), 85.0),     # just below the half → down
    (Fraction("2.675"), 2.68),         # float round(2.675, 2) would give 2.67
    (Fraction("0.005"), 0.01),
    (Fraction(0), 0.0),
    (Fraction(100), 100.0),
    (Fraction(700, 9), 77.78),         # 77.777…
])
def test_round_percent_half_up(value, expected):
    assert round_percent(value) == expected


# --- theme and plan: weighted means -------------------------------------------------------------

def test_theme_weighted_mean_weights_1_and_2():
    a = sub_item_figure(1, "a", 1, tally(2, 2, 1, 100, 0, "on_track"), past_due=False)   # 100 / 2 = 50
    b = sub_item_figure(2, "b", 2, tally(1, 1, 1, 80, 1, "completed"), past_due=False)   # 80 / 1 = 80
    theme = weighted_figure(10, "Theme 1", 1, [a, b])
    # (50·1 + 80·2) / (1 + 2) = 210 / 3 = 70
    assert theme.percent == Fraction(70)
    # worst(on_track, completed) = on_track
    assert theme.status == "on_track"
    # counts summed: expected 3, submitted 3, accepted 2, missing 0, late 1
    assert theme.counts == Counts(3, 3, 2, 0, 1)
    assert theme.children == (a, b)


def test_theme_decimal_weights():
    a = sub_item_figure(1, "a", Decimal("1.500"), tally(1, 1, 0, 100, 0, "completed"), False)  # 100
    b = sub_item_figure(2, "b", Decimal("0.500"), tally(1, 1, 0, 0, 0, "not_started"), False)  # 0
    # (100·1.5 + 0·0.5) / 2 = 75
    theme = weighted_figure(1, "t", 1, [a, b])
    assert theme.percent == Fraction(75)
    assert theme.status == "not_started"


def test_weighted_figure_of_no_children():
    f = weighted_figure(1, "empty", 1, [])
    assert f.percent == Fraction(0)
    assert f.status == "not_started"
    assert f.counts == Counts(0, 0, 0, 0, 0)
    assert f.children == ()


def test_exact_fractions_no_float_drift():
    # sub-item A: three units 100, 0, 0 → 100/3 exactly; sub-item B: one unit 100 → 100
    tallies = {1: tally(3, 3, 0, 100, 0, "on_track"), 2: tally(1, 1, 1, 100, 0, "completed")}
    plan = roll_up_plan(1, "plan", [ThemeShape(1, "t", 1, (SubItemShape(1, "A", 1), SubItemShape(2, "B", 2)))],
                        tallies, past_due=False)
    theme = plan.children[0]
    assert theme.children[0].percent == Fraction(100, 3)
    # theme: (100/3·1 + 100·2) / 3 = (700/3) / 3 = 700/9 exactly (77.777…)
    assert theme.percent == Fraction(700, 9)
    assert isinstance(theme.percent, Fraction)
    assert plan.percent == Fraction(700, 9)
    assert plan.percent_rounded == 77.78
    # three thirds add back up to exactly 100 (no 99.99999…)
    parts = [sub_item_figure(i, "x", 1, tally(3, 3, 0, 100, 0, "on_track"), False) for i in range(3)]
    assert sum(p.percent for p in parts) == Fraction(100)


def plan_shape():
    return [
        ThemeShape(1, "Theme 1", Decimal("1.000"), (
            SubItemShape(11, "1.1", 1),
            SubItemShape(12, "1.2", 2),
        )),
        ThemeShape(2, "Theme 2", Decimal("2.000"), (
            SubItemShape(21, "2.1", Decimal("1.500")),
            SubItemShape(22, "2.2", Decimal("0.500")),  # no tally: no responsible unit
        )),
    ]


def plan_tallies():
    return {
        # 1.1: 2 units, both received (60 + 40), one accepted, one late, worst at_risk → 50
        11: tally(2, 2, 1, 100, 1, "at_risk"),
        # 1.2: 3 units, 2 received (90 + 90), both accepted, worst on_track, 1 missing → 180/3 = 60
        12: tally(3, 2, 2, 180, 0, "on_track"),
        # 2.1: 1 unit, received 100, accepted, completed → 100
        21: tally(1, 1, 1, 100, 0, "completed"),
        99: tally(5, 5, 5, 500, 0, "completed"),  # a sub-item not in the plan: ignored
    }


def test_roll_up_plan_by_hand_past_due():
    plan = roll_up_plan(5, "Reform plan", plan_shape(), plan_tallies(), past_due=True)
    t1, t2 = plan.children
    s11, s12 = t1.children
    s21, s22 = t2.children

    assert (s11.percent, s11.status) == (Fraction(50), "at_risk")
    # 1.2 has a missing unit: worst(on_track, not_started) = not_started
    assert (s12.percent, s12.status) == (Fraction(60), "not_started")
    assert s12.counts == Counts(expected=3, submitted=2, accepted=2, missing=1, late=1)  # missing past due
    assert (s21.percent, s21.status) == (Fraction(100), "completed")
    # 2.2 has no tally: expected 0 → 0, not_started
    assert (s22.percent, s22.status) == (Fraction(0), "not_started")
    assert s22.counts == Counts(0, 0, 0, 0, 0)
    assert s22.weight == Fraction(1, 2)

    # theme 1: (50·1 + 60·2) / 3 = 170/3 = 56.666… → 56.67; worst(at_risk, not_started) = at_risk
    assert t1.percent == Fraction(170, 3)
    assert t1.percent_rounded == 56.67
    assert t1.status == "at_risk"
    # counts: expected 2+3=5, submitted 2+2=4, accepted 1+2=3, missing 0+1=1, late 1+1=2
    assert t1.counts == Counts(5, 4, 3, 1, 2)

    # theme 2: (100·1.5 + 0·0.5) / 2 = 75; worst(completed, not_started) = not_started
    assert t2.percent == Fraction(75)
    assert t2.status == "not_started"
    assert t2.counts == Counts(1, 1, 1, 0, 0)

    # plan: (170/3·1 + 75·2) / 3 = (170/3 + 450/3) / 3 = 620/9 = 68.888… → 68.89
    assert plan.percent == Fraction(620, 9)
    assert plan.percent_rounded == 68.89
    assert plan.status == "at_risk"
    assert plan.counts == Counts(expected=6, submitted=5, accepted=4, missing=1, late=2)
    assert plan.counts.as_dict() == {"expected": 6, "submitted": 5, "accepted": 4, "missing": 1, "late": 2}
    assert (plan.id, plan.title, plan.weight) == (5, "Reform plan", Fraction(1))
    assert [t.weight for t in plan.children] == [Fraction(1), Fraction(2)]


def test_roll_up_plan_before_due_date_missing_is_not_late():
    plan = roll_up_plan(5, "Reform plan", plan_shape(), plan_tallies(), past_due=False)
    # only 1.1's late received report counts
    assert plan.counts == Counts(expected=6, submitted=5, accepted=4, missing=1, late=1)
    assert plan.percent == Fraction(620, 9)  # percents do not depend on the due date


def test_roll_up_plan_empty():
    plan = roll_up_plan(1, "nothing", [], {}, past_due=True)
    assert plan.percent == Fraction(0)
    assert plan.status == "not_started"
    assert plan.counts == Counts(0, 0, 0, 0, 0)
    assert plan.children == ()
    # a theme without sub-items
    plan = roll_up_plan(1, "p", [ThemeShape(1, "t")], {}, past_due=True)
    assert plan.children[0].percent == Fraction(0)
    assert plan.children[0].status == "not_started"
    assert plan.percent == Fraction(0)


# --- committee ----------------------------------------------------------------------------------

def test_roll_up_committee_mean_of_plans():
    p1 = roll_up_plan(1, "p1", plan_shape(), plan_tallies(), past_due=True)  # 620/9, at_risk
    p2 = roll_up_plan(2, "p2", [ThemeShape(1, "t", 1, (SubItemShape(1, "s"),))],
                      {1: tally(4, 4, 4, 400, 0, "completed")}, past_due=True)  # 100, completed
    c = roll_up_committee("Governance committee", [p1, p2])
    # (620/9 + 900/9) / 2 = 1520/18 = 760/9 = 84.444… → 84.44
    assert c.percent == Fraction(760, 9)
    assert c.percent_rounded == 84.44
    assert c.status == "at_risk"
    # counts: (6,5,4,1,2) + (4,4,4,0,0)
    assert c.counts == Counts(10, 9, 8, 1, 2)
    assert c.id is None and c.title == "Governance committee"
    assert c.children == (p1, p2)


def test_roll_up_committee_plans_weigh_equally():
    # a plan with many units does not outweigh a small one: mean of 30 and 90 = 60
    big = roll_up_plan(1, "big", [ThemeShape(1, "t", 1, (SubItemShape(1, "s"),))],
                       {1: tally(245, 245, 0, 245 * 30, 0, "on_track")}, past_due=False)
    small = roll_up_plan(2, "small", [ThemeShape(1, "t", 1, (SubItemShape(1, "s"),))],
                         {1: tally(1, 1, 0, 90, 0, "on_track")}, past_due=False)
    c = roll_up_committee("c", [big, small])
    assert big.percent == Fraction(30)
    assert c.percent == Fraction(60)
    assert c.status == "on_track"


def test_roll_up_committee_empty():
    c = roll_up_committee("c", [])
    assert isinstance(c, Figure)
    assert c.percent == Fraction(0)
    assert c.percent_rounded == 0.0
    assert c.status == "not_started"
    assert c.counts == Counts(0, 0, 0, 0, 0)
    assert c.children == ()
