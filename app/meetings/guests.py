"""Guests of a meeting: people without an account (name, organisation, e-mail) invited one by one or from an
XLSX/CSV list, who answer with the one-click links of their invitation and are ticked as attended
(ผู้เข้าร่วมประชุม). Also the invitation of one person at a time: a guest added or removed, a member who joins
a body with meetings already scheduled or who leaves it.

Services validate, change, flush and audit; they never commit. Mail is queued (sent after the commit).
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import Iterable

from flask_babel import gettext as _
from sqlalchemy import select

from app import ical, labels, textlimits
from app.audit.services import record
from app.auth.services import is_acceptable_email, normalise_email
from app.errors import Conflict, Invalid
from app.extensions import db
from app.mail.services import queue_mail
from app.meetings.models import Meeting, MeetingGuest

MAX_IMPORT_ROWS = 5000  # the largest list a meeting takes at once (the OBEC workshop had 245)
HEADERS = {  # a list's header cell (lower case, no spaces) -> the field it holds
    "ชื่อ": "name", "ชื่อ-สกุล": "name", "ชื่อ-นามสกุล": "name", "ชื่อสกุล": "name", "name": "name",
    "หน่วยงาน": "organisation", "สังกัด": "organisation", "organisation": "organisation",
    "organization": "organisation",
    "อีเมล": "email", "อีเมล์": "email", "e-mail": "email", "email": "email",
    "ตำแหน่ง": "position", "position": "position",
}
UNINVITE_SUBJECT = "แจ้งยกเลิกการเชิญประชุม"


@dataclass(frozen=True)
class GuestRow:
    """One line of a guest list: its row number in the file (the header is row 1) and its cells."""

    row: int
    name: str
    organisation: str
    email: str
    position: str = ""


# --- one guest ---------------------------------------------------------------------------------

def guest_problems(name: str, email: str, organisation: str | None = None, position: str | None = None
                   ) -> dict[str, str]:
    """What is wrong with a guest's fields ({} when nothing): the one rule for the form, the API and the list."""
    problems: dict[str, str] = {}
    if not (name or "").strip():
        problems["name"] = _("กรุณาระบุชื่อ")
    if not (email or "").strip():
        problems["email"] = _("กรุณาระบุอีเมล")
    elif not is_acceptable_email(email):
        problems["email"] = _("อีเมลไม่ถูกต้อง")
    for field, problem in textlimits.check_texts({
            "name": ((name or "").strip(), textlimits.NAME, True),
            "organisation": ((organisation or "").strip(), textlimits.UNIT_NAME, True),
            "position": ((position or "").strip(), textlimits.POSITION, True)}, gettext=_).items():
        problems.setdefault(field, problem)
    return problems


def _refuse_if_closed(meeting: Meeting) -> None:
    from app.meetings.services import ensure_record_open

    ensure_record_open(meeting)
    if meeting.status == "cancelled":
        raise Conflict(_("การประชุมนี้ถูกยกเลิกแล้ว"))


def _taken_emails(meeting: Meeting) -> set[str]:
    return set(db.session.scalars(select(MeetingGuest.email).where(MeetingGuest.meeting_id == meeting.id)))


def _new_guest(meeting: Meeting, name: str, email: str, organisation: str | None, position: str | None
               ) -> MeetingGuest:
    guest = MeetingGuest(meeting=meeting, name=name.strip(), email=normalise_email(email),
                         organisation=(organisation or "").strip() or None, position=(position or "").strip() or None)
    db.session.add(guest)
    return guest


def add_guest(meeting: Meeting, name: str, email: str, organisation: str | None = None,
              position: str | None = None, *, notify: bool = True) -> MeetingGuest:
    """Invite a person without an account; Invalid for a bad field, Conflict when the e-mail is already a guest's."""
    _refuse_if_closed(meeting)
    if problems := guest_problems(name, email, organisation, position):
        raise Invalid(_("ข้อมูลผู้เข้าร่วมประชุมไม่ถูกต้อง"), problems)
    if normalise_email(email) in _taken_emails(meeting):
        raise Conflict(_("อีเมลนี้อยู่ในรายชื่อผู้เข้าร่วมประชุมครั้งนี้แล้ว"), {"email": _("มีอยู่แล้ว")})
    guest = _new_guest(meeting, name, email, organisation, position)
    db.session.flush()
    record("meeting.guest.add", meeting, f"{guest.name} <{guest.email}>", object_type="meeting")
    if notify:
        invite_guest(meeting, guest, "invite")
    return guest


