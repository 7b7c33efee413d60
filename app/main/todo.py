"""What each person should do now: the home page's tasks per role, most urgent first (the web and the API).

A task is one kind of work (answer invitations, comment on minutes, file reports …) with how many there are,
one link to all of them and its first entries; tasks are ordered by urgency: late first, then the nearest day.
Each task costs one or two aggregate queries, whatever the number of meetings, reports or units.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask import current_app, has_request_context, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import joinedload

from app import authz, caching, labels, thaidates
from app.audit.services import last_event_id
from app.bodies.models import Body, Membership
from app.circulations.models import Circulation, CirculationAnswer
from app.dbtypes import utcnow
from app.extensions import db
from app.main import services
from app.meetings.models import Meeting, MeetingGuest, Rsvp
from app.minutes.models import ActionItem, Minutes, MinutesComment, MinutesItem
from app.templating import format_date, format_datetime  # Thai or English, as the page

SHOWN = 5  # entries listed under each task (the count says how many there are)
RECENT_DAYS = 30  # "newly" certified minutes; meetings whose answers are followed; minutes still to write
ROUND_WINDOW_DAYS = 14  # rounds closing within this many days (or late) on the secretariat's home
KEPT_SECONDS = 120  # how long kept tasks stay in the shared cache (their key changes every minute anyway)
ACTIONS_URL = "/actions"  # the actions page (app/actions), when its endpoints are not registered

# Tie-break between tasks on the same day: what blocks others first.
RANK = {
    "reports_returned": 0, "actions_overdue": 1, "reports_late": 2, "rounds_closing": 3, "minutes_comment": 4,
    "meetings_answer": 5, "answers_pending": 6, "reports_due": 7, "actions_unit": 8, "reports_review": 9,
    "minutes_circulate": 10, "minutes_certify": 11, "agendas": 12, "minutes_certified": 13, "plans": 14,
    "circulations_answer": 4,  # like minutes to comment: a deadline the members answer by
}


@dataclass(frozen=True)
class Entry:
    """One thing to open: a meeting, minutes, a report, an action, a round, a plan."""

    title: str
    url: str
    due: date | None = None  # the day it is for: meeting day, deadline, due date
    detail: str | None = None  # one short line under the title
    state: str | None = None  # a code: the user's answer, a report's state, a plan's progress status
    late: bool = False
    meeting: Meeting | None = None  # set when the user may answer this meeting's invitation here


@dataclass(frozen=True)
class Task:
    """One kind of work with its count, one link to all of it, and its most urgent entries first."""

    kind: str
    title: str
    count: int
    url: str
    entries: tuple[Entry, ...] = field(default=())

    @property
    def due(self) -> date | None:
        """The nearest day among its entries."""
        return min((e.due for e in self.entries if e.due is not None), default=None)

    @property
    def late(self) -> bool:
        return any(e.late for e in self.entries)

    def urgency(self) -> tuple:
        """Sort key: late first, then the nearest day, then what blocks others."""
        return (not self.late, self.due or date.max, RANK.get(self.kind, 99))


def days_left(day: date | None, today: date) -> int | None:
    """Days from today to `day` (negative when past)."""
    return None if day is None else (day - today).days


def tasks_for(user, today: date | None = None, now: datetime | None = None) -> list[Task]:
    """Every task of the user's role(s) that has something in it, most urgent first."""
    today = today or thaidates.today_bangkok()
    now = now or utcnow()
    tasks: list[Task | None] = []
    if not authz.is_staff(user):
        tasks += [meetings_to_answer(user, now), agendas_to_read(user, now), circulations_to_answer(user, now)]
        if "circulated" in authz.readable_minutes_states(user):  # viewers read certified minutes only
            tasks.append(minutes_to_comment(user, today))
        tasks.append(certified_minutes(user, now))
    if authz.files_reports(user):
        tasks += reports_of_unit(user.unit_id, today) + [unit_actions(user.unit_id, today)]
    tasks += kept_tasks(user, today, now)
    return sorted((t for t in tasks if t is not None and t.count), key=Task.urgency)


