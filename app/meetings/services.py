"""Scheduling meetings: numbering ครั้งที่ N/ปี, validation, booking warnings, changes, cancellation,
invitations with iCalendar, RSVP and attendance. Web forms and the API both call these functions."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Iterable, Mapping
from urllib.parse import urlsplit

from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from app import ical, labels, textlimits, thaidates
from app.audit.services import pending_changes, record
from app.auth.models import User
from app.bodies.models import Body, Membership
from app.errors import Conflict, Forbidden, Invalid, NotFound
from app.extensions import db
from app.ids import parse_id
from app.mail.services import queue_mail, reply_address
from app.meetings.days import event_days, replace_days
from app.meetings.models import (
    MEETING_MODES,
    RSVP_RESPONSES,
    Attendance,
    Meeting,
    Rsvp,
)

MAX_NUMBER = 9999  # ครั้งที่ N: no body meets more often in a year
TIME_OR_PLACE = ("starts_at", "ends_at", "mode", "venue", "online_url")  # a change resets answers and asks again
MEMBERS_SEE = ("title", "stream_url", "notes", "chair_id")  # a change sends an update and keeps answers


@dataclass
class MeetingFields:
    """Validated meeting fields, ready to be set on a Meeting."""

    values: dict[str, Any]
    number: int | None = None


@dataclass
class ScheduleResult:
    """A meeting after a change, with non-blocking warnings (room or chair double-booked)."""

    meeting: Meeting
    warnings: list[str] = field(default_factory=list)


def get_meeting(meeting_id: int) -> Meeting:
    """The meeting with this id (body loaded), or NotFound."""
    meeting = db.session.get(Meeting, meeting_id, options=[joinedload(Meeting.body)])
    if meeting is None:
        raise NotFound(_("ไม่พบการประชุม"))
    return meeting


def check_link(value: str | None, field_name: str, errors: dict[str, str]) -> str | None:
    """An https:// link with a host, or None; anything else (http:, javascript:, spaces) is refused."""
    value = (value or "").strip()
    if not value:
        return None
    if problem := textlimits.check_text(value, textlimits.URL, one_line=True, gettext=_):
        errors[field_name] = problem
        return None
    try:
        parts = urlsplit(value)
        parts.hostname  # noqa: B018 (a bad port or IPv6 literal raises here)
    except ValueError:
        errors[field_name] = _("ต้องเป็นลิงก์ที่ขึ้นต้นด้วย https://")
        return None
    if parts.scheme.lower() != "https" or not parts.hostname or any(c.isspace() for c in value) or "<" in value:
        errors[field_name] = _("ต้องเป็นลิงก์ที่ขึ้นต้นด้วย https://")
        return None
    if len(value) > textlimits.URL:
        errors[field_name] = _("ลิงก์ยาวเกินกำหนด")
    return value


def _parse_time(value: Any, field_name: str, errors: dict[str, str]) -> datetime | None:
    """An aware datetime from a datetime or ISO text (no offset = Bangkok time)."""
    if isinstance(value, datetime):
        return thaidates.to_utc(value)
    if value in (None, ""):
        errors[field_name] = _("กรุณาระบุวันเวลา")
        return None
    try:
        when = thaidates.parse_local_datetime(str(value))
    except ValueError:
        errors[field_name] = _("วันเวลาไม่ถูกต้อง (รูปแบบ ISO 8601 เช่น 2020-06-26T09:30)")
        return None
    if not thaidates.is_sane_year(when, thaidates.today_bangkok()):
        low, high = thaidates.sane_year_range(thaidates.today_bangkok())
        errors[field_name] = _("ปีต้องอยู่ระหว่าง พ.ศ. %(low)d ถึง %(high)d (ช่องนี้ใช้ปี ค.ศ. เช่น 2020 คือ พ.ศ. 2563)",
                               low=low, high=high)
        return None
    return when


