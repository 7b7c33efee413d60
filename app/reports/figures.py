"""The database side of the roll-up: SQL aggregates per sub-item, handed to the pure app.rollup module.

The number of queries is fixed whatever the number of units, sub-items or reports: one for the plans'
shape, one for the tallies per (round, sub-item) — rows kept current by app.reports.tallies, so the rows read
grow with the sub-items, not the reports — and, for drill-down, one for the units' own reports.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Sequence

from sqlalchemy import Date, and_, case, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import joinedload
from sqlalchemy.sql.functions import FunctionElement
from werkzeug.local import LocalProxy

from app import authz, rollup, thaidates
from app.audit.services import last_event_query
from app.bodies.models import Body, Unit
from app.extensions import db
from app.reports.models import (
    TALLY_STATUS_COLUMNS,
    Plan,
    ProgressReport,
    ReportingRound,
    RoundTally,
    SubItem,
    Theme,
    sub_item_units,
)


@dataclass(frozen=True)
class UnitLine:
    """One responsible unit on a sub-item in a round, for drill-down (report None: nothing filed)."""

    unit_id: int
    unit_code: str
    unit_name: str
    report_id: int | None  # None also when the reader may not read the report
    state: str | None
    status: str | None  # None when the reader may not read the report
    percent: int | None  # None when the reader may not read the report
    late: bool
    counted_percent: int  # what the roll-up counts for this unit: its percent once delivered, else 0

    @property
    def received(self) -> bool:
        return self.state in rollup.RECEIVED_STATES


@dataclass(frozen=True)
class RoundRollup:
    """A round's roll-up: the plan figure, the sub-items as printed (code, target), and drill-down lines."""

    round: ReportingRound
    figure: rollup.Figure
    sub_items: dict[int, SubItem]
    themes: dict[int, Theme]
    units: dict[int, list[UnitLine]]  # by sub-item id; empty unless asked for

    def theme_figures(self) -> tuple[rollup.Figure, ...]:
        return self.figure.children


class bangkok_day(FunctionElement):
    """SQL: the Bangkok calendar day of a UTC timestamp column (the SQL side of thaidates.bangkok_date)."""

    type = Date()
    inherit_cache = True


@compiles(bangkok_day, "sqlite")
def _bangkok_day_sqlite(element, compiler, **kw):
    return f"date({compiler.process(element.clauses, **kw)}, '+7 hours')"  # stored as naive UTC text


@compiles(bangkok_day, "postgresql")
def _bangkok_day_postgresql(element, compiler, **kw):
    return f"CAST(timezone('Asia/Bangkok', {compiler.process(element.clauses, **kw)}) AS DATE)"


def delivered_late(rounds: Sequence[ReportingRound]):
    """SQL mirror of rollup.is_late for delivered reports: first submitted (Bangkok day) after what was due
    then, the round's current due date standing in for reports delivered before that was recorded."""
    return late_against(case(*[(ProgressReport.round_id == r.id, r.due_date) for r in rounds], else_=None))


def late_against(due_now):
    """delivered_late with the round's current due date given as an SQL expression (e.g. a joined column)."""
    return bangkok_day(ProgressReport.submitted_at) > func.coalesce(ProgressReport.due_on_at_submission, due_now)


def _received():
    return ProgressReport.state.in_(tuple(rollup.RECEIVED_STATES))


def _tallies(rounds: Sequence[ReportingRound]) -> dict[tuple[int, int], rollup.SubItemTally]:
    """Per (round, sub-item with a responsible unit): its tally, read from the rows app.reports.tallies keeps
    current (one query, one row per sub-item and round, whatever the number of reports)."""
    if not rounds:
        return {}
    status_columns = {status: getattr(RoundTally, column) for status, column in TALLY_STATUS_COLUMNS.items()}
    rows = db.session.execute(
        select(RoundTally.round_id, RoundTally.sub_item_id, RoundTally.expected, RoundTally.received,
               RoundTally.accepted, RoundTally.percent_sum, RoundTally.late_received, *status_columns.values())
        .where(RoundTally.round_id.in_(sorted({r.id for r in rounds})))
    ).all()
    return {
        (round_id, sub_id): rollup.SubItemTally(
            expected=expected, received=received, accepted=accepted, percent_sum=percent_sum,
            late_received=late, worst_received=rollup.worst_counted(dict(zip(status_columns, counts))))
        for round_id, sub_id, expected, received, accepted, percent_sum, late, *counts in rows
    }


