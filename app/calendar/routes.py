"""Calendar feeds (no login: the secret in the URL is the credential) and feed management on the profile."""
from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app import authz, ical
from app.bodies.models import Body
from app.calendar import feeds
from app.extensions import db
from app.webactions import require_csrf
from app.meetings.models import Meeting
from app.meetings.services import meeting_event

bp = Blueprint("calendar", __name__)


def feed_response(meetings: list[Meeting], name: str) -> Response:
    """A subscribable calendar of the meetings (cancelled ones included, as cancelled)."""
    body = ical.build_calendar([meeting_event(m) for m in meetings], method="PUBLISH", name=name)
    return Response(body, mimetype="text/calendar", headers={"Cache-Control": "private, max-age=300"})


def feed_meetings(body_ids) -> list[Meeting]:
    """Every meeting of these bodies, oldest first (one query)."""
    if not body_ids:
        return []
    return list(db.session.scalars(
        select(Meeting).options(joinedload(Meeting.body)).where(Meeting.body_id.in_(sorted(body_ids)))
        .order_by(Meeting.starts_at)
    ))


@bp.route("/calendar/<secret>.ics")
def personal_feed(secret: str):
    """The meetings of the bodies the user belongs to (and the working groups under them)."""
    user = feeds.user_for_feed_secret(secret)
    if user is None:
        abort(404)
    return feed_response(feed_meetings(authz.member_body_ids(user)), f"ประชุม — {user.name}")


@bp.route("/calendar/<secret>/bodies/<int:body_id>.ics")
def body_feed(secret: str, body_id: int):
    """One body's meetings, for a user who may read that body."""
    user = feeds.user_for_feed_secret(secret)
    body = db.session.get(Body, body_id)
    if user is None or body is None or not authz.can_view_body(user, body):
        abort(404)
    return feed_response(feed_meetings([body_id]), body.short_name or body.name)


@bp.route("/profile/calendar/regenerate", methods=["POST"])
@login_required
def regenerate():
    """A new feed URL; the old one stops working."""
    require_csrf()
    feeds.regenerate_feed(current_user)
    flash(_("สร้างลิงก์ปฏิทินใหม่แล้ว ลิงก์เดิมใช้ไม่ได้อีกต่อไป"), "success")
    return redirect(url_for("auth.profile"))


@bp.route("/profile/calendar/revoke", methods=["POST"])
@login_required
def revoke():
    """Turn the personal feed off."""
    require_csrf()
    feeds.revoke_feed(current_user)
    flash(_("ยกเลิกลิงก์ปฏิทินแล้ว"), "success")
    return redirect(url_for("auth.profile"))