def validate_meeting_fields(raw: Mapping[str, Any], current: Meeting | None = None) -> MeetingFields:
    """Check every field of a new meeting or of a change (merged over `current`); Invalid lists all problems."""
    errors: dict[str, str] = {}
    merged = {
        key: raw[key] if key in raw else (getattr(current, key) if current is not None else None)
        for key in ("title", "starts_at", "ends_at", "mode", "venue", "online_url", "stream_url", "chair_id", "notes")
    }
    values: dict[str, Any] = {}
    title = (merged["title"] or "").strip()
    text_rules = {"title": (title, textlimits.TITLE, True), "venue": (merged["venue"], textlimits.VENUE, True),
                  "online_url": (merged["online_url"], textlimits.URL, True),
                  "stream_url": (merged["stream_url"], textlimits.URL, True),
                  "notes": (merged["notes"], textlimits.LONG_TEXT, False)}
    errors.update(textlimits.check_texts(
        {name: rule for name, rule in text_rules.items() if name in raw or current is None}, gettext=_))
    values["title"] = title or None
    values["starts_at"] = _parse_time(merged["starts_at"], "starts_at", errors)
    values["ends_at"] = _parse_time(merged["ends_at"], "ends_at", errors)
    if values["starts_at"] and values["ends_at"] and values["ends_at"] <= values["starts_at"]:
        errors["ends_at"] = _("เวลาสิ้นสุดต้องหลังเวลาเริ่ม")
    mode = merged["mode"] or "onsite"
    if mode not in MEETING_MODES:
        errors["mode"] = _("รูปแบบการประชุมต้องเป็น onsite, online หรือ hybrid")
    values["mode"] = mode
    venue = (merged["venue"] or "").strip() or None
    if mode in ("onsite", "hybrid") and not venue:
        errors["venue"] = _("การประชุม ณ สถานที่หรือแบบผสมต้องระบุสถานที่")
    values["venue"] = venue
    values["online_url"] = check_link(merged["online_url"], "online_url", errors) if "online_url" not in errors else None
    if mode in ("online", "hybrid") and not values["online_url"] and "online_url" not in errors:
        errors["online_url"] = _("การประชุมออนไลน์หรือแบบผสมต้องมีลิงก์เข้าร่วมประชุม")
    if "stream_url" not in errors:
        values["stream_url"] = check_link(merged["stream_url"], "stream_url", errors)
    chair_id = merged["chair_id"]
    if chair_id in ("", None):
        values["chair_id"] = None
    else:
        chair = db.session.get(User, parse_id(chair_id)) if parse_id(chair_id) else None
        if chair is None:
            errors["chair_id"] = _("ไม่พบผู้ใช้ที่เป็นประธาน")
        values["chair_id"] = chair.id if chair else None
    values["notes"] = (merged["notes"] or "").strip() or None
    number = raw.get("number")
    if number not in (None, ""):
        try:
            number = int(number)
            if not 1 <= number <= MAX_NUMBER:
                raise ValueError
        except (TypeError, ValueError):
            errors["number"] = _("ครั้งที่ต้องเป็นจำนวนเต็มบวก")
            number = None
    else:
        number = None
    if errors:
        raise Invalid(_("ข้อมูลการประชุมไม่ถูกต้อง"), errors)
    return MeetingFields(values, number)


def numbering_year_of(body: Body, starts_at: datetime) -> int:
    """The BE year the meeting's number counts in: calendar or fiscal, per the body's setting."""
    return thaidates.numbering_year(starts_at, body.numbering)


def next_meeting_number(body_id: int, year_be: int) -> int:
    """One more than the highest number the body has used in that year (cancelled meetings included)."""
    highest = db.session.scalar(
        select(func.max(Meeting.number)).where(Meeting.body_id == body_id, Meeting.year_be == year_be)
    )
    return (highest or 0) + 1


def default_title(body: Body, number: int, year_be: int) -> str:
    """การประชุม<body> [ประจำปีงบประมาณ พ.ศ. Y] ครั้งที่ N/Y."""
    fiscal = f" ประจำปีงบประมาณ พ.ศ. {year_be}" if body.numbering == "fiscal" else ""
    return f"การประชุม{body.name}{fiscal} ครั้งที่ {number}/{year_be}"[:textlimits.TITLE]


def booking_warnings(meeting: Meeting) -> list[str]:
    """Other meetings at an overlapping time in the same room or with the same chair (warnings, not errors)."""
    clashes = []
    conditions = []
    if meeting.venue:
        conditions.append(func.lower(func.trim(Meeting.venue)) == meeting.venue.strip().lower())
    if meeting.chair_id:
        conditions.append(Meeting.chair_id == meeting.chair_id)
    if not conditions:
        return []
    others = db.session.scalars(
        select(Meeting).options(joinedload(Meeting.body)).where(
            Meeting.id != (meeting.id or -1), Meeting.status != "cancelled",
            Meeting.starts_at < meeting.ends_at, Meeting.ends_at > meeting.starts_at, or_(*conditions),
        )
    ).all()
    for other in others:
        when = thaidates.thai_datetime(other.starts_at)
        if meeting.venue and other.venue and other.venue.strip().lower() == meeting.venue.strip().lower():
            clashes.append(_("ห้องประชุม %(venue)s ถูกจองแล้วในช่วงเวลาเดียวกัน: %(code)s %(body)s (%(when)s)",
                             venue=meeting.venue, code=other.code, body=other.body.name, when=when))
        if meeting.chair_id and other.chair_id == meeting.chair_id:
            clashes.append(_("ประธานมีการประชุมอื่นในช่วงเวลาเดียวกัน: %(code)s %(body)s (%(when)s)",
                             code=other.code, body=other.body.name, when=when))
    return clashes


