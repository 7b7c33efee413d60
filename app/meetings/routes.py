"""Meeting pages: list, detail, schedule, edit, postpone, cancel, RSVP, attendance, .ics download."""
from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app import access, authz, confirmations, ical, thaidates
from app.auth.models import User
from app.bodies.models import Body
from app.bodies.services import get_body
from app.datefields import iso_or_typed
from app.dbtypes import utcnow
from app.errors import ServiceError
from app.extensions import db
from app.ids import query_id
from app.transactions import discard
from app.webactions import flash_refusal, perform, refuse
from app.meetings import services
from app.meetings.forms import CancelForm, GuestForm, GuestImportForm, MeetingForm, PostponeForm, RsvpForm
from app.meetings.models import MEETING_STATUSES, Meeting

bp = Blueprint("meetings", __name__)


def load_meeting(meeting_id: int, *, manage: bool = False) -> Meeting:
    """The meeting (body loaded): 404 if missing or not visible, 403 if `manage` and the user may not change it,
    409 if `manage` and its minutes are certified (its record is frozen)."""
    meeting = access.load(Meeting, meeting_id, read=authz.can_view_meeting,
                          change=authz.can_manage_meeting if manage else None,
                          options=[joinedload(Meeting.body)], missing=_("ไม่พบการประชุม"))
    if manage:
        services.ensure_record_open(meeting)
    return meeting


def fill_choices(form: MeetingForm) -> None:
    """Bodies the user may schedule for, and active users as possible chairs."""
    bodies = db.session.scalars(select(Body).where(Body.active.is_(True)).order_by(Body.name)).all()
    form.body_id.choices = [(b.id, b.name) for b in bodies]
    form.chair_id.choices = chair_choices()


def chair_choices() -> list[tuple[int | str, str]]:
    """No chair, then every active user by name."""
    users = db.session.scalars(select(User).where(User.is_active_user.is_(True)).order_by(User.name)).all()
    return [("", "—")] + [(u.id, u.name) for u in users]


def commit_and_announce(result: services.ScheduleResult, message: str) -> None:
    """Flash a scheduling change's booking warnings and `message` (the request layer commits and mails)."""
    for warning in result.warnings:
        flash(warning, "warning")
    flash(message, "success")


def form_values(form) -> dict:
    """The service's input from a form (its dates are aware Bangkok datetimes)."""
    return {name: getattr(form, name).data for name in
            ("title", "starts_at", "ends_at", "mode", "venue", "online_url", "stream_url", "chair_id", "notes")
            if hasattr(form, name)}


@bp.route("/")
@login_required
def index():
    """Upcoming and past meetings, filtered by body, BE year and status."""
    body_id = query_id("body")
    year = query_id("year")
    status = request.args.get("status") if request.args.get("status") in MEETING_STATUSES else None
    upcoming = services.list_meetings(current_user, body_id=body_id, year_be=year, status=status, upcoming=True)
    past = services.list_meetings(current_user, body_id=body_id, year_be=year, status=status, upcoming=False)
    query = select(Body).order_by(Body.name)
    condition = authz.visible_body_filter(current_user, Body.id)
    if condition is not None:
        query = query.where(condition)
    return render_template("meetings/index.html", upcoming=upcoming, past=past, bodies=db.session.scalars(query).all(),
                           filters={"body": body_id, "year": year, "status": status}, statuses=MEETING_STATUSES)


