"""Minutes (รายงานการประชุม): saving versions, circulating, certifying at a later meeting, comments and
the follow-up of assigned actions. Web forms and the API both call these functions; they flush, never commit."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date, time
from types import SimpleNamespace
from typing import Any, Mapping, Sequence

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from app import authz, labels, official_docx, textlimits
from app.audit.services import pending_changes, record
from app.bodies.models import Unit
from app.dbtypes import utcnow
from app.errors import Conflict, Forbidden, Invalid, NotFound
from app.extensions import db
from app.meetings.models import Meeting
from app.meetings.services import ensure_record_open
from app.minutes.models import (
    RESOLUTION_KINDS,
    ActionItem,
    Minutes,
    MinutesComment,
    MinutesItem,
    MinutesSnapshot,
    MinutesVersion,
)
from app.richtext import sanitize_html

NAME_MAX = textlimits.NAME
TEXT_MAX = textlimits.LONG_TEXT
TIME_RE = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")
UNCHANGED = "โดยไม่มีการแก้ไข"
AMENDED = "โดยมีการแก้ไข"


# --- reading -----------------------------------------------------------------------------------

def minutes_of(meeting: Meeting) -> Minutes | None:
    """The meeting's minutes with items, agenda items and actions loaded, or None when none were saved yet."""
    return db.session.scalar(
        select(Minutes).where(Minutes.meeting_id == meeting.id).options(
            selectinload(Minutes.items).joinedload(MinutesItem.agenda_item),
            selectinload(Minutes.items).selectinload(MinutesItem.actions),
        )
    )


def hhmm(value: time | None) -> str | None:
    """A time of day as HH:MM (Bangkok), or None."""
    return value.strftime("%H:%M") if value is not None else None


def action_content(action: ActionItem) -> dict:
    """One assigned action as plain JSON values."""
    return {"id": action.id, "owner_unit_id": action.owner_unit_id, "description": action.description,
            "due_date": action.due_date.isoformat() if action.due_date else None, "status": action.status}


def minutes_content(minutes: Minutes | None) -> dict:
    """The whole minutes as plain JSON values (what the API returns and what a version stores); empty draft for None."""
    if minutes is None:
        return {"state": "draft", "version": 0, "opened_at": None, "closed_at": None, "recorder": None,
                "checker": None, "recorder_position": None, "checker_position": None, "items": [], "certified_at_meeting_id": None, "amendments": None,
                "comment_deadline": None}
    items = sorted(minutes.items, key=lambda i: (i.agenda_item.section, i.agenda_item.position, i.agenda_item_id))
    return {
        "state": minutes.state,
        "version": minutes.version,
        "opened_at": hhmm(minutes.opened_at),
        "closed_at": hhmm(minutes.closed_at),
        "recorder": minutes.recorder_name,
        "checker": minutes.checker_name,
        "recorder_position": minutes.recorder_position,
        "checker_position": minutes.checker_position,
        "items": [
            {"agenda_item_id": item.agenda_item_id, "discussion": item.discussion,
             "resolution_kind": item.resolution_kind, "resolution": item.resolution,
             "actions": [action_content(a) for a in sorted(item.actions, key=lambda a: a.id or 0)]}
            for item in items
        ],
        "certified_at_meeting_id": minutes.certified_at_meeting_id,
        "amendments": minutes.amendments,
        "comment_deadline": minutes.comment_deadline.isoformat() if minutes.comment_deadline else None,
    }


def certification_phrase(minutes: Minutes) -> str | None:
    """โดยไม่มีการแก้ไข or โดยมีการแก้ไข for certified minutes, None before."""
    if minutes.state != "certified":
        return None
    return AMENDED if minutes.amendments else UNCHANGED


def check_can_read(user, meeting: Meeting, minutes: Minutes | None) -> None:
    """NotFound, saying why, unless the user may read the minutes in their current state (the meeting is visible)."""
    if not authz.can_view_minutes(user, meeting, minutes):
        if minutes is None:
            raise NotFound(_("การประชุมนี้ยังไม่มีรายงานการประชุม"))
        raise NotFound(_("ร่างรายงานการประชุมยังไม่ได้เวียนให้กรรมการ"))


