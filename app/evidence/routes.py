"""E-meeting evidence pages, usable on a phone: the secretariat's evidence page (identity checks, join and leave
times, participant report import, recording, incidents, the DOCX appendix) and the day's check-in QR code; the
member's actions on the meeting page (ask for and enter the one-time code, check in, report a technical problem)
and the page the QR code opens."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from app import access, authz, thaidates
from app.errors import Invalid
from app.evidence import services
from app.evidence.documents import evidence_docx
from app.evidence.models import ParticipationInterval
from app.links import absolute_url
from app.meetings.models import Meeting
from app.meetings.routes import load_meeting
from app.meetings.services import body_members
from app.participation import SOURCES
from app.webactions import DOCX, document_name, download, perform, require_csrf

bp = Blueprint("evidence", __name__)


def meeting_for(meeting_id: int, rule) -> Meeting:
    """The meeting: 404 unless the user may see it, 403 unless `rule` lets them do this."""
    return access.authorize(load_meeting(meeting_id), read=authz.can_view_meeting, change=rule)


def _int(name: str) -> int | None:
    """A form field as a row id, or None."""
    value = request.form.get(name, "")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else None


def _typed_time(name: str):
    """A date and time typed as "26/06/2563 09.30" (BE year, Bangkok time) as an aware datetime, or None when
    empty or unreadable (the service then names the field)."""
    from app.datefields import read_typed_date

    value, _problem = read_typed_date(request.form.get(name, ""), with_time=True)
    return value


@bp.app_template_global()
def evidence_for_member(meeting: Meeting) -> dict:
    """What the meeting page shows the signed-in member about identity, check-in and incidents."""
    return {"open": services.attendee_panel_open(meeting), "electronic": services.is_electronic(meeting),
            "confirmed": services.identity_confirmed(meeting, current_user),
            "procurement": meeting.body.procurement}


@bp.route("/meetings/<int:meeting_id>/evidence")
@login_required
def page(meeting_id: int):
    """The meeting's evidence (secretariat)."""
    meeting = meeting_for(meeting_id, authz.can_keep_evidence)
    return render_template("evidence/page.html", meeting=meeting, members=body_members(meeting.body_id),
                           checks=services.identity_checks(meeting), stays=services.intervals(meeting),
                           recording=services.recording_of(meeting), incidents=services.incidents(meeting),
                           check_ins=services.check_ins(meeting), sources=SOURCES,
                           days=[day for day, _starts, _ends in services.day_windows(meeting)])


def back(meeting_id: int):
    """Back to the evidence page."""
    return redirect(url_for("evidence.page", meeting_id=meeting_id))


@bp.post("/meetings/<int:meeting_id>/evidence/identity")
@login_required
def identity(meeting_id: int):
    """Record a video or vouched check, or send the one-time code (secretariat)."""
    require_csrf()
    meeting = meeting_for(meeting_id, authz.can_keep_evidence)
    method = request.form.get("method", "")
    perform(lambda: services.check_identity(meeting, _int("user_id"), method, current_user, _int("vouched_by")),
            _("ส่งรหัสยืนยันตัวตนแล้ว") if method == "otp" else _("บันทึกการยืนยันตัวตนแล้ว"))
    return back(meeting_id)


@bp.post("/meetings/<int:meeting_id>/evidence/stays")
@login_required
def add_stay(meeting_id: int):
    """Type one stay of a member (secretariat)."""
    require_csrf()
    meeting = meeting_for(meeting_id, authz.can_keep_evidence)
    perform(lambda: services.add_interval(meeting, _int("user_id"), _typed_time("joined_at"), _typed_time("left_at")),
            _("บันทึกเวลาเข้าร่วมแล้ว"))
    return back(meeting_id)


@bp.post("/meetings/<int:meeting_id>/evidence/stays/<int:stay_id>/delete")
@login_required
def remove_stay(meeting_id: int, stay_id: int):
    """Take one stay off the record (secretariat)."""
    require_csrf()
    meeting = meeting_for(meeting_id, authz.can_keep_evidence)
    stay = access.fetch(ParticipationInterval, stay_id)
    if stay is None or stay.meeting_id != meeting.id:
        abort(404)
    perform(lambda: services.remove_interval(meeting, stay), _("ลบเวลาเข้าร่วมแล้ว"))
    return back(meeting_id)


@bp.post("/meetings/<int:meeting_id>/evidence/import")
@login_required
def import_report(meeting_id: int):
    """Import the participant report of Zoom, Webex or Teams; show who was not matched (secretariat)."""
    require_csrf()
    meeting = meeting_for(meeting_id, authz.can_keep_evidence)
    upload = request.files.get("file")
    outcome = {}

    def step():
        """Refuse a form without a file; else import it."""
        if upload is None or not upload.filename:
            message = _("กรุณาเลือกไฟล์รายงานผู้เข้าร่วม")
            raise Invalid(message, {"file": message})
        outcome["result"] = services.import_participation(meeting, upload.read(), request.form.get("source", ""))

    if perform(step):
        result = outcome["result"]
        flash(_("นำเข้าแล้ว: ตรงกับรายชื่อ %(m)d รายการ ไม่พบในรายชื่อ %(u)d รายการ", m=len(result.matched),
                u=len(result.unmatched)), "success")
        if result.unmatched:
            flash(_("ไม่พบในรายชื่อ: %(names)s", names=", ".join(sorted({s.name for s in result.unmatched}))),
                  "warning")
    return back(meeting_id)


