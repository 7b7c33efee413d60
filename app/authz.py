"""Every permission rule of Prachum, as small predicates used by views, API, templates and exports.

Rules follow DOMAIN.md: admin may do everything; the secretariat manages bodies, meetings, agendas,
minutes and rounds and reads everything; reporters file their own unit's reports; members read what
their bodies (and the working groups under them) publish; viewers read everything that is published.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from flask import g
from sqlalchemy import false, or_, select

from app.extensions import db

if TYPE_CHECKING:
    from app.auth.models import User
    from app.bodies.models import Body
    from app.meetings.models import Meeting
    from app.minutes.models import Minutes
    from app.reports.models import ProgressReport, ReportingRound

STAFF_ROLES = frozenset({"admin", "secretariat"})
SUBMITTED_REPORT_STATES = ("submitted", "resubmitted", "accepted")


def is_signed_in(user) -> bool:
    """True for an authenticated, active user."""
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def is_admin(user) -> bool:
    """System administrators."""
    return is_signed_in(user) and user.role == "admin"


def is_staff(user) -> bool:
    """The secretariat and administrators: they run bodies, meetings, minutes and rounds."""
    return is_signed_in(user) and user.role in STAFF_ROLES


def reads_everything(user) -> bool:
    """Roles that may read every body's published material (staff and viewers)."""
    return is_signed_in(user) and user.role in STAFF_ROLES | {"viewer"}


# --- administration ---------------------------------------------------------------------------

def can_manage_users(user) -> bool:
    """Create users, change their role and unit, deactivate them, reset passwords."""
    return is_admin(user)


def can_manage_units(user) -> bool:
    """Create and rename units."""
    return is_admin(user)


def can_view_audit_log(user) -> bool:
    """Read the audit log."""
    return is_admin(user)


def can_download_export(user, export) -> bool:
    """An export: its owner; a closed round's finished file also whoever has the same view of it (it is made once
    per view and handed out again)."""
    if not is_signed_in(user):
        return False
    if export.user_id == user.id:
        return True
    from app.exports.services import round_closed, view_of

    return export.state == "done" and export.scope == view_of(user) and round_closed(export.object_id)


def can_watch_jobs(user) -> bool:
    """See the background jobs' queues (mail, LINE) and give failed deliveries another attempt."""
    return is_admin(user)


def is_token_owner(user, token) -> bool:
    """An API token is listed and revoked by its owner (on /profile and under /api/v1/me/tokens)."""
    return is_signed_in(user) and token.user_id == user.id


def can_revoke_token(user, token) -> bool:
    """Its owner, or an administrator (anyone's, on the admin user page)."""
    return is_token_owner(user, token) or can_manage_users(user)


# --- bodies -----------------------------------------------------------------------------------

def can_manage_bodies(user) -> bool:
    """Create and edit bodies and their memberships."""
    return is_staff(user)


def member_body_ids(user) -> frozenset[int]:
    """Ids of the bodies the user sits in and of every body below them (working groups); cached per request."""
    if not is_signed_in(user):
        return frozenset()
    cache = g.setdefault("_member_body_ids", {})
    if user.id not in cache:
        from app.bodies.models import Body, Membership

        direct = set(db.session.scalars(select(Membership.body_id).where(Membership.user_id == user.id)))
        parents = db.session.execute(select(Body.id, Body.parent_id)).all() if direct else []
        children: dict[int, list[int]] = {}
        for body_id, parent_id in parents:
            if parent_id is not None:
                children.setdefault(parent_id, []).append(body_id)
        readable, stack = set(direct), list(direct)
        while stack:
            for child in children.get(stack.pop(), []):
                if child not in readable:
                    readable.add(child)
                    stack.append(child)
        cache[user.id] = frozenset(readable)
    return cache[user.id]


def can_view_body(user, body: Body) -> bool:
    """Staff and viewers see every body; others the bodies they sit in and the working groups under them."""
    return reads_everything(user) or (is_signed_in(user) and body.id in member_body_ids(user))