# --- saving ------------------------------------------------------------------------------------

def sanitize_discussion(html: str | None) -> str | None:
    """The discussion as safe rich text: basic formatting and http(s)/mailto links only; None when blank."""
    return sanitize_html(html)


def parse_time_of_day(value: Any, field_name: str, errors: dict[str, str]) -> time | None:
    """A Bangkok time of day from "HH:MM" (or "HH.MM"), None when blank; a bad value goes to errors."""
    if isinstance(value, time):
        return value
    text = (value or "").strip() if isinstance(value, str) else value
    if text in (None, ""):
        return None
    match = TIME_RE.match(str(text))
    if not match:
        errors[field_name] = _("เวลาต้องอยู่ในรูปแบบ HH:MM เช่น 09:30")
        return None
    return time(int(match.group(1)), int(match.group(2)))


def parse_due_date(value: Any, field_name: str, errors: dict[str, str]) -> date | None:
    """A due date from a date or ISO text (YYYY-MM-DD), None when blank; a bad value goes to errors."""
    if isinstance(value, date):
        return value
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        errors[field_name] = _("วันที่ไม่ถูกต้อง (รูปแบบ YYYY-MM-DD)")
        return None


def _short_text(value: Any, field_name: str, limit: int, errors: dict[str, str], one_line: bool = False) -> str | None:
    """Stripped text or None; too long, or with characters refused by app.textlimits, goes to errors."""
    text = (value or "").strip() if isinstance(value, str) else None
    problem = textlimits.check_text(text, limit, one_line=one_line, gettext=_)
    if problem:
        errors[field_name] = problem
    return text or None


def _check_version(minutes: Minutes | None, version: int | None) -> None:
    """Conflict unless `version` is the one stored (0 for minutes not yet saved)."""
    current = minutes.version if minutes is not None else 0
    if version is None or int(version) != current:
        raise Conflict(_("รายงานการประชุมถูกแก้ไขโดยผู้อื่นแล้ว (ฉบับที่ %(v)d) กรุณาโหลดใหม่", v=current),
                       {"version": _("ฉบับล้าสมัย")})


@dataclass
class ActionFields:
    """A validated action: its id when it is an existing one, and its values."""

    id: int | None
    owner_unit_id: int | None
    description: str
    due_date: date | None


@dataclass
class ItemFields:
    """A validated minutes item, ready to be set on a MinutesItem."""

    agenda_item_id: int
    discussion: str | None
    resolution_kind: str | None
    resolution: str | None
    actions: list[ActionFields]


