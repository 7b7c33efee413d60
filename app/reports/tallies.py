"""The roll-up's figures kept current: one row of round_tallies per (round, sub-item) holding what
rollup.SubItemTally needs, so that a roll-up reads one row per sub-item however many reports there are.

Every flush keeps them, in its own transaction (the search index is kept the same way):
- a report inserted, deleted or changed in what the figures count (state, percent, status, first submission,
  what was then due, its key): what it counted is read from its row before the flush and what it counts after,
  with one small SELECT each (by report id, O(changed reports)), and the difference is added to its key's row;
- a round inserted, deleted or given another due date, and a sub-item inserted, deleted, moved or given other
  responsible units, have every key counted whole again: one DELETE and one INSERT … SELECT … GROUP BY
  restricted to them.
The SQL is figures' own (late_against, _received); the arithmetic stays in app.rollup.

Rows written without the ORM (`flask demo scale` uses COPY) are not seen by a flush: such bulk paths call
recount_round_tallies at the end. `flask reports recount` rebuilds every row; `--check` compares them with a
full recomputation (figures.recomputed_tallies) instead.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

import click
from flask.cli import AppGroup
from sqlalchemy import and_, case, delete, event, func, insert, inspect, or_, select, update
from sqlalchemy.orm import Session

from app.extensions import db
from app.reports.figures import _received, late_against
from app.reports.models import (
    TALLY_STATUS_COLUMNS,
    ProgressReport,
    ReportingRound,
    RoundTally,
    SubItem,
    Theme,
    sub_item_units,
)

BEFORE, AFTER, STALE = "prachum_tallies_before", "prachum_tallies_after", "prachum_tallies_stale"  # per flush
REVISED = "prachum_tallies_revised"  # per flush: the rounds whose reports it inserts, changes or deletes
COUNTED_COLUMNS = ("state", "percent", "status", "submitted_at", "due_on_at_submission")  # of a report
KEY_COLUMNS = ("round_id", "sub_item_id", "unit_id")  # of a report
ROUND_COLUMNS = ("due_date", "plan_id")
SUB_ITEM_ATTRIBUTES = ("units", "theme_id")
CHUNK = 500  # ids per statement


@dataclass
class Stale:
    """What may no longer be right in round_tallies: single (round, sub-item) keys, whole rounds, whole sub-items."""

    keys: set[tuple[int, int]] = field(default_factory=set)
    rounds: set[int] = field(default_factory=set)
    sub_items: set[int] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.keys or self.rounds or self.sub_items)


def _changed(obj, names: Iterable[str]) -> bool:
    attrs = inspect(obj).attrs
    return any(attrs[name].history.has_changes() for name in names)


def _id(obj) -> int | None:
    """The object's id without loading anything (a deleted row cannot be read again)."""
    state = inspect(obj)
    return state.dict.get("id") or (state.identity[0] if state.identity else None)


def _counted_reports(session: Session, *, new: bool) -> list[int]:
    """Ids of the reports this flush inserts (new=True) or deletes, and of those whose counted columns it changes."""
    reports = [obj for obj in (session.new if new else session.deleted) if isinstance(obj, ProgressReport)]
    reports += [obj for obj in session.dirty
                if isinstance(obj, ProgressReport) and _changed(obj, COUNTED_COLUMNS + KEY_COLUMNS)]
    return sorted(filter(None, map(_id, reports)))


def _note_before(session: Session, flush_context, instances) -> None:
    """before_flush: what the reports about to be changed or deleted count now, read from their rows."""
    ids = _counted_reports(session, new=False)
    if ids:
        flush_context.attributes[BEFORE] = contributions(session.connection(), ids)


def _collect(session: Session, flush_context) -> None:
    """after_flush: the reports to read again, and the rounds and sub-items to count whole."""
    stale = Stale()
    for obj in [*session.new, *session.deleted]:
        if isinstance(obj, ReportingRound):
            stale.rounds.add(_id(obj))
        elif isinstance(obj, SubItem):
            stale.sub_items.add(_id(obj))
    for obj in session.dirty:
        if isinstance(obj, ReportingRound) and _changed(obj, ROUND_COLUMNS):
            stale.rounds.add(_id(obj))
        elif isinstance(obj, SubItem) and _changed(obj, SUB_ITEM_ATTRIBUTES):
            stale.sub_items.add(_id(obj))
    stale.rounds.discard(None)
    stale.sub_items.discard(None)
    flush_context.attributes[STALE] = stale
    flush_context.attributes[AFTER] = _counted_reports(session, new=True)
    flush_context.attributes[REVISED] = {
        inspect(obj).dict.get("round_id") for obj in [*session.new, *session.deleted, *session.dirty]
        if isinstance(obj, ProgressReport) and (obj not in session.dirty or session.is_modified(obj))} - {None}