def kept_tasks(user, today: date, now: datetime) -> list[Task]:
    """The secretariat's tasks and the plans at a glance (nothing in them is answered from the home page), kept in
    the shared cache (app.caching) for the user under the last audit event: every change to the record writes one,
    so a change shows at once on every node; what the clock alone changes (a meeting ending, a day passing) shows
    within the minute, as the key holds the minute and the tasks are computed as of its start."""
    minute = now.replace(second=0, microsecond=0)
    parts = (user.id, last_event_id(), today.isoformat(), minute.isoformat(), str(get_locale()),
             request.script_root if has_request_context() else "")
    return caching.remembered("home-tasks", parts, lambda: _kept_tasks(user, today, minute), timeout=KEPT_SECONDS)


def _kept_tasks(user, today: date, now: datetime) -> list[Task]:
    tasks = []
    if authz.is_staff(user):
        tasks += [answers_pending(now, today), reports_to_review(), minutes_to_circulate(now),
                  minutes_to_certify(today), overdue_actions(today), rounds_closing(today)]
    tasks.append(plans_at_a_glance(user, today))
    return [t for t in tasks if t is not None and t.count]


def _upcoming(now: datetime):
    return and_(Meeting.ends_at >= now, Meeting.status != "cancelled")


def _visible(query, user, column=Meeting.body_id):
    condition = authz.visible_body_filter(user, column)
    return query if condition is None else query.where(condition)


def _count(query) -> int:
    return db.session.scalar(select(func.count()).select_from(query.order_by(None).limit(None).subquery())) or 0


def _meeting_line(meeting: Meeting) -> str:
    place = meeting.venue or labels.label(labels.MODE_LABELS, meeting.mode)
    return f"{_('ครั้งที่')} {meeting.code} · {format_datetime(meeting.starts_at)} · {place}"


# --- members -----------------------------------------------------------------------------------

def meetings_to_answer(user, now: datetime) -> Task | None:
    """The next meetings the user is invited to (their bodies', or as chair), each with the user's answer and the
    answer buttons when they may answer (two queries)."""
    invited = and_(_upcoming(now), or_(
        Meeting.body_id.in_(select(Membership.body_id).where(Membership.user_id == user.id)),
        Meeting.chair_id == user.id))
    rows = db.session.execute(
        select(Meeting, Rsvp.response).options(joinedload(Meeting.body))
        .outerjoin(Rsvp, and_(Rsvp.meeting_id == Meeting.id, Rsvp.user_id == user.id))
        .where(invited).order_by(Meeting.starts_at).limit(SHOWN)
    ).all()
    if not rows:
        return None
    entries = tuple(Entry(m.title, url_for("meetings.detail", meeting_id=m.id), thaidates.bangkok_date(m.starts_at),
                          _meeting_line(m), response, meeting=m if authz.can_rsvp(user, m) else None)
                    for m, response in rows)
    return Task("meetings_answer", _("การประชุมครั้งต่อไปและการตอบรับ"), _count(select(Meeting.id).where(invited)),
                url_for("meetings.index"), entries)


def circulations_to_answer(user, now: datetime) -> Task | None:
    """Matters circulated to the user for a resolution that they have not answered, before the deadline
    (two queries)."""
    query = (select(Circulation).join(CirculationAnswer, CirculationAnswer.circulation_id == Circulation.id)
             .where(CirculationAnswer.user_id == user.id, CirculationAnswer.answer.is_(None),
                    Circulation.state == "open", Circulation.deadline > now))
    circulations = list(db.session.scalars(query.order_by(Circulation.deadline).limit(SHOWN)))
    if not circulations:
        return None
    entries = tuple(Entry(c.title, url_for("circulations.detail", circulation_id=c.id),
                          thaidates.bangkok_date(c.deadline), _("ตอบภายใน %(d)s", d=format_datetime(c.deadline)))
                    for c in circulations)
    return Task("circulations_answer", _("เรื่องที่ขอมติเวียนรอคำตอบ"), _count(query), entries[0].url, entries)