def visible_body_filter(user, body_id_column):
    """A SQL condition restricting a query to the bodies the user may read (None: no restriction)."""
    if reads_everything(user):
        return None
    return body_id_column.in_(sorted(member_body_ids(user)) or [-1])


# --- meetings ---------------------------------------------------------------------------------

def can_schedule_meetings(user) -> bool:
    """Schedule, edit, postpone and cancel meetings; record attendance."""
    return is_staff(user)


def can_view_meeting(user, meeting: Meeting) -> bool:
    """A meeting is visible to whoever may read its body, and to its chair (invited whether a member or not)."""
    return can_view_body(user, meeting.body) or is_meeting_chair(user, meeting)


def is_meeting_chair(user, meeting: Meeting) -> bool:
    """The user chairs this meeting (its chair_id), whether or not they sit in the body."""
    return is_signed_in(user) and meeting.chair_id is not None and meeting.chair_id == user.id


def is_member_of(user, body_id: int) -> bool:
    """True when the user sits in the body itself (not only in a body above it)."""
    if not is_signed_in(user):
        return False
    return any(m.body_id == body_id for m in user.memberships)


def meeting_has_ended(meeting: Meeting) -> bool:
    """The meeting's (last day's) end has passed: nothing is asked of its members any more."""
    from app.dbtypes import utcnow

    return meeting.ends_at <= utcnow()


def can_rsvp(user, meeting: Meeting) -> bool:
    """The body's own members and the meeting's chair answer its invitations, until it ends and not for cancelled
    meetings."""
    return is_expected_attendee(user, meeting) and meeting.status != "cancelled" and not meeting_has_ended(meeting)


def can_view_answers(user, meeting: Meeting) -> bool:
    """Who answered the invitation and how (the list with those not answered yet): the secretariat's."""
    return is_staff(user)


# --- agenda and minutes -----------------------------------------------------------------------

def can_edit_agenda(user, meeting: Meeting) -> bool:
    """The secretariat builds and publishes agendas."""
    return is_staff(user)


def can_view_agenda(user, meeting: Meeting) -> bool:
    """Drafts are the secretariat's; a published agenda is read by whoever may see the meeting."""
    if is_staff(user):
        return True
    return meeting.agenda_state == "published" and can_view_meeting(user, meeting)


def readable_minutes_states(user) -> tuple[str, ...]:
    """Minutes states the user may read in bodies they can see (the SQL mirror of can_view_minutes)."""
    if is_staff(user):
        return ("draft", "circulated", "certified")
    if is_signed_in(user) and user.role == "viewer":
        return ("certified",)
    return ("circulated", "certified")


def can_edit_minutes(user, minutes: Minutes | None) -> bool:
    """The secretariat writes minutes until they are certified."""
    return is_staff(user) and (minutes is None or not meeting_record_frozen(minutes.meeting))


def can_view_minutes(user, meeting: Meeting, minutes: Minutes | None) -> bool:
    """Drafts: secretariat; circulated and certified: members of the body and the body above, and the meeting's
    chair (invited whether a member or not); viewers: certified."""
    if is_staff(user):
        return True
    if minutes is not None and minutes.state in ("circulated", "certified") and is_meeting_chair(user, meeting):
        return True
    if minutes is None or minutes.state not in readable_minutes_states(user):
        return False
    if is_signed_in(user) and user.role == "viewer":
        return True
    body = meeting.body
    return is_signed_in(user) and (
        body.id in member_body_ids(user) or (body.parent_id is not None and is_member_of(user, body.parent_id))
    )


def meeting_record_frozen(meeting: Meeting) -> bool:
    """Certified minutes freeze their meeting's record: minutes, agenda items, attachments, attendance and
    the meeting itself (time, place, status) no longer change."""
    minutes = meeting.minutes
    return minutes is not None and minutes.state == "certified"