@bp.post("/meetings/<int:meeting_id>/evidence/recording")
@login_required
def recording(meeting_id: int):
    """Where the recording is kept and its SHA-256, or that the session was secret (secretariat)."""
    require_csrf()
    meeting = meeting_for(meeting_id, authz.can_keep_evidence)
    perform(lambda: services.set_recording(meeting, current_user, url=request.form.get("url"),
                                           sha256=request.form.get("sha256"), secret=bool(request.form.get("secret"))),
            _("บันทึกข้อมูลการบันทึกการประชุมแล้ว"))
    return back(meeting_id)


@bp.route("/meetings/<int:meeting_id>/evidence.docx")
@login_required
def docx(meeting_id: int):
    """The evidence appendix to the minutes, as DOCX (secretariat)."""
    meeting = meeting_for(meeting_id, authz.can_keep_evidence)
    name, fallback = document_name("evidence", meeting, "docx")
    return download(evidence_docx(meeting), DOCX, name, fallback)


@bp.route("/meetings/<int:meeting_id>/check-in/qr")
@login_required
def qr(meeting_id: int):
    """The day's check-in QR code, to show on the screen in the room (secretariat); ?day=YYYY-MM-DD."""
    from app.evidence.qr import qr_svg

    meeting = meeting_for(meeting_id, authz.can_keep_evidence)
    days = [day for day, _starts, _ends in services.day_windows(meeting)]
    try:
        day = date.fromisoformat(request.args.get("day", "")) if request.args.get("day") else None
    except ValueError:
        day = None
    if day is None:
        today = thaidates.today_bangkok()
        day = today if today in days else days[0]
    if day not in days:
        abort(404)
    link = absolute_url("evidence.check_in_page", meeting_id=meeting.id, t=services.check_in_token(meeting, day))
    return render_template("evidence/qr.html", meeting=meeting, day=day, days=days, link=link,
                           svg=Markup(qr_svg(link)), window=services.window_of(meeting, day))


@bp.route("/meetings/<int:meeting_id>/check-in")
@login_required
def check_in_page(meeting_id: int):
    """The page the QR code opens: one button that marks the signed-in member present."""
    meeting = load_meeting(meeting_id)
    return render_template("evidence/check_in.html", meeting=meeting, token=request.args.get("t", "")[:500],
                           may=authz.can_check_in(current_user, meeting))


@bp.post("/meetings/<int:meeting_id>/check-in")
@login_required
def check_in(meeting_id: int):
    """Check in: on site with the QR token, or online (no token) once the identity is confirmed."""
    require_csrf()
    meeting = meeting_for(meeting_id, authz.can_check_in)
    token = request.form.get("token") or None
    perform(lambda: services.check_in(meeting, current_user, token[:500] if token else None), _("เช็กอินแล้ว"))
    return redirect(url_for("meetings.detail", meeting_id=meeting_id))


@bp.post("/meetings/<int:meeting_id>/identity/code")
@login_required
def ask_code(meeting_id: int):
    """A member asks for their own one-time code (e-mail, and LINE when linked)."""
    require_csrf()
    meeting = meeting_for(meeting_id, authz.can_confirm_own_identity)
    perform(lambda: services.send_identity_code(meeting, current_user, current_user),
            _("ส่งรหัสยืนยันตัวตนไปที่อีเมลของท่านแล้ว"))
    return redirect(url_for("meetings.detail", meeting_id=meeting_id, _anchor="emeeting"))


@bp.post("/meetings/<int:meeting_id>/identity/confirm")
@login_required
def confirm_code(meeting_id: int):
    """A member enters the one-time code sent to them."""
    require_csrf()
    meeting = meeting_for(meeting_id, authz.can_confirm_own_identity)
    perform(lambda: services.confirm_identity_by_code(meeting, current_user, request.form.get("code", "")[:20]),
            _("ยืนยันตัวตนแล้ว"))
    return redirect(url_for("meetings.detail", meeting_id=meeting_id, _anchor="emeeting"))


@bp.post("/meetings/<int:meeting_id>/incidents")
@login_required
def incident(meeting_id: int):
    """Report a technical problem during the meeting."""
    require_csrf()
    meeting = meeting_for(meeting_id, authz.can_report_incident)
    perform(lambda: services.report_incident(meeting, current_user, request.form.get("text", "")),
            _("แจ้งปัญหาทางเทคนิคแล้ว"))
    target = "evidence.page" if authz.can_keep_evidence(current_user, meeting) and request.form.get("from") == "evidence" \
        else "meetings.detail"
    return redirect(url_for(target, meeting_id=meeting_id))