def validate_items(meeting: Meeting, minutes: Minutes | None, raw_items: Sequence[Mapping[str, Any]],
                   errors: dict[str, str]) -> list[ItemFields]:
    """Check every item: an agenda item of this meeting (once), a known resolution kind, actions with an
    existing owner unit, a description and an ISO due date; problems go to errors as items.N.field."""
    agenda_ids = {a.id for a in meeting.agenda_items}
    own_action_ids = {a.id for i in (minutes.items if minutes else []) for a in i.actions}
    wanted_units = {a.get("owner_unit_id") for it in raw_items for a in (it.get("actions") or [])}
    wanted_units = {u for u in wanted_units if isinstance(u, int)}
    known_units = set(db.session.scalars(select(Unit.id).where(Unit.id.in_(wanted_units)))) if wanted_units else set()
    seen_items: set[int] = set()
    seen_actions: set[int] = set()
    result: list[ItemFields] = []
    for n, raw in enumerate(raw_items):
        prefix = f"items.{n}"
        agenda_item_id = raw.get("agenda_item_id")
        if agenda_item_id not in agenda_ids:
            errors[f"{prefix}.agenda_item_id"] = _("ไม่ใช่ระเบียบวาระของการประชุมนี้")
        elif agenda_item_id in seen_items:
            errors[f"{prefix}.agenda_item_id"] = _("ระเบียบวาระนี้ระบุซ้ำ")
        seen_items.add(agenda_item_id)
        kind = raw.get("resolution_kind") or None
        if kind is not None and kind not in RESOLUTION_KINDS:
            errors[f"{prefix}.resolution_kind"] = _("มติต้องเป็น %(kinds)s", kinds=", ".join(RESOLUTION_KINDS))
        discussion = raw.get("discussion")
        problem = textlimits.check_text(discussion, TEXT_MAX, gettext=_) if isinstance(discussion, str) else None
        if problem:
            errors[f"{prefix}.discussion"] = problem
        actions: list[ActionFields] = []
        for m, action in enumerate(raw.get("actions") or []):
            where = f"{prefix}.actions.{m}"
            action_id = action.get("id")
            if action_id is not None:
                if action_id not in own_action_ids:
                    errors[f"{where}.id"] = _("ไม่พบงานที่มอบหมายนี้ในรายงานการประชุมนี้")
                elif action_id in seen_actions:
                    errors[f"{where}.id"] = _("ระบุซ้ำ")
                seen_actions.add(action_id)
            owner = action.get("owner_unit_id")
            if owner is None:
                errors[f"{where}.owner_unit_id"] = _("กรุณาระบุหน่วยงานที่รับผิดชอบ")
            elif owner not in known_units:
                errors[f"{where}.owner_unit_id"] = _("ไม่พบหน่วยงานนี้")
            description = _short_text(action.get("description"), f"{where}.description", TEXT_MAX, errors)
            if not description:
                errors[f"{where}.description"] = _("กรุณาระบุงานที่มอบหมาย")
            due = parse_due_date(action.get("due_date"), f"{where}.due_date", errors)
            actions.append(ActionFields(action_id, owner, description or "", due))
        result.append(ItemFields(
            agenda_item_id=agenda_item_id,
            discussion=None if f"{prefix}.discussion" in errors else sanitize_discussion(discussion),
            resolution_kind=kind,
            resolution=_short_text(raw.get("resolution"), f"{prefix}.resolution", TEXT_MAX, errors),
            actions=actions,
        ))
    return result


def _apply_items(meeting: Meeting, minutes: Minutes, items: list[ItemFields]) -> None:
    """Replace the items; an item of the same agenda item and a resent action keep their rows (and status)."""
    by_agenda = {item.agenda_item_id: item for item in minutes.items}
    actions_by_id = {a.id: a for item in minutes.items for a in item.actions}
    kept: list[MinutesItem] = []
    for fields in items:
        item = by_agenda.get(fields.agenda_item_id) or MinutesItem(agenda_item_id=fields.agenda_item_id)
        item.discussion = fields.discussion
        item.resolution_kind = fields.resolution_kind
        item.resolution = fields.resolution
        actions = []
        for a in fields.actions:
            action = actions_by_id.get(a.id) if a.id is not None else None
            if action is None:
                action = ActionItem(meeting_id=meeting.id, body_id=meeting.body_id, status="open")
            action.owner_unit_id = a.owner_unit_id
            action.description = a.description
            action.due_date = a.due_date
            actions.append(action)
        item.actions = actions
        kept.append(item)
    minutes.items = kept


def _write_version(minutes: Minutes, user) -> MinutesVersion:
    """Flush (the version column grows) and store the whole content as that version."""
    db.session.flush()
    version = MinutesVersion(minutes=minutes, version=minutes.version, content=minutes_content(minutes),
                             saved_by_id=getattr(user, "id", None), saved_at=utcnow())
    db.session.add(version)
    db.session.flush()
    return version


