"""`flask demo scale`: every office reports on every indicator in every round, deterministically, and a
second run replaces the plan instead of adding to it."""
from __future__ import annotations

from datetime import timedelta
from itertools import pairwise

import pytest
from sqlalchemy import and_, func, select

from app.bodies.models import Body, Unit
from app.demo import data
from app.demo.scale import BODY_NAME, PLAN_TITLE
from app.extensions import db
from app.reports.models import (
    PROGRESS_STATUSES,
    REPORT_STATES,
    Plan,
    ProgressReport,
    ReportingRound,
    SubItem,
    Theme,
    sub_item_units,
)
from app.thaidates import round_period

UNITS, SUB_ITEMS, YEARS = 6, 5, 2
ROUNDS = YEARS * 4
SMALL = ["--units", str(UNITS), "--sub-items", str(SUB_ITEMS), "--years", str(YEARS)]


@pytest.fixture
def scale(app):
    """scale(*args) runs `flask demo scale` and returns its output; the test's session then reads afresh."""
    runner = app.test_cli_runner()

    def run(*args: str) -> str:
        result = runner.invoke(args=["demo", "scale", *args])
        assert result.exit_code == 0, result.output
        db.session.expire_all()
        return result.output

    return run


def the_plan() -> Plan:
    plan = db.session.scalar(select(Plan).where(Plan.title == PLAN_TITLE))
    assert plan is not None
    return plan


def plan_rounds(plan: Plan) -> list[ReportingRound]:
    return list(db.session.scalars(select(ReportingRound).where(ReportingRound.plan_id == plan.id)
                                   .order_by(ReportingRound.fiscal_year_be, ReportingRound.months)))


def plan_reports(plan: Plan):
    return (select(ProgressReport).join(ReportingRound, ProgressReport.round_id == ReportingRound.id)
            .where(ReportingRound.plan_id == plan.id))


def count(statement) -> int:
    return db.session.scalar(select(func.count()).select_from(statement.subquery()))


def row_counts() -> dict[str, int]:
    """Rows of every table but the audit trail (each run records one event)."""
    return {t.name: db.session.scalar(select(func.count()).select_from(t))
            for t in db.metadata.sorted_tables if t.name != "audit_events"}


def orphans() -> list[str]:
    """Foreign keys pointing at no row, in every table (SQLite does not enforce them)."""
    found = []
    for table in db.metadata.sorted_tables:
        for fk in table.foreign_key_constraints:
            (column,), (target,) = fk.columns, [element.column for element in fk.elements]
            missing = target.table.alias()
            query = (select(func.count()).select_from(table.outerjoin(missing, column == missing.c[target.name]))
                     .where(and_(column.is_not(None), missing.c[target.name].is_(None))))
            if db.session.scalar(query):
                found.append(f"{table.name}.{column.name}")
    return found


def report_fingerprint(plan: Plan) -> list[tuple]:
    """The plan's reports without their ids: who, what, when, and what they say."""
    rows = db.session.execute(
        select(Unit.code, Theme.number, SubItem.number, ReportingRound.fiscal_year_be, ReportingRound.months,
               ProgressReport.status, ProgressReport.percent, ProgressReport.state, ProgressReport.submitted_at,
               ProgressReport.accepted_at)
        .join(Unit, ProgressReport.unit_id == Unit.id).join(SubItem, ProgressReport.sub_item_id == SubItem.id)
        .join(Theme, SubItem.theme_id == Theme.id).join(ReportingRound, ProgressReport.round_id == ReportingRound.id)
        .where(ReportingRound.plan_id == plan.id)
    )
    return sorted(tuple(row) for row in rows)