def schedule_meeting(body: Body, raw: Mapping[str, Any], *, notify: bool = True) -> ScheduleResult:
    """Create a meeting with the next number of its body and year (or a free explicit one), invite members."""
    fields = validate_meeting_fields(raw)
    values = fields.values
    year_be = numbering_year_of(body, values["starts_at"])
    # Creations for one body queue on its row (PostgreSQL); the unique constraint and retry stay as the backstop.
    db.session.execute(select(Body.id).where(Body.id == body.id).with_for_update())
    for _attempt in range(10):
        number = fields.number or next_meeting_number(body.id, year_be)
        title = values["title"] or default_title(body, number, year_be)
        meeting = Meeting(body=body, number=number, year_be=year_be, uid=f"{uuid.uuid4()}@prachum", sequence=0,
                          status="scheduled", agenda_state="draft", **{**values, "title": title})
        try:
            with db.session.begin_nested():
                db.session.add(meeting)
                db.session.flush()
            break
        except IntegrityError:
            if fields.number:
                raise Conflict(_("ครั้งที่ %(code)s ของคณะนี้ถูกใช้แล้ว", code=f"{number}/{year_be}"),
                               {"number": _("หมายเลขนี้ถูกใช้แล้ว")}) from None
    else:  # pragma: no cover — ten concurrent collisions in a row
        raise Conflict(_("มีการสร้างการประชุมพร้อมกันจำนวนมาก กรุณาลองใหม่"))
    from app.agenda.services import create_customary_sections

    create_customary_sections(meeting)
    record("meeting.create", meeting, f"{body.name} {meeting.code}")
    from app.circulations.services import report_results_to

    report_results_to(meeting)  # results by circulation since the last meeting, in section 4
    if notify:
        notify_members(meeting, "invite")
    return ScheduleResult(meeting, booking_warnings(meeting))


def ensure_record_open(meeting: Meeting) -> None:
    """Conflict (409, certified_locked) once the meeting's minutes are certified: its record is frozen, so no
    change to its minutes, agenda items, attachments, attendance, time, place or status is accepted."""
    from app import authz

    if authz.meeting_record_frozen(meeting):
        raise Conflict(_("รายงานการประชุมครั้งนี้รับรองแล้ว บันทึกของการประชุมจึงแก้ไขไม่ได้"), code="certified_locked")


def _refuse_if_cancelled(meeting: Meeting) -> None:
    if meeting.status == "cancelled":
        raise Conflict(_("การประชุมนี้ถูกยกเลิกแล้ว แก้ไขไม่ได้"))


def _check_version(meeting: Meeting, version: int | None) -> None:
    if version is not None and version != meeting.version:
        raise Conflict(_("การประชุมนี้ถูกแก้ไขโดยผู้อื่นแล้ว (ฉบับที่ %(v)d) กรุณาโหลดใหม่", v=meeting.version),
                       {"version": _("ฉบับล้าสมัย")})


def postpone_meeting(meeting: Meeting, raw: Mapping[str, Any], reason: str | None = None, *, notify: bool = True,
                     version: int | None = None) -> ScheduleResult:
    """Move the meeting to a new time; the reason is added to its notes as "เลื่อนการประชุม: …"."""
    values = dict(raw)
    reason = (reason or "").strip()
    if problem := textlimits.check_text(reason, textlimits.NOTE, gettext=_):
        raise Invalid(_("เหตุผลที่เลื่อนไม่ถูกต้อง"), {"reason": problem})
    if reason:
        values["notes"] = ((meeting.notes or "") + f"\nเลื่อนการประชุม: {reason}").strip()
    return update_meeting(meeting, values, notify=notify, version=version, postpone=True)


