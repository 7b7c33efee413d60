"""Following up assigned actions: listing them, progress notes, marking done (the owner unit), closing and
reopening (the secretariat), and the matters arising of an agenda (section 3). Web and API call these; they
flush, never commit, and record an audit event for every change.

The secretariat may also close an action its unit has not marked done (the meeting decided so; the note,
optional, says why), as POST /api/v1/action-items/<id>/close always allowed; closing a closed action is 409.
"""
from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload, selectinload

from app import access, authz, labels, official_docx, textlimits, thaidates
from app.actions.models import ActionNote
from app.audit.services import pending_changes, record
from app.dbtypes import utcnow
from app.errors import Conflict, Forbidden, Invalid
from app.extensions import db
from app.meetings.models import Meeting
from app.minutes.models import ACTION_STATUSES, ActionItem, Minutes, MinutesItem

NOTE_MAX = textlimits.LONG_TEXT
FOLLOWED_UP = ("open", "done")  # not closed yet: what section 3 of the next agenda lists
LIST_LIMIT = 500  # actions on one page of /actions (filters narrow it)


# --- reading -----------------------------------------------------------------------------------

def _actions_query() -> Select:
    """Actions with their minutes, meeting, body, owner unit and notes loaded, earliest due first."""
    return (
        select(ActionItem)
        .join(MinutesItem, MinutesItem.id == ActionItem.minutes_item_id)
        .join(Minutes, Minutes.id == MinutesItem.minutes_id)
        .join(Meeting, Meeting.id == ActionItem.meeting_id)
        .options(joinedload(ActionItem.owner_unit),
                 joinedload(ActionItem.minutes_item).joinedload(MinutesItem.minutes)
                 .joinedload(Minutes.meeting).joinedload(Meeting.body),
                 selectinload(ActionItem.notes).joinedload(ActionNote.user))
        .order_by(ActionItem.due_date.is_(None), ActionItem.due_date, Meeting.starts_at, ActionItem.id)
    )


def list_actions(user, *, body_id: int | None = None, unit_id: int | None = None, state: str | None = None,
                 overdue: bool | None = None, due_before: date | None = None, due_after: date | None = None,
                 limit: int | None = None) -> list[ActionItem]:
    """Actions the user may read, filtered; sorted by due date (none last). `state` "followed" means open or done."""
    query = _actions_query()
    visible = authz.visible_action_condition(user, ActionItem, Minutes)
    if visible is not None:
        query = query.where(visible)
    if body_id is not None:
        query = query.where(ActionItem.body_id == body_id)
    if unit_id is not None:
        query = query.where(ActionItem.owner_unit_id == unit_id)
    if state in ACTION_STATUSES:
        query = query.where(ActionItem.status == state)
    elif state == "followed":
        query = query.where(ActionItem.status.in_(FOLLOWED_UP))
    if overdue is not None:
        query = query.where(ActionItem.overdue if overdue else ~ActionItem.overdue)
    if due_before is not None:
        query = query.where(ActionItem.due_date <= due_before)
    if due_after is not None:
        query = query.where(ActionItem.due_date >= due_after)
    if limit is not None:
        query = query.limit(limit)
    return list(db.session.scalars(query).unique())


def readable_action(user, action_id) -> ActionItem:
    """The action (with its minutes, notes and unit); 404 when missing or not readable by the user."""
    return access.load(ActionItem, action_id, read=authz.can_view_action, user=user,
                       options=[joinedload(ActionItem.owner_unit),
                                joinedload(ActionItem.minutes_item).joinedload(MinutesItem.minutes)
                                .joinedload(Minutes.meeting).joinedload(Meeting.body)],
                       missing=_("ไม่พบงานที่มอบหมาย"))


def latest_note(action: ActionItem) -> ActionNote | None:
    """The action's latest note with text (progress or a change of state), or None."""
    return next((n for n in reversed(action.notes) if n.note), None)


def matters_arising(meeting: Meeting) -> list[ActionItem]:
    """Section 3 of the agenda: open or done actions assigned at the body's earlier meetings (in minutes that
    left draft), earliest due first. Whoever reads the agenda reads them."""
    return list(db.session.scalars(
        _actions_query().where(ActionItem.body_id == meeting.body_id, ActionItem.status.in_(FOLLOWED_UP),
                               Minutes.state != "draft", Meeting.starts_at < meeting.starts_at)
    ).unique())


