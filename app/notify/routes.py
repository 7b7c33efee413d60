"""Notices on the web: channels per kind and the LINE link on /profile, the LINE webhook, and the
secretariat's reminder buttons on the meeting and round pages."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload

from app import access, authz, thaidates
from app.extensions import csrf
from app.meetings.models import Meeting
from app.notify import line, notices, services
from app.notify.kinds import KINDS
from app.reports.models import ReportingRound
from app.webactions import perform, require_csrf

bp = Blueprint("notify", __name__)


@bp.app_context_processor
def notification_helpers() -> dict:
    """`notification_settings()` for the profile page (computed only where it is called)."""

    def notification_settings() -> dict:
        return {"kinds": KINDS, "preferences": services.preferences_of(current_user),
                "line_enabled": line.configured(), "line_linked": bool(current_user.line_user_id),
                "line_linked_at": current_user.line_linked_at}

    return {"notification_settings": notification_settings}


@bp.post("/profile/notifications")
@login_required
def save_preferences():
    """Save the channels chosen per kind (a ticked box: on; LINE boxes only when LINE is configured)."""
    require_csrf()
    choices = {}
    for kind in KINDS:
        choices[kind] = {"email": request.form.get(f"email:{kind}") == "on"}
        if line.configured():
            choices[kind]["line"] = request.form.get(f"line:{kind}") == "on"
    services.set_preferences(current_user, choices)
    flash(_("บันทึกการตั้งค่าการแจ้งเตือนแล้ว"), "success")
    return redirect(url_for("auth.profile", _anchor="notifications"))


@bp.post("/profile/line/code")
@login_required
def line_code():
    """A new one-time code to send to the LINE Official Account; shown on this page only."""
    from app.auth.routes import profile_page

    require_csrf()
    if not line.configured():
        abort(404)
    code, _row = services.issue_link_code(current_user)
    return profile_page(line_code=code)


@bp.post("/profile/line/unlink")
@login_required
def line_unlink():
    """Stop LINE notices: forget the linked LINE account."""
    require_csrf()
    services.unlink_line(current_user)
    flash(_("ยกเลิกการเชื่อมบัญชี LINE แล้ว"), "success")
    return redirect(url_for("auth.profile", _anchor="line"))


@bp.post("/line/webhook")
@csrf.exempt
def line_webhook():
    """LINE's webhook (no sign-in; the X-Line-Signature HMAC is the credential): link accounts by code."""
    from linebot.v3.exceptions import InvalidSignatureError

    if not line.configured():
        abort(404)
    signature = request.headers.get("X-Line-Signature", "")
    try:
        events = line.parse_webhook(request.get_data(as_text=True), signature)
    except InvalidSignatureError:
        abort(403)
    except (ValueError, KeyError, TypeError):
        abort(400)
    services.handle_line_events(events)
    return {}, 200


def remind_and_tell(remind, sent_message, nobody_message: str) -> None:
    """Run a reminder button's service call and say how many were reminded (or why nobody was)."""
    sent: list[int] = []
    if perform(lambda: sent.append(remind())):
        flash(sent_message(sent[0]) if sent[0] else nobody_message, "success" if sent[0] else "info")


@bp.post("/meetings/<int:meeting_id>/remind")
@login_required
def remind_meeting(meeting_id: int):
    """เตือนผู้ที่ยังไม่ตอบ: remind the members without an answer to the invitation."""
    meeting = access.load(Meeting, meeting_id, read=authz.can_view_meeting, change=authz.can_remind_meeting,
                          options=[joinedload(Meeting.body)], missing=_("ไม่พบการประชุม"))
    require_csrf()
    remind_and_tell(lambda: notices.remind_unanswered(meeting, thaidates.today_bangkok(), current_user),
                    lambda n: _("ส่งคำเตือนถึงผู้ที่ยังไม่ตอบรับ %(n)d คน", n=n),
                    _("ไม่มีผู้ที่ต้องเตือน (ตอบรับครบแล้ว หรือเตือนไปแล้ววันนี้)"))
    return redirect(url_for("meetings.detail", meeting_id=meeting_id))


@bp.post("/rounds/<int:round_id>/remind")
@login_required
def remind_round(round_id: int):
    """เตือนหน่วยงานที่ยังไม่ส่ง: remind the reporters of units with missing reports."""
    from app.reports.services import remind_round as remind_reporters

    round_ = access.load(ReportingRound, round_id, read=authz.can_view_round, change=authz.can_remind_round,
                         options=[joinedload(ReportingRound.plan)], missing=_("ไม่พบรอบการรายงาน"))
    require_csrf()
    remind_and_tell(lambda: remind_reporters(round_, thaidates.today_bangkok(), current_user),
                    lambda n: _("ส่งคำเตือนถึงผู้รายงาน %(n)d คน", n=n),
                    _("ไม่มีหน่วยงานที่ต้องเตือน (ส่งครบแล้ว หรือเตือนไปแล้ววันนี้)"))
    return redirect(url_for("reports.round_detail", round_id=round_id))
