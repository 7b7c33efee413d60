"""Pure pieces of the home page and the living demo: urgency order, days left, the demo's dates."""
from __future__ import annotations

from datetime import date

from app.demo.living import current_round_months, plan_spec, weekday_on_or_after, weekday_on_or_before
from app.main.todo import Entry, Task, days_left


def task(kind: str, *entries: Entry, count: int = 1) -> Task:
    return Task(kind, kind, count, "/", tuple(entries))


def test_late_tasks_come_first_then_the_nearest_day_then_undated():
    soon = task("meetings_answer", Entry("m", "/m", date(2026, 12, 10)))
    sooner = task("minutes_comment", Entry("c", "/c", date(2026, 12, 7)))
    late = task("reports_late", Entry("r", "/r", date(2026, 12, 20), late=True))
    undated = task("plans", Entry("p", "/p"))
    assert sorted([undated, soon, late, sooner], key=Task.urgency) == [late, sooner, soon, undated]


def test_same_day_tasks_follow_what_blocks_others_first():
    day = date(2026, 12, 10)
    review = task("reports_review", Entry("a", "/a", day))
    returned = task("reports_returned", Entry("b", "/b", day))
    assert sorted([review, returned], key=Task.urgency) == [returned, review]


def test_a_task_is_due_on_its_nearest_entry_and_late_when_any_entry_is():
    t = task("reports_due", Entry("a", "/a", date(2026, 12, 13)), Entry("b", "/b", date(2026, 12, 1), late=True))
    assert t.due == date(2026, 12, 1) and t.late
    assert task("plans", Entry("p", "/p")).due is None


def test_days_left():
    today = date(2026, 12, 3)
    assert days_left(date(2026, 12, 13), today) == 10
    assert days_left(date(2026, 11, 30), today) == -3
    assert days_left(None, today) is None


def test_demo_meetings_fall_on_weekdays():
    saturday, sunday, wednesday = date(2026, 12, 5), date(2026, 12, 6), date(2026, 12, 9)
    assert weekday_on_or_after(saturday) == date(2026, 12, 7) == weekday_on_or_after(sunday)
    assert weekday_on_or_before(saturday) == date(2026, 12, 4) == weekday_on_or_before(sunday)
    assert weekday_on_or_after(wednesday) == wednesday == weekday_on_or_before(wednesday)


def test_the_demo_round_is_the_latest_whose_period_ends_before_its_due_date():
    assert current_round_months(2570, date(2026, 12, 3)) == 3  # nothing ended yet: the first round
    assert current_round_months(2570, date(2027, 1, 10)) == 3  # 31 Dec has passed
    assert current_round_months(2570, date(2027, 3, 25)) == 6  # due 4 Apr, after 31 Mar
    assert current_round_months(2570, date(2027, 9, 28)) == 12


def test_the_demo_plan_covers_the_current_fiscal_year():
    spec = plan_spec(2570)
    assert spec["start_year_be"] <= 2570 <= spec["end_year_be"]
    assert "2569–2571" in spec["title"]