def save_minutes(meeting: Meeting, data: Mapping[str, Any], version: int | None, user) -> Minutes:
    """Save the minutes (created on the first save): header, items, resolutions and actions; one more version."""
    ensure_record_open(meeting)
    minutes = minutes_of(meeting)
    if not authz.can_edit_minutes(user, minutes):
        raise Forbidden(_("เฉพาะฝ่ายเลขานุการบันทึกรายงานการประชุมได้"))
    if meeting.status == "cancelled":
        raise Conflict(_("การประชุมนี้ถูกยกเลิกแล้ว ไม่มีรายงานการประชุม"))
    _check_version(minutes, version)
    errors: dict[str, str] = {}
    opened_at = parse_time_of_day(data.get("opened_at"), "opened_at", errors)
    closed_at = parse_time_of_day(data.get("closed_at"), "closed_at", errors)
    if opened_at and closed_at and closed_at <= opened_at:
        errors["closed_at"] = _("เวลาเลิกประชุมต้องหลังเวลาเริ่มประชุม")
    recorder = _short_text(data.get("recorder"), "recorder", NAME_MAX, errors, one_line=True)
    checker = _short_text(data.get("checker"), "checker", NAME_MAX, errors, one_line=True)
    recorder_position = _short_text(data.get("recorder_position"), "recorder_position", textlimits.POSITION, errors,
                                    one_line=True)
    checker_position = _short_text(data.get("checker_position"), "checker_position", textlimits.POSITION, errors,
                                   one_line=True)
    items = validate_items(meeting, minutes, data.get("items") or [], errors)
    if errors:
        raise Invalid(_("ข้อมูลรายงานการประชุมไม่ถูกต้อง"), errors)

    if minutes is None:
        minutes = Minutes(meeting_id=meeting.id, state="draft")
    minutes.opened_at, minutes.closed_at = opened_at, closed_at
    minutes.recorder_name, minutes.checker_name = recorder, checker
    minutes.recorder_position, minutes.checker_position = recorder_position, checker_position
    changes = pending_changes(minutes)
    assigned_before = {a.id: a.owner_unit_id for item in minutes.items for a in item.actions}
    _apply_items(meeting, minutes, items)
    minutes.updated_by_id = getattr(user, "id", None)
    minutes.updated_at = utcnow()  # always an UPDATE of the row, so the version grows even when only items changed
    if minutes.id is None:
        try:
            with db.session.begin_nested():
                db.session.add(minutes)
                db.session.flush()  # the INSERT gives version 1
        except IntegrityError:
            raise Conflict(_("มีผู้อื่นสร้างรายงานการประชุมนี้พร้อมกัน กรุณาโหลดใหม่"),
                           {"version": _("ฉบับล้าสมัย")}) from None
    saved = _write_version(minutes, user)
    record("minutes.save", minutes, _("รายงานการประชุม %(code)s ฉบับที่ %(v)d", code=meeting.code, v=saved.version),
           {k: v for k, v in changes.items() if k not in ("updated_at", "updated_by_id", "version")} or None,
           user=user)
    if minutes.state == "circulated":  # units hear of their actions once the minutes reach the members
        from app.notify import notices

        notices.actions_assigned(a for item in minutes.items for a in item.actions
                                 if a.owner_unit_id is not None and assigned_before.get(a.id) != a.owner_unit_id)
    return minutes


def existing_minutes(meeting: Meeting) -> Minutes:
    """The meeting's minutes, or Conflict when none were saved yet."""
    minutes = minutes_of(meeting)
    if minutes is None:
        raise Conflict(_("ยังไม่มีรายงานการประชุมของการประชุมนี้"))
    return minutes


