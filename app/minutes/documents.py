"""The minutes as an official document (แบบที่ 11, DOCX): built from the meeting's record, and for certified
minutes the bytes stored at certification, served unchanged afterwards."""
from __future__ import annotations

from flask import current_app

from app import official_docx, thaidates
from app.i18n import thai_document
from app.meetings.models import Meeting
from app.meetings.services import attendees
from app.minutes.models import Minutes
from app.votes.services import quorum_line


def place_line(meeting: Meeting) -> str | None:
    """ณ the room, and for online or hybrid meetings "ประชุมผ่านสื่ออิเล็กทรอนิกส์ (<service>)"."""
    from app.meetings.letters import online_service

    online = f"ประชุมผ่านสื่ออิเล็กทรอนิกส์ ({online_service(meeting.online_url)})" \
        if meeting.mode in ("online", "hybrid") and meeting.online_url else None
    room = f"ณ {meeting.venue}" if meeting.venue and meeting.mode != "online" else None
    if room and online:
        return f"{room} และ{online}"
    return room or online


def thai_digits() -> bool:
    """Page numbers of official documents in Thai digits ("- ๒ -") when PRACHUM_DOCUMENT_DIGITS=thai."""
    return current_app.config.get("PRACHUM_DOCUMENT_DIGITS") == "thai"


def date_text(meeting: Meeting) -> str:
    """วันศุกร์ที่ 26 มิถุนายน 2563 (or a range for several days)."""
    start, end = thaidates.to_bangkok(meeting.starts_at), thaidates.to_bangkok(meeting.ends_at)
    if start.date() == end.date():
        return f"{thaidates.thai_weekday(start)}ที่ {thaidates.thai_date(start, 'long')}"
    return "วันที่ " + thaidates.thai_date_range(start.date(), end.date())


BODY_ROLES = {"chair": "ประธาน", "vice_chair": "รองประธาน", "secretary": "และเลขานุการ",
              "assistant_secretary": "และผู้ช่วยเลขานุการ"}  # the position in the body, as the minutes print it


def body_role(meeting: Meeting, user_id: int | None) -> str | None:
    """ประธาน, รองประธาน, คณะทำงาน, คณะทำงานและเลขานุการ … (the body's word for a member: คณะทำงาน or กรรมการ)."""
    membership = next((m for m in meeting.body.memberships if m.user_id == user_id), None) if user_id else None
    if membership is None:
        return "ประธาน" if user_id and user_id == meeting.chair_id else None
    if user_id == meeting.chair_id or membership.role in ("chair", "vice_chair"):
        return "ประธาน" if user_id == meeting.chair_id or membership.role == "chair" else "รองประธาน"
    member_word = "คณะทำงาน" if meeting.body.kind == "working_group" else "กรรมการ"
    return member_word + BODY_ROLES.get(membership.role, "")


def attendance_people(meeting: Meeting) -> tuple[tuple, tuple, tuple]:
    """Present (online and delegates included), absent with reasons, and guests, as printed in minutes:
    each member with their position in the body; a delegate as "<name> <position> แทน <member> <position>"."""
    present, absent, guests = attendees(meeting)

    def present_line(row) -> official_docx.Person:
        if row.status == "delegate":
            member = " ".join(part for part in (row.name, row.position) if part)
            return official_docx.Person(row.delegate_name or "", row.delegate_position, f"แทน {member}",
                                        body_role(meeting, row.user_id))
        return official_docx.Person(row.name, row.position, "(ประชุมผ่านสื่ออิเล็กทรอนิกส์)" if row.status == "online"
                                    else None, body_role(meeting, row.user_id))

    return (tuple(present_line(row) for row in present),
            tuple(official_docx.Person(row.name, row.position, f"({row.reason})" if row.reason else None,
                                       body_role(meeting, row.user_id)) for row in absent),
            tuple(official_docx.Person(row.name, row.position) for row in guests))


def certified_note(minutes: Minutes | None) -> str | None:
    """ที่ประชุมครั้งที่ N/ปี รับรองรายงานการประชุมนี้โดย(ไม่)มีการแก้ไข [ดังนี้ …], None before certification."""
    from app.minutes.services import certification_phrase

    if minutes is None or minutes.certified_at_meeting is None:
        return None
    phrase = certification_phrase(minutes)
    if phrase is None:
        return None
    at = minutes.certified_at_meeting
    note = (f"ที่ประชุมครั้งที่ {at.code} เมื่อวันที่ {thaidates.thai_date(at.starts_at, 'long')} "
            f"รับรองรายงานการประชุมนี้{phrase}")
    if minutes.amendments:
        note += f" ดังนี้ {minutes.amendments}"
    return note


@thai_document
def minutes_doc(meeting: Meeting, minutes: Minutes | None) -> official_docx.MinutesDoc:
    """The minutes of a meeting in the plain shape of the official form, always in Thai."""
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
        draft=minutes is None or minutes.state != "certified", thai_digits=thai_digits(), place=place_line(meeting),
        recorder_position=minutes.recorder_position if minutes else None,
        checker_position=minutes.checker_position if minutes else None, quorum=quorum_line(meeting),
        author=meeting.body.secretariat_name,
    )


def minutes_docx_bytes(meeting: Meeting, minutes: Minutes | None) -> bytes:
    """The DOCX of the minutes: the snapshot stored at certification, else built from the current record."""
    if minutes is not None and minutes.snapshot is not None:
        return minutes.snapshot.docx
    return official_docx.minutes_docx(minutes_doc(meeting, minutes))