def update_meeting(meeting: Meeting, raw: Mapping[str, Any], *, notify: bool = True, version: int | None = None,
                   postpone: bool = False) -> ScheduleResult:
    """Change a meeting. A change of time, place or online link, the meeting's or one day's (raw["days"], see
    days.replace_days), raises SEQUENCE, resets the answers to "no answer yet" and asks every invitee again; any
    other change they see (title, livestream, notes, chair) raises SEQUENCE and sends an update that keeps the
    answers."""
    ensure_record_open(meeting)
    _refuse_if_cancelled(meeting)
    _check_version(meeting, version)
    if "number" in raw and raw["number"] not in (None, "", meeting.number):
        raise Invalid(_("เปลี่ยนครั้งที่ของการประชุมที่สร้างแล้วไม่ได้"), {"number": _("เปลี่ยนไม่ได้")})
    fields = validate_meeting_fields({k: v for k, v in raw.items() if k != "number"}, current=meeting)
    values = fields.values
    values["title"] = values["title"] or meeting.title
    for key, value in values.items():
        setattr(meeting, key, value)
    changes = pending_changes(meeting)
    if "days" in raw and (days_change := replace_days(meeting, raw["days"] or [])):
        changes["days"] = days_change
    moved = any(key in changes for key in TIME_OR_PLACE + ("days",))
    seen = moved or any(key in changes for key in MEMBERS_SEE)
    if seen:
        meeting.sequence += 1
    if moved:
        reset_answers(meeting)
    if postpone:
        if "starts_at" not in changes and "ends_at" not in changes:
            raise Invalid(_("การเลื่อนการประชุมต้องระบุวันเวลาใหม่"), {"starts_at": _("ต้องต่างจากวันเวลาเดิม")})
        meeting.status = "postponed"
    if changes:
        record("meeting.postpone" if postpone else "meeting.update", meeting, meeting.code, changes)
        if seen and notify:
            notify_members(meeting, "update")
    return ScheduleResult(meeting, booking_warnings(meeting))


def cancel_meeting(meeting: Meeting, reason: str, *, notify: bool = True) -> Meeting:
    """Cancel with a reason; the number stays used, calendars get STATUS:CANCELLED."""
    ensure_record_open(meeting)
    _refuse_if_cancelled(meeting)
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(_("กรุณาระบุเหตุผลที่ยกเลิก"), {"reason": _("กรุณาระบุเหตุผล")})
    if problem := textlimits.check_text(reason, textlimits.NOTE, gettext=_):
        raise Invalid(_("เหตุผลที่ยกเลิกไม่ถูกต้อง"), {"reason": problem})
    meeting.status = "cancelled"
    meeting.cancel_reason = reason
    meeting.sequence += 1
    reset_answers(meeting)
    record("meeting.cancel", meeting, f"{meeting.code}: {reason}")
    if notify:
        notify_members(meeting, "cancel")
    return meeting


# --- visibility and lists ----------------------------------------------------------------------

def list_meetings(user, *, body_id: int | None = None, year_be: int | None = None, status: str | None = None,
                  upcoming: bool | None = None, limit: int = 500) -> list[Meeting]:
    """Meetings the user may see, filtered; one query (body joined)."""
    from app import authz

    query = select(Meeting).options(joinedload(Meeting.body))
    condition = authz.visible_body_filter(user, Meeting.body_id)
    if condition is not None:
        query = query.where(condition)
    if body_id:
        query = query.where(Meeting.body_id == body_id)
    if year_be:
        query = query.where(Meeting.year_be == year_be)
    if status:
        query = query.where(Meeting.status == status)
    now = thaidates.to_utc(datetime.now(thaidates.BANGKOK))
    if upcoming is True:
        query = query.where(Meeting.ends_at >= now).order_by(Meeting.starts_at)
    elif upcoming is False:
        query = query.where(Meeting.ends_at < now).order_by(Meeting.starts_at.desc())
    else:
        query = query.order_by(Meeting.starts_at.desc())
    return list(db.session.scalars(query.limit(limit)))


# --- invitations -------------------------------------------------------------------------------

def body_members(body_id: int) -> list[Membership]:
    """The body's memberships with their users, in seating order."""
    return list(db.session.scalars(
        select(Membership).options(joinedload(Membership.user))
        .where(Membership.body_id == body_id).order_by(Membership.sort_order, Membership.id)
    ))


def meeting_page_url(meeting: Meeting) -> str:
    """Absolute URL of the meeting's page."""
    from app.links import absolute_url

    return absolute_url("meetings.detail", meeting_id=meeting.id)