def can_comment_minutes(user, meeting: Meeting, minutes: Minutes | None) -> bool:
    """Members comment on circulated minutes of bodies they may read."""
    return minutes is not None and minutes.state == "circulated" and can_view_minutes(user, meeting, minutes)


# --- assigned actions (matters arising) ---------------------------------------------------------

def can_view_action(user, action) -> bool:
    """Staff read every action; the owner unit's reporters once the minutes that assigned it left draft;
    others read it with those minutes (members of the body: circulated; viewers: certified)."""
    minutes = action.minutes_item.minutes
    if is_staff(user):
        return True
    if is_reporter_of(user, action.owner_unit_id) and minutes.state != "draft":
        return True
    return can_view_minutes(user, minutes.meeting, minutes)


def visible_action_condition(user, action_model, minutes_model):
    """The SQL mirror of can_view_action (None: no restriction) for a query joining the action's minutes."""
    if is_staff(user):
        return None
    if not is_signed_in(user):
        return false()
    readable = minutes_model.state.in_(readable_minutes_states(user))
    if user.role != "viewer":
        readable = readable & action_model.body_id.in_(sorted(member_body_ids(user)) or [-1])
    if user.role == "reporter" and user.unit_id is not None:
        readable = or_(readable, (action_model.owner_unit_id == user.unit_id) & (minutes_model.state != "draft"))
    return readable


def follows_up_action(user, action) -> bool:
    """The owner unit's reporters and the secretariat follow an action up."""
    return is_staff(user) or is_reporter_of(user, action.owner_unit_id)


def can_record_action_progress(user, action) -> bool:
    """Write a progress note: the owner unit's reporters and the secretariat, until the action is closed."""
    return follows_up_action(user, action) and action.status != "closed"


def can_mark_action_done(user, action) -> bool:
    """Mark an open action done (ดำเนินการแล้วเสร็จ): the owner unit's reporters, or the secretariat."""
    return follows_up_action(user, action) and action.status == "open"


def can_close_action(user, action) -> bool:
    """Confirm closing (ปิดงาน): the secretariat, for a done action (or an open one the meeting closes)."""
    return is_staff(user) and action.status != "closed"


def can_reopen_action(user, action) -> bool:
    """Reopen a done or closed action, with a note: the secretariat."""
    return is_staff(user) and action.status in ("done", "closed")


# --- plans, rounds and reports ----------------------------------------------------------------

def can_manage_plans(user) -> bool:
    """Plans, themes, sub-items and reporting rounds are the secretariat's."""
    return is_staff(user)


def is_reporter_of(user, unit_id: int | None) -> bool:
    """A reporter bound to this unit."""
    return is_signed_in(user) and user.role == "reporter" and user.unit_id is not None and user.unit_id == unit_id


def can_file_report_for(user, unit_id: int, responsible_unit_ids: Iterable[int]) -> bool:
    """A reporter files reports for their own unit only, on sub-items their unit is responsible for."""
    return is_reporter_of(user, unit_id) and unit_id in set(responsible_unit_ids)


def can_edit_report(user, report: ProgressReport) -> bool:
    """The unit's reporter edits a draft or returned report of an open round."""
    return is_reporter_of(user, report.unit_id) and report.state in ("draft", "returned") and not report_frozen(report)


def can_view_unit_round(user, unit_id: int) -> bool:
    """A unit's whole round on one page (drafts included): its reporters, and the secretariat (read-only)."""
    return is_staff(user) or is_reporter_of(user, unit_id)


def can_review_reports(user) -> bool:
    """Only the secretariat accepts or returns reports."""
    return is_staff(user)


def report_frozen(report: ProgressReport) -> bool:
    """An accepted report, or any report of a closed round, no longer changes (fields and evidence)."""
    return report.state == "accepted" or report.round.status != "open"


