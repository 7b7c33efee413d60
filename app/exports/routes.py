"""Official documents of a meeting: the agenda and the minutes as DOCX (readers of each only)."""
from __future__ import annotations

from flask import Blueprint, abort
from flask_login import current_user, login_required
from sqlalchemy import select

from app import authz, official_docx, thaidates
from app.agenda.services import agenda_sections
from app.meetings.models import Meeting
from app.meetings.routes import load_meeting
from app.minutes.models import Minutes
from app.webactions import DOCX, download

bp = Blueprint("exports", __name__)
RESOLUTION_PREFIX = "มติที่ประชุม"


def date_text(meeting: Meeting) -> str:
    """วันศุกร์ที่ 26 มิถุนายน 2563 (or a range for several days)."""
    start, end = thaidates.to_bangkok(meeting.starts_at), thaidates.to_bangkok(meeting.ends_at)
    if start.date() == end.date():
        return f"{thaidates.thai_weekday(start)}ที่ {thaidates.thai_date(start, 'long')}"
    return thaidates.thai_date_range(meeting.starts_at, meeting.ends_at)


def attendance_people(meeting: Meeting) -> tuple[tuple, tuple, tuple]:
    """Present (online and delegates included), absent with reasons, and guests, as printed in minutes."""
    present, absent, guests = [], [], []
    for row in meeting.attendance:
        if row.status == "guest":
            guests.append(official_docx.Person(row.name, row.position))
        elif row.status == "absent":
            absent.append(official_docx.Person(row.name, row.position, row.reason))
        elif row.status == "delegate":
            present.append(official_docx.Person(row.delegate_name or "", row.position, f"มาประชุมแทน {row.name}"))
        else:
            present.append(official_docx.Person(row.name, row.position, "(ประชุมออนไลน์)" if row.status == "online"
                                                else None))
    return tuple(present), tuple(absent), tuple(guests)


def minutes_doc(meeting: Meeting, minutes: Minutes | None) -> official_docx.MinutesDoc:
    """The minutes of a meeting in the plain shape of the official form."""
    by_item = {mi.agenda_item_id: mi for mi in (minutes.items if minutes else [])}
    sections = []
    for section in agenda_sections(meeting):
        items = []
        for item in section.items:
            recorded = by_item.get(item.id)
            actions = tuple(official_docx.Action(
                a.description, a.owner_unit.name if a.owner_unit else None,
                thaidates.thai_date(a.due_date, "long") if a.due_date else None) for a in (recorded.actions if recorded else []))
            resolution = recorded.resolution if recorded else None
            items.append(official_docx.DocItem(item.number, item.title, item.detail,
                                               recorded.discussion if recorded else None, resolution, actions))
        sections.append(official_docx.DocSection(section.number, section.title, tuple(items)))
    present, absent, guests = attendance_people(meeting)
    certified = None
    if minutes and minutes.state == "certified" and minutes.certified_at_meeting is not None:
        how = "โดยมีการแก้ไข" if minutes.amendments else "โดยไม่มีการแก้ไข"
        certified = f"ที่ประชุมครั้งที่ {minutes.certified_at_meeting.code} รับรองรายงานการประชุมนี้{how}"
        if minutes.amendments:
            certified += f" ดังนี้ {minutes.amendments}"
    return official_docx.MinutesDoc(
        body_name=meeting.body.name, code=meeting.code, date_text=date_text(meeting), venue=meeting.venue,
        present=present, absent=absent, guests=guests,
        opened_at=f"{minutes.opened_at:%H.%M} น." if minutes and minutes.opened_at else None,
        closed_at=f"{minutes.closed_at:%H.%M} น." if minutes and minutes.closed_at else None,
        sections=tuple(sections), recorder=minutes.recorder_name if minutes else None,
        checker=minutes.checker_name if minutes else None, certified_note=certified,
    )


@bp.route("/meetings/<int:meeting_id>/agenda.docx")
@login_required
def agenda_docx(meeting_id: int):
    """ระเบียบวาระการประชุม as DOCX."""
    meeting = load_meeting(meeting_id)
    if not authz.can_view_agenda(current_user, meeting):
        abort(403)
    sections = tuple(official_docx.DocSection(s.number, s.title, tuple(
        official_docx.DocItem(i.number, i.title, i.detail) for i in s.items)) for s in agenda_sections(meeting))
    doc = official_docx.AgendaDoc(body_name=meeting.body.name, code=meeting.code, date_text=date_text(meeting),
                                  venue=meeting.venue, online_url=meeting.online_url, sections=sections)
    return download(official_docx.agenda_docx(doc), DOCX, f"agenda-{meeting.number}-{meeting.year_be}.docx")


@bp.route("/meetings/<int:meeting_id>/minutes.docx")
@login_required
def minutes_docx(meeting_id: int):
    """รายงานการประชุม as DOCX, in the official layout."""
    from app.extensions import db

    meeting = load_meeting(meeting_id)
    minutes = db.session.scalar(select(Minutes).where(Minutes.meeting_id == meeting.id))
    if not authz.can_view_minutes(current_user, meeting, minutes):
        abort(403 if minutes is not None else 404)
    data = official_docx.minutes_docx(minutes_doc(meeting, minutes))
    return download(data, DOCX, f"minutes-{meeting.number}-{meeting.year_be}.docx")
