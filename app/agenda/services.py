"""The agenda: the six customary sections and their items, numbered section.position, kept contiguous
when items are added, moved or deleted; draft → published (members notified)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app import textlimits
from app.agenda.models import AgendaItem
from app.audit.services import pending_changes, record
from app.bodies.models import Unit
from app.dbtypes import utcnow
from app.errors import Conflict, Invalid, NotFound
from app.extensions import db
from app.ids import parse_id
from app.meetings.models import Meeting
from app.meetings.services import ensure_record_open
from app.richtext import sanitize_html

SECTIONS = (1, 2, 3, 4, 5, 6)
SECTION_TITLES = {
    1: _l("เรื่องที่ประธานแจ้งให้ที่ประชุมทราบ"),
    2: _l("เรื่องรับรองรายงานการประชุม"),
    3: _l("เรื่องสืบเนื่องจากการประชุมครั้งก่อน"),
    4: _l("เรื่องเพื่อทราบ"),
    5: _l("เรื่องเพื่อพิจารณา"),
    6: _l("เรื่องอื่น ๆ"),
}
SECTION_KINDS = {1: "announcement", 2: "certification", 3: "follow_up", 4: "information", 5: "decision", 6: "other"}
TITLE_MAX = textlimits.TITLE


@dataclass
class AgendaSection:
    """One section of an agenda with its items in order."""

    number: int
    title: str
    items: list[AgendaItem]


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


def agenda_sections(meeting: Meeting) -> list[AgendaSection]:
    """All six sections with their items (one query)."""
    items = db.session.scalars(
        select(AgendaItem).options(joinedload(AgendaItem.presenter_unit))
        .where(AgendaItem.meeting_id == meeting.id).order_by(AgendaItem.section, AgendaItem.position)
    ).unique().all()
    return [AgendaSection(n, str(SECTION_TITLES[n]), [i for i in items if i.section == n]) for n in SECTIONS]


def get_item(item_id: int) -> AgendaItem:
    """The agenda item with this id, or NotFound."""
    item = db.session.get(AgendaItem, item_id, options=[joinedload(AgendaItem.meeting).joinedload(Meeting.body)])
    if item is None:
        raise NotFound(_("ไม่พบระเบียบวาระ"))
    return item


def _check_section(section: Any) -> int:
    try:
        number = int(section)
    except (TypeError, ValueError):
        number = 0
    if number not in SECTIONS:
        raise Invalid(_("ระเบียบวาระต้องเป็น 1 ถึง 6"), {"section": _("ต้องเป็น 1 ถึง 6")})
    return number


def _item_values(raw: Mapping[str, Any], errors: dict[str, str]) -> dict[str, Any]:
    """Validated item fields present in `raw` (title, detail, presenter, kind, links)."""
    values: dict[str, Any] = {}
    if "title" in raw:
        title = (raw.get("title") or "").strip()
        if not title:
            errors["title"] = _("กรุณาระบุเรื่อง")
        elif problem := textlimits.check_text(title, TITLE_MAX, one_line=True, gettext=_):
            errors["title"] = problem
        values["title"] = title
    if "detail" in raw:
        detail = raw.get("detail")
        if problem := textlimits.check_text(detail, textlimits.LONG_TEXT, gettext=_):
            errors["detail"] = problem
        values["detail"] = sanitize_html(detail) if not problem else None
    if "presenter_unit_id" in raw:
        unit_id = raw.get("presenter_unit_id")
        if unit_id not in (None, "") and (parse_id(unit_id) is None or db.session.get(Unit, parse_id(unit_id)) is None):
            errors["presenter_unit_id"] = _("ไม่พบหน่วยงาน")
        values["presenter_unit_id"] = parse_id(unit_id)
    if "presenter" in raw:
        presenter = (raw.get("presenter") or "").strip()
        if problem := textlimits.check_text(presenter, textlimits.NAME, one_line=True, gettext=_):
            errors["presenter"] = problem
        values["presenter_name"] = presenter or None
    if "links" in raw:
        from app.meetings.services import check_link

        links = []
        for index, link in enumerate(raw.get("links") or []):
            url = check_link(link.get("url"), f"links.{index}.url", errors)
            if url:
                links.append({"title": (link.get("title") or url)[:textlimits.ATTACHMENT_TITLE], "url": url})
        values["links"] = links or None
    return values


def _refuse_if_locked(meeting: Meeting) -> None:
    """Conflict for a meeting whose record is frozen (certified minutes) or that was cancelled."""
    ensure_record_open(meeting)
    if meeting.status == "cancelled":
        raise Conflict(_("การประชุมนี้ถูกยกเลิกแล้ว"))


def _changed_after_publish(meeting: Meeting, summary: str, changes: dict | None = None) -> None:
    """Changes to a published agenda are recorded as such, for members to see."""
    record("agenda.change" if meeting.agenda_state == "published" else "agenda.edit", meeting, summary, changes,
           object_type="meeting")


def add_item(meeting: Meeting, raw: Mapping[str, Any]) -> AgendaItem:
    """Add an item at the end of a section; it is numbered section.position."""
    _refuse_if_locked(meeting)
    section = _check_section(raw.get("section"))
    errors: dict[str, str] = {}
    values = _item_values({"title": raw.get("title"), **{k: v for k, v in raw.items() if k != "title"}}, errors)
    if errors:
        raise Invalid(_("ข้อมูลระเบียบวาระไม่ถูกต้อง"), errors)
    position = (db.session.scalar(select(func.max(AgendaItem.position)).where(
        AgendaItem.meeting_id == meeting.id, AgendaItem.section == section)) or 0) + 1
    item = AgendaItem(meeting=meeting, section=section, position=position,
                      kind=raw.get("kind") or SECTION_KINDS[section], **values)
    db.session.add(item)
    db.session.flush()
    _changed_after_publish(meeting, _("เพิ่มวาระ %(n)s %(t)s", n=item.number, t=item.title))
    return item


def _renumber(meeting_id: int, section: int, exclude: AgendaItem | None = None) -> list[AgendaItem]:
    """Positions 1..n in current order for one section (the excluded item left out)."""
    items = [i for i in db.session.scalars(
        select(AgendaItem).where(AgendaItem.meeting_id == meeting_id, AgendaItem.section == section)
        .order_by(AgendaItem.position, AgendaItem.id)) if i is not exclude]
    for index, item in enumerate(items, start=1):
        if item.position != index:
            item.position = index
    return items


def move_item(item: AgendaItem, section: int, position: int) -> AgendaItem:
    """Move an item to a section and 1-based position; both sections stay numbered without gaps."""
    _refuse_if_locked(item.meeting)
    section = _check_section(section)
    old_section = item.section
    target = _renumber(item.meeting_id, section, exclude=item)
    position = max(1, min(int(position), len(target) + 1))
    target.insert(position - 1, item)
    item.section = section
    for index, other in enumerate(target, start=1):
        if other.position != index:
            other.position = index
    if old_section != section:
        db.session.flush()
        _renumber(item.meeting_id, old_section)
    db.session.flush()
    return item


def update_item(item: AgendaItem, raw: Mapping[str, Any], version: int | None = None) -> AgendaItem:
    """Change an item's text, presenter or links, or move it (section/position); stale version → 409."""
    meeting = item.meeting
    _refuse_if_locked(meeting)
    if version is not None and version != item.version:
        raise Conflict(_("วาระนี้ถูกแก้ไขโดยผู้อื่นแล้ว กรุณาโหลดใหม่"), {"version": _("ฉบับล้าสมัย")})
    errors: dict[str, str] = {}
    values = _item_values(raw, errors)
    if errors:
        raise Invalid(_("ข้อมูลระเบียบวาระไม่ถูกต้อง"), errors)
    old_number = item.number
    for key, value in values.items():
        setattr(item, key, value)
    changes = pending_changes(item)
    if "section" in raw or "position" in raw:
        move_item(item, raw.get("section") or item.section, raw.get("position") or 10_000)
        if item.number != old_number:
            changes["number"] = [old_number, item.number]
    if changes:
        _changed_after_publish(meeting, _("แก้ไขวาระ %(n)s %(t)s", n=item.number, t=item.title), changes)
    return item