def recomputed_tallies(rounds: Sequence[ReportingRound]) -> dict[tuple[int, int], rollup.SubItemTally]:
    """_tallies computed afresh from every report (GROUP BY over the rounds' reports, O(reports)): the reference
    the maintained rows are checked against (tests, `flask reports recount --check`)."""
    if not rounds:
        return {}
    plan_ids = sorted({r.plan_id for r in rounds})
    expected: dict[int, dict[int, int]] = {plan_id: {} for plan_id in plan_ids}
    for plan_id, sub_id, n_expected in db.session.execute(
        select(Theme.plan_id, SubItem.id, func.count(sub_item_units.c.unit_id))
        .join(Theme, Theme.id == SubItem.theme_id)
        .join(sub_item_units, sub_item_units.c.sub_item_id == SubItem.id)
        .where(Theme.plan_id.in_(plan_ids)).group_by(Theme.plan_id, SubItem.id)
    ):
        expected[plan_id][sub_id] = n_expected
    late_cases = case((delivered_late(rounds), 1), else_=0)
    rank = case(*[(ProgressReport.status == s, i) for i, s in enumerate(rollup.SEVERITY)], else_=None)
    rows = db.session.execute(
        select(ProgressReport.round_id, ProgressReport.sub_item_id, func.count(),
               func.sum(case((ProgressReport.state == "accepted", 1), else_=0)),
               func.sum(ProgressReport.percent), func.sum(late_cases), func.min(rank))
        .join(sub_item_units, and_(sub_item_units.c.sub_item_id == ProgressReport.sub_item_id,
                                   sub_item_units.c.unit_id == ProgressReport.unit_id))
        .where(ProgressReport.round_id.in_([r.id for r in rounds]), _received())
        .group_by(ProgressReport.round_id, ProgressReport.sub_item_id)
    ).all()
    received = {(round_id, sub_id): (n, accepted, percent_sum, late, worst)
                for round_id, sub_id, n, accepted, percent_sum, late, worst in rows}
    tallies = {}
    for r in rounds:
        for sub_id, n_expected in expected[r.plan_id].items():
            n, accepted, percent_sum, late, worst = received.get((r.id, sub_id), (0, 0, 0, 0, None))
            tallies[(r.id, sub_id)] = rollup.SubItemTally(
                expected=n_expected, received=int(n), accepted=int(accepted or 0), percent_sum=int(percent_sum or 0),
                late_received=int(late or 0), worst_received=rollup.SEVERITY[worst] if worst is not None else None)
    return tallies


def _shapes(plan_ids: Sequence[int]) -> tuple[dict[int, list[Theme]], dict[int, SubItem]]:
    """Themes (with their sub-items, in order) per plan, in one query."""
    themes: dict[int, list[Theme]] = {pid: [] for pid in plan_ids}
    sub_items: dict[int, SubItem] = {}
    seen: dict[int, Theme] = {}
    rows = db.session.execute(
        select(Theme, SubItem).outerjoin(SubItem, SubItem.theme_id == Theme.id)
        .where(Theme.plan_id.in_(plan_ids)).order_by(Theme.plan_id, Theme.number, SubItem.number)
    ).all()
    for theme, sub_item in rows:
        if theme.id not in seen:
            seen[theme.id] = theme
            themes[theme.plan_id].append(theme)
        if sub_item is not None:
            sub_items[sub_item.id] = sub_item
    return themes, sub_items


def _theme_shapes(themes: Sequence[Theme], sub_items: dict[int, SubItem]) -> list[rollup.ThemeShape]:
    by_theme: dict[int, list[SubItem]] = {}
    for s in sub_items.values():
        by_theme.setdefault(s.theme_id, []).append(s)
    return [
        rollup.ThemeShape(t.id, f"{t.number} {t.title}", t.weight, tuple(
            rollup.SubItemShape(s.id, f"{t.number}.{s.number} {s.title}", s.weight) for s in sorted(by_theme.get(t.id, []), key=lambda s: s.number)))
        for t in themes
    ]