def _write(session: Session, flush_context) -> None:
    """after_flush_postexec: add what the changed reports count now less what they counted before, then count
    the stale rounds and sub-items whole; all in the flush's transaction."""
    stale: Stale = flush_context.attributes.get(STALE) or Stale()
    before = flush_context.attributes.get(BEFORE, {})
    ids = flush_context.attributes.get(AFTER, [])
    revised = flush_context.attributes.get(REVISED)
    if not (stale or before or ids or revised):
        return
    connection = session.connection()
    if revised:
        revise(connection, revised)
    after = contributions(connection, ids) if ids else {}
    add_differences(connection, before, after, stale)
    recount(connection, stale)


def keep_round_tallies() -> None:
    """Listen to the application's session: every flush keeps round_tallies current (idempotent)."""
    for name, listener in (("before_flush", _note_before), ("after_flush", _collect),
                           ("after_flush_postexec", _write)):
        if not event.contains(db.session, name, listener):
            event.listen(db.session, name, listener)


# --- the statements ----------------------------------------------------------------------------------

def _counted(condition):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


TALLY_COLUMNS = ("round_id", "sub_item_id", "expected", "received", "accepted", "percent_sum", "late_received",
                 *TALLY_STATUS_COLUMNS.values())


COUNT_COLUMNS = TALLY_COLUMNS[3:]  # what reports add: all but the key and `expected`


def _report_counts():
    """The aggregates of COUNT_COLUMNS over received reports joined with their round (NULL rows count nothing)."""
    return (func.count(ProgressReport.id), _counted(ProgressReport.state == "accepted"),
            func.coalesce(func.sum(ProgressReport.percent), 0), _counted(late_against(ReportingRound.due_date)),
            *[_counted(ProgressReport.status == status) for status in TALLY_STATUS_COLUMNS])


def contributions(connection, report_ids: list[int]) -> dict[tuple[int, int], tuple[int, ...]]:
    """What the reports (by id) add to COUNT_COLUMNS of each (round, sub-item), as their rows now stand: only
    received reports of responsible units add anything."""
    rows = connection.execute(
        select(ProgressReport.round_id, ProgressReport.sub_item_id, *_report_counts())
        .join(ReportingRound, ReportingRound.id == ProgressReport.round_id)
        .join(sub_item_units, and_(sub_item_units.c.sub_item_id == ProgressReport.sub_item_id,
                                   sub_item_units.c.unit_id == ProgressReport.unit_id))
        .where(ProgressReport.id.in_(report_ids), _received())
        .group_by(ProgressReport.round_id, ProgressReport.sub_item_id))
    return {(round_id, sub_item_id): tuple(int(n) for n in counts) for round_id, sub_item_id, *counts in rows}


def add_differences(connection, before: dict, after: dict, stale: Stale) -> None:
    """Add after − before to each key's row (one UPDATE per key), except for keys counted whole anyway; a key
    without a row is counted whole (stale.keys)."""
    table = RoundTally.__table__
    zero = (0,) * len(COUNT_COLUMNS)
    for key in sorted(before.keys() | after.keys()):
        round_id, sub_item_id = key
        if round_id in stale.rounds or sub_item_id in stale.sub_items:
            continue
        changes = {name: table.c[name] + (new - old) for name, old, new
                   in zip(COUNT_COLUMNS, before.get(key, zero), after.get(key, zero)) if new != old}
        if not changes:
            continue
        result = connection.execute(update(table).where(table.c.round_id == round_id,
                                                        table.c.sub_item_id == sub_item_id).values(changes))
        if result.rowcount != 1:
            stale.keys.add(key)


def _tally_rows(where):
    """SELECT of the round_tallies rows of every (round, sub-item of its plan with a responsible unit) matching
    `where` (on ReportingRound.id and SubItem.id): the responsible units, joined with their received reports."""
    return (
        select(ReportingRound.id, SubItem.id, func.count(), *_report_counts())
        .select_from(ReportingRound)
        .join(Theme, Theme.plan_id == ReportingRound.plan_id)
        .join(SubItem, SubItem.theme_id == Theme.id)
        .join(sub_item_units, sub_item_units.c.sub_item_id == SubItem.id)
        .outerjoin(ProgressReport, and_(ProgressReport.round_id == ReportingRound.id,
                                        ProgressReport.sub_item_id == sub_item_units.c.sub_item_id,
                                        ProgressReport.unit_id == sub_item_units.c.unit_id, _received()))
        .where(where)
        .group_by(ReportingRound.id, SubItem.id)
    )


