"""The committee overview of the dashboard (every committee's plans in their latest rounds), rendered once per
version of its data and kept in the shared cache (app.caching), so every node serves it and a change committed on
any node shows on all of them at once. Every signed-in reader sees the same figures (no report is shown)."""
from __future__ import annotations

from flask import render_template, request
from flask_babel import get_locale
from markupsafe import Markup
from sqlalchemy import func, select

from app import caching, thaidates
from app.audit.services import last_event_id, last_event_query
from app.extensions import db
from app.reports import documents, services
from app.reports.models import ReportingRound


def overview_version() -> tuple:
    """What the overview is computed from, in one small query that reads no report: each plan's latest round (with
    its due date, status and revision, which every change to its reports raises) and the last audit event (every
    change to bodies, plans, rounds and units records one)."""
    latest = func.row_number().over(partition_by=ReportingRound.plan_id,
                                    order_by=(ReportingRound.period_end.desc(), ReportingRound.id.desc()))
    ranked = select(ReportingRound.id, ReportingRound.due_date, ReportingRound.status, ReportingRound.revision,
                    latest.label("rank")).subquery()
    last_event = last_event_query().scalar_subquery()
    rounds = db.session.execute(select(ranked.c.id, ranked.c.due_date, ranked.c.status, ranked.c.revision,
                                       last_event.label("last_event"))
                                .where(ranked.c.rank == 1).order_by(ranked.c.id)).all()
    last = rounds[0].last_event if rounds else last_event_id()
    return tuple((r.id, r.due_date.isoformat(), r.status, r.revision) for r in rounds), last


def committee_overview() -> Markup:
    """The committee views and the list of plans as the overview page shows them, from the shared cache when
    rendered already at this version of the data (plans and their owners are audited), day (lateness), language
    and site root (links)."""
    parts = (overview_version(), thaidates.today_bangkok(), str(get_locale()), request.script_root)
    html = caching.remembered("committee-overview", parts, lambda: render_template(
        "reports/_committee_views.html", views=documents.committee_views(), plans=services.list_plans()))
    return Markup(html)