def agendas_to_read(user, now: datetime) -> Task | None:
    """Published agendas of the coming meetings the user may read (two queries)."""
    query = _visible(select(Meeting).where(_upcoming(now), Meeting.agenda_state == "published"), user)
    meetings = list(db.session.scalars(query.options(joinedload(Meeting.body)).order_by(Meeting.starts_at)
                                       .limit(SHOWN)))
    if not meetings:
        return None
    entries = tuple(Entry(m.title, url_for("agenda.view", meeting_id=m.id), thaidates.bangkok_date(m.starts_at),
                          _meeting_line(m)) for m in meetings)
    return Task("agendas", _("ระเบียบวาระที่ควรอ่านก่อนประชุม"), _count(query), url_for("meetings.index"), entries)


def minutes_to_comment(user, today: date) -> Task | None:
    """Circulated minutes of the user's bodies still open for comments, with the deadline (two queries)."""
    query = _visible(
        select(Minutes, Meeting, exists().where(MinutesComment.minutes_id == Minutes.id,
                                                MinutesComment.user_id == user.id).label("commented"))
        .join(Meeting, Meeting.id == Minutes.meeting_id)
        .where(Minutes.state == "circulated",
               or_(Minutes.comment_deadline.is_(None), Minutes.comment_deadline >= today)), user)
    rows = db.session.execute(query.order_by(Minutes.comment_deadline, Meeting.starts_at).limit(SHOWN)).all()
    if not rows:
        return None
    entries = tuple(
        Entry(meeting.title, url_for("minutes.view", meeting_id=meeting.id), minutes.comment_deadline,
              _("ให้ความเห็นได้ถึง %(d)s", d=format_date(minutes.comment_deadline))
              if minutes.comment_deadline else None, "commented" if commented else None)
        for minutes, meeting, commented in rows)
    return Task("minutes_comment", _("รายงานการประชุมที่รอความเห็น"), _count(query), url_for("meetings.index"),
                entries)


def certified_minutes(user, now: datetime) -> Task | None:
    """Minutes certified in the last RECENT_DAYS days, of bodies the user may read (two queries)."""
    query = _visible(select(Minutes, Meeting).join(Meeting, Meeting.id == Minutes.meeting_id).where(
        Minutes.state == "certified", Minutes.certified_at >= now - timedelta(days=RECENT_DAYS)), user)
    rows = db.session.execute(query.order_by(Minutes.certified_at.desc()).limit(SHOWN)).all()
    if not rows:
        return None
    entries = tuple(Entry(meeting.title, url_for("minutes.view", meeting_id=meeting.id), None,
                          _("รับรองเมื่อ %(d)s", d=format_date(minutes.certified_at)))
                    for minutes, meeting in rows)
    return Task("minutes_certified", _("รายงานการประชุมที่รับรองใหม่"), _count(query), url_for("meetings.index"),
                entries)


# --- reporters ---------------------------------------------------------------------------------

def _report_entry(due: services.DueReport, today: date) -> Entry:
    report, round_ = due.report, due.round
    url = (url_for("reports.edit", report_id=report.id) if report is not None
           else url_for("reports.new", round=round_.id, sub_item=due.sub_item.id))
    detail = _("รอบ %(m)d เดือน ปีงบประมาณ %(y)d · กำหนดส่ง %(d)s", m=round_.months, y=round_.fiscal_year_be,
               d=format_date(round_.due_date))
    if report is not None and report.state == "returned" and report.review_comment:
        detail = f"{detail} · {report.review_comment[:200]}"
    return Entry(f"{due.sub_item.code} {due.sub_item.title}", url, round_.due_date, detail,
                 report.state if report is not None else "missing", late=round_.due_date < today)