def unit_lines(round_: ReportingRound, today: date, sub_item_id: int | None = None, *, reader,
               window: tuple[int, int] | None = None) -> dict[int, list[UnitLine]]:
    """Every responsible unit per sub-item of the round's plan (or of one sub-item), with its report (one query);
    the report id, status and percent of a report the reader may not read are left out (dashboard and API alike).
    window=(offset, limit) keeps that slice of the lines in the plan's order (theme, sub-item, unit code).
    Lateness of a delivered report is decided by SQL (delivered_late: 1 or 0, NULL when nothing was delivered),
    so no timestamp is read or converted here; the rows are read without the ORM (plain columns)."""
    late_delivery = case((and_(_received(), ProgressReport.submitted_at.is_not(None)),
                          case((delivered_late([round_]), 1), else_=0)), else_=None)
    query = (
        select(sub_item_units.c.sub_item_id, Unit.id, Unit.code, Unit.name, ProgressReport.id, ProgressReport.state,
               ProgressReport.status, ProgressReport.percent, late_delivery)
        .select_from(sub_item_units)
        .join(SubItem, SubItem.id == sub_item_units.c.sub_item_id)
        .join(Theme, Theme.id == SubItem.theme_id)
        .join(Unit, Unit.id == sub_item_units.c.unit_id)
        .outerjoin(ProgressReport, and_(ProgressReport.sub_item_id == sub_item_units.c.sub_item_id,
                                        ProgressReport.unit_id == Unit.id, ProgressReport.round_id == round_.id))
        .where(Theme.plan_id == round_.plan_id)
        .order_by(Theme.number, SubItem.number, Unit.code, Unit.id)
    )
    if sub_item_id is not None:
        query = query.where(sub_item_units.c.sub_item_id == sub_item_id)
    if window is not None:
        query = query.offset(window[0]).limit(window[1])
    rows = db.session.connection().execute(query).all()
    if isinstance(reader, LocalProxy):  # current_user: resolved once, not on each of thousands of lines
        reader = reader._get_current_object()
    owner_body_id = round_.plan.owner_body_id
    missing_is_late = rollup.is_late(None, round_.due_date, today)
    readable: dict[tuple[int, str], bool] = {}  # the rule asked once per unit and state, not once per line
    lines: dict[int, list[UnitLine]] = {}
    for sub_id, unit_id, code, name, report_id, state, status, percent, late_delivery in rows:
        received = state in rollup.RECEIVED_STATES
        late = bool(late_delivery) if late_delivery is not None else missing_is_late
        counted = (percent or 0) if received else 0
        if report_id is not None:
            if (unit_id, state) not in readable:
                readable[(unit_id, state)] = authz.can_view_report_of(reader, unit_id, state, owner_body_id)
            if not readable[(unit_id, state)]:
                report_id = status = percent = None
        lines.setdefault(sub_id, []).append(UnitLine(unit_id, code, name, report_id, state, status, percent,
                                                     late, counted))
    return lines


def round_rollup(round_: ReportingRound, *, with_units: bool = False, today: date | None = None,
                 reader=None, units_window: tuple[int, int] | None = None) -> RoundRollup:
    """The roll-up of one round of a plan: plan ← themes ← sub-items ← units as `reader` may read them (a fixed
    number of queries); units_window=(offset, limit) keeps one slice of the unit lines."""
    today = today or thaidates.today_bangkok()
    themes, sub_items = _shapes([round_.plan_id])
    tallies = {sub_id: t for (_r, sub_id), t in _tallies([round_]).items()}
    figure = rollup.roll_up_plan(round_.plan_id, round_.plan.title, _theme_shapes(themes[round_.plan_id], sub_items),
                                 tallies, past_due=today > round_.due_date)
    units = unit_lines(round_, today, reader=reader, window=units_window) if with_units else {}
    return RoundRollup(round_, figure, sub_items, {t.id: t for t in themes[round_.plan_id]}, units)