@dataclass
class Invitee:
    """One person invited to a meeting: a member of its body, its chair (member or not) or a guest without an
    account; with their answer so far (None: no answer yet)."""

    name: str
    email: str
    role: str = "REQ-PARTICIPANT"  # iCalendar ROLE: CHAIR for the meeting's chair
    user_id: int | None = None
    guest_id: int | None = None
    user: User | None = None
    guest: Any = None  # a MeetingGuest
    response: str | None = None  # accepted | declined | tentative | delegated | None
    answered_at: datetime | None = None
    delegate_name: str | None = None
    note: str | None = None
    membership_role: str | None = None  # the member's role in the body (chair, member …); None if not a member


def invitees(meeting: Meeting) -> list[Invitee]:
    """Everyone invited: the meeting's chair first (ROLE=CHAIR, whether or not a member), then the body's active
    members in seating order (the body's chair is CHAIR when the meeting names none); each with their answer."""
    answers = {r.user_id: r for r in meeting.rsvps}
    members = [m for m in body_members(meeting.body_id) if m.user.is_active]

    def of_user(user: User, role: str, membership: Membership | None = None) -> Invitee:
        answer = answers.get(user.id)
        return Invitee(name=user.name, email=user.email, role=role, user_id=user.id, user=user,
                       membership_role=membership.role if membership else None,
                       response=answer.response if answer else None,
                       answered_at=answer.responded_at if answer else None,
                       delegate_name=answer.delegate_name if answer else None, note=answer.note if answer else None)

    people: list[Invitee] = []
    chair = meeting.chair
    if chair is not None and chair.is_active and all(m.user_id != chair.id for m in members):
        people.append(of_user(chair, "CHAIR"))
    for membership in members:
        chairs = membership.user_id == meeting.chair_id if meeting.chair_id else membership.role == "chair"
        people.append(of_user(membership.user, "CHAIR" if chairs else "REQ-PARTICIPANT", membership))
    people += [Invitee(name=guest.name, email=guest.email, guest_id=guest.id, guest=guest, response=guest.response,
                       answered_at=guest.answered_at, delegate_name=guest.delegate_name, note=guest.note)
               for guest in meeting.guests]  # people without an account, after the members
    return people


def reset_answers(meeting: Meeting) -> None:
    """Everyone's answer back to "no answer yet" (the meeting moved or was cancelled): members' and the chair's
    answers are deleted, guests' cleared."""
    meeting.rsvps.clear()  # delete-orphan: the rows go with the next flush
    for guest in getattr(meeting, "guests", None) or ():
        guest.response = guest.answered_at = guest.note = guest.delegate_name = None


PARTSTATS = {"accepted": "ACCEPTED", "declined": "DECLINED", "tentative": "TENTATIVE", "delegated": "DELEGATED"}


def meeting_event(meeting: Meeting, invited: Iterable[Invitee] = (), rsvps: Mapping[int, str] | None = None,
                  *, reminder_minutes: int | None = 60) -> ical.MeetingEvent:
    """The meeting as a plain calendar event (the same for downloads, feeds and invitations); `invited` become
    its ATTENDEEs (see invitees), with `rsvps` ({user id: answer}) overriding their answers when given."""
    attendees = tuple(
        ical.Attendee(email=person.email, name=person.name, role=person.role,
                      partstat=PARTSTATS.get((rsvps.get(person.user_id) if rsvps is not None and person.user_id
                                              else person.response) or "", "NEEDS-ACTION"))
        for person in invited
    )
    notes = f"{meeting.title}\n{meeting.notes or ''}".strip()  # the full title here; SUMMARY is short
    if meeting.status == "cancelled" and meeting.cancel_reason:
        notes = f"ยกเลิกการประชุม: {meeting.cancel_reason}\n{notes}".strip()
    return ical.MeetingEvent(
        uid=meeting.uid, sequence=meeting.sequence, summary=meeting_summary(meeting),
        starts_at=meeting.starts_at, ends_at=meeting.ends_at, location=meeting.venue,
        online_url=meeting.online_url, stream_url=meeting.stream_url, description=notes or None,
        cancelled=meeting.status == "cancelled", organizer_email=reply_address(),
        organizer_name=meeting.body.short_name or meeting.body.name, attendees=attendees,
        url=meeting_page_url(meeting), created=meeting.created_at, last_modified=meeting.updated_at,
        reminder_minutes=reminder_minutes, days=event_days(meeting),
    )