def delete_item(item: AgendaItem) -> None:
    """Remove an item; later items of its section move up one number."""
    from app.minutes.models import MinutesItem

    meeting = item.meeting
    _refuse_if_locked(meeting)
    if db.session.scalar(select(MinutesItem.id).where(MinutesItem.agenda_item_id == item.id).limit(1)) is not None:
        raise Conflict(_("วาระนี้มีบันทึกในรายงานการประชุมแล้ว จึงลบไม่ได้ (แก้ไขเรื่องหรือย้ายวาระแทน)"),
                       code="minutes_written")
    summary = _("ลบวาระ %(n)s %(t)s", n=item.number, t=item.title)
    section = item.section
    db.session.delete(item)
    db.session.flush()
    _renumber(meeting.id, section)
    db.session.flush()
    _changed_after_publish(meeting, summary)


def publish_agenda(meeting: Meeting, *, notify: bool = True, version: int | None = None) -> Meeting:
    """Publish the agenda to the body's members (and notify them); a stale meeting `version` → 409."""
    _refuse_if_locked(meeting)
    if version is not None and version != meeting.version:
        raise Conflict(_("การประชุมนี้ถูกแก้ไขโดยผู้อื่นแล้ว (ฉบับที่ %(v)d) กรุณาโหลดใหม่", v=meeting.version),
                       {"version": _("ฉบับล้าสมัย")})
    if meeting.agenda_state == "published":
        raise Conflict(_("ระเบียบวาระเผยแพร่แล้ว"))
    meeting.agenda_state = "published"
    meeting.agenda_published_at = utcnow()
    record("agenda.publish", meeting, meeting.code, object_type="meeting")
    if notify:
        notify_agenda_published(meeting)
    return meeting


def notify_agenda_published(meeting: Meeting) -> int:
    """Tell each member that the agenda is published, with its sections and items (e-mail and/or LINE)."""
    from app.notify import notices

    return notices.agenda_published(meeting)


def changed_since_publish(meeting: Meeting, item: AgendaItem) -> bool:
    """True when a published agenda's item was added or edited after publication."""
    return bool(meeting.agenda_published_at and item.updated_at and item.updated_at > meeting.agenda_published_at)
