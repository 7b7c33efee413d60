"""The agenda: the six customary sections and their items, numbered section.position."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.agenda.models import AgendaItem
from app.extensions import db
from app.meetings.models import Meeting

SECTION_TITLES = {
    1: _l("เรื่องที่ประธานแจ้งให้ที่ประชุมทราบ"),
    2: _l("เรื่องรับรองรายงานการประชุม"),
    3: _l("เรื่องสืบเนื่องจากการประชุมครั้งก่อน"),
    4: _l("เรื่องเพื่อทราบ"),
    5: _l("เรื่องเพื่อพิจารณา"),
    6: _l("เรื่องอื่น ๆ"),
}


def previous_meeting(meeting: Meeting) -> Meeting | None:
    """The body's latest earlier meeting that was not cancelled."""
    return db.session.scalar(
        select(Meeting).where(Meeting.body_id == meeting.body_id, Meeting.id != meeting.id,
                              Meeting.status != "cancelled", Meeting.starts_at < meeting.starts_at)
        .order_by(Meeting.starts_at.desc()).limit(1)
    )


def create_customary_sections(meeting: Meeting) -> None:
    """Open the six sections of a new meeting; section 2 names the previous meeting's minutes to certify."""
    previous = previous_meeting(meeting)
    if previous is not None:
        from app.thaidates import thai_date

        db.session.add(AgendaItem(
            meeting=meeting, section=2, position=1, kind="certification", source_meeting_id=previous.id,
            title=f"รับรองรายงานการประชุม ครั้งที่ {previous.code} เมื่อวันที่ {thai_date(previous.starts_at, 'long')}",
        ))
        db.session.flush()
