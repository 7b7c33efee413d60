"""A feed's calendar text, put together from each meeting's VEVENT text, kept (per app, per worker process) under
a key naming everything that text depends on: a poll after one meeting changed writes that one meeting afresh
and takes the others' text as it was. The key holds the row's version, so every worker may keep its own copy."""
from __future__ import annotations

import threading
from collections.abc import Hashable

from flask import current_app
from sqlalchemy import String, select, type_coerce
from sqlalchemy.orm import joinedload

from app import ical
from app.bodies.models import Body
from app.calendar.selection import REFRESH, FeedScope
from app.extensions import db
from app.links import absolute_url
from app.mail.services import reply_address
from app.meetings.models import Meeting

CHUNK = 500  # meetings loaded per query when their text must be written


class BoundedTexts:
    """Texts by key, the oldest written dropped first once they pass max_bytes. Reading takes no lock (one dict
    lookup); writing does, so threads of one worker share it safely."""

    def __init__(self, max_bytes: int = 64 * 1024 * 1024):
        self.max_bytes, self.size, self.items = max_bytes, 0, {}
        self.lock = threading.Lock()

    def get(self, key: Hashable) -> bytes | None:
        return self.items.get(key)

    def put(self, key: Hashable, text: bytes) -> bytes:
        with self.lock:
            if key not in self.items and len(text) <= self.max_bytes:
                self.items[key] = text
                self.size += len(text)
                while self.size > self.max_bytes:
                    self.size -= len(self.items.pop(next(iter(self.items))))
        return text


def event_texts() -> BoundedTexts:
    """This app's kept VEVENT texts."""
    return current_app.extensions.setdefault("prachum_feed_event_texts", BoundedTexts())


def links_context() -> tuple[str, str]:
    """What every event's text takes from outside the database: where meeting links point (the configured public
    URL or this request's host) and the ORGANIZER address."""
    return absolute_url("meetings.detail", meeting_id=0), reply_address()


# What decides a meeting's text, read for every meeting of a feed (so only numbers and one raw timestamp): any
# change to its row through the ORM raises its version, and every change sets updated_at (read as the database
# gives it: the key only needs to differ); a change of its days raises its SEQUENCE, so its version.
KEY_COLUMNS = (Meeting.id, Meeting.version, type_coerce(Meeting.updated_at, String), Meeting.body_id)


def feed_calendar(scope: FeedScope, name: str, reminder_minutes: int | None) -> bytes:
    """The feed's VCALENDAR (PUBLISH, oldest meeting first): one lean query for what decides each meeting's text and
    one for its bodies' names (SUMMARY, ORGANIZER's name), then only the meetings whose text is not kept are loaded
    and written (DTSTAMP is the meeting's last change, so the same key always gives the same bytes)."""
    from app.meetings.services import meeting_event

    kept = event_texts()
    rows = db.session.connection().execute(
        select(*KEY_COLUMNS).where(scope.condition).order_by(Meeting.starts_at, Meeting.id)).all()
    names = {body_id: (name, short_name) for body_id, name, short_name in db.session.execute(
        select(Body.id, Body.name, Body.short_name).where(Body.id.in_({row[3] for row in rows} or {-1})))}
    setting = (reminder_minutes, links_context())
    keys = [(*row, names.get(row[3]), setting) for row in rows]
    texts = [kept.get(key) for key in keys]
    missing = {key[0]: n for n, (key, text) in enumerate(zip(keys, texts)) if text is None}
    ids = list(missing)
    for start in range(0, len(ids), CHUNK):
        for meeting in db.session.scalars(
            select(Meeting).options(joinedload(Meeting.body), joinedload(Meeting.days))
            .where(Meeting.id.in_(ids[start:start + CHUNK]))
        ).unique():
            text = ical.event_text(meeting_event(meeting, reminder_minutes=reminder_minutes),
                                   stamp=meeting.updated_at, method="PUBLISH")
            texts[missing[meeting.id]] = kept.put(keys[missing[meeting.id]], text)
    head = ical.calendar_head(method="PUBLISH", name=name, refresh=REFRESH)
    return b"".join([head, *filter(None, texts), ical.CALENDAR_END])