def reports_of_unit(unit_id: int, today: date) -> list[Task]:
    """The unit's returned, late and due reports in open rounds (one query)."""
    owed = services.reports_due_for_unit(unit_id)
    groups = {
        "reports_returned": ([d for d in owed if d.report is not None and d.report.state == "returned"],
                             _("รายงานที่ถูกส่งกลับให้แก้ไข")),
        "reports_late": ([d for d in owed if d.late and not (d.report and d.report.state == "returned")],
                         _("รายงานที่เลยกำหนดส่ง")),
        "reports_due": ([d for d in owed if not d.late and not (d.report and d.report.state == "returned")],
                        _("รายงานที่ต้องส่ง")),
    }
    url = url_for("reports.my_reports")
    return [Task(kind, title, len(items), url, tuple(_report_entry(d, today) for d in items[:SHOWN]))
            for kind, (items, title) in groups.items() if items]


def _actions_url(endpoint: str = "actions.index", **values) -> str:
    """A page of the actions area (its list by default), or its plain path while that area is absent."""
    return url_for(endpoint, **values) if endpoint in current_app.view_functions else ACTIONS_URL


def _action_entry(action: ActionItem, meeting: Meeting, today: date) -> Entry:
    owner = (action.owner_unit.short_name or action.owner_unit.name) if action.owner_unit else None
    detail = " · ".join(part for part in (
        owner, f"{_('จากการประชุมครั้งที่')} {meeting.code}",
        _("กำหนด %(d)s", d=format_date(action.due_date)) if action.due_date else None) if part)
    return Entry(action.description[:200], _actions_url("actions.detail", action_id=action.id), action.due_date,
                 detail, action.status,
                 late=action.overdue_on(today))


def _open_actions(*conditions):
    return (select(ActionItem, Meeting).join(Meeting, Meeting.id == ActionItem.meeting_id)
            .join(MinutesItem, MinutesItem.id == ActionItem.minutes_item_id)
            .join(Minutes, Minutes.id == MinutesItem.minutes_id)
            .where(ActionItem.status == "open", Minutes.state.in_(("circulated", "certified")), *conditions))


def unit_actions(unit_id: int, today: date) -> Task | None:
    """Open actions assigned to the unit in circulated or certified minutes, earliest due first (two queries)."""
    query = _open_actions(ActionItem.owner_unit_id == unit_id)
    rows = db.session.execute(query.options(joinedload(ActionItem.owner_unit))
                              .order_by(ActionItem.due_date.is_(None), ActionItem.due_date).limit(SHOWN)).all()
    if not rows:
        return None
    return Task("actions_unit", _("งานที่ได้รับมอบหมาย"), _count(query), _actions_url(unit_id=unit_id),
                tuple(_action_entry(a, m, today) for a, m in rows))


# --- the secretariat ---------------------------------------------------------------------------

def answers_pending(now: datetime, today: date) -> Task | None:
    """Coming meetings (next RECENT_DAYS days) with how many invitees have not answered yet (four queries)."""
    meetings = list(db.session.scalars(
        select(Meeting).options(joinedload(Meeting.body))
        .where(_upcoming(now), Meeting.starts_at <= now + timedelta(days=RECENT_DAYS)).order_by(Meeting.starts_at)))
    if not meetings:
        return None
    ids, body_ids = [m.id for m in meetings], {m.body_id for m in meetings}
    seats = db.session.execute(select(Membership.body_id, Membership.user_id)
                               .where(Membership.body_id.in_(body_ids))).all()
    members: dict[int, set[int]] = {}
    for body_id, user_id in seats:
        members.setdefault(body_id, set()).add(user_id)
    answered: dict[int, set[int]] = {}
    for meeting_id, user_id in db.session.execute(select(Rsvp.meeting_id, Rsvp.user_id)
                                                  .where(Rsvp.meeting_id.in_(ids))):
        answered.setdefault(meeting_id, set()).add(user_id)
    guests = {meeting_id: (total, total - replied) for meeting_id, total, replied in db.session.execute(
        select(MeetingGuest.meeting_id, func.count(), func.count(MeetingGuest.response))
        .where(MeetingGuest.meeting_id.in_(ids)).group_by(MeetingGuest.meeting_id))}
    entries = []
    for m in meetings:
        invited = members.get(m.body_id, set()) | ({m.chair_id} if m.chair_id else set())
        guest_total, guest_pending = guests.get(m.id, (0, 0))
        pending = len(invited - answered.get(m.id, set())) + guest_pending
        if pending:
            entries.append(Entry(m.title, url_for("meetings.detail", meeting_id=m.id),
                                 thaidates.bangkok_date(m.starts_at),
                                 _("ยังไม่ตอบ %(n)d จาก %(t)d คน", n=pending, t=len(invited) + guest_total)
                                 + " · " + _meeting_line(m), late=False))
    return Task("answers_pending", _("การประชุมที่ยังมีผู้ไม่ตอบรับ"), len(entries), url_for("meetings.index"),
                tuple(entries[:SHOWN])) if entries else None


