"""The minutes as an official document (แบบที่ 11, DOCX): built from the meeting's record, and for certified
minutes the bytes stored at certification, served unchanged afterwards."""
from __future__ import annotations

from app import official_docx, thaidates
from app.meetings.models import Meeting
from app.meetings.services import attendees
from app.minutes.models import Minutes


def date_text(meeting: Meeting) -> str:
    """วันศุกร์ที่ 26 มิถุนายน 2563 (or a range for several days)."""
    start, end = thaidates.to_bangkok(meeting.starts_at), thaidates.to_bangkok(meeting.ends_at)
    if start.date() == end.date():
        return f"{thaidates.thai_weekday(start)}ที่ {thaidates.thai_date(start, 'long')}"
    return thaidates.thai_date_range(meeting.starts_at, meeting.ends_at)


def attendance_people(meeting: Meeting) -> tuple[tuple, tuple, tuple]:
    """Present (online and delegates included), absent with reasons, and guests, as printed in minutes."""
    present, absent, guests = attendees(meeting)

    def present_line(row) -> official_docx.Person:
        if row.status == "delegate":
            return official_docx.Person(row.delegate_name or "", row.position, f"มาประชุมแทน {row.name}")
        return official_docx.Person(row.name, row.position, "(ประชุมออนไลน์)" if row.status == "online" else None)

    return (tuple(present_line(row) for row in present),
            tuple(official_docx.Person(row.name, row.position, row.reason) for row in absent),
            tuple(official_docx.Person(row.name, row.position) for row in guests))


def certified_note(minutes: Minutes | None) -> str | None:
    """ที่ประชุมครั้งที่ N/ปี รับรองรายงานการประชุมนี้โดย(ไม่)มีการแก้ไข [ดังนี้ …], None before certification."""
    from app.minutes.services import certification_phrase

    if minutes is None or minutes.certified_at_meeting is None:
        return None
    phrase = certification_phrase(minutes)
    if phrase is None:
        return None
    note = f"ที่ประชุมครั้งที่ {minutes.certified_at_meeting.code} รับรองรายงานการประชุมนี้{phrase}"
    if minutes.amendments:
        note += f" ดังนี้ {minutes.amendments}"
    return note


def minutes_doc(meeting: Meeting, minutes: Minutes | None) -> official_docx.MinutesDoc:
    """The minutes of a meeting in the plain shape of the official form."""
    from app.agenda.services import agenda_sections

    by_item = {mi.agenda_item_id: mi for mi in (minutes.items if minutes else [])}
    sections = []
    for section in agenda_sections(meeting):
        items = []
        for item in section.items:
            recorded = by_item.get(item.id)
            actions = tuple(official_docx.Action(
                a.description, a.owner_unit.name if a.owner_unit else None,
                thaidates.thai_date(a.due_date, "long") if a.due_date else None)
                for a in (recorded.actions if recorded else []))
            resolution = recorded.resolution if recorded else None
            items.append(official_docx.DocItem(item.number, item.title, item.detail,
                                               recorded.discussion if recorded else None, resolution, actions))
        sections.append(official_docx.DocSection(section.number, section.title, tuple(items)))
    present, absent, guests = attendance_people(meeting)
    return official_docx.MinutesDoc(
        body_name=meeting.body.name, code=meeting.code, date_text=date_text(meeting), venue=meeting.venue,
        present=present, absent=absent, guests=guests,
        opened_at=f"{minutes.opened_at:%H.%M} น." if minutes and minutes.opened_at else None,
        closed_at=f"{minutes.closed_at:%H.%M} น." if minutes and minutes.closed_at else None,
        sections=tuple(sections), recorder=minutes.recorder_name if minutes else None,
        checker=minutes.checker_name if minutes else None, certified_note=certified_note(minutes),
    )


def minutes_docx_bytes(meeting: Meeting, minutes: Minutes | None) -> bytes:
    """The DOCX of the minutes: the snapshot stored at certification, else built from the current record."""
    if minutes is not None and minutes.snapshot is not None:
        return minutes.snapshot.docx
    return official_docx.minutes_docx(minutes_doc(meeting, minutes))