def meeting_summary(meeting: Meeting) -> str:
    """A calendar entry's short title: the code and the body's short name ("ครั้งที่ 3/2563 คทง.ติดตามฯ")."""
    return f"ครั้งที่ {meeting.code} {meeting.body.short_name or meeting.body.name}"


INVITE_SUBJECTS = {
    "invite": "เชิญประชุม",
    "update": "แจ้งเปลี่ยนแปลงการประชุม",
    "cancel": "แจ้งยกเลิกการประชุม",
}

ANSWER_LINK_LABELS = {"accepted": "เข้าร่วม", "declined": "ไม่เข้าร่วม", "tentative": "ยังไม่แน่ใจ",
                      "delegated": "ส่งผู้แทน"}


def answer_links_text(meeting: Meeting, *, user: User | None = None, guest: Any = None) -> str:
    """The one-click answer links of an invitation (เข้าร่วม / ไม่เข้าร่วม / ยังไม่แน่ใจ / ส่งผู้แทน), one a line."""
    from app.meetings.answer_links import answer_urls

    urls = answer_urls(meeting, user=user, guest=guest)
    lines = ["ตอบรับการประชุม (กดลิงก์เดียว ไม่ต้องเข้าสู่ระบบ):"]
    lines += [f"{ANSWER_LINK_LABELS[response]}: {url}" for response, url in urls.items()]
    return "\n".join(lines)


def invitation_text(meeting: Meeting, kind: str, name: str, *, user: User | None = None, guest: Any = None) -> str:
    """The plain-text body of an invitation, update or cancellation (Thai, official tone); invitations and
    updates to a user or a guest carry that person's one-click answer links."""
    lines = [f"เรียน {name}", ""]
    if kind == "cancel":
        lines.append(f"ขอแจ้งยกเลิก{meeting.title}")
        lines.append(f"เหตุผล: {meeting.cancel_reason}")
    else:
        lead = "ขอเรียนเชิญเข้าร่วม" if kind == "invite" else "ขอแจ้งการเปลี่ยนแปลงกำหนดการ"
        lines.append(f"{lead}{meeting.title}")
        lines.append(f"วันเวลา: {thaidates.thai_date_range(meeting.starts_at, meeting.ends_at)}")
        if meeting.venue:
            lines.append(f"ณ {meeting.venue}")
        if meeting.online_url:
            lines.append(f"เข้าร่วมออนไลน์: {meeting.online_url}")
        if meeting.stream_url:
            lines.append(f"ถ่ายทอดสด: {meeting.stream_url}")
        lines.append("")
        if user is not None or guest is not None:
            lines.append(answer_links_text(meeting, user=user, guest=guest))
            lines.append("")
        if guest is None:
            lines.append(f"รายละเอียดการประชุม: {meeting_page_url(meeting)}")
    lines += ["", "ฝ่ายเลขานุการ", meeting.body.name]
    return "\n".join(lines)


ANSWER_BUTTON_COLOURS = {"accepted": "#198754", "declined": "#6c757d", "tentative": "#b58105", "delegated": "#0d6efd"}


def invitation_html(text: str, subject: str) -> str:
    """The invitation's HTML alternative: its plain text line by line, links clickable and the one-click answer
    links as large buttons (easy to press on a phone)."""
    from markupsafe import escape

    buttons = {label: ANSWER_BUTTON_COLOURS[response] for response, label in ANSWER_LINK_LABELS.items()}
    parts = []
    for line in text.split("\n"):
        label, _sep, url = line.partition(": ")
        if label in buttons and url.startswith(("http://", "https://")):
            parts.append(f'<a href="{escape(url)}" style="display:inline-block;margin:4px 4px 4px 0;padding:10px 18px;'
                         f'border-radius:6px;color:#fff;text-decoration:none;background:{buttons[label]}">'
                         f"{escape(label)}</a>")
        elif url.startswith(("http://", "https://")) and " " not in url:
            parts.append(f'<p>{escape(label)}: <a href="{escape(url)}">{escape(url)}</a></p>')
        else:
            parts.append(f"<p>{escape(line)}</p>" if line else "")
    return ('<!DOCTYPE html>\n<html lang="th"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(subject)}</title></head>\n"
            '<body style="font-family: \'TH Sarabun New\', Tahoma, sans-serif; font-size: 16px">\n'
            + "\n".join(parts) + "\n</body></html>\n")