def reports_to_review() -> Task | None:
    """The review queue's first reports, oldest submission first, and its total (two queries; the total from the
    kept round figures)."""
    from app.reports.services import awaiting_count, review_queue_query

    reports = list(db.session.scalars(review_queue_query().limit(SHOWN)).unique())
    if not reports:
        return None
    entries = tuple(Entry(f"{r.unit.short_name or r.unit.name} · {r.sub_item.code} {r.sub_item.title}",
                          url_for("reports.detail", report_id=r.id), None,
                          _("รอบ %(m)d เดือน ปีงบประมาณ %(y)d", m=r.round.months, y=r.round.fiscal_year_be)
                          + (" · " + _("ส่งเมื่อ %(d)s", d=format_date(r.submitted_at)) if r.submitted_at else ""),
                          r.state) for r in reports)
    return Task("reports_review", _("รายงานที่รอตรวจ"), awaiting_count(), url_for("reports.review_queue"), entries)


def minutes_to_circulate(now: datetime) -> Task | None:
    """Draft minutes, and meetings held in the last RECENT_DAYS days without minutes (two queries)."""
    query = (select(Meeting, Minutes.state).outerjoin(Minutes, Minutes.meeting_id == Meeting.id)
             .where(Meeting.status != "cancelled", or_(
                 Minutes.state == "draft",
                 and_(Minutes.id.is_(None), Meeting.ends_at < now, Meeting.ends_at >= now - timedelta(days=RECENT_DAYS)))))
    rows = db.session.execute(query.order_by(Meeting.starts_at).limit(SHOWN)).all()
    if not rows:
        return None
    entries = tuple(Entry(m.title, url_for("minutes.view", meeting_id=m.id), None,
                          _("ร่างรอเวียน") if state == "draft" else _("ยังไม่ได้จัดทำ"), state or "none")
                    for m, state in rows)
    return Task("minutes_circulate", _("รายงานการประชุมที่ต้องจัดทำหรือเวียน"), _count(query),
                url_for("meetings.index"), entries)


def minutes_to_certify(today: date) -> Task | None:
    """Circulated minutes waiting for certification at a later meeting, by comment deadline (two queries)."""
    query = select(Minutes, Meeting).join(Meeting, Meeting.id == Minutes.meeting_id).where(Minutes.state == "circulated")
    rows = db.session.execute(query.order_by(Minutes.comment_deadline, Meeting.starts_at).limit(SHOWN)).all()
    if not rows:
        return None
    entries = tuple(Entry(meeting.title, url_for("minutes.view", meeting_id=meeting.id), minutes.comment_deadline,
                          _("ปิดรับความเห็น %(d)s", d=format_date(minutes.comment_deadline))
                          if minutes.comment_deadline else _("เวียนแล้ว"), "circulated")
                    for minutes, meeting in rows)
    return Task("minutes_certify", _("รายงานการประชุมที่รอรับรอง"), _count(query), url_for("meetings.index"), entries)


