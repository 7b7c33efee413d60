"""Meeting page: the guests section (secretariat): add one guest, import a list, remove a guest."""
from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import login_required

from app import access, authz
from app.errors import ServiceError
from app.meetings import guests as guest_services
from app.meetings.forms import GuestForm, GuestImportForm
from app.meetings.models import MeetingGuest
from app.meetings.routes import bp, load_meeting
from app.webactions import flash_refusal, perform, require_csrf


def _back(meeting_id: int):
    return redirect(url_for("meetings.detail", meeting_id=meeting_id, _anchor="guests"))


@bp.route("/<int:meeting_id>/guests", methods=["POST"])
@login_required
def add_guest(meeting_id: int):
    """Invite one person without an account; they are mailed the invitation with its .ics."""
    meeting = load_meeting(meeting_id, manage=True)
    form = GuestForm(prefix="guest")
    if not form.validate_on_submit():
        for messages in form.errors.values():
            for message in messages:
                flash(message, "danger")
        return _back(meeting_id)
    perform(lambda: guest_services.add_guest(meeting, form.name.data, form.email.data, form.organisation.data),
            _("เพิ่มผู้เข้าร่วมประชุมและส่งหนังสือเชิญแล้ว"))
    return _back(meeting_id)


@bp.route("/<int:meeting_id>/guests/import", methods=["POST"])
@login_required
def import_guests(meeting_id: int):
    """Invite every guest of an .xlsx or .csv list (all or nothing; every problem is shown by its row)."""
    meeting = load_meeting(meeting_id, manage=True)
    form = GuestImportForm(prefix="guests")
    if not form.validate_on_submit():
        for messages in form.errors.values():
            for message in messages:
                flash(message, "danger")
        return _back(meeting_id)
    try:
        added = guest_services.import_guests(meeting, form.file.data.read())
    except ServiceError as error:
        if error.status >= 500:
            raise
        flash_refusal(error)
    else:
        flash(_("นำเข้าและส่งหนังสือเชิญแล้ว %(n)d รายชื่อ", n=len(added)), "success")
    return _back(meeting_id)


@bp.route("/<int:meeting_id>/guests/<int:guest_id>/delete", methods=["POST"])
@login_required
def remove_guest(meeting_id: int, guest_id: int):
    """Take a guest off the meeting; they are mailed a cancellation."""
    require_csrf()
    meeting = load_meeting(meeting_id, manage=True)
    guest = access.fetch(MeetingGuest, guest_id)
    if guest is None or guest.meeting_id != meeting.id:
        access.authorize(None, read=authz.can_view_meeting)
    perform(lambda: guest_services.remove_guest(guest), _("นำออกจากรายชื่อและแจ้งยกเลิกการเชิญแล้ว"))
    return _back(meeting_id)
