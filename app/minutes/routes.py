"""Minutes pages: read (print friendly), write item by item beside the agenda, circulate, certify,
history with differences, and comments on circulated minutes."""
from __future__ import annotations

import difflib

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from app import authz, confirmations, labels
from app.richtext import plain_text
from app.agenda.services import agenda_sections
from app.bodies.models import Unit
from app.datefields import iso_or_typed, read_typed_date
from app.errors import Invalid, NotFound, ServiceError
from app.extensions import db
from app.ids import parse_id
from app.meetings.models import Meeting
from app.meetings.routes import load_meeting
from app.meetings.services import attendees, ensure_record_open
from app.minutes import services
from app.minutes.models import RESOLUTION_KINDS, Minutes
from app.transactions import discard
from app.webactions import flash_refusal, perform, require_csrf

bp = Blueprint("minutes", __name__)

def action_rows(prefix: str) -> list[dict]:
    """The actions of one item as the form sends them: action-id, -owner, -description and -due once per row.

    Rows that do not line up, or an owner or id that is not an id, are a tampered form: Invalid (422).
    """
    columns = {name: request.form.getlist(f"{prefix}action-{name}") for name in ("id", "owner", "description", "due")}
    count = len(columns["description"])
    if any(len(values) != count for values in columns.values()):
        raise Invalid(_("แบบฟอร์มงานที่มอบหมายไม่ครบหรือไม่ถูกต้อง กรุณาโหลดหน้าใหม่แล้วบันทึกอีกครั้ง"),
                      {f"{prefix}actions": _("จำนวนช่องของงานที่มอบหมายไม่ตรงกัน")})
    actions = []
    for action_id, owner, description, due in zip(*columns.values()):
        if not description.strip():
            continue
        for field, value in (("id", action_id), ("owner", owner)):
            if value.strip() and parse_id(value) is None:
                raise Invalid(_("แบบฟอร์มงานที่มอบหมายไม่ถูกต้อง กรุณาโหลดหน้าใหม่แล้วบันทึกอีกครั้ง"),
                              {f"{prefix}action-{field}": _("ต้องเลือกจากรายการ")})
        actions.append({"id": parse_id(action_id), "owner_unit_id": parse_id(owner), "description": description,
                        "due_date": iso_or_typed(due)})
    return actions


def form_data(meeting: Meeting) -> dict:
    """The minutes as submitted by the edit form (one block of fields per agenda item)."""
    items = []
    for section in agenda_sections(meeting):
        for item in section.items:
            prefix = f"item-{item.id}-"
            actions = action_rows(prefix)
            items.append({"agenda_item_id": item.id, "discussion": request.form.get(prefix + "discussion"),
                          "resolution_kind": request.form.get(prefix + "resolution_kind") or None,
                          "resolution": request.form.get(prefix + "resolution"), "actions": actions})
    return {"opened_at": iso_or_typed(request.form.get("opened_at"), clock=True),
            "closed_at": iso_or_typed(request.form.get("closed_at"), clock=True),
            "recorder": request.form.get("recorder"), "checker": request.form.get("checker"),
            "recorder_position": request.form.get("recorder_position"),
            "checker_position": request.form.get("checker_position"), "items": items}


def later_meetings(meeting: Meeting) -> list[Meeting]:
    """Meetings of the same body after this one (where its minutes can be certified)."""
    return list(db.session.scalars(
        select(Meeting).where(Meeting.body_id == meeting.body_id, Meeting.starts_at > meeting.starts_at,
                              Meeting.status != "cancelled").order_by(Meeting.starts_at)))


def readable_minutes(meeting_id: int) -> tuple[Meeting, Minutes | None]:
    """The meeting and its minutes when the user may read them; 404 saying why otherwise."""
    meeting = load_meeting(meeting_id)
    minutes = services.minutes_of(meeting)
    services.check_can_read(current_user, meeting, minutes)
    return meeting, minutes


@bp.route("/meetings/<int:meeting_id>/minutes", methods=["GET", "POST"])
@login_required
def view(meeting_id: int):
    """Read the minutes; the secretariat edits them here until they are certified."""
    meeting, minutes = readable_minutes(meeting_id)
    editable = authz.can_edit_minutes(current_user, minutes) and meeting.status != "cancelled"
    content = services.minutes_content(minutes)
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        if not authz.can_edit_minutes(current_user, None):
            abort(403)
        ensure_record_open(meeting)
        if not editable:
            abort(409)
        require_csrf()
        submitted = form_data(meeting)
        try:
            services.save_minutes(meeting, submitted, request.form.get("version", type=int), current_user)
        except ServiceError as error:
            discard()
            errors = error.fields
            flash(error.message, "danger")
            status = error.status
            content = {**content, **submitted, "version": request.form.get("version", type=int)}
            meeting = load_meeting(meeting_id)
            minutes = services.minutes_of(meeting)
        else:
            flash(_("บันทึกรายงานการประชุมแล้ว"), "success")
            return redirect(url_for("minutes.view", meeting_id=meeting_id))
    by_item = {i["agenda_item_id"]: i for i in content["items"]}
    units = db.session.scalars(select(Unit).where(Unit.active.is_(True)).order_by(Unit.code)).all() if editable else []
    return render_template(
        "minutes/view.html", meeting=meeting, minutes=minutes, content=content, by_item=by_item,
        sections=agenda_sections(meeting), editable=editable and request.args.get("read") != "1", errors=errors,
        units=units, resolution_kinds=RESOLUTION_KINDS,
        later=later_meetings(meeting) if authz.is_staff(current_user) else [],
        comments=services.comments_of(minutes), can_comment=authz.can_comment_minutes(current_user, meeting, minutes),
        phrase=services.certification_phrase(minutes) if minutes else None, attendees=attendees(meeting),
    ), status