def can_view_report_of(user, unit_id: int, state: str | None, plan_owner_body_id: int) -> bool:
    """Staff read every report; viewers every delivered one (submitted, resubmitted, accepted); reporters their
    unit's; members the delivered reports of plans owned by their bodies (or the working groups under them)."""
    if is_staff(user):
        return True
    if is_reporter_of(user, unit_id):
        return True
    if not is_signed_in(user) or state not in SUBMITTED_REPORT_STATES:
        return False
    return user.role == "viewer" or plan_owner_body_id in member_body_ids(user)


def report_audience(user, plan_owner_body_id: int) -> tuple:
    """All that can_view_report_of reads of the reader for one plan's reports: readers with the same audience read
    the same reports, so an answer that shows or hides them may be shared among them (the shared cache's key)."""
    if is_staff(user):
        return ("all",)
    own_unit = user.unit_id if is_signed_in(user) and user.role == "reporter" else None
    delivered = is_signed_in(user) and (user.role == "viewer" or plan_owner_body_id in member_body_ids(user))
    return ("some", own_unit, delivered)


def can_view_report(user, report: ProgressReport) -> bool:
    """See can_view_report_of."""
    return can_view_report_of(user, report.unit_id, report.state, report.round.plan.owner_body_id)


def visible_report_condition(user, report_model):
    """The SQL mirror of can_view_report: None for no restriction, else a condition on the report model."""
    from app.reports.models import Plan, ReportingRound

    if is_staff(user):
        return None
    if not is_signed_in(user):
        return false()
    if user.role == "viewer":
        return report_model.state.in_(SUBMITTED_REPORT_STATES)
    followed = report_model.state.in_(SUBMITTED_REPORT_STATES) & report_model.round_id.in_(
        select(ReportingRound.id).join(Plan, Plan.id == ReportingRound.plan_id)
        .where(Plan.owner_body_id.in_(sorted(member_body_ids(user)) or [-1])))
    if user.role == "reporter":
        return or_(report_model.unit_id == (user.unit_id or -1), followed)
    return followed


def can_download_attachment(user, attachment) -> bool:
    """An agenda item's file: readers of that meeting's agenda; a report's evidence: readers of the report; a
    circulated matter's paper: readers of the circulation."""
    if attachment.agenda_item is not None:
        meeting = attachment.agenda_item.meeting
        return can_view_meeting(user, meeting) and can_view_agenda(user, meeting)
    if attachment.report is not None:
        return can_view_report(user, attachment.report)
    if attachment.circulation is not None:
        return can_view_circulation(user, attachment.circulation)
    return False


def files_reports(user) -> bool:
    """Reporters file their unit's reports (the 'my reports' view and reports due on the home page)."""
    return is_signed_in(user) and user.role == "reporter" and user.unit_id is not None


def sees_round_overview(user) -> bool:
    """Staff and viewers follow every open reporting round."""
    return reads_everything(user)


def can_view_dashboard(user) -> bool:
    """Every signed-in role may read roll-up dashboards."""
    return is_signed_in(user)


def can_manage_round(user, round_: ReportingRound) -> bool:
    """Open, close and change rounds."""
    return is_staff(user)


def can_view_body_list(user) -> bool:
    """Every signed-in user sees the list of bodies they may read."""
    return is_signed_in(user)


# --- object rules for access.load (user, object) -------------------------------------------------

def can_manage_body(user, body: Body) -> bool:
    """Edit this body and its memberships."""
    return can_manage_bodies(user)


def can_manage_meeting(user, meeting: Meeting) -> bool:
    """Edit, postpone, cancel this meeting and record its attendance."""
    return can_schedule_meetings(user)


def can_issue_invitation(user, meeting: Meeting) -> bool:
    """Draft the invitation letter of this meeting and take its number (the secretariat)."""
    return can_manage_meeting(user, meeting)


def can_view_agenda_item(user, item) -> bool:
    """An agenda item is read with its meeting's agenda."""
    return can_view_agenda(user, item.meeting)