def notify_members(meeting: Meeting, kind: str) -> int:
    """Queue an invitation (REQUEST), update (REQUEST, higher SEQUENCE) or cancellation (CANCEL) to every invitee
    (members, the chair, guests), each with their own one-click answer links."""
    people = [person for person in invitees(meeting) if person.email]
    if not people:
        return 0
    method = "CANCEL" if kind == "cancel" else "REQUEST"
    subject = f"{INVITE_SUBJECTS[kind]}: {meeting.title}"[:500]
    for person in people:
        # each invitation names only its own attendee: guests from outside never see the others' addresses
        calendar = ical.build_calendar([meeting_event(meeting, [person])], method=method)
        text = invitation_text(meeting, kind, person.name, user=person.user, guest=person.guest)
        queue_mail(to_email=person.email, to_name=person.name, subject=subject, body_text=text,
                   body_html=invitation_html(text, subject), kind=f"meeting.{kind}", ics=calendar, ics_method=method,
                   meeting_id=meeting.id)
    return len(people)


# --- RSVP and attendance -----------------------------------------------------------------------

def record_rsvp(meeting: Meeting, user: User, response: str, delegate_name: str | None = None,
                note: str | None = None, *, action: str = "meeting.rsvp", sent_by: str | None = None) -> Rsvp:
    """A member answers the invitation (accepted / declined / tentative / delegated with the delegate's name).

    The one rule for every answer: the web form and the API (`user` is the signed-in member) and a calendar
    program's reply (app/meetings/replies.py, `user` found by the ATTENDEE address, audited as `action`
    "rsvp.reply"; `sent_by` the address that answered for the user, named in the audit)."""
    from app import authz

    if not authz.can_rsvp(user, meeting):
        if meeting.status == "cancelled":
            raise Conflict(_("การประชุมนี้ถูกยกเลิกแล้ว"))
        if authz.is_expected_attendee(user, meeting) and authz.meeting_has_ended(meeting):
            raise Conflict(_("การประชุมนี้เสร็จสิ้นแล้ว ตอบรับไม่ได้อีก"), code="meeting_ended")
        raise Forbidden(_("เฉพาะกรรมการของคณะนี้และประธานการประชุมตอบรับการประชุมได้"))
    response, delegate_name, note = check_answer(response, delegate_name, note)
    rsvp = db.session.scalar(select(Rsvp).where(Rsvp.meeting_id == meeting.id, Rsvp.user_id == user.id))
    if rsvp is None:
        rsvp = Rsvp(meeting=meeting, user=user)
        db.session.add(rsvp)
    rsvp.response = response
    rsvp.delegate_name = delegate_name if response == "delegated" else None
    rsvp.note = note
    db.session.flush()
    by = f" (ตอบแทนโดย {sent_by})" if sent_by else ""
    record(action, meeting, f"{user.name}: {labels.in_thai(labels.RSVP_LABELS, response)}{by}",
           object_type="meeting", user=user)
    return rsvp


def check_answer(response: str, delegate_name: str | None = None, note: str | None = None
                 ) -> tuple[str, str | None, str | None]:
    """What an answer may hold, for members and guests alike: a known answer, the delegate's name when delegated
    (dropped otherwise), a note within limits. Returns (response, delegate_name, note), cleaned; Invalid otherwise."""
    if response not in RSVP_RESPONSES:
        raise Invalid(_("คำตอบต้องเป็น accepted, declined, tentative หรือ delegated"),
                      {"response": _("ไม่รู้จักคำตอบนี้")})
    delegate_name = (delegate_name or "").strip() or None
    if response == "delegated" and not delegate_name:
        raise Invalid(_("กรุณาระบุชื่อผู้มาประชุมแทน"), {"delegate_name": _("กรุณาระบุชื่อผู้มาประชุมแทน")})
    if problems := textlimits.check_texts({"delegate_name": (delegate_name, textlimits.NAME, True),
                                           "note": (note, textlimits.NOTE, False)}, gettext=_):
        raise Invalid(_("ข้อมูลการตอบรับไม่ถูกต้อง"), problems)
    return response, delegate_name if response == "delegated" else None, (note or "").strip() or None


def rsvp_counts(meeting_id: int) -> dict[str, int]:
    """How many members accepted, declined, answered tentative, delegated (one aggregate query)."""
    rows = db.session.execute(
        select(Rsvp.response, func.count()).where(Rsvp.meeting_id == meeting_id).group_by(Rsvp.response)
    ).all()
    counts = {response: 0 for response in RSVP_RESPONSES}
    counts.update(dict(rows))
    return counts


