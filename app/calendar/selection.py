"""Which meetings a calendar feed carries, and what the user chooses about it (reminder, followed bodies).

A personal feed holds the meetings its owner is invited to (meetings of the bodies they sit in themselves,
not the working groups below, and the meetings they chair) plus the bodies they follow; a body feed holds
one body's meetings. Both cover the past 12 months and every future meeting, or the whole history."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, literal, or_, select

from app import authz
from app.bodies.models import Body, Membership
from app.calendar.models import BodyFollow
from app.errors import Invalid
from app.extensions import db
from app.meetings.models import Meeting
from app.thaidates import UTC

HISTORY = timedelta(days=365)  # the past 12 months; ?all=1 for everything
REFRESH = timedelta(hours=1)  # REFRESH-INTERVAL and X-PUBLISHED-TTL
REMINDER_CHOICES = (None, 15, 60, 1440)  # none, 15 minutes, 1 hour, 1 day


@dataclass(frozen=True)
class FeedScope:
    """A feed's meetings as one SQL condition, and what else its text depends on."""

    condition: object  # SQL condition on Meeting
    settings: tuple  # user settings that change the text (reminder, name, window, bodies)


def followed_body_ids(user) -> list[int]:
    """The bodies the user follows and may still read, in id order."""
    return _readable(user, sorted(db.session.scalars(select(BodyFollow.body_id).where(BodyFollow.user_id == user.id))))


def _readable(user, followed: list[int]) -> list[int]:
    if followed and not authz.reads_everything(user):
        readable = authz.member_body_ids(user)
        followed = [i for i in followed if i in readable]
    return followed


def feed_body_ids(user) -> list[int]:
    """The bodies whose meetings the personal feed carries: those the user sits in themselves (their meetings
    invite them) and those they follow and may read; one query (a feed poll runs this every time)."""
    rows = db.session.execute(
        select(Membership.body_id, literal(False)).where(Membership.user_id == user.id)
        .union_all(select(BodyFollow.body_id, literal(True)).where(BodyFollow.user_id == user.id))).all()
    own = {body_id for body_id, followed in rows if not followed}
    return sorted(own | set(_readable(user, sorted(body_id for body_id, followed in rows if followed))))


def _window(everything: bool, now: datetime | None):
    if everything:
        return None, "all"
    today = (now or datetime.now(UTC)).astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    since = today - HISTORY  # from a day's start: a feed's meetings change with the day, not the minute
    return Meeting.ends_at >= since, since.date().isoformat()


def personal_scope(user, *, everything: bool = False, now: datetime | None = None) -> FeedScope:
    """The user's invitations and followed bodies."""
    body_ids = feed_body_ids(user)
    condition = or_(Meeting.body_id.in_(body_ids or [-1]), Meeting.chair_id == user.id)
    window, since = _window(everything, now)
    if window is not None:
        condition = condition & window
    return FeedScope(condition, ("user", user.id, user.calendar_reminder_minutes, user.name, since, tuple(body_ids)))


def body_scope(user, body: Body, *, everything: bool = False, now: datetime | None = None) -> FeedScope:
    """One body's meetings."""
    condition = Meeting.body_id == body.id
    window, since = _window(everything, now)
    if window is not None:
        condition = condition & window
    return FeedScope(condition, ("body", body.id, user.calendar_reminder_minutes, body.name, body.short_name, since))


def aware(value: datetime | None) -> datetime | None:
    """An aggregate's datetime as aware UTC (SQLite gives it back naive, or as text)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


# --- the user's choices ---------------------------------------------------------------------------

def set_followed_bodies(user, body_ids) -> list[int]:
    """Replace the bodies the user follows; an unknown or unreadable id is refused by name (422)."""
    from flask_babel import gettext as _

    from app.audit.services import record

    wanted = sorted(set(body_ids))
    bodies = {b.id: b for b in db.session.scalars(select(Body).where(Body.id.in_(wanted or [-1])))}
    for body_id in wanted:
        if body_id not in bodies or not authz.can_view_body(user, bodies[body_id]):
            raise Invalid(_("ไม่พบหน่วยงาน %(id)s", id=body_id),
                          fields={"body_ids": _("ไม่พบหน่วยงาน %(id)s", id=body_id)})
    current = set(db.session.scalars(select(BodyFollow.body_id).where(BodyFollow.user_id == user.id)))
    for body_id in current - set(wanted):
        db.session.delete(db.session.get(BodyFollow, (user.id, body_id)))
    for body_id in set(wanted) - current:
        db.session.add(BodyFollow(user_id=user.id, body_id=body_id))
    db.session.flush()
    if current != set(wanted):
        record("calendar_feed.follow", user, user.email, changes={"body_ids": [sorted(current), wanted]})
    return wanted


def set_reminder(user, minutes) -> int | None:
    """The user's feed reminder: None (no alarm), 15, 60 or 1440 minutes before a meeting."""
    from flask_babel import gettext as _

    from app.audit.services import record

    if minutes not in REMINDER_CHOICES or isinstance(minutes, bool):
        raise Invalid(_("เลือกการเตือนไม่ถูกต้อง"), fields={"reminder_minutes": _("เลือก ไม่เตือน 15 นาที 1 ชั่วโมง หรือ 1 วัน")})
    if user.calendar_reminder_minutes != minutes:
        user.calendar_reminder_minutes = minutes
        record("calendar_feed.reminder", user, user.email)
    return minutes