def can_edit_agenda_item(user, item) -> bool:
    """An agenda item is changed by whoever builds its meeting's agenda."""
    return can_edit_agenda(user, item.meeting)


def can_view_plan(user, plan) -> bool:
    """Plans, their rounds and roll-ups are read by every signed-in role (as the dashboards are)."""
    return can_view_dashboard(user)


def can_manage_plan(user, plan) -> bool:
    """Change this plan, its themes, sub-items and rounds."""
    return can_manage_plans(user)


def can_view_round(user, round_: ReportingRound) -> bool:
    """A round is read with its plan."""
    return can_view_plan(user, round_.plan)


def can_review_report(user, report: ProgressReport) -> bool:
    """Accept or return this report."""
    return can_review_reports(user)


def can_view_theme(user, theme) -> bool:
    """A theme (ประเด็นหลัก) is read with its plan."""
    return can_view_plan(user, theme.plan)


def can_manage_theme(user, theme) -> bool:
    """A theme and its sub-items are changed by whoever manages its plan."""
    return can_manage_plan(user, theme.plan)


def can_view_sub_item(user, sub_item) -> bool:
    """A sub-item (ประเด็นย่อย) is read with its plan."""
    return can_view_theme(user, sub_item.theme)


def can_manage_sub_item(user, sub_item) -> bool:
    """A sub-item and its responsible units are changed by whoever manages its plan."""
    return can_manage_theme(user, sub_item.theme)


def can_view_assessment(user) -> bool:
    """Every signed-in role reads the agency assessment (scores, levels, bands)."""
    return is_signed_in(user)


def can_manage_assessment(user) -> bool:
    """The secretariat records scores and sets each year's bands."""
    return can_manage_plans(user)


def can_view_score(user, score) -> bool:
    """See can_view_assessment."""
    return can_view_assessment(user)


def can_manage_score(user, score) -> bool:
    """See can_manage_assessment."""
    return can_manage_assessment(user)


def can_remind_meeting(user, meeting: Meeting) -> bool:
    """Remind the members who have not answered the invitation ("เตือนผู้ที่ยังไม่ตอบ")."""
    return can_manage_meeting(user, meeting)


def can_schedule_next_meeting(user, meeting: Meeting) -> bool:
    """นัดครั้งถัดไป: schedule the body's next meeting from this one (also once its record is frozen)."""
    return can_schedule_meetings(user)


def can_schedule_series(user, body: Body) -> bool:
    """Schedule a body's meetings ahead by a rule ("นัดประชุมล่วงหน้าเป็นชุด"), as any of its meetings."""
    return can_schedule_meetings(user)


def can_remind_round(user, round_: ReportingRound) -> bool:
    """Remind the reporters of units that still owe reports ("เตือนหน่วยงานที่ยังไม่ส่ง")."""
    return can_manage_round(user, round_)


# --- quorum and votes at a meeting (app.votes) ----------------------------------------------------

def can_run_vote(user, meeting: Meeting) -> bool:
    """Open, close and decide a meeting's votes: its chair, or the secretariat recording the chair's decisions."""
    return is_staff(user) or is_meeting_chair(user, meeting)


def can_open_vote(user, item) -> bool:
    """Put a question on an agenda item to the vote, until the meeting's record is frozen."""
    return can_run_vote(user, item.meeting) and not meeting_record_frozen(item.meeting)


def can_override_quorum(user, meeting: Meeting) -> bool:
    """Let a vote open without quorum, with a recorded reason: the chair, or the secretariat on the chair's word."""
    return can_run_vote(user, meeting)


def can_view_meeting_votes(user, meeting: Meeting) -> bool:
    """A meeting's votes (question, who has voted, the result once closed) are read by the body's own members,
    the meeting's chair and the secretariat."""
    return is_staff(user) or is_meeting_chair(user, meeting) or is_member_of(user, meeting.body_id)


