"""The one-click answer page: GET /answer/<token> shows the meeting with the link's answer pre-selected, a note
and a delegate's name field; only the POST (with its CSRF token) records the answer, so a mail scanner that
fetches every link changes nothing. The signed token (app/meetings/answer_links.py) is the credential: no
password, no session needed beyond the CSRF cookie.
"""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy.orm import joinedload
from wtforms import BooleanField, RadioField, StringField, SubmitField, TextAreaField
from wtforms.validators import Optional

from app import authz
from app import textlimits as limits
from app.auth.models import User
from app.errors import NotFound, ServiceError
from app.extensions import db
from app.labels import RSVP_LABELS
from app.meetings import services
from app.meetings.answer_links import AnswerToken, read_answer_token
from app.meetings.models import Meeting, Rsvp
from app.textrules import TextRule
from app.webactions import refuse

bp = Blueprint("answers", __name__)


class AnswerForm(FlaskForm):
    """The answer, with an optional note and the delegate's name (ส่งผู้แทน)."""

    response = RadioField(_l("คำตอบ"), choices=list(RSVP_LABELS.items()))
    delegate_name = StringField(_l("ชื่อผู้มาประชุมแทน (เมื่อส่งผู้แทน)"), validators=[Optional(), TextRule(limits.NAME)])
    note = TextAreaField(_l("หมายเหตุ"), validators=[Optional(), TextRule(limits.NOTE, one_line=False)])
    confirm_new_time = BooleanField(_l("ข้าพเจ้าตอบสำหรับกำหนดการใหม่นี้"))
    submit = SubmitField(_l("ยืนยันคำตอบ"))


class Invited:
    """Who the link speaks for: a user (member or chair) or a guest, with their current answer."""

    def __init__(self, name: str, user: User | None = None, guest=None, current=None):
        self.name, self.user, self.guest, self.current = name, user, guest, current


def _bad_link() -> NotFound:
    return NotFound(_("ลิงก์ตอบรับนี้ไม่ถูกต้อง กรุณาใช้ลิงก์ในอีเมลเชิญประชุมฉบับล่าสุด หรือติดต่อฝ่ายเลขานุการ"))


def _invited(token: AnswerToken, meeting: Meeting) -> Invited:
    """The invitee the token names, still invited; NotFound otherwise."""
    if token.user_id is not None:
        user = db.session.get(User, token.user_id)
        if user is None or not user.is_active or not authz.is_expected_attendee(user, meeting):
            raise _bad_link()  # gone, deactivated, or no longer invited (left the body, no longer the chair)
        current = db.session.query(Rsvp).filter_by(meeting_id=meeting.id, user_id=user.id).one_or_none()
        return Invited(user.name, user=user, current=current)
    from app.meetings.models import MeetingGuest

    guest = db.session.get(MeetingGuest, token.guest_id)
    if guest is None or guest.meeting_id != meeting.id:
        raise _bad_link()
    return Invited(guest.name, guest=guest, current=guest if guest.response else None)


def _record(meeting: Meeting, invited: Invited, form: AnswerForm) -> None:
    """Record the answer through the one rule for answers (members and the chair) or the guests' service."""
    if invited.user is not None:
        services.record_rsvp(meeting, invited.user, form.response.data, form.delegate_name.data, form.note.data,
                             action="meeting.rsvp.link")
        return
    try:
        from app.meetings.guests import record_guest_rsvp
    except ImportError:
        raise _bad_link() from None
    record_guest_rsvp(meeting, invited.guest, form.response.data, form.delegate_name.data, form.note.data)


@bp.route("/answer/<token>", methods=["GET", "POST"])
def answer(token: str):
    """The confirmation page of a one-click answer link (public: the signed token is the credential)."""
    link = read_answer_token(token)
    if link is None:
        raise _bad_link()
    meeting = db.session.get(Meeting, link.meeting_id, options=[joinedload(Meeting.body)])
    invited = _invited(link, meeting)
    context = dict(meeting=meeting, link=link, invited=invited)
    if link.expired:
        return render_template("meetings/answer.html", form=None, **context), 400
    if meeting.status == "cancelled":
        return render_template("meetings/answer.html", form=None, **context)
    form = AnswerForm()
    if request.method != "POST":  # GET or HEAD: show, never record
        current = invited.current
        just_saved = request.args.get("saved") == "1" and current is not None  # back from the POST: show what was kept
        form.response.data = current.response if just_saved else link.response or (current.response if current else None)
        if current is not None and not link.stale:
            form.note.data = current.note
            form.delegate_name.data = current.delegate_name
        return render_template("meetings/answer.html", form=form, **context)
    status = 200
    if not form.validate_on_submit():
        status = 422 if not form.errors.get("csrf_token") else 400
    elif link.stale and not form.confirm_new_time.data:
        form.confirm_new_time.errors = [_("การประชุมนี้เปลี่ยนกำหนดการแล้ว กรุณายืนยันว่าตอบสำหรับกำหนดการใหม่")]
        status = 422
    else:
        try:
            _record(meeting, invited, form)
        except ServiceError as error:
            if error.status >= 500 or error.status == 404:
                raise
            status = refuse(form, error)
        else:
            flash(_("บันทึกคำตอบแล้ว ขอบคุณค่ะ/ครับ"), "success")
            return redirect(url_for("answers.answer", token=token, saved=1))
    return render_template("meetings/answer.html", form=form, **context), status