def remove_guest(guest: MeetingGuest, *, notify: bool = True) -> None:
    """Take a guest off the meeting; they are sent a cancellation (METHOD:CANCEL for them only)."""
    meeting = guest.meeting
    _refuse_if_closed(meeting)
    if notify:
        uninvite(meeting, email=guest.email, name=guest.name)
    record("meeting.guest.remove", meeting, f"{guest.name} <{guest.email}>", object_type="meeting")
    for row in meeting.attendance:  # a recorded attendance stays, as typed by name (SQLite keeps no foreign keys)
        if row.guest_id == guest.id:
            row.guest_id = None
    meeting.guests.remove(guest)
    db.session.delete(guest)
    db.session.flush()


def record_guest_rsvp(meeting: Meeting, guest: MeetingGuest, response: str, delegate_name: str | None = None,
                      note: str | None = None) -> MeetingGuest:
    """A guest answers with a one-click link (the same rule for what an answer holds as a member's)."""
    from app.meetings.services import check_answer

    if meeting.status == "cancelled":
        raise Conflict(_("การประชุมนี้ถูกยกเลิกแล้ว"))
    response, delegate_name, note = check_answer(response, delegate_name, note)
    guest.response = response
    guest.delegate_name = delegate_name if response == "delegated" else None
    guest.note = note
    guest.answered_at = datetime.now(timezone.utc)
    db.session.flush()
    record("meeting.guest.rsvp", meeting, f"{guest.name}: {labels.in_thai(labels.RSVP_LABELS, response)}",
           object_type="meeting")
    return guest


# --- a list of guests --------------------------------------------------------------------------

def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _table(data: bytes) -> list[list[str]]:
    """The file's rows of cells: .xlsx (first sheet) by its content, otherwise CSV in UTF-8 (with or without BOM)."""
    if data[:2] == b"PK":
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
            return [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True, max_row=MAX_IMPORT_ROWS + 2)]
        except Exception:  # noqa: BLE001 — any damaged or foreign zip
            raise Invalid(_("ไฟล์รายชื่อไม่ถูกต้อง"), {"file": _("อ่านไฟล์ Excel (.xlsx) ไม่ได้")}) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Invalid(_("ไฟล์รายชื่อไม่ถูกต้อง"),
                      {"file": _("ต้องเป็นไฟล์ .xlsx หรือ .csv ที่บันทึกแบบ UTF-8")}) from None
    try:
        return [[_cell(v) for v in row] for row in csv.reader(io.StringIO(text))]
    except csv.Error:
        raise Invalid(_("ไฟล์รายชื่อไม่ถูกต้อง"), {"file": _("อ่านไฟล์ CSV ไม่ได้")}) from None


def guest_rows(data: bytes) -> list[GuestRow]:
    """The guests listed in an .xlsx or .csv file whose first row names the columns (ชื่อ / หน่วยงาน / อีเมล, or
    name / organisation / email; ตำแหน่ง / position optional); blank lines are skipped."""
    table = _table(data)
    if not table:
        raise Invalid(_("ไฟล์รายชื่อไม่ถูกต้อง"), {"file": _("ไฟล์ว่าง")})
    columns = {}
    for index, header in enumerate(table[0]):
        field = HEADERS.get(header.lower().replace(" ", ""))
        if field and field not in columns:
            columns[field] = index
    missing = [label for field, label in (("name", "ชื่อ"), ("email", "อีเมล")) if field not in columns]
    if missing:
        raise Invalid(_("ไฟล์รายชื่อไม่ถูกต้อง"), {"file": _(
            "แถวแรกต้องเป็นหัวตาราง ชื่อ / หน่วยงาน / อีเมล (หรือ name / organisation / email): ไม่พบคอลัมน์ %(c)s",
            c=", ".join(missing))})
    if len(table) - 1 > MAX_IMPORT_ROWS:
        raise Invalid(_("ไฟล์รายชื่อไม่ถูกต้อง"),
                      {"file": _("นำเข้าได้ครั้งละไม่เกิน %(n)d รายชื่อ", n=MAX_IMPORT_ROWS)})

    def get(cells: list[str], field: str) -> str:
        index = columns.get(field)
        return cells[index] if index is not None and index < len(cells) else ""

    return [GuestRow(row=number, name=get(cells, "name"), organisation=get(cells, "organisation"),
                     email=get(cells, "email"), position=get(cells, "position"))
            for number, cells in enumerate(table[1:], start=2) if any(cells)]


