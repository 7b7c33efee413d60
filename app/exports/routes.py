"""Official documents of a meeting: the agenda and the minutes as DOCX (readers of each only)."""
from __future__ import annotations

from flask import Blueprint
from flask_login import login_required

from app import official_docx
from app.agenda.routes import readable_agenda
from app.agenda.services import agenda_sections
from app.minutes.documents import date_text, minutes_docx_bytes
from app.minutes.routes import readable_minutes
from app.webactions import DOCX, download

bp = Blueprint("exports", __name__)


@bp.route("/meetings/<int:meeting_id>/agenda.docx")
@login_required
def agenda_docx(meeting_id: int):
    """ระเบียบวาระการประชุม as DOCX."""
    meeting = readable_agenda(meeting_id)
    sections = tuple(official_docx.DocSection(s.number, s.title, tuple(
        official_docx.DocItem(i.number, i.title, i.detail) for i in s.items)) for s in agenda_sections(meeting))
    doc = official_docx.AgendaDoc(body_name=meeting.body.name, code=meeting.code, date_text=date_text(meeting),
                                  venue=meeting.venue, online_url=meeting.online_url, sections=sections)
    return download(official_docx.agenda_docx(doc), DOCX, f"agenda-{meeting.number}-{meeting.year_be}.docx")


@bp.route("/meetings/<int:meeting_id>/minutes.docx")
@login_required
def minutes_docx(meeting_id: int):
    """รายงานการประชุม as DOCX, in the official layout; certified minutes as stored at certification."""
    meeting, minutes = readable_minutes(meeting_id)
    return download(minutes_docx_bytes(meeting, minutes), DOCX, f"minutes-{meeting.number}-{meeting.year_be}.docx")