PRESENT_STATUSES = ("present", "online", "delegate")  # online attendees and delegates count as present


def attendees(meeting: Meeting) -> tuple[list[Attendance], list[Attendance], list[Attendance]]:
    """The meeting's attendance as the minutes print it: present (ผู้มาประชุม), absent (ผู้ไม่มาประชุม) and
    guests (ผู้เข้าร่วมประชุม), each in seating order."""
    rows = list(meeting.attendance)
    return ([a for a in rows if a.status in PRESENT_STATUSES], [a for a in rows if a.status == "absent"],
            [a for a in rows if a.status == "guest"])


def record_attendance(meeting: Meeting, members: list[Mapping[str, Any]], guests: list[Mapping[str, Any]]
                      ) -> list[Attendance]:
    """Replace the attendance list: each member present / online / absent (reason) / delegate (name), plus guests."""
    ensure_record_open(meeting)
    if meeting.status == "cancelled":
        raise Conflict(_("การประชุมนี้ถูกยกเลิกแล้ว"))
    memberships = {m.user_id: m for m in body_members(meeting.body_id)}
    errors: dict[str, str] = {}
    rows: list[Attendance] = []
    seen: set[int] = set()
    for index, entry in enumerate(members):
        user_id, status = entry.get("user_id"), entry.get("status")
        membership = memberships.get(user_id)
        if membership is None:
            errors[f"members.{index}.user_id"] = _("ไม่ใช่กรรมการของคณะนี้")
            continue
        if user_id in seen:
            errors[f"members.{index}.user_id"] = _("ระบุซ้ำ")
            continue
        seen.add(user_id)
        if status not in ("present", "online", "absent", "delegate"):
            errors[f"members.{index}.status"] = _("ต้องเป็น present, online, absent หรือ delegate")
            continue
        delegate = (entry.get("delegate_name") or "").strip() or None
        if status == "delegate" and not delegate:
            errors[f"members.{index}.delegate_name"] = _("กรุณาระบุชื่อผู้มาประชุมแทน")
        delegate_position = (entry.get("delegate_position") or "").strip() or None
        errors.update(textlimits.check_texts({
            f"members.{index}.reason": ((entry.get("reason") or "").strip(), textlimits.REASON, True),
            f"members.{index}.delegate_name": (delegate, textlimits.NAME, True),
            f"members.{index}.delegate_position": (delegate_position, textlimits.POSITION, True)}, gettext=_))
        rows.append(Attendance(
            user_id=user_id, name=membership.user.name, status=status,
            position=membership.title or membership.user.position,
            reason=(entry.get("reason") or "").strip() or None if status == "absent" else None,
            delegate_name=delegate if status == "delegate" else None,
            delegate_position=delegate_position if status == "delegate" else None,
            identity_confirmed=bool(entry.get("identity_confirmed")), sort_order=membership.sort_order or index,
        ))
    invited = {g.id: g for g in meeting.guests}
    for index, guest in enumerate(guests):
        if guest.get("guest_id") is not None:  # an invited guest ticked as attended
            invited_guest = invited.pop(guest["guest_id"], None)
            if invited_guest is None:
                errors[f"guests.{index}.guest_id"] = _("ไม่ใช่ผู้ได้รับเชิญของการประชุมนี้ หรือระบุซ้ำ")
                continue
            rows.append(Attendance(user_id=None, guest_id=invited_guest.id, name=invited_guest.name,
                                   position=invited_guest.position or invited_guest.organisation, status="guest",
                                   sort_order=10_000 + index))
            continue
        name = (guest.get("name") or "").strip()
        if not name:
            errors[f"guests.{index}.name"] = _("กรุณาระบุชื่อผู้เข้าร่วมประชุม")
            continue
        errors.update(textlimits.check_texts({
            f"guests.{index}.name": (name, textlimits.NAME, True),
            f"guests.{index}.position": ((guest.get("position") or "").strip(), textlimits.POSITION, True)}, gettext=_))
        rows.append(Attendance(user_id=None, name=name, position=(guest.get("position") or "").strip() or None,
                               status="guest", sort_order=10_000 + index))
    if errors:
        raise Invalid(_("ข้อมูลผู้เข้าประชุมไม่ถูกต้อง"), errors)
    meeting.attendance.clear()
    db.session.flush()
    meeting.attendance.extend(rows)
    db.session.flush()
    record("meeting.attendance", meeting, _("บันทึกผู้เข้าประชุม %(n)d รายการ", n=len(rows)))
    return rows