def circulate_minutes(meeting: Meeting, user, version: int | None = None, comment_deadline: Any = None) -> Minutes:
    """Send draft minutes to the members for comment (draft → circulated), until `comment_deadline` (a date or
    YYYY-MM-DD, optional, not in the past); tells the members and the units given actions; writes a version;
    a stale `version` (when given) → 409."""
    from app import thaidates
    from app.notify import notices

    if not authz.is_staff(user):
        raise Forbidden(_("เฉพาะฝ่ายเลขานุการเวียนรายงานการประชุมได้"))
    ensure_record_open(meeting)
    minutes = existing_minutes(meeting)
    if version is not None:
        _check_version(minutes, version)
    if minutes.state != "draft":
        raise Conflict(_("เวียนได้เฉพาะร่างรายงานการประชุม (สถานะปัจจุบัน: %(state)s)",
                         state=labels.label(labels.MINUTES_STATE_LABELS, minutes.state)))
    errors: dict[str, str] = {}
    deadline = parse_due_date(comment_deadline, "comment_deadline", errors)
    if deadline is not None and deadline < thaidates.today_bangkok():
        errors["comment_deadline"] = _("วันสุดท้ายที่รับความเห็นต้องไม่ก่อนวันนี้")
    if errors:
        raise Invalid(_("ข้อมูลการเวียนรายงานการประชุมไม่ถูกต้อง"), errors)
    minutes.state = "circulated"
    minutes.circulated_at = utcnow()
    minutes.comment_deadline = deadline
    minutes.updated_by_id = getattr(user, "id", None)
    saved = _write_version(minutes, user)
    record("minutes.circulate", minutes, _("เวียนรายงานการประชุม %(code)s ฉบับที่ %(v)d", code=meeting.code,
                                           v=saved.version), user=user)
    notices.minutes_circulated(minutes)
    notices.actions_assigned(a for item in minutes.items for a in item.actions)
    return minutes


def certify_minutes(minutes: Minutes, at_meeting_id: int | None, amendments: str | None, user) -> Minutes:
    """Certify circulated minutes at a later, not cancelled meeting of the same body, with or without
    amendments; the meeting's record is frozen afterwards. Writes a version and keeps the certified DOCX as a
    snapshot whose SHA-256 the audit event carries."""
    meeting = minutes.meeting
    if not authz.is_staff(user):
        raise Forbidden(_("เฉพาะฝ่ายเลขานุการบันทึกการรับรองรายงานการประชุมได้"))
    ensure_record_open(meeting)
    if minutes.state != "circulated":
        raise Conflict(_("ต้องเวียนรายงานการประชุมให้กรรมการก่อนจึงจะรับรองได้"))
    at_meeting = db.session.get(Meeting, at_meeting_id) if at_meeting_id is not None else None
    if at_meeting is None:
        raise Invalid(_("ไม่พบการประชุมที่รับรอง"), {"at_meeting_id": _("ไม่พบการประชุมนี้")})
    if at_meeting.body_id != meeting.body_id:
        raise Invalid(_("ต้องรับรองในการประชุมของคณะเดียวกัน"), {"at_meeting_id": _("เป็นการประชุมของคณะอื่น")})
    if at_meeting.starts_at <= meeting.starts_at:
        raise Invalid(_("ต้องรับรองในการประชุมครั้งถัดไป"), {"at_meeting_id": _("ต้องเป็นการประชุมที่หลังกว่า")})
    if at_meeting.status == "cancelled":
        raise Invalid(_("การประชุมที่รับรองถูกยกเลิกแล้ว"), {"at_meeting_id": _("การประชุมนี้ถูกยกเลิก")})
    amendments = (amendments or "").strip() or None
    problem = textlimits.check_text(amendments, TEXT_MAX, gettext=_)
    if problem:
        raise Invalid(_("ข้อความการแก้ไขไม่ถูกต้อง"), {"amendments": problem})
    minutes.state = "certified"
    minutes.certified_at = utcnow()
    minutes.certified_at_meeting = at_meeting
    minutes.amendments = amendments
    minutes.updated_by_id = getattr(user, "id", None)
    saved = _write_version(minutes, user)
    snapshot = keep_certified_snapshot(meeting, minutes)
    summary = _("รับรองรายงานการประชุม %(code)s ในการประชุมครั้งที่ %(at)s %(how)s (ฉบับที่ %(v)d)",
                code=meeting.code, at=at_meeting.code, how=certification_phrase(minutes), v=saved.version)
    record("minutes.certify", minutes, summary, {"docx_sha256": [None, snapshot.sha256]}, user=user)
    from app.notify import notices

    notices.minutes_certified(minutes, certification_phrase(minutes))
    return minutes


