"""Calendar feeds (no login: the secret in the URL is the credential) and feed management on the profile."""
from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.http import http_date

from app import authz
from app.bodies.models import Body
from app.calendar import changes, feeds, selection, texts
from app.extensions import db
from app.ids import MAX_ID
from app.kept_responses import kept_response
from app.responses import client_copy_is_current
from app.webactions import require_csrf

bp = Blueprint("calendar", __name__)


@bp.record_once
def keep_feed_log(state) -> None:
    """Log every change feeds carry from the moment the calendar area is registered."""
    changes.keep_feed_log()


def feed_response(key: tuple, scoped) -> Response:
    """A subscribable calendar (cancelled meetings included, as cancelled), answered 304 when the subscriber's
    copy is current; 404 when `scoped()` finds no such feed. See texts.current_feed: an unchanged feed costs one
    read of the feed log's counter, a changed one reads only the changed meetings' versions, and its text (rewriting
    only the changed meetings) is written only when the subscriber's copy is not current."""
    feed = texts.current_feed(key, scoped)
    if feed is None:
        abort(404)
    headers = {"Cache-Control": "private, no-cache", "ETag": feed.etag}
    if feed.modified is not None:
        headers["Last-Modified"] = http_date(feed.modified)
    if client_copy_is_current(feed.etag.strip('"'), feed.modified):
        return Response(status=304, headers=headers)
    return Response(texts.with_text(key, feed).body, mimetype="text/calendar", headers=headers)


def wants_everything() -> bool:
    """?all=1: the whole history instead of the past 12 months."""
    return request.args.get("all") in ("1", "true", "yes")


@bp.route("/calendar/<secret>.ics")
@kept_response(secret_in_path=True)
def personal_feed(secret: str):
    """The meetings the user is invited to (their own bodies' and those they chair) and the bodies they follow."""
    everything = wants_everything()

    def scoped():
        user = feeds.user_for_feed_secret(secret)
        if user is None:
            return None
        return (selection.personal_scope(user, everything=everything), f"ประชุม — {user.name}",
                user.calendar_reminder_minutes)

    return feed_response(("personal", secret, everything), scoped)


@bp.route("/calendar/<secret>/bodies/<int:body_id>.ics")
@kept_response(secret_in_path=True)
def body_feed(secret: str, body_id: int):
    """One body's meetings, for a user who may read that body."""
    everything = wants_everything()

    def scoped():
        user = feeds.user_for_feed_secret(secret)
        body = db.session.get(Body, body_id) if body_id <= MAX_ID else None
        if user is None or body is None or not authz.can_view_body(user, body):
            return None
        return (selection.body_scope(user, body, everything=everything), body.short_name or body.name,
                user.calendar_reminder_minutes)

    return feed_response(("body", secret, body_id, everything), scoped)


REMINDER_LABELS = ((None, _l("ไม่เตือน")), (15, _l("15 นาที")), (60, _l("1 ชั่วโมง")), (1440, _l("1 วัน")))


@bp.app_template_global()
def calendar_choices() -> dict:
    """What /profile shows for the feed: the reminder choices and the readable bodies, followed ones marked."""
    query = select(Body).order_by(Body.name)
    condition = authz.visible_body_filter(current_user, Body.id)
    if condition is not None:
        query = query.where(condition)
    return {"reminders": [("" if v is None else str(v), str(label)) for v, label in REMINDER_LABELS],
            "reminder": "" if current_user.calendar_reminder_minutes is None
            else str(current_user.calendar_reminder_minutes),
            "bodies": list(db.session.scalars(query)), "followed": set(selection.followed_body_ids(current_user))}


@bp.app_template_global()
def body_feed_url(body: Body) -> str | None:
    """The body's feed for the signed-in user (the body page links it); None when their feed is off."""
    return feeds.body_feed_url_for(current_user, body, external=True)


@bp.route("/profile/calendar/settings", methods=["POST"])
@login_required
def settings():
    """Save the feed's reminder and followed bodies."""
    require_csrf()
    raw = request.form.get("reminder_minutes", "")
    try:
        minutes = int(raw) if raw else None
        follows = [int(v) for v in request.form.getlist("follow")]
    except ValueError:
        abort(400)
    if any(not 0 < v <= MAX_ID for v in follows):
        abort(400)
    user = current_user._get_current_object()
    selection.set_reminder(user, minutes)
    selection.set_followed_bodies(user, follows)
    flash(_("บันทึกการตั้งค่าปฏิทินแล้ว"), "success")
    return redirect(url_for("auth.profile"))


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