def test_every_office_reports_on_every_indicator_in_every_round(demo, scale):
    output = scale(*SMALL)

    plan = the_plan()
    rounds = plan_rounds(plan)
    open_round = rounds[-1]
    reports = list(db.session.scalars(plan_reports(plan)))
    in_open_round = [r for r in reports if r.round_id == open_round.id]
    missing = UNITS * SUB_ITEMS - len(in_open_round)

    assert output.startswith(f"scale: {UNITS} units, {SUB_ITEMS} sub-items, {ROUNDS} rounds, {len(reports)} reports")
    assert (plan.start_year_be, plan.end_year_be) == (2562, 2563)
    assert plan.owner_body.name == BODY_NAME and plan.owner_body.kind == "working_group"
    assert plan.owner_body.parent.name == data.COMMITTEE_NAME
    assert [u.code for u in db.session.scalars(select(Unit).where(Unit.code.like("ESA%")).order_by(Unit.code))] == [
        f"ESA{n:03d}" for n in range(1, UNITS + 1)]
    assert count(select(sub_item_units).join(SubItem).join(Theme).where(Theme.plan_id == plan.id)) == UNITS * SUB_ITEMS

    assert len(rounds) == ROUNDS
    assert [(r.fiscal_year_be, r.months) for r in rounds if r.status == "open"] == [(2563, 12)]
    for r in rounds:
        assert (r.period_start, r.period_end) == round_period(r.fiscal_year_be, r.months)
        assert r.due_date == r.period_end + timedelta(days=15)

    assert len(reports) == UNITS * SUB_ITEMS * ROUNDS - missing
    assert 0 <= missing < UNITS * SUB_ITEMS // 2
    assert all(r.state == "accepted" for r in reports if r.round_id != open_round.id)
    assert {r.state for r in in_open_round} <= set(REPORT_STATES) and "submitted" in {r.state for r in in_open_round}


def test_reports_are_consistent(scale):
    scale(*SMALL)  # without the demo loaded first: it loads it

    plan = the_plan()
    assert plan.owner_body.parent.name == data.COMMITTEE_NAME
    assert orphans() == []
    for r in db.session.scalars(plan_reports(plan)):
        assert r.status in PROGRESS_STATUSES and 0 <= r.percent <= 100
        assert r.status != "completed" or r.percent == 100
        assert r.version == 1 and r.created_at <= r.updated_at
        assert (r.submitted_at is None) == (r.state == "draft")
        assert (r.accepted_at is not None) == (r.state == "accepted")
        assert r.accepted_at is None or r.submitted_at < r.accepted_at
        assert (r.review_comment is not None) == (r.state in ("returned", "resubmitted"))


def test_percent_never_falls_within_a_fiscal_year(scale):
    scale(*SMALL)

    rows = db.session.execute(
        plan_reports(the_plan()).with_only_columns(
            ProgressReport.unit_id, ProgressReport.sub_item_id, ReportingRound.fiscal_year_be,
            ReportingRound.months, ProgressReport.percent)
    )
    series: dict[tuple, list[tuple[int, int]]] = {}
    for unit_id, sub_item_id, year, months, percent in rows:
        series.setdefault((unit_id, sub_item_id, year), []).append((months, percent))
    assert len(series) == UNITS * SUB_ITEMS * YEARS
    for key, points in series.items():
        percents = [percent for _, percent in sorted(points)]
        assert all(a <= b for a, b in pairwise(percents)), (key, percents)


def test_running_again_replaces_the_plan(demo, scale):
    scale(*SMALL)
    plan_id, counts, fingerprint = the_plan().id, row_counts(), report_fingerprint(the_plan())

    scale(*SMALL)

    assert the_plan().id == plan_id
    assert row_counts() == counts
    assert report_fingerprint(the_plan()) == fingerprint


def test_more_units_reuse_the_existing_ones(demo, scale):
    scale("--units", "3", "--sub-items", "2", "--years", "1")
    first = dict(db.session.execute(select(Unit.code, Unit.id).where(Unit.code.like("ESA%"))).all())

    scale("--units", "5", "--sub-items", "2", "--years", "1")

    units = dict(db.session.execute(select(Unit.code, Unit.id).where(Unit.code.like("ESA%"))).all())
    assert len(units) == 5 and all(units[code] == unit_id for code, unit_id in first.items())
    assert db.session.scalar(select(Unit.name).where(Unit.code == "ESA001")) == (
        "สำนักงานเขตพื้นที่การศึกษาประถมศึกษากระบี่ เขต 1")
    assert db.session.scalar(select(func.count()).select_from(Body).where(Body.name == BODY_NAME)) == 1


def test_refused_in_production(app, scale, monkeypatch):
    monkeypatch.setitem(app.config, "ENV_NAME", "production")
    result = app.test_cli_runner().invoke(args=["demo", "scale", *SMALL])
    assert result.exit_code != 0 and "production" in result.output
    assert db.session.scalar(select(Plan).where(Plan.title == PLAN_TITLE)) is None
