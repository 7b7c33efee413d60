"""The notices of each step, from the domain's objects: who receives them, the link, the words (app.notify.texts),
sent through app.notify.services.notify. The services of each area call these where the step happens.
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import Iterable

from flask_babel import gettext as _
from sqlalchemy import select

from app import thaidates
from app.auth.models import User
from app.errors import Conflict
from app.extensions import db
from app.links import absolute_url
from app.notify import texts
from app.notify.services import notify, notify_once

OVERDUE_EVERY_DAYS = 7  # an open action past its due date is recalled the day after, then weekly


# --- audiences --------------------------------------------------------------------------------------

def invited_users(meeting) -> list[User]:
    """Those invited with an account: the meeting's chair (a member of the body or not) and the body's active
    members (app.meetings.services.invitees, without the guests)."""
    from app.meetings.services import invitees

    return [person.user for person in invitees(meeting) if person.user is not None]


def reporters_of(unit_id: int | None) -> list[User]:
    """The unit's active reporters (nobody for no unit)."""
    from app.reports.services import active_reporters

    return active_reporters(unit_id) if unit_id is not None else []


def secretariat() -> list[User]:
    """The secretariat's active accounts."""
    return list(db.session.scalars(select(User).where(User.role == "secretariat", User.is_active_user.is_(True))
                                   .order_by(User.id)))


def _when(meeting) -> str:
    return thaidates.thai_date_range(meeting.starts_at, meeting.ends_at)


# --- meetings, agendas and minutes ------------------------------------------------------------------

def agenda_published(meeting) -> int:
    """Tell those invited that the agenda is published, with its sections and items: the chair and members as each
    chose, guests by e-mail with their own answer link (they have no account to read the agenda page with)."""
    from app.agenda.services import agenda_sections
    from app.mail.services import queue_mail
    from app.meetings.answer_links import answer_url

    sections = [(str(s.number), s.title, [(i.number, i.title) for i in s.items]) for s in agenda_sections(meeting)]
    notice = texts.agenda_published(meeting.title, _when(meeting), meeting.venue, sections,
                                    absolute_url("agenda.view", meeting_id=meeting.id))
    reached = notify(invited_users(meeting), "agenda.published", notice, meeting_id=meeting.id)
    for guest in meeting.guests:
        mail = texts.addressed(texts.agenda_published(meeting.title, _when(meeting), meeting.venue, sections,
                                                      answer_url(meeting, guest=guest), for_guest=True), guest.name)
        queue_mail(to_email=guest.email, to_name=guest.name, subject=mail.subject, body_text=mail.text,
                   body_html=texts.as_html_document(mail), kind="agenda.published", meeting_id=meeting.id)
    return reached + len(meeting.guests)


def minutes_circulated(minutes) -> int:
    """Tell those invited (members and the chair) that the draft minutes wait for their comments (until the
    deadline, if set)."""
    meeting = minutes.meeting
    deadline = thaidates.thai_date(minutes.comment_deadline, "long") if minutes.comment_deadline else None
    notice = texts.minutes_circulated(meeting.title, meeting.code, deadline,
                                      absolute_url("minutes.view", meeting_id=meeting.id))
    return notify(invited_users(meeting), "minutes.circulated", notice, meeting_id=meeting.id)


def minutes_certified(minutes, phrase: str) -> int:
    """Tell those invited (members and the chair) that the minutes were certified."""
    meeting = minutes.meeting
    notice = texts.minutes_certified(meeting.title, meeting.code, minutes.certified_at_meeting.code, phrase,
                                     absolute_url("minutes.view", meeting_id=meeting.id))
    return notify(invited_users(meeting), "minutes.certified", notice, meeting_id=meeting.id)


def unanswered_invitations(meeting, day: date) -> tuple[int, int]:
    """Remind the invited users (members and the meeting's chair) who have not answered (once a day each);
    (sent, skipped).
    A cancelled meeting or one that has started takes no reminder (409)."""
    if meeting.status == "cancelled" or thaidates.bangkok_date(meeting.starts_at) < day:
        raise Conflict(_("ส่งคำเตือนได้เฉพาะการประชุมที่ยังไม่ถึงวันประชุมและไม่ถูกยกเลิก"))
    from app.meetings.services import invitees

    waiting = [p.user for p in invitees(meeting) if p.user is not None and p.response is None]  # members and chair
    notice = texts.invitation_unanswered(meeting.title, _when(meeting), meeting.venue,
                                         absolute_url("meetings.detail", meeting_id=meeting.id))
    return notify_once(waiting, "invitation.unanswered", notice, "meeting", meeting.id, day, meeting_id=meeting.id)


def remind_unanswered(meeting, day: date, user) -> int:
    """The secretariat reminds the members who have not answered (those reminded today are skipped); how many."""
    from app.audit.services import record

    sent, _skipped = unanswered_invitations(meeting, day)
    record("meeting.remind", meeting, _("เตือนผู้ที่ยังไม่ตอบรับการประชุม %(code)s (%(n)d คน)", code=meeting.code,
                                        n=sent), user=user)
    return sent


# --- assigned actions --------------------------------------------------------------------------------

def _action_link(action) -> str:
    return absolute_url("actions.detail", action_id=action.id)


def action_done(action) -> int:
    """Tell the secretariat that the owner unit marked an action done (to confirm closing it)."""
    from app.actions.services import latest_note

    note = latest_note(action)
    notice = texts.action_done(action.owner_unit.name if action.owner_unit else "", action.description,
                               note.note if note and note.kind == "done" else None, _action_link(action))
    return notify(secretariat(), "action.done", notice, meeting_id=action.meeting_id)