def keep_certified_snapshot(meeting: Meeting, minutes: Minutes) -> MinutesSnapshot:
    """Store the certified minutes' DOCX and its SHA-256: the document served from now on."""
    from app.minutes.documents import minutes_doc

    data = official_docx.minutes_docx(minutes_doc(meeting, minutes))
    snapshot = MinutesSnapshot(minutes=minutes, docx=data, sha256=hashlib.sha256(data).hexdigest(), created_at=utcnow())
    db.session.add(snapshot)
    db.session.flush()
    return snapshot


# --- versions and comments ---------------------------------------------------------------------

def readable_versions(user, meeting: Meeting, minutes: Minutes | None) -> list[MinutesVersion]:
    """The versions the user may read: all for staff, otherwise those saved in a state the user may read."""
    if minutes is None:
        return []
    versions = db.session.scalars(
        select(MinutesVersion).options(joinedload(MinutesVersion.saved_by))
        .where(MinutesVersion.minutes_id == minutes.id).order_by(MinutesVersion.version)
    ).all()
    return [v for v in versions if _version_readable(user, meeting, v)]


def _version_readable(user, meeting: Meeting, version: MinutesVersion) -> bool:
    """A version is read under the rule for minutes in the state it was saved in (a draft stays a draft)."""
    as_saved = SimpleNamespace(state=(version.content or {}).get("state", "draft"))
    return authz.can_view_minutes(user, meeting, as_saved)  # type: ignore[arg-type]


def get_version(user, meeting: Meeting, minutes: Minutes | None, number: int) -> MinutesVersion:
    """One saved version the user may read, or NotFound."""
    version = None
    if minutes is not None:
        version = db.session.scalar(select(MinutesVersion).where(
            MinutesVersion.minutes_id == minutes.id, MinutesVersion.version == number))
    if version is None or not _version_readable(user, meeting, version):
        raise NotFound(_("ไม่พบฉบับนี้ของรายงานการประชุม"))
    return version


def add_comment(meeting: Meeting, user, body: str, agenda_item_id: int | None = None) -> MinutesComment:
    """A member comments on circulated minutes, on the whole or on one agenda item of this meeting."""
    ensure_record_open(meeting)
    minutes = minutes_of(meeting)
    if not authz.can_comment_minutes(user, meeting, minutes):
        raise Forbidden(_("แสดงความเห็นได้เฉพาะรายงานการประชุมที่อยู่ระหว่างเวียน"))
    text = (body or "").strip()
    errors: dict[str, str] = {}
    if not text:
        errors["body"] = _("กรุณาพิมพ์ความเห็น")
    elif problem := textlimits.check_text(text, TEXT_MAX, gettext=_):
        errors["body"] = problem
    if agenda_item_id is not None and agenda_item_id not in {a.id for a in meeting.agenda_items}:
        errors["agenda_item_id"] = _("ไม่ใช่ระเบียบวาระของการประชุมนี้")
    if errors:
        raise Invalid(_("ความเห็นไม่ถูกต้อง"), errors)
    comment = MinutesComment(minutes=minutes, user_id=user.id, agenda_item_id=agenda_item_id, body=text,
                             created_at=utcnow())
    db.session.add(comment)
    db.session.flush()
    record("minutes.comment", minutes, _("ความเห็นต่อรายงานการประชุม %(code)s", code=meeting.code), user=user)
    return comment


def comments_of(minutes: Minutes | None) -> list[MinutesComment]:
    """The comments on the minutes, oldest first, with their authors."""
    if minutes is None:
        return []
    return list(db.session.scalars(
        select(MinutesComment).options(joinedload(MinutesComment.user))
        .where(MinutesComment.minutes_id == minutes.id).order_by(MinutesComment.created_at, MinutesComment.id)
    ))


# --- assigned actions --------------------------------------------------------------------------

def open_actions(body_id: int, user) -> list[ActionItem]:
    """Open actions of the body's meetings that the user may read, earliest due first (see app.actions)."""
    from app.actions.services import list_actions

    return list_actions(user, body_id=body_id, state="open")