def overdue_actions(today: date) -> Task | None:
    """Open actions past their due date, the oldest first (two queries)."""
    query = _open_actions(ActionItem.overdue_on(today))
    rows = db.session.execute(query.options(joinedload(ActionItem.owner_unit)).order_by(ActionItem.due_date)
                              .limit(SHOWN)).all()
    if not rows:
        return None
    return Task("actions_overdue", _("งานที่มอบหมายซึ่งเลยกำหนด"), _count(query), _actions_url(state="overdue"),
                tuple(_action_entry(a, m, today) for a, m in rows))


def rounds_closing(today: date) -> Task | None:
    """Open rounds due within ROUND_WINDOW_DAYS days or late, with reports received of expected (three queries)."""
    rounds = [(r, expected, received) for r, expected, received in services.open_rounds_summary()
              if r.due_date <= today + timedelta(days=ROUND_WINDOW_DAYS)]
    if not rounds:
        return None
    entries = tuple(Entry(_("รอบ %(m)d เดือน ปีงบประมาณ %(y)d", m=r.months, y=r.fiscal_year_be),
                          url_for("reports.round_detail", round_id=r.id), r.due_date,
                          _("ส่งแล้ว %(s)d จาก %(e)d", s=received, e=expected) + " · " + r.plan.title[:80],
                          late=r.due_date < today) for r, expected, received in rounds)
    return Task("rounds_closing", _("รอบการรายงานที่ใกล้ครบกำหนด"), len(entries),
                url_for("reports.dashboard"), entries[:SHOWN])


# --- committees ----------------------------------------------------------------------------------

def _top_bodies(user) -> list[Body]:
    """The bodies whose plans the user follows: every top body for staff and viewers, else the user's own seats
    that are not under another of their seats."""
    if authz.reads_everything(user):
        return list(db.session.scalars(select(Body).where(Body.parent_id.is_(None), Body.active.is_(True))
                                       .order_by(Body.id)))
    seats = {m.body_id for m in user.memberships}
    if not seats:
        return []
    bodies = list(db.session.scalars(select(Body).where(Body.id.in_(seats)).order_by(Body.id)))
    return [b for b in bodies if b.parent_id not in seats]


def plans_at_a_glance(user, today: date) -> Task | None:
    """Each plan owned by the user's bodies (or the working groups under them) in its latest round."""
    from app.reports.figures import committee_view

    seen, entries = set(), []
    for body in _top_bodies(user):
        for plan, round_, figure in committee_view(body, today).plans:
            if plan.id in seen:
                continue
            seen.add(plan.id)
            entries.append(Entry(
                plan.title, url_for("reports.dashboard", plan=plan.id, round=round_.id), None,
                _("รอบ %(m)d เดือน ปีงบประมาณ %(y)d", m=round_.months, y=round_.fiscal_year_be)
                + f" · {figure.percent_rounded:.2f}% · " + labels.label(labels.PROGRESS_STATUS_LABELS, figure.status)
                + " · " + _("ยังไม่ส่ง %(n)d", n=figure.counts.missing), figure.status))
    if not entries:
        return None
    entries.sort(key=lambda e: e.title)
    return Task("plans", _("ความก้าวหน้าของแผน"), len(entries), url_for("reports.dashboard"), tuple(entries[:SHOWN]))


def task_out(task: Task, today: date) -> dict:
    """A task as the API returns it."""
    return {
        "kind": task.kind, "title": task.title, "count": task.count, "url": task.url,
        "due_on": task.due.isoformat() if task.due else None, "days_left": days_left(task.due, today),
        "late": task.late,
        "entries": [{"title": e.title, "url": e.url, "due_on": e.due.isoformat() if e.due else None,
                     "days_left": days_left(e.due, today), "late": e.late, "detail": e.detail, "state": e.state,
                     "meeting_id": e.meeting.id if e.meeting is not None else None,
                     "can_answer": e.meeting is not None} for e in task.entries],
    }