def _replace(connection, tally_scope, source_scope) -> None:
    """One DELETE and one INSERT … SELECT: the rows in scope, counted afresh."""
    connection.execute(delete(RoundTally.__table__).where(tally_scope))
    connection.execute(insert(RoundTally.__table__).from_select(TALLY_COLUMNS, _tally_rows(source_scope)))


def _chunks(ids: Iterable[int]) -> Iterable[list[int]]:
    ordered = sorted(ids)
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start:start + CHUNK]


def recount(connection, stale: Stale) -> None:
    """Count the stale keys again (one statement pair per kind of staleness, more only past CHUNK ids)."""
    tally = RoundTally.__table__.c
    for rounds in _chunks(stale.rounds):
        _replace(connection, tally.round_id.in_(rounds), ReportingRound.id.in_(rounds))
    for sub_items in _chunks(stale.sub_items):
        _replace(connection, tally.sub_item_id.in_(sub_items), SubItem.id.in_(sub_items))
    by_round: dict[int, set[int]] = {}
    for round_id, sub_item_id in stale.keys:
        if round_id not in stale.rounds and sub_item_id not in stale.sub_items:
            by_round.setdefault(round_id, set()).add(sub_item_id)
    groups = sorted(by_round.items())
    for start in range(0, len(groups), 50):
        part = groups[start:start + 50]
        _replace(connection,
                 or_(*[and_(tally.round_id == r, tally.sub_item_id.in_(sorted(s))) for r, s in part]),
                 or_(*[and_(ReportingRound.id == r, SubItem.id.in_(sorted(s))) for r, s in part]))


def revise(connection, round_ids: Iterable[int]) -> None:
    """Raise the rounds' revision: what the roll-up's ETag and the shared cache's keys read (one small row per
    round) instead of counting the round's reports."""
    table = ReportingRound.__table__
    connection.execute(update(table).where(table.c.id.in_(sorted(round_ids)))
                       .values(revision=table.c.revision + 1))


def recount_round_tallies(round_ids: Iterable[int]) -> None:
    """Count every key of the rounds again and raise their revision: for bulk paths that write reports or
    responsible units without the ORM (they call it at the end, in their transaction). Flushes first; never
    commits."""
    db.session.flush()
    round_ids = set(round_ids)
    recount(db.session.connection(), Stale(rounds=round_ids))
    if round_ids:
        revise(db.session.connection(), round_ids)


def recount_everything() -> int:
    """Rebuild round_tallies from every round (flushes, never commits); the number of rows written."""
    db.session.flush()
    connection = db.session.connection()
    connection.execute(delete(RoundTally.__table__))
    round_ids = list(db.session.scalars(select(ReportingRound.id)))
    recount(connection, Stale(rounds=set(round_ids)))
    return db.session.scalar(select(func.count()).select_from(RoundTally))


def differing_keys() -> list[tuple[int, int]]:
    """The (round, sub-item) keys whose kept tally differs from a full recomputation, plan by plan."""
    from app.reports import figures

    rounds_by_plan: dict[int, list[ReportingRound]] = {}
    for round_ in db.session.scalars(select(ReportingRound).order_by(ReportingRound.id)):
        rounds_by_plan.setdefault(round_.plan_id, []).append(round_)
    differing = []
    for rounds in rounds_by_plan.values():
        kept, fresh = figures._tallies(rounds), figures.recomputed_tallies(rounds)
        differing += [key for key in sorted(kept.keys() | fresh.keys()) if kept.get(key) != fresh.get(key)]
    return differing


# --- command line ------------------------------------------------------------------------------------

reports_cli = AppGroup("reports", help="Progress reports and their roll-up.")


@reports_cli.command("recount")
@click.option("--check", is_flag=True, help="Compare the kept figures with a full recomputation; change nothing.")
def recount_command(check: bool) -> None:
    """Rebuild the roll-up's kept figures (round_tallies) from every report, or check them."""
    from app.transactions import commit

    if check:
        differing = differing_keys()
        click.echo(f"{len(differing)} (round, sub-item) tallies differ from a full recomputation")
        for round_id, sub_item_id in differing[:20]:
            click.echo(f"  round {round_id}, sub-item {sub_item_id}")
        if differing:
            raise SystemExit(1)
        return
    rows = recount_everything()
    commit()
    click.echo(f"recounted {rows} (round, sub-item) tallies")
