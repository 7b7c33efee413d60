"""Queries behind the home page: reports a unit owes, open rounds with their counts."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, func, select
from sqlalchemy.orm import joinedload

from app import thaidates
from app.extensions import db
from app.reports.models import Plan, ProgressReport, ReportingRound, RoundTally, SubItem, Theme, sub_item_units


@dataclass(frozen=True)
class DueReport:
    """A report a unit still owes (or has in draft/returned) in an open round."""

    round: ReportingRound
    sub_item: SubItem
    report: ProgressReport | None

    @property
    def late(self) -> bool:
        return self.round.due_date < thaidates.today_bangkok()


def reports_due_for_unit(unit_id: int) -> list[DueReport]:
    """Every sub-item the unit answers for in every open round, with its report if one exists (one query)."""
    rows = db.session.execute(
        select(ReportingRound, SubItem, ProgressReport)
        .join(Plan, Plan.id == ReportingRound.plan_id)
        .join(Theme, Theme.plan_id == Plan.id)
        .join(SubItem, SubItem.theme_id == Theme.id)
        .join(sub_item_units, and_(sub_item_units.c.sub_item_id == SubItem.id, sub_item_units.c.unit_id == unit_id))
        .outerjoin(
            ProgressReport,
            and_(ProgressReport.round_id == ReportingRound.id, ProgressReport.sub_item_id == SubItem.id,
                 ProgressReport.unit_id == unit_id),
        )
        .where(ReportingRound.status == "open")
        .options(joinedload(SubItem.theme))
        .order_by(ReportingRound.due_date, Theme.number, SubItem.number)
    ).all()
    return [DueReport(r, s, p) for r, s, p in rows if p is None or p.state in ("draft", "returned")]


def open_rounds_summary() -> list[tuple[ReportingRound, int, int]]:
    """Open rounds with (expected, submitted-or-accepted) report counts, for the secretariat (two queries; the
    counts from the roll-up's kept figures, app.reports.tallies, one row per sub-item whatever the units)."""
    rounds = list(db.session.scalars(
        select(ReportingRound).options(joinedload(ReportingRound.plan))
        .where(ReportingRound.status == "open").order_by(ReportingRound.due_date)
    ))
    if not rounds:
        return []
    counts = {round_id: (int(expected or 0), int(received or 0)) for round_id, expected, received in db.session.execute(
        select(RoundTally.round_id, func.sum(RoundTally.expected), func.sum(RoundTally.received))
        .where(RoundTally.round_id.in_([r.id for r in rounds])).group_by(RoundTally.round_id))}  # kept figures
    return [(r, *counts.get(r.id, (0, 0))) for r in rounds]