def agenda_follow_ups(meeting: Meeting) -> tuple[official_docx.FollowUp, ...]:
    """Section 3 of the agenda DOCX, in Thai whatever the reader's language: the matters arising."""
    return tuple(official_docx.FollowUp(
        description=a.description, meeting="ครั้งที่ " + a.minutes_item.minutes.meeting.code,
        owner=a.owner_unit.name if a.owner_unit else None,
        due=thaidates.thai_date(a.due_date) if a.due_date else None,
        state=labels.in_thai(labels.ACTION_STATUS_LABELS, a.status), overdue=a.overdue,
        latest_note=(latest_note(a).note if latest_note(a) else None),
    ) for a in matters_arising(meeting))


# --- changing ----------------------------------------------------------------------------------

def _note_text(note: str | None, *, required: bool) -> str | None:
    """The stripped note, None when blank; Invalid when required and blank, or too long / bad characters."""
    text = (note or "").strip() if isinstance(note, str) else None
    if required and not text:
        raise Invalid(_("กรุณาบันทึกความคืบหน้า"), {"note": _("กรุณาบันทึกความคืบหน้า")})
    problem = textlimits.check_text(text, NOTE_MAX, gettext=_)
    if problem:
        raise Invalid(_("บันทึกไม่ถูกต้อง"), {"note": problem})
    return text or None


def _refuse(user, action: ActionItem, allowed_role: bool, conflict: str) -> None:
    """Forbidden when the user's role may not, Conflict when the action's state does not allow it."""
    if not allowed_role:
        raise Forbidden(_("คุณไม่มีสิทธิ์ทำรายการนี้"))
    raise Conflict(conflict)


def _add_note(action: ActionItem, user, kind: str, text: str | None) -> ActionNote:
    note = ActionNote(action=action, user_id=getattr(user, "id", None), kind=kind, note=text, created_at=utcnow())
    db.session.add(note)
    return note


def record_progress(action: ActionItem, note: str | None, done: bool, user) -> ActionItem:
    """The owner unit (or the secretariat) writes a progress note and may mark the action done; a note is
    required unless marking done. The secretariat is told when a unit marks an action done."""
    allowed = authz.can_mark_action_done if done else authz.can_record_action_progress
    if not allowed(user, action):
        _refuse(user, action, authz.follows_up_action(user, action),
                _("งานที่มอบหมายนี้ปิดแล้ว") if action.status == "closed"
                else _("งานที่มอบหมายนี้ดำเนินการแล้วเสร็จแล้ว"))
    text = _note_text(note, required=not done)
    _add_note(action, user, "done" if done else "progress", text)
    if done:
        action.status = "done"
        action.done_at = utcnow()
    changes = pending_changes(action)
    record("action.done" if done else "action.progress", action, (text or action.description)[:200],
           changes, user=user)
    if done and not authz.is_staff(user):
        from app.notify import notices

        notices.action_done(action)
    return action


def close_action(action: ActionItem, note: str | None, user) -> ActionItem:
    """The secretariat confirms closing (ปิดงาน), with an optional note; also an action not marked done yet."""
    if not authz.can_close_action(user, action):
        _refuse(user, action, authz.is_staff(user), _("งานที่มอบหมายนี้ปิดแล้ว"))
    text = _note_text(note, required=False)
    _add_note(action, user, "closed", text)
    action.status = "closed"
    action.closed_at = utcnow()
    action.closed_note = text
    record("action.close", action, action.description[:200], pending_changes(action), user=user)
    return action


def reopen_action(action: ActionItem, note: str | None, user) -> ActionItem:
    """The secretariat reopens a done or closed action, with a note saying what is still to be done."""
    if not authz.can_reopen_action(user, action):
        _refuse(user, action, authz.is_staff(user), _("งานที่มอบหมายนี้ยังไม่ได้ดำเนินการแล้วเสร็จ"))
    text = _note_text(note, required=False)
    if not text:
        message = _("กรุณาบันทึกเหตุผลที่เปิดงานอีกครั้ง")
        raise Invalid(message, {"note": message})
    _add_note(action, user, "reopened", text)
    action.status = "open"
    action.done_at = None
    action.closed_at = None
    action.closed_note = None
    record("action.reopen", action, text[:200], pending_changes(action), user=user)
    return action