def actions_assigned(actions: Iterable) -> int:
    """Tell each owner unit's reporters about the actions assigned to it."""
    from app.meetings.models import Meeting

    reached = 0
    for action in actions:
        if action.owner_unit_id is None:
            continue
        meeting = db.session.get(Meeting, action.meeting_id)
        due = thaidates.thai_date(action.due_date, "long") if action.due_date else None
        notice = texts.action_assigned(action.owner_unit.name, action.description, meeting.title, due,
                                       _action_link(action))
        reached += notify(reporters_of(action.owner_unit_id), "action.assigned", notice, meeting_id=meeting.id)
    return reached


def send_action_notices(day: date, days_before: int = 7) -> tuple[int, int]:
    """Open actions due in exactly `days_before` days, and overdue ones (the day after, then weekly), to the
    owner unit's reporters, once a day each; (sent, skipped)."""
    from app.minutes.models import ActionItem, Minutes, MinutesItem

    actions = db.session.scalars(
        select(ActionItem).join(MinutesItem, MinutesItem.id == ActionItem.minutes_item_id)
        .join(Minutes, Minutes.id == MinutesItem.minutes_id)
        .where(Minutes.state != "draft",  # a draft assigns nothing yet (see actions_assigned)
               ActionItem.status == "open", ActionItem.owner_unit_id.is_not(None), ActionItem.due_date.is_not(None),
               ActionItem.due_date <= day + timedelta(days=days_before))
        .order_by(ActionItem.due_date, ActionItem.id)).all()
    sent = skipped = 0
    for action in actions:
        unit_name, due = action.owner_unit.name, thaidates.thai_date(action.due_date, "long")
        if action.due_date == day + timedelta(days=days_before):
            kind = "action.due"
            notice = texts.action_due(unit_name, action.description, due, days_before, _action_link(action))
        elif action.due_date < day and (day - action.due_date).days % OVERDUE_EVERY_DAYS == 1:
            kind = "action.overdue"
            notice = texts.action_overdue(unit_name, action.description, due, _action_link(action))
        else:
            continue
        s, k = notify_once(reporters_of(action.owner_unit_id), kind, notice, "action", action.id, day,
                           meeting_id=action.meeting_id)
        sent, skipped = sent + s, skipped + k
    return sent, skipped


def send_invitation_reminders(day: date, days_before: int = 3) -> tuple[int, int]:
    """Members who have not answered the invitation of a meeting `days_before` days away; (sent, skipped)."""
    from app.meetings.models import Meeting

    target = day + timedelta(days=days_before)
    start, end = _day_bounds(target)
    meetings = db.session.scalars(select(Meeting).where(
        Meeting.status.in_(("scheduled", "postponed")), Meeting.starts_at >= start, Meeting.starts_at < end)
        .order_by(Meeting.starts_at)).all()
    sent = skipped = 0
    for meeting in meetings:
        s, k = unanswered_invitations(meeting, day)
        sent, skipped = sent + s, skipped + k
    return sent, skipped


def _day_bounds(day: date):
    """The UTC instants where the Bangkok day begins and where the next one begins."""
    from datetime import datetime, time

    start = thaidates.to_utc(datetime.combine(day, time(0, 0)))  # naive: Bangkok time
    return start, start + timedelta(days=1)


# --- progress reports and rounds ---------------------------------------------------------------------

def _report_title(report) -> str:
    from app.reports.services import round_label

    return f"{report.unit.short_name or report.unit.name} {report.sub_item.code} {round_label(report.round)}"


def report_submitted(report) -> int:
    """Tell the secretariat a unit sent a report (or a corrected one) for review."""
    notice = texts.report_submitted(report.unit.name, _report_title(report), report.state == "resubmitted",
                                    absolute_url("reports.detail", report_id=report.id))
    return notify(secretariat(), "report.submitted", notice)


def report_returned(report) -> int:
    """Tell the unit's reporters that the report came back, and why."""
    notice = texts.report_returned(_report_title(report), report.review_comment or "",
                                   absolute_url("reports.edit", report_id=report.id))
    return notify(reporters_of(report.unit_id), "report.returned", notice)


def report_accepted(report) -> int:
    """Tell the unit's reporters that the report was accepted."""
    notice = texts.report_accepted(_report_title(report), absolute_url("reports.detail", report_id=report.id))
    return notify(reporters_of(report.unit_id), "report.accepted", notice)


def round_opened(round_) -> int:
    """Tell the reporters of every unit the round expects that it is open."""
    from app.reports.models import SubItem, Theme, sub_item_units
    from app.reports.services import active_reporters, round_label

    unit_ids = set(db.session.scalars(
        select(sub_item_units.c.unit_id).join(SubItem, SubItem.id == sub_item_units.c.sub_item_id)
        .join(Theme, Theme.id == SubItem.theme_id).where(Theme.plan_id == round_.plan_id)))
    notice = texts.round_opened(round_label(round_), round_.plan.title, thaidates.thai_date(round_.due_date, "long"),
                                absolute_url("reports.my_reports"))
    return notify([u for u in active_reporters() if u.unit_id in unit_ids], "round.opened", notice)


def round_reminder(user: User, round_, missing: list, day: date) -> int:
    """Remind one reporter of the reports their unit still owes in a round (due soon, or late)."""
    from app.reports.services import round_label

    late = round_.due_date < day
    notice = texts.round_reminder(missing[0].unit.name, round_label(round_), round_.plan.title,
                                  thaidates.thai_date(round_.due_date), late,
                                  [f"{e.sub_item.code} {e.sub_item.title}" for e in missing],
                                  absolute_url("reports.my_reports"))
    return notify([user], "round.late" if late else "round.due", notice)
