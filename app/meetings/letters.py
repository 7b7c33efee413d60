"""The invitation letter of a meeting (หนังสือเชิญประชุม): its number from the body's yearly counter, recorded on the
meeting, and the letter itself in the form the body chose. Official documents are always in Thai."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import case, update

from app import thaidates
from app.audit.services import record
from app.bodies.models import Body
from app.errors import Conflict, Invalid
from app.extensions import db
from app.i18n import thai_document
from app.letter_docx import InvitationLetter, invitation_docx
from app.meetings.models import Meeting
from app.meetings.services import invitees

ONLINE_SERVICES = {"zoom.us": "Zoom", "teams.microsoft.com": "Microsoft Teams", "teams.live.com": "Microsoft Teams",
                   "meet.google.com": "Google Meet", "webex.com": "Cisco Webex"}


def online_service(url: str | None) -> str | None:
    """The name of the service an online meeting runs on, from its link (Zoom, Microsoft Teams …)."""
    host = (urlsplit(url).hostname or "") if url else ""
    for domain, name in ONLINE_SERVICES.items():
        if host == domain or host.endswith("." + domain):
            return name
    return None if not url else "สื่ออิเล็กทรอนิกส์"


def letter_number(prefix: str, number: int) -> str:
    """ที่ of a circular letter: "ศธ 0201.4/ว 123"."""
    return f"{prefix}/ว {number}"


def issue_invitation_number(meeting: Meeting, user) -> str:
    """Take the next number of the body's yearly counter for this meeting's letter and record it on the meeting;
    Conflict when it already has one, Invalid when the body has no document prefix."""
    if meeting.invitation_number:
        raise Conflict(_("หนังสือเชิญประชุมครั้งนี้ออกเลขแล้ว: %(number)s", number=meeting.invitation_number))
    body = meeting.body
    if not body.document_prefix:
        raise Invalid(_("กำหนดรหัสหนังสือของคณะก่อน (เช่น ศธ 0201.4) ที่หน้าคณะ"),
                      {"document_prefix": _("ยังไม่ได้กำหนด")})
    today = thaidates.today_bangkok()
    year = thaidates.be_year(today.year)
    number = db.session.execute(  # one statement: two secretaries issuing at once get two numbers
        update(Body).where(Body.id == body.id)
        .values(letter_number=case((Body.letter_year == year, Body.letter_number + 1), else_=1), letter_year=year)
        .returning(Body.letter_number)).scalar_one()
    db.session.refresh(body)
    meeting.invitation_number = letter_number(body.document_prefix, number)
    meeting.invitation_issued_on = today
    db.session.flush()
    record("meeting.invitation.issue", meeting, meeting.invitation_number, user=user)
    return meeting.invitation_number


def _when(meeting: Meeting) -> str:
    start, end = thaidates.to_bangkok(meeting.starts_at), thaidates.to_bangkok(meeting.ends_at)
    if start.date() == end.date():
        return (f"ใน{thaidates.thai_weekday(start.date())}ที่ {thaidates.thai_date(start.date(), 'long')} "
                f"เวลา {start:%H.%M}–{end:%H.%M} น.")
    return "ระหว่างวันที่ " + thaidates.thai_date_range(start.date(), end.date())


def _where(meeting: Meeting) -> str:
    service = online_service(meeting.online_url) if meeting.mode in ("online", "hybrid") else None
    parts = []
    if meeting.mode != "online" and meeting.venue:
        parts.append(f"ณ {meeting.venue}")
    if service:
        parts.append(f"{'และ' if parts else ''}ประชุมผ่านสื่ออิเล็กทรอนิกส์ ({service})")
    return " ".join(parts)


@thai_document
def invitation_letter(meeting: Meeting, *, per_addressee: bool = False) -> bytes:
    """The letter as DOCX, always in Thai: one to all the invited (เรียน the body), or one per addressee."""
    body = meeting.body
    text = [f"ด้วย{body.name} กำหนดการประชุมครั้งที่ {meeting.code} {_when(meeting)} {_where(meeting)}".strip()]
    if meeting.online_url and meeting.mode in ("online", "hybrid"):
        text.append(f"ผู้ที่ประชุมผ่านสื่ออิเล็กทรอนิกส์เข้าร่วมได้ที่ {meeting.online_url}")
    enclosures = ["ระเบียบวาระการประชุม"] if meeting.agenda_published_at else []
    if meeting.agenda_published_at and any(item.attachments for item in meeting.agenda_items):
        enclosures.append("เอกสารประกอบการประชุม")
    addressees = (tuple(person.name for person in invitees(meeting)) if per_addressee
                  else (f"{body.name} (ตามรายชื่อแนบ)",))
    number = meeting.invitation_number or (f"{body.document_prefix}/ว" if body.document_prefix else "")
    issued = meeting.invitation_issued_on or thaidates.today_bangkok()
    letter = InvitationLetter(
        form=body.letter_form, number=number, date_text=thaidates.thai_date(issued, "long"),
        subject=f"ขอเชิญประชุม{body.name} ครั้งที่ {meeting.code}", addressees=addressees, text=tuple(text),
        office=body.letter_office, address=body.letter_address, phone=body.letter_phone,
        enclosures=tuple(enclosures), signer_name=body.letter_signer_name,
        signer_position=body.letter_signer_position, garuda=garuda_image(), author=body.secretariat_name)
    return invitation_docx(letter)


def garuda_image() -> bytes | None:
    """The emblem image named by PRACHUM_GARUDA_IMAGE, if it is there."""
    path = current_app.config.get("PRACHUM_GARUDA_IMAGE")
    try:
        return Path(path).read_bytes() if path else None
    except OSError:
        return None
