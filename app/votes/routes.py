"""Votes at the meeting, on the phone: the meeting's votes with the form that opens one, one vote's page with big
buttons for members, hand votes and closing for the secretariat, and the result once closed."""
from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import access, authz
from app.dbtypes import utcnow
from app.errors import ServiceError
from app.meetings.models import Meeting
from app.meetings.routes import load_meeting
from app.votes import services
from app.votes.forms import HandVoteForm, OpenVoteForm
from app.votes.models import Vote
from app.webactions import perform, refuse, require_csrf

bp = Blueprint("votes", __name__)


def meeting_for_votes(meeting_id: int) -> Meeting:
    """The meeting whose votes the user may read: 404 when the meeting is hidden, 403 when its votes are."""
    return access.authorize(load_meeting(meeting_id), read=authz.can_view_meeting, change=authz.can_view_meeting_votes)


def readable_vote(vote_id: int) -> Vote:
    """The vote (closed first if its time has passed); 404 unless the user may read it."""
    return services.close_if_due(access.load(Vote, vote_id, read=authz.can_view_vote, missing=_("ไม่พบการลงมติ")))


@bp.app_template_global()
def meeting_quorum(meeting: Meeting) -> services.QuorumState:
    """The meeting's quorum now (attendance and minutes pages)."""
    return services.quorum_of(meeting)


@bp.app_template_global()
def meeting_quorum_line(meeting: Meeting) -> str | None:
    """ครบองค์ประชุม / ไม่ครบองค์ประชุม for the minutes page (None before attendance is recorded)."""
    return services.quorum_line(meeting)


@bp.app_template_global()
def open_votes_of(meeting: Meeting) -> list[Vote]:
    """The meeting's votes still open, for the meeting page (only for those who may read its votes)."""
    if not authz.can_view_meeting_votes(current_user, meeting):
        return []
    return [vote for vote in services.votes_of_meeting(meeting) if vote.state == "open"]


def open_form(meeting: Meeting) -> OpenVoteForm:
    """The open-a-vote form with the meeting's agenda items to choose from."""
    form = OpenVoteForm()
    form.agenda_item_id.choices = [("", _("— เลือกระเบียบวาระ —"))] + [
        (item.id, f"{item.number} {item.title}") for item in meeting.agenda_items]
    return form


@bp.route("/meetings/<int:meeting_id>/votes", methods=["GET", "POST"])
@login_required
def meeting_votes(meeting_id: int):
    """The meeting's votes and its quorum; the chair or the secretariat opens a vote here."""
    meeting = meeting_for_votes(meeting_id)
    runs = authz.can_run_vote(current_user, meeting) and not authz.meeting_record_frozen(meeting)
    form = open_form(meeting) if runs else None
    status = 200
    if request.method == "POST":
        if form is None:
            abort(403)
        if form.validate_on_submit():
            item = next(i for i in meeting.agenda_items if i.id == form.agenda_item_id.data)
            options = [line.strip() for line in (form.options.data or "").splitlines() if line.strip()]
            closes_at = utcnow() + timedelta(minutes=form.closes_in.data) if form.closes_in.data else None
            try:
                vote = services.open_vote(item, current_user, question=form.question.data, secret=form.secret.data,
                                          options=options or None, majority=form.majority.data, closes_at=closes_at,
                                          override_reason=form.override_reason.data)
            except ServiceError as error:
                status = refuse(form, error)
            else:
                flash(_("เปิดการลงมติแล้ว"), "success")
                return redirect(url_for("votes.vote", vote_id=vote.id))
        else:
            status = 422
    return render_template("votes/meeting.html", meeting=meeting, form=form, votes=services.votes_of_meeting(meeting),
                           quorum=services.quorum_of(meeting)), status


@bp.route("/votes/<int:vote_id>")
@login_required
def vote(vote_id: int):
    """One vote: big buttons for a member who may vote, hand votes and closing for the secretariat, and the
    result once closed (who voted, never how in a secret vote)."""
    vote = readable_vote(vote_id)
    meeting = vote.agenda_item.meeting
    voters = services.voted(vote)
    hand_form = None
    if authz.can_record_hand_votes(current_user, vote):
        hand_form = HandVoteForm()
        done = {v.user_id for v in voters}
        hand_form.user_id.choices = [("", _("— เลือกกรรมการ —"))] + [
            (row.user_id, row.name + (f" ({_('ผู้แทน')}: {row.delegate_name})" if row.status == "delegate" else ""))
            for row in services.voter_rows(vote).values() if row.user_id not in done]
        hand_form.choice.choices = [(option, option) for option in vote.options]
    return render_template("votes/vote.html", vote=vote, meeting=meeting, voters=voters, hand_form=hand_form,
                           has_voted=any(v.user_id == current_user.id for v in voters),
                           members=services.member_count(meeting.body))


@bp.post("/votes/<int:vote_id>/ballot")
@login_required
def cast(vote_id: int):
    """A member casts their own ballot with one button."""
    require_csrf()
    vote = readable_vote(vote_id)
    perform(lambda: services.cast_ballot(vote, current_user, request.form.get("choice", "")), _("ลงคะแนนแล้ว"))
    return redirect(url_for("votes.vote", vote_id=vote_id))


@bp.post("/votes/<int:vote_id>/hand")
@login_required
def hand_vote(vote_id: int):
    """The secretariat records a member's (or their delegate's) vote given by hand."""
    vote = readable_vote(vote_id)
    if not authz.can_record_hand_votes(current_user, vote):
        abort(403)
    form = HandVoteForm()
    form.user_id.choices = [(user_id, str(user_id)) for user_id in services.voter_rows(vote)]
    form.choice.choices = [(option, option) for option in vote.options]
    if not form.validate_on_submit():
        flash(_("ข้อมูลการลงคะแนนไม่ถูกต้อง"), "danger")
        return redirect(url_for("votes.vote", vote_id=vote_id))
    perform(lambda: services.cast_ballot(vote, current_user, form.choice.data, for_user_id=form.user_id.data),
            _("บันทึกคะแนนแล้ว"))
    return redirect(url_for("votes.vote", vote_id=vote_id))


@bp.post("/votes/<int:vote_id>/close")
@login_required
def close(vote_id: int):
    """Close the vote and show the result."""
    require_csrf()
    vote = readable_vote(vote_id)
    if not authz.can_run_vote(current_user, vote.agenda_item.meeting):
        abort(403)
    perform(lambda: services.close_vote(vote, current_user), _("ปิดการลงมติแล้ว"))
    return redirect(url_for("votes.vote", vote_id=vote_id))


@bp.post("/votes/<int:vote_id>/casting-vote")
@login_required
def casting_vote(vote_id: int):
    """The chair's deciding vote on a tie."""
    require_csrf()
    vote = readable_vote(vote_id)
    if not authz.can_run_vote(current_user, vote.agenda_item.meeting):
        abort(403)
    perform(lambda: services.record_casting_vote(vote, current_user, request.form.get("choice", "")),
            _("บันทึกการออกเสียงชี้ขาดของประธานแล้ว"))
    return redirect(url_for("votes.vote", vote_id=vote_id))
