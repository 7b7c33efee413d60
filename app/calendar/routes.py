"""Calendar feeds (no login: the secret in the URL is the credential) and feed management on the profile."""
from __future__ import annotations

import threading
from collections import OrderedDict

from flask import Blueprint, Response, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.http import http_date

from app import authz, ical
from app.bodies.models import Body
from app.calendar import feeds, selection
from app.extensions import db
from app.ids import MAX_ID
from app.webactions import require_csrf
from app.meetings.services import meeting_event

bp = Blueprint("calendar", __name__)


def feed_response(scope: selection.FeedScope, name: str, reminder_minutes: int | None) -> Response:
    """A subscribable calendar (cancelled meetings included, as cancelled), answered 304 when the subscriber's
    copy is current: the ETag comes from one aggregate query, and the calendar is built only when it changed."""
    etag, latest = selection.fingerprint(scope)
    headers = {"Cache-Control": "private, no-cache", "ETag": etag}
    if latest is not None:
        headers["Last-Modified"] = http_date(latest)
    if not_modified(etag, latest):
        return Response(status=304, headers=headers)
    body = built_feeds.get(etag)
    if body is None:  # changed since anyone last fetched it: build once, then every poll takes these bytes
        events = [meeting_event(m, reminder_minutes=reminder_minutes) for m in selection.meetings_in(scope)]
        body = built_feeds.put(etag, ical.build_calendar(events, method="PUBLISH", name=name,
                                                         refresh=selection.REFRESH))
    return Response(body, mimetype="text/calendar", headers=headers)


class BuiltFeeds:
    """The calendars last built, by ETag (which names their whole content), per worker process and bounded in
    bytes: a feed is built when its meetings or its owner's settings changed, not on every poll."""

    def __init__(self, max_bytes: int = 64 * 1024 * 1024):
        self.max_bytes, self.size, self.items = max_bytes, 0, OrderedDict()
        self.lock = threading.Lock()

    def get(self, etag: str) -> bytes | None:
        with self.lock:
            body = self.items.get(etag)
            if body is not None:
                self.items.move_to_end(etag)
            return body

    def put(self, etag: str, body: bytes) -> bytes:
        with self.lock:
            if etag not in self.items and len(body) <= self.max_bytes:
                self.items[etag] = body
                self.size += len(body)
                while self.size > self.max_bytes:
                    self.size -= len(self.items.popitem(last=False)[1])
        return body


built_feeds = BuiltFeeds()


def not_modified(etag: str, latest) -> bool:
    """If-None-Match decides when sent (RFC 9110 13.2.2); otherwise If-Modified-Since."""
    if request.if_none_match:
        return request.if_none_match.contains(etag.strip('"'))
    since = request.if_modified_since
    return since is not None and latest is not None and latest.replace(microsecond=0) <= since


def wants_everything() -> bool:
    """?all=1: the whole history instead of the past 12 months."""
    return request.args.get("all") in ("1", "true", "yes")


@bp.route("/calendar/<secret>.ics")
def personal_feed(secret: str):
    """The meetings the user is invited to (their own bodies' and those they chair) and the bodies they follow."""
    user = feeds.user_for_feed_secret(secret)
    if user is None:
        abort(404)
    scope = selection.personal_scope(user, everything=wants_everything())
    return feed_response(scope, f"ประชุม — {user.name}", user.calendar_reminder_minutes)


@bp.route("/calendar/<secret>/bodies/<int:body_id>.ics")
def body_feed(secret: str, body_id: int):
    """One body's meetings, for a user who may read that body."""
    user = feeds.user_for_feed_secret(secret)
    body = db.session.get(Body, body_id)
    if user is None or body is None or not authz.can_view_body(user, body):
        abort(404)
    scope = selection.body_scope(user, body, everything=wants_everything())
    return feed_response(scope, body.short_name or body.name, user.calendar_reminder_minutes)


REMINDER_LABELS = ((None, "ไม่เตือน"), (15, "15 นาที"), (60, "1 ชั่วโมง"), (1440, "1 วัน"))


@bp.app_template_global()
def calendar_choices() -> dict:
    """What /profile shows for the feed: the reminder choices and the readable bodies, followed ones marked."""
    query = select(Body).order_by(Body.name)
    condition = authz.visible_body_filter(current_user, Body.id)
    if condition is not None:
        query = query.where(condition)
    return {"reminders": [("" if v is None else str(v), _(label)) for v, label in REMINDER_LABELS],
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