def can_view_vote(user, vote) -> bool:
    """See can_view_meeting_votes."""
    return can_view_meeting_votes(user, vote.agenda_item.meeting)


def can_cast_vote(user, vote) -> bool:
    """Cast one's own ballot: a member present on site or confirmed online, while the vote is open."""
    from app.votes.services import may_vote_in_person

    return may_vote_in_person(user, vote)


def can_record_hand_votes(user, vote) -> bool:
    """Record a member's (or their delegate's) vote given by hand: the secretariat, while the vote is open."""
    return is_staff(user) and vote.state == "open"


def can_close_vote(user, vote) -> bool:
    """Close an open vote: whoever runs the meeting's votes."""
    return vote.state == "open" and can_run_vote(user, vote.agenda_item.meeting)


def can_cast_casting_vote(user, vote) -> bool:
    """Record the chair's deciding vote on a closed, tied vote (once)."""
    return (vote.state == "closed" and (vote.result or {}).get("outcome") == "tied" and vote.casting_vote is None
            and can_run_vote(user, vote.agenda_item.meeting))


# --- resolutions by circulation (app.circulations) ------------------------------------------------------

def can_circulate(user, body: Body) -> bool:
    """Circulate a matter to a body's members for a resolution: the secretariat."""
    return is_staff(user) and body.active


def can_view_circulation(user, circulation) -> bool:
    """Whoever may read the body, and every member asked (even one who left the body since)."""
    return can_view_body(user, circulation.body) or is_circulation_member(user, circulation)


def is_circulation_member(user, circulation) -> bool:
    """The user is one of the members the matter was circulated to."""
    return is_signed_in(user) and any(row.user_id == user.id for row in circulation.answers)


def can_answer_circulation(user, circulation) -> bool:
    """A member asked answers (or changes the answer) while the circulation is open and before its deadline."""
    from app.dbtypes import utcnow

    return (is_circulation_member(user, circulation) and circulation.state == "open"
            and utcnow() < circulation.deadline)


def can_view_circulation_tally(user, circulation) -> bool:
    """Who answered what: the secretariat at any time; every reader once the result is recorded."""
    return is_staff(user) or circulation.state == "closed"


def can_manage_circulation(user, circulation) -> bool:
    """Add papers, remind those who have not answered, close: the secretariat (a closed one answers 409)."""
    return is_staff(user)


# --- e-meeting evidence and check-in (app.evidence) ---------------------------------------------

def is_expected_attendee(user, meeting: Meeting) -> bool:
    """The body's own members and the meeting's chair: those who confirm their identity, check in, report problems."""
    return is_member_of(user, meeting.body_id) or is_meeting_chair(user, meeting)


def can_keep_evidence(user, meeting: Meeting) -> bool:
    """Identity checks, join and leave times, the recording, the QR code and the evidence appendix: the secretariat."""
    return is_staff(user)


def can_confirm_own_identity(user, meeting: Meeting) -> bool:
    """An expected attendee of an online or hybrid meeting enters the one-time code sent to them."""
    return is_expected_attendee(user, meeting) and meeting.mode in ("online", "hybrid") and meeting.status != "cancelled"


def can_check_in(user, meeting: Meeting) -> bool:
    """An expected attendee marks themselves present (the hours and the QR token are the service's rule)."""
    return is_expected_attendee(user, meeting) and meeting.status != "cancelled"


def can_report_incident(user, meeting: Meeting) -> bool:
    """The secretariat at any time; an expected attendee of an online or hybrid meeting during it (the window is
    the service's rule)."""
    return is_staff(user) or (can_confirm_own_identity(user, meeting))


def permissions_for_templates(user) -> dict:
    """The predicates templates use to show or hide actions (same functions as the views)."""
    return {
        name: obj
        for name, obj in globals().items()
        if name.startswith(("can_", "is_", "reads_")) and callable(obj)
    }