def import_guests(meeting: Meeting, data: bytes, *, notify: bool = True) -> list[MeetingGuest]:
    """Invite every guest of a list; all or nothing: Invalid (field "file") names every problem by its row."""
    _refuse_if_closed(meeting)
    rows = guest_rows(data)
    if not rows:
        raise Invalid(_("ไฟล์รายชื่อไม่ถูกต้อง"), {"file": _("ไม่มีรายชื่อในไฟล์")})
    taken = _taken_emails(meeting)
    problems: list[str] = []
    for row in rows:
        messages = list(guest_problems(row.name, row.email, row.organisation, row.position).values())
        email = normalise_email(row.email)
        if not messages and email in taken:
            messages.append(_("อีเมล %(e)s ซ้ำกับรายชื่อที่มีอยู่แล้ว", e=email))
        taken.add(email)
        if messages:
            problems.append(_("แถว %(n)d: %(m)s", n=row.row, m="; ".join(messages)))
    if problems:
        raise Invalid(_("ไฟล์รายชื่อไม่ถูกต้อง (%(n)d แถว) ไม่ได้นำเข้ารายชื่อใด", n=len(problems)),
                      {"file": "\n".join(problems)})
    guests = [_new_guest(meeting, row.name, row.email, row.organisation, row.position) for row in rows]
    db.session.flush()
    record("meeting.guest.import", meeting, _("นำเข้าผู้เข้าร่วมประชุม %(n)d รายชื่อ", n=len(guests)),
           object_type="meeting")
    if notify:
        for guest in guests:
            invite_guest(meeting, guest, "invite")
    return guests


# --- the invitation of one person --------------------------------------------------------------

def _calendar(meeting: Meeting, *, email: str, name: str, role: str, method: str, withdrawn: bool = False) -> bytes:
    """The meeting's event addressed to one attendee (for a withdrawn invitation: cancelled for them only)."""
    from app.meetings.services import meeting_event

    event = meeting_event(meeting)
    event = replace(event, attendees=(ical.Attendee(email=email, name=name, role=role),),
                    cancelled=event.cancelled or withdrawn)
    return ical.build_calendar([event], method=method)


def invite_one(meeting: Meeting, kind: str, *, email: str, name: str, role: str = "REQ-PARTICIPANT", user=None,
               guest=None) -> None:
    """Queue an invitation ("invite") or update ("update", REQUEST) or the meeting's cancellation ("cancel") to one
    person, with their one-click answer links."""
    from app.meetings.services import INVITE_SUBJECTS, invitation_text

    method = "CANCEL" if kind == "cancel" else "REQUEST"
    queue_mail(to_email=email, to_name=name, subject=f"{INVITE_SUBJECTS[kind]}: {meeting.title}"[:500],
               body_text=invitation_text(meeting, kind, name, user=user, guest=guest), kind=f"meeting.{kind}",
               ics=_calendar(meeting, email=email, name=name, role=role, method=method),
               ics_method=method, meeting_id=meeting.id)


def invite_guest(meeting: Meeting, guest: MeetingGuest, kind: str) -> None:
    """Queue a guest's invitation, update or cancellation."""
    invite_one(meeting, kind, email=guest.email, name=guest.name, guest=guest)


def uninvite(meeting: Meeting, *, email: str, name: str) -> None:
    """Tell one person they are no longer invited: METHOD:CANCEL addressed to them only (others stay invited)."""
    lines = [f"เรียน {name}", "", f"ขอแจ้งยกเลิกการเชิญท่านเข้าร่วม{meeting.title}",
             f"ครั้งที่ {meeting.code}", "", "ฝ่ายเลขานุการ", meeting.body.name]
    queue_mail(to_email=email, to_name=name, subject=f"{UNINVITE_SUBJECT}: {meeting.title}"[:500],
               body_text="\n".join(lines), kind="meeting.uninvite",
               ics=_calendar(meeting, email=email, name=name, role="REQ-PARTICIPANT", method="CANCEL",
                             withdrawn=True),
               ics_method="CANCEL", meeting_id=meeting.id)


def upcoming_meetings(body_id: int) -> list[Meeting]:
    """The body's meetings still to come and not cancelled."""
    now = datetime.now(timezone.utc)
    return list(db.session.scalars(
        select(Meeting).where(Meeting.body_id == body_id, Meeting.starts_at > now, Meeting.status != "cancelled")
        .order_by(Meeting.starts_at)))


def _concerned(meetings: Iterable[Meeting], user) -> list[Meeting]:
    """The meetings where the user's seat in the body decides their invitation (not those they chair)."""
    return [m for m in meetings if m.chair_id != user.id] if user.is_active else []


def invite_new_member(body, user) -> int:
    """A member who joins a body is invited to its upcoming meetings; how many."""
    meetings = _concerned(upcoming_meetings(body.id), user)
    for meeting in meetings:
        invite_one(meeting, "invite", email=user.email, name=user.name, user=user)
    return len(meetings)


def uninvite_former_member(body, user) -> int:
    """A member who leaves a body is sent a cancellation of its upcoming meetings; how many."""
    meetings = _concerned(upcoming_meetings(body.id), user)
    for meeting in meetings:
        uninvite(meeting, email=user.email, name=user.name)
    return len(meetings)
