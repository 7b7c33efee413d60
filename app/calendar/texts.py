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


class KeptEvents:
    """Each meeting's VEVENT text with the version it was written from, in one table per setting (reminder, where
    links point, the bodies' names): a poll compares versions, numbers only, and takes the text as it was. The
    tables are dropped, least recently used first, once their texts pass max_bytes; writing takes a lock, so the
    threads of one worker share it safely."""

    def __init__(self, max_bytes: int = 64 * 1024 * 1024):
        self.max_bytes, self.size = max_bytes, 0
        self.tables: dict[Hashable, dict[int, tuple[Hashable, bytes]]] = {}
        self.lock = threading.Lock()

    def table(self, setting: Hashable) -> dict[int, tuple[Hashable, bytes]]:
        """The texts kept for one setting, by meeting id: (what the text was written from, text)."""
        with self.lock:
            table = self.tables.pop(setting, None)
            self.tables[setting] = table = {} if table is None else table  # most recently used last
            return table

    def put(self, table: dict, meeting_id: int, version: Hashable, text: bytes) -> bytes:
        with self.lock:
            old = table.get(meeting_id)
            table[meeting_id] = (version, text)
            self.size += len(text) - (len(old[1]) if old else 0)
            while self.size > self.max_bytes and len(self.tables) > 1:
                dropped = self.tables.pop(next(iter(self.tables)))
                self.size -= sum(len(kept) for _version, kept in dropped.values())
        return text


def event_texts() -> KeptEvents:
    """This app's kept VEVENT texts."""
    return current_app.extensions.setdefault("prachum_feed_event_texts", KeptEvents())


def links_context() -> tuple[str, str]:
    """What every event's text takes from outside the database: where meeting links point (the configured public
    URL or this request's host) and the ORGANIZER address."""
    return absolute_url("meetings.detail", meeting_id=0), reply_address()


# What decides a meeting's text, read for every meeting of a feed: every change to its row goes through the ORM,
# which raises its version (version_id_col; a change of its days raises its SEQUENCE, so its version too) and sets
# updated_at (read as the database gives it, unconverted: it tells apart rows that reuse an id after a reset);
# the bodies' names and the reader's setting choose the table the texts are kept in.
KEY_COLUMNS = (Meeting.id, Meeting.version, type_coerce(Meeting.updated_at, String), Meeting.body_id)


def feed_calendar(scope: FeedScope, name: str, reminder_minutes: int | None) -> bytes:
    """The feed's VCALENDAR (PUBLISH, oldest meeting first): one lean query for each meeting's id and version and
    one for its bodies' names (SUMMARY, ORGANIZER's name), then only the meetings whose text is not kept at that
    version are loaded and written (DTSTAMP is the meeting's last change, so a version always gives the same bytes)."""
    from app.meetings.services import meeting_event

    rows = db.session.connection().execute(
        select(*KEY_COLUMNS).where(scope.condition).order_by(Meeting.starts_at, Meeting.id)).all()
    names = tuple(db.session.execute(select(Body.id, Body.name, Body.short_name)
                                     .where(Body.id.in_({row[3] for row in rows} or {-1})).order_by(Body.id)))
    kept = event_texts()
    table = kept.table((reminder_minutes, links_context(), names))
    texts: list[bytes | None] = []
    missing: dict[int, int] = {}
    stamps: dict[int, tuple] = {}
    for meeting_id, version, stamp, _body_id in rows:
        entry = table.get(meeting_id)
        if entry is not None and entry[0] == (version, stamp):
            texts.append(entry[1])
        else:
            missing[meeting_id] = len(texts)
            stamps[meeting_id] = (version, stamp)
            texts.append(None)
    ids = list(missing)
    for start in range(0, len(ids), CHUNK):
        for meeting in db.session.scalars(
            select(Meeting).options(joinedload(Meeting.body), joinedload(Meeting.days))
            .where(Meeting.id.in_(ids[start:start + CHUNK]))
        ).unique():
            text = ical.event_text(meeting_event(meeting, reminder_minutes=reminder_minutes),
                                   stamp=meeting.updated_at, method="PUBLISH")
            texts[missing[meeting.id]] = kept.put(table, meeting.id, stamps[meeting.id], text)
    head = ical.calendar_head(method="PUBLISH", name=name, refresh=REFRESH)
    return b"".join([head, *filter(None, texts), ical.CALENDAR_END])
