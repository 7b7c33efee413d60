"""Meeting series pages: "นัดครั้งถัดไป" (the meeting form prefilled from a previous meeting) and
"นัดประชุมล่วงหน้าเป็นชุด" (a body's meetings scheduled ahead by a rule)."""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import access, authz, confirmations
from app.bodies.models import Body
from app.errors import ServiceError
from app.meetings.forms import MeetingForm
from app.meetings.models import Meeting
from app.meetings.routes import chair_choices, commit_and_announce, fill_choices, form_values
from app.recurrence import MAX_OCCURRENCES
from app.series import services
from app.series.forms import SeriesForm
from app.webactions import refuse

bp = Blueprint("series", __name__)


@bp.route("/meetings/<int:meeting_id>/next", methods=["GET", "POST"])
@login_required
def next_meeting(meeting_id: int):
    """นัดครั้งถัดไป: the meeting form filled from this meeting, at the suggested date (secretariat)."""
    previous = access.load(Meeting, meeting_id, read=authz.can_view_meeting, change=authz.can_schedule_next_meeting,
                           missing=_("ไม่พบการประชุม"))
    form = MeetingForm(data={**services.next_meeting_values(previous), "body_id": previous.body_id})
    fill_choices(form)
    form.body_id.render_kw = {"disabled": True}
    form.body_id.data = previous.body_id
    status = 200
    if form.validate_on_submit():
        try:
            result = services.schedule_next_meeting(previous, {**form_values(form), "number": form.number.data},
                                                    notify=form.notify.data)
        except ServiceError as error:
            status = refuse(form, error)
        else:
            commit_and_announce(result, _("บันทึกการประชุมครั้งที่ %(code)s แล้ว", code=result.meeting.code))
            return redirect(url_for("meetings.detail", meeting_id=result.meeting.id))
    elif form.is_submitted():
        status = 422
    return render_template("meetings/form.html", form=form, meeting=None, previous=previous, warnings=[]), status


@bp.route("/bodies/<int:body_id>/meeting-series", methods=["GET", "POST"])
@login_required
def new_series(body_id: int):
    """นัดประชุมล่วงหน้าเป็นชุด: the rule, from when, how many or until when, at what time, where (secretariat)."""
    body = access.load(Body, body_id, read=authz.can_view_body, change=authz.can_schedule_series)
    form = SeriesForm()
    form.chair_id.choices = chair_choices()
    status = 200
    if form.validate_on_submit():
        raw = {**form_values(form), "rule": {"frequency": form.frequency.data, "every": form.every.data,
                                             "weekday": form.weekday.data, "ordinal": form.ordinal.data},
               "starts_on": form.starts_on.data, "until": form.until.data, "count": form.count.data,
               "start_time": form.start_time.data, "end_time": form.end_time.data}
        step = lambda: services.schedule_series(body, raw, current_user, notify=form.notify.data)  # noqa: E731
        try:
            question = services.series_preview(body, raw)
            page = confirmations.ask_first(step, _("นัดประชุมล่วงหน้าเป็นชุด"), question, _("ยืนยันสร้างการประชุม"),
                                           url_for("series.new_series", body_id=body.id))
            if page is not None:
                return page
            result = step()
        except ServiceError as error:
            error.fields = {name.removeprefix("rule."): message for name, message in error.fields.items()}
            status = refuse(form, error)
        else:
            commit_and_announce(result, _("นัดประชุมล่วงหน้า %(n)d ครั้งแล้ว: %(codes)s", n=len(result.meetings),
                                          codes=", ".join(m.code for m in result.meetings)))
            return redirect(url_for("meetings.index", body=body.id))
    elif form.is_submitted():
        status = 422
    return render_template("series/form.html", form=form, body=body, max_occurrences=MAX_OCCURRENCES), status