@bp.route("/meetings/<int:meeting_id>/minutes/circulate", methods=["POST"])
@login_required
def circulate(meeting_id: int):
    """Circulate the draft to the members for comment."""
    meeting, _minutes = readable_minutes(meeting_id)
    if not authz.is_staff(current_user):
        abort(403)
    require_csrf()
    ensure_record_open(meeting)
    deadline, problem = read_typed_date(request.form.get("comment_deadline"))
    if problem:
        flash(_("วันสุดท้ายที่รับความเห็น: %(problem)s", problem=problem), "danger")
        return redirect(url_for("minutes.view", meeting_id=meeting_id))
    step = lambda: services.circulate_minutes(meeting, current_user, comment_deadline=deadline)  # noqa: E731
    if (page := confirmations.ask_first(
            step, _("เวียนรายงานการประชุมครั้งที่ %(code)s", code=meeting.code),
            _("เมื่อเวียนแล้ว กรรมการจะอ่านและให้ความเห็นได้ และหน่วยงานที่ได้รับมอบหมายจะได้รับแจ้ง "
              "ยืนยันการเวียนหรือไม่"),
            _("ยืนยันเวียนรายงานการประชุม"), url_for("minutes.view", meeting_id=meeting_id))) is not None:
        return page
    perform(step, _("เวียนรายงานการประชุมให้กรรมการแล้ว"))
    return redirect(url_for("minutes.view", meeting_id=meeting_id))


@bp.route("/meetings/<int:meeting_id>/minutes/certify", methods=["POST"])
@login_required
def certify(meeting_id: int):
    """Record that a later meeting certified the minutes (with or without amendments)."""
    meeting, _minutes = readable_minutes(meeting_id)
    if not authz.is_staff(current_user):
        abort(403)
    require_csrf()
    ensure_record_open(meeting)
    step = lambda: services.certify_minutes(services.existing_minutes(meeting),  # noqa: E731
                                            parse_id(request.form.get("at_meeting_id")),
                                            request.form.get("amendments"), current_user)
    if (page := confirmations.ask_first(
            step, _("รับรองรายงานการประชุมครั้งที่ %(code)s", code=meeting.code),
            _("เมื่อรับรองแล้ว รายงานการประชุมและการประชุมนี้จะถูกล็อก แก้ไขไม่ได้อีก และกรรมการจะได้รับแจ้ง "
              "ยืนยันการรับรองหรือไม่"),
            _("ยืนยันรับรองรายงานการประชุม"), url_for("minutes.view", meeting_id=meeting_id),
            danger=True)) is not None:
        return page
    perform(step, _("บันทึกการรับรองรายงานการประชุมแล้ว"))
    return redirect(url_for("minutes.view", meeting_id=meeting_id))


@bp.route("/meetings/<int:meeting_id>/minutes/comments", methods=["POST"])
@login_required
def comment(meeting_id: int):
    """A member comments on circulated minutes."""
    meeting, _minutes = readable_minutes(meeting_id)
    require_csrf()
    ensure_record_open(meeting)
    try:
        services.add_comment(meeting, current_user, request.form.get("body", ""),
                             parse_id(request.form.get("agenda_item_id")))
    except ServiceError as error:
        if error.status == 403:
            raise
        flash_refusal(error)
    else:
        flash(_("บันทึกความเห็นแล้ว"), "success")
    return redirect(url_for("minutes.view", meeting_id=meeting_id, read=1) + "#comments")


def version_lines(content: dict, unit_names: dict[int, str]) -> list[str]:
    """A version as readable lines, for the differences view (texts without markup, actions in words)."""
    lines = [f"เริ่ม {content.get('opened_at') or '-'} เลิก {content.get('closed_at') or '-'}",
             f"ผู้จด {content.get('recorder') or '-'} ผู้ตรวจ {content.get('checker') or '-'}"]
    for item in content.get("items", []):
        lines.append(f"[วาระ {item['agenda_item_id']}] {plain_text(item.get('discussion'))}")
        kind = labels.in_thai(labels.RESOLUTION_KIND_LABELS, item.get("resolution_kind")) or "-"
        lines.append(f"  มติ ({kind}): {item.get('resolution') or ''}")
        lines += [f"  มอบหมาย {unit_names.get(a.get('owner_unit_id'), '-')}: {a.get('description') or ''} "
                  f"(กำหนด {a.get('due_date') or '-'}; {labels.in_thai(labels.ACTION_STATUS_LABELS, a.get('status')) or '-'})"
                  for a in item.get("actions", [])]
    return lines


@bp.route("/meetings/<int:meeting_id>/minutes/history")
@login_required
def history(meeting_id: int):
    """Every saved version (who, when) with the differences from the one before."""
    meeting, minutes = readable_minutes(meeting_id)
    if minutes is None:
        raise NotFound(_("การประชุมนี้ยังไม่มีรายงานการประชุม"))
    versions = services.readable_versions(current_user, meeting, minutes)
    diffs = []
    previous: list[str] = []
    unit_names = dict(db.session.execute(select(Unit.id, Unit.name)).all())
    for version in versions:
        current = version_lines(version.content, unit_names)
        diffs.append((version, list(difflib.unified_diff(previous, current, lineterm="", n=1))[2:]))
        previous = current
    return render_template("minutes/history.html", meeting=meeting, diffs=list(reversed(diffs)))