def rollup_version(round_: ReportingRound) -> tuple:
    """What a round's roll-up is computed from, in one small query that reads no report: the last audit event
    (every change to plans, units, users and reports records one) and the round's revision (raised in the same
    transaction by every change to its reports, app.reports.tallies)."""
    last_event = last_event_query().scalar_subquery()
    row = db.session.execute(
        select(last_event, ReportingRound.revision).where(ReportingRound.id == round_.id)
    ).one()
    return _version(round_, *row)


def round_with_version(round_id: int) -> tuple[ReportingRound, tuple] | None:
    """The round with its plan and its roll-up version (rollup_version) read in one query, or None."""
    last_event = last_event_query().scalar_subquery()
    row = db.session.execute(select(ReportingRound, last_event).where(ReportingRound.id == round_id)
                             .options(joinedload(ReportingRound.plan))).first()
    if row is None:
        return None
    round_, last = row
    return round_, _version(round_, last, round_.revision)


def _version(round_: ReportingRound, last_event: int | None, revision: int) -> tuple:
    return (round_.id, round_.plan_id, round_.due_date.isoformat(), round_.status, last_event, revision)


@dataclass(frozen=True)
class CommitteeView:
    """The governance committee's view: each working group's plan in its latest round, and their mean."""

    body: Body
    figure: rollup.Figure
    plans: list[tuple[Plan, ReportingRound, rollup.Figure]]


def committee_view(body: Body, today: date | None = None) -> CommitteeView:
    """Every plan owned by the body or a working group under it, each in its latest round (fixed queries)."""
    today = today or thaidates.today_bangkok()
    pairs = db.session.execute(select(Body.id, Body.parent_id)).all()
    below, stack = {body.id}, [body.id]
    while stack:
        parent = stack.pop()
        for child, parent_id in pairs:
            if parent_id == parent and child not in below:
                below.add(child)
                stack.append(child)
    plans = list(db.session.scalars(select(Plan).where(Plan.owner_body_id.in_(below)).order_by(Plan.id)))
    latest_rank = func.row_number().over(partition_by=ReportingRound.plan_id,
                                         order_by=(ReportingRound.period_end.desc(), ReportingRound.id.desc()))
    ranked = (select(ReportingRound.id, latest_rank.label("rank"))
              .where(ReportingRound.plan_id.in_([p.id for p in plans] or [-1])).subquery())
    rounds = list(db.session.scalars(select(ReportingRound).join(ranked, ranked.c.id == ReportingRound.id)
                                     .where(ranked.c.rank == 1)))
    by_plan = {r.plan_id: r for r in rounds}
    themes, sub_items = _shapes([p.id for p in plans])
    tallies = _tallies(rounds)
    figures = []
    for plan in plans:
        round_ = by_plan.get(plan.id)
        if round_ is None:
            continue
        plan_tallies = {sub_id: t for (r_id, sub_id), t in tallies.items() if r_id == round_.id}
        figure = rollup.roll_up_plan(plan.id, plan.title, _theme_shapes(themes[plan.id], sub_items), plan_tallies,
                                     past_due=today > round_.due_date)
        figures.append((plan, round_, figure))
    return CommitteeView(body, rollup.roll_up_committee(body.name, [f for _p, _r, f in figures]), figures)


def round_comparison(plan: Plan, fiscal_year_be: int, today: date | None = None) -> list[tuple[ReportingRound, rollup.Figure]]:
    """The plan's figure in each round of a fiscal year (3 → 6 → 9 → 12 months), for the chart (fixed queries)."""
    today = today or thaidates.today_bangkok()
    rounds = list(db.session.scalars(select(ReportingRound).where(
        ReportingRound.plan_id == plan.id, ReportingRound.fiscal_year_be == fiscal_year_be)
        .order_by(ReportingRound.months)))
    themes, sub_items = _shapes([plan.id])
    tallies = _tallies(rounds)
    shapes = _theme_shapes(themes[plan.id], sub_items)
    return [
        (r, rollup.roll_up_plan(plan.id, plan.title, shapes,
                                {sub_id: t for (r_id, sub_id), t in tallies.items() if r_id == r.id},
                                past_due=today > r.due_date))
        for r in rounds
    ]
