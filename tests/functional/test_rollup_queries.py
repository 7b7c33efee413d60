"""The roll-up runs a fixed number of SQL statements whatever the size of the plan: the same count for
3 units × 4 sub-items as for 30 units × 12 sub-items, in the figures module, the API and the dashboard."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from itertools import cycle

import pytest
from sqlalchemy import insert, select

from app.bodies.models import Body, Unit
from app.extensions import db
from app.reports import figures
from app.reports.models import Plan, ProgressReport, ReportingRound, SubItem, Theme, sub_item_units
from app.reports.tallies import recount_round_tallies
from app.thaidates import round_period
from tests.sql import counted

STATES = ("submitted", "accepted", "resubmitted", "draft", "returned")
STATUSES = ("on_track", "at_risk", "delayed", "completed", "not_started")


@dataclass
class Sized:
    """A committee with one working group and its plan, 6- and 9-month rounds of FY 2563, every report filed."""

    committee_id: int
    plan_id: int
    round_id: int  # the 9-month round
    units: int
    sub_items: int


def build(tag: str, n_units: int, n_themes: int, subs_per_theme: int) -> Sized:
    """Every unit responsible for every sub-item; each round holds a report from each (inserted in bulk)."""
    committee = Body(name=f"คณะกรรมการ {tag}", kind="committee", numbering="calendar")
    group = Body(name=f"คณะทำงาน {tag}", kind="working_group", numbering="fiscal", parent=committee)
    db.session.add_all([committee, group])
    db.session.flush()
    plan = Plan(title=f"แผน {tag}", owner_body_id=group.id, start_year_be=2562, end_year_be=2564)
    db.session.add(plan)
    db.session.flush()
    db.session.execute(insert(Theme), [
        {"plan_id": plan.id, "number": t, "title": f"ประเด็นหลัก {t}", "weight": t} for t in range(1, n_themes + 1)])
    theme_ids = list(db.session.scalars(select(Theme.id).where(Theme.plan_id == plan.id).order_by(Theme.number)))
    db.session.execute(insert(SubItem), [
        {"theme_id": theme_id, "number": s, "title": f"ประเด็นย่อย {s}", "weight": s}
        for theme_id in theme_ids for s in range(1, subs_per_theme + 1)])
    sub_ids = list(db.session.scalars(select(SubItem.id).where(SubItem.theme_id.in_(theme_ids))))
    db.session.execute(insert(Unit), [
        {"code": f"{tag}{u:03d}", "name": f"หน่วยงาน {tag} {u}", "active": True} for u in range(1, n_units + 1)])
    unit_ids = list(db.session.scalars(select(Unit.id).where(Unit.code.like(f"{tag}%"))))
    db.session.execute(insert(sub_item_units), [{"sub_item_id": s, "unit_id": u} for s in sub_ids for u in unit_ids])
    rounds = []
    for months, due in ((6, date(2020, 4, 15)), (9, date(2020, 7, 15))):
        start, end = round_period(2563, months)
        round_ = ReportingRound(plan_id=plan.id, fiscal_year_be=2563, months=months, period_start=start,
                                period_end=end, due_date=due, status="open")
        db.session.add(round_)
        db.session.flush()
        rounds.append(round_)
    now = datetime(2020, 7, 1, 3, 0, tzinfo=timezone.utc)
    states, statuses, late = cycle(STATES), cycle(STATUSES), cycle((timedelta(0), timedelta(days=30)))
    rows = []
    for round_ in rounds:
        for s in sub_ids:
            for u in unit_ids:
                status = next(statuses)
                state = next(states)
                rows.append({
                    "unit_id": u, "sub_item_id": s, "round_id": round_.id, "state": state, "status": status,
                    "percent": 100 if status == "completed" else (u * 7 + s) % 100, "version": 1,
                    "result": "ผลการดำเนินงาน",
                    "submitted_at": None if state == "draft" else now + next(late),
                    "created_at": now, "updated_at": now})
    db.session.execute(insert(ProgressReport), rows)
    recount_round_tallies([r.id for r in rounds])  # rows inserted in bulk, as `flask demo scale` does
    db.session.commit()
    return Sized(committee.id, plan.id, rounds[-1].id, n_units, n_themes * subs_per_theme)


@pytest.fixture
def sizes(app) -> tuple[Sized, Sized]:
    """Small: 3 units × 4 sub-items (2 themes); large: 30 units × 12 sub-items (3 themes)."""
    return build("S", 3, 2, 2), build("L", 30, 3, 4)


def fresh(model, id_: int):
    """The row read in a clean session (nothing already loaded to save a query)."""
    db.session.remove()
    return db.session.get(model, id_)


def test_round_rollup_with_units_runs_the_same_queries_for_both_sizes(sizes):
    counts = []
    for sized in sizes:
        round_ = fresh(ReportingRound, sized.round_id)
        with counted() as statements:
            result = figures.round_rollup(round_, with_units=True)
        assert result.figure.counts.expected == sized.units * sized.sub_items
        assert sum(len(lines) for lines in result.units.values()) == sized.units * sized.sub_items
        counts.append(len(statements))
    assert counts[0] == counts[1], counts
    assert counts[0] <= 6, counts


def test_committee_view_runs_the_same_queries_for_both_sizes(sizes):
    counts = []
    for sized in sizes:
        committee = fresh(Body, sized.committee_id)
        with counted() as statements:
            view = figures.committee_view(committee)
        ((plan, round_, figure),) = view.plans
        assert round_.id == sized.round_id and figure.counts.expected == sized.units * sized.sub_items
        counts.append(len(statements))
    assert counts[0] == counts[1], counts


def test_the_api_rollup_runs_the_same_queries_for_both_sizes(client, sizes, make_user, token_for):
    headers = token_for(make_user("viewer"))
    assert client.get("/api/v1/me", headers=headers).status_code == 200  # the token's first use is recorded once
    counts = []
    for sized in sizes:
        db.session.remove()
        with counted() as statements:
            response = client.get(f"/api/v1/plans/{sized.plan_id}/rollup?round={sized.round_id}", headers=headers)
        assert response.status_code == 200, response.get_data(as_text=True)
        body = response.get_json()
        assert body["counts"]["expected"] == sized.units * sized.sub_items
        assert sum(len(s["units"]) for t in body["themes"] for s in t["sub_items"]) == sized.units * sized.sub_items
        counts.append(len(statements))
    assert counts[0] == counts[1], counts


def test_the_dashboard_runs_the_same_queries_for_both_sizes(client, sizes, make_user, login):
    login(make_user("viewer"))
    counts = []
    for sized in sizes:
        db.session.remove()
        with counted() as statements:
            response = client.get(f"/reports/dashboard?plan={sized.plan_id}&round={sized.round_id}")
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert html.count('class="list-group-item sub-item"') == sized.sub_items
        counts.append(len(statements))
    assert counts[0] == counts[1], counts