@bp.route("/<int:meeting_id>")
@login_required
def detail(meeting_id: int):
    """Everything about a meeting: time, place, links, RSVP, attendance."""
    meeting = load_meeting(meeting_id)
    my_rsvp = next((r for r in meeting.rsvps if r.user_id == current_user.id), None)
    rsvp_form = RsvpForm(prefix="rsvp", obj=my_rsvp)
    return render_template(
        "meetings/detail.html", meeting=meeting, counts=services.rsvp_counts(meeting.id), my_rsvp=my_rsvp,
        rsvp_form=rsvp_form, cancel_form=CancelForm(prefix="cancel", notify=meeting.starts_at > utcnow()),
        postpone_form=PostponeForm(prefix="postpone"), members=services.body_members(meeting.body_id),
        invited=services.invitees(meeting),
        rsvps={r.user_id: r for r in meeting.rsvps}, attendees=services.attendees(meeting),
        guest_form=GuestForm(prefix="guest"), guest_import_form=GuestImportForm(prefix="guests"),
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    """Schedule a meeting (secretariat)."""
    if not authz.can_schedule_meetings(current_user):
        abort(403)
    form = MeetingForm(body_id=query_id("body"))
    fill_choices(form)
    warnings: list[str] = []
    status = 200
    if form.validate_on_submit():
        try:
            values = form_values(form)
            values["number"] = form.number.data
            result = services.schedule_meeting(get_body(form.body_id.data), values, notify=form.notify.data)
        except ServiceError as error:
            status = refuse(form, error)
        else:
            commit_and_announce(result, _("บันทึกการประชุมครั้งที่ %(code)s แล้ว", code=result.meeting.code))
            return redirect(url_for("meetings.detail", meeting_id=result.meeting.id))
    elif form.is_submitted():
        status = 422
    return render_template("meetings/form.html", form=form, meeting=None, warnings=warnings), status


@bp.route("/<int:meeting_id>/edit", methods=["GET", "POST"])
@login_required
def edit(meeting_id: int):
    """Change a meeting (secretariat); a change of time or place sends members an update."""
    meeting = load_meeting(meeting_id, manage=True)
    form = MeetingForm(obj=meeting)
    fill_choices(form)
    del form.number
    form.body_id.render_kw = {"disabled": True}
    form.past_allowed_at = meeting.starts_at
    if request.method == "GET" and meeting.starts_at < utcnow():
        form.notify.data = False  # no mail unasked about a meeting already held
    form.body_id.data = meeting.body_id
    status = 200
    if form.validate_on_submit():
        try:
            result = services.update_meeting(meeting, form_values(form), notify=form.notify.data,
                                             version=request.form.get("version", type=int))
        except ServiceError as error:
            status = refuse(form, error)
            meeting = load_meeting(meeting_id, manage=True)
        else:
            commit_and_announce(result, _("บันทึกการแก้ไขแล้ว"))
            return redirect(url_for("meetings.detail", meeting_id=meeting.id))
    elif form.is_submitted():
        status = 422
    return render_template("meetings/form.html", form=form, meeting=meeting, warnings=[]), status


@bp.route("/<int:meeting_id>/postpone", methods=["POST"])
@login_required
def postpone(meeting_id: int):
    """Move the meeting to a new time."""
    meeting = load_meeting(meeting_id, manage=True)
    form = PostponeForm(prefix="postpone")
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for message in errors:
                flash(message, "danger")
        return redirect(url_for("meetings.detail", meeting_id=meeting.id))
    step = lambda: services.postpone_meeting(meeting, form_values(form), form.reason.data,  # noqa: E731
                                             notify=form.notify.data)
    if (page := confirmations.ask_first(
            step, _("เลื่อนการประชุมครั้งที่ %(code)s", code=meeting.code),
            _("เลื่อนการประชุมไปเป็น %(when)s ยืนยันหรือไม่",
              when=thaidates.thai_datetime(form_values(form)["starts_at"])),
            _("ยืนยันเลื่อนการประชุม"), url_for("meetings.detail", meeting_id=meeting_id))) is not None:
        return page
    try:
        result = step()
    except ServiceError as error:
        flash_refusal(error)
    else:
        commit_and_announce(result, _("เลื่อนการประชุมแล้ว"))
    return redirect(url_for("meetings.detail", meeting_id=meeting_id))


@bp.route("/<int:meeting_id>/cancel", methods=["POST"])
@login_required
def cancel(meeting_id: int):
    """Cancel the meeting with a reason."""
    meeting = load_meeting(meeting_id, manage=True)
    form = CancelForm(prefix="cancel")
    if form.validate_on_submit():
        step = lambda: services.cancel_meeting(meeting, form.reason.data, notify=form.notify.data)  # noqa: E731
        if (page := confirmations.ask_first(
                step, _("ยกเลิกการประชุมครั้งที่ %(code)s", code=meeting.code),
                _("ยกเลิกการประชุมนี้ด้วยเหตุผล \"%(reason)s\" ยืนยันหรือไม่ ครั้งที่ของการประชุมจะไม่ถูกนำกลับมาใช้อีก",
                  reason=form.reason.data), _("ยืนยันยกเลิกการประชุม"),
                url_for("meetings.detail", meeting_id=meeting_id), danger=True)) is not None:
            return page
        perform(step, _("ยกเลิกการประชุมแล้ว"))
    else:
        flash(_("กรุณาระบุเหตุผลที่ยกเลิก"), "danger")
    return redirect(url_for("meetings.detail", meeting_id=meeting_id))


@bp.route("/<int:meeting_id>/rsvp", methods=["POST"])
@login_required
def rsvp(meeting_id: int):
    """A member answers the invitation."""
    meeting = load_meeting(meeting_id)
    if not authz.is_expected_attendee(current_user, meeting):
        abort(403)
    form = RsvpForm(prefix="rsvp")  # a cancelled or finished meeting: the service's refusal is shown
    if form.validate_on_submit():
        perform(lambda: services.record_rsvp(meeting, current_user, form.response.data, form.delegate_name.data,
                                             form.note.data),
                _("บันทึกการตอบรับแล้ว"))
    return redirect(url_for("meetings.detail", meeting_id=meeting_id))


@bp.route("/<int:meeting_id>/attendance", methods=["GET", "POST"])
@login_required
def attendance(meeting_id: int):
    """Record who came (secretariat): one row per member, plus guests."""
    meeting = load_meeting(meeting_id, manage=True)
    members = services.body_members(meeting.body_id)
    current = {a.user_id: a for a in meeting.attendance if a.user_id}
    guests = [a for a in meeting.attendance if a.status == "guest" and a.guest_id is None]  # typed by name
    attended = {a.guest_id for a in meeting.attendance if a.guest_id is not None}  # invited guests ticked
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        from flask_wtf.csrf import validate_csrf

        try:
            validate_csrf(request.form.get("csrf_token"))
        except Exception:  # noqa: BLE001 — any CSRF failure
            abort(400)
        entries = [
            {"user_id": m.user_id, "status": request.form.get(f"status-{m.user_id}") or "absent",
             "reason": request.form.get(f"reason-{m.user_id}"), "delegate_name": request.form.get(f"delegate-{m.user_id}"),
             "delegate_position": request.form.get(f"delegate-position-{m.user_id}"),
             "identity_confirmed": bool(request.form.get(f"identity-{m.user_id}"))}
            for m in members
        ]
        names = request.form.getlist("guest_name")
        positions = request.form.getlist("guest_position")
        guest_entries = [{"guest_id": guest_id} for guest_id in request.form.getlist("guest_attended", type=int)]
        guest_entries += [{"name": n, "position": p} for n, p in zip(names, positions) if n.strip()]
        try:
            services.record_attendance(meeting, entries, guest_entries)
        except ServiceError as error:
            discard()
            errors = error.fields
            status = error.status
            flash(error.message, "danger")
            meeting = load_meeting(meeting_id, manage=True)
        else:
            flash(_("บันทึกผู้เข้าประชุมแล้ว"), "success")
            return redirect(url_for("meetings.detail", meeting_id=meeting_id))
    return render_template("meetings/attendance.html", meeting=meeting, members=members, current=current,
                           guests=guests, attended=attended, rsvps={r.user_id: r for r in meeting.rsvps},
                           errors=errors), status


@bp.route("/<int:meeting_id>.ics")
@login_required
def ics(meeting_id: int):
    """The meeting as an iCalendar file (session or bearer token)."""
    meeting = load_meeting(meeting_id)
    body = ical.build_calendar([services.meeting_event(meeting)], method="PUBLISH")
    return Response(body, mimetype="text/calendar", headers={
        "Content-Disposition": f'attachment; filename="{ical.ics_filename(meeting.code)}"'})


@bp.app_template_global()
def meeting_days_for_form(meeting: Meeting) -> list[dict]:
    """The days of a multi-day meeting for the edit page (empty for a one-day meeting)."""
    from app.meetings.days import days_out

    from datetime import date

    return [{**day, "label": thaidates.thai_date(date.fromisoformat(day["date"]))} for day in days_out(meeting)]


@bp.route("/<int:meeting_id>/days", methods=["POST"])
@login_required
def set_days(meeting_id: int):
    """Set each day's hours, venue and link of a meeting over several days (secretariat)."""
    from app.meetings.days import set_meeting_days
    from app.webactions import require_csrf

    require_csrf()
    meeting = load_meeting(meeting_id, manage=True)
    form = request.form
    days = [{"date": d, "starts_at": iso_or_typed(s, clock=True), "ends_at": iso_or_typed(e, clock=True), "venue": v,
             "online_url": u} for d, s, e, v, u in zip(
        form.getlist("date"), form.getlist("starts_at"), form.getlist("ends_at"), form.getlist("venue"),
        form.getlist("online_url"))]
    try:
        set_meeting_days(meeting, days)
    except ServiceError as error:
        flash_refusal(error)
    else:
        flash(_("บันทึกกำหนดการรายวันแล้ว"), "success")
    return redirect(url_for("meetings.edit", meeting_id=meeting.id))
