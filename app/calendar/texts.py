"""A feed's calendar text, put together from each meeting's VEVENT text, kept (per app, per worker process) under
a key naming everything that text depends on: a poll after one meeting changed writes that one meeting afresh
and takes the others' text as it was. The key holds the row's version, so every worker may keep its own copy.

Each worker also keeps the last copy of every feed it served (FeedCopy), labelled with the feed log's generation
(app.calendar.changes): a poll while the generation is unchanged is answered from the copy after one read of the
counter; after a change, only the meetings the log names are read again. The ETag is a digest of what the text
was written from, so every worker, whatever its history, gives the same feed the same ETag. A feed served is also
offered to every node in the shared cache (app.caching) under the log's generation: another node polled at that
generation answers with that text instead of writing it again."""
from __future__ import annotations

import bisect
import hashlib
import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass, replace
from datetime import datetime

from flask import current_app, has_request_context, request
from sqlalchemy import String, func, select, type_coerce
from sqlalchemy.orm import joinedload

from app import caching, ical
from app.bodies.models import Body
from app.calendar import changes
from app.calendar.selection import REFRESH, FeedScope, aware
from app.extensions import db
from app.links import absolute_url
from app.thaidates import UTC
from app.mail.services import reply_address
from app.meetings.models import Meeting

CHUNK = 500  # meetings loaded per query when their text must be written
SHARE_AFTER = 10  # texts written for a feed past which it is offered to the shared cache


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
    URL or this request's host) and the ORGANIZER address; worked out once per host and settings."""
    config = current_app.config
    where = config.get("PUBLIC_BASE_URL") or (request.url_root if has_request_context() else None)
    key = (where, config.get("PRACHUM_REPLY_ADDRESS"), config.get("MAIL_SENDER"))
    known = current_app.extensions.setdefault("prachum_links_context", {})
    if key not in known:
        if len(known) > 64:
            known.clear()
        known[key] = (absolute_url("meetings.detail", meeting_id=0), reply_address())
    return known[key]


# What decides a meeting's text, read for every meeting of a feed: every change to its row goes through the ORM,
# which raises its version (version_id_col; a change of its days raises its SEQUENCE, so its version too) and sets
# updated_at (read as the database gives it, unconverted: it tells apart rows that reuse an id after a reset);
# the bodies' names and the reader's setting choose the table the texts are kept in.
KEY_COLUMNS = (Meeting.id, Meeting.version, type_coerce(Meeting.updated_at, String), Meeting.body_id)
DIGEST_MODULUS = 2**128
COPY_LIFETIME = 300  # seconds a kept feed is trusted without the log (a change made with SQL by hand shows after it)


def start_key():
    """Each meeting's place in a feed (with its id): its start, as a number on PostgreSQL (whose text form follows
    the session's time zone), as the stored text on SQLite (UTC, one format)."""
    if db.session.get_bind().dialect.name == "postgresql":
        return func.extract("epoch", Meeting.starts_at)
    return type_coerce(Meeting.starts_at, String)


@dataclass(frozen=True)
class FeedCopy:
    """A feed as one worker last served it, and what it was written from."""

    generation: tuple[str, int] | None  # the feed log's (epoch, generation) read before the data
    built: float  # time.monotonic() of the full build
    scope: FeedScope
    name: str
    reminder_minutes: int | None
    setting: Hashable  # the KeptEvents table its texts come from
    body_ids: frozenset[int]  # the bodies whose names the texts carry
    bodies_changed: str | None  # the latest change of those bodies (a new name changes SUMMARY: Last-Modified)
    rows: dict  # meeting id -> Written
    order: list  # meeting ids, oldest meeting first
    texts: dict  # meeting id -> VEVENT text
    digest: int  # the sum of the rows' digests (mod 2**128): with the settings, the ETag
    latest: str | None  # the latest of the rows' stamps
    body: bytes | None  # None until a reader needs the text (a 304 needs only the ETag)
    etag: str
    modified: datetime | None


@dataclass(frozen=True)
class Written:
    """What one meeting's text in a feed was written from, and its place."""

    place: tuple  # (start, id)
    version: int
    stamp: str  # updated_at as the database writes it
    body_id: int
    digest: int  # of all the above: feeds add them up, so the ETag follows any change, in any order of arrival

    @classmethod
    def of(cls, meeting_id: int, version: int, stamp: str, body_id: int, start) -> Written:
        place = (start, meeting_id)
        digest = int.from_bytes(hashlib.blake2b(repr((place, version, stamp, body_id)).encode(),
                                                digest_size=16).digest(), "big")
        return cls(place, version, stamp, body_id, digest)


class KeptCopies:
    """The last copy of each feed this worker served, least recently used dropped past max_bytes."""

    def __init__(self, max_bytes: int = 64 * 1024 * 1024):
        self.max_bytes, self.size = max_bytes, 0
        self.copies: dict[Hashable, FeedCopy] = {}
        self.lock = threading.Lock()

    def get(self, key: Hashable) -> FeedCopy | None:
        with self.lock:
            copy = self.copies.pop(key, None)
            if copy is not None:
                self.copies[key] = copy  # most recently used last
            return copy

    def put(self, key: Hashable, copy: FeedCopy | None) -> FeedCopy | None:
        with self.lock:
            old = self.copies.pop(key, None)
            self.size -= len(old.body or b"") if old else 0
            if copy is not None:
                self.copies[key] = copy
                self.size += len(copy.body or b"")
            while self.size > self.max_bytes and len(self.copies) > 1:
                self.size -= len(self.copies.pop(next(iter(self.copies))).body or b"")
        return copy


def feed_copies() -> KeptCopies:
    """This app's kept feeds."""
    return current_app.extensions.setdefault("prachum_feed_copies", KeptCopies())


Scoped = tuple[FeedScope, str, "int | None"]  # the feed's meetings, its name, the reader's reminder


def current_feed(key: Hashable, scoped: Callable[[], Scoped | None]) -> FeedCopy | SharedFeed | None:
    """The feed named by `key` (everything its text depends on but the data) as of now, its ETag and Last-Modified
    worked out and its text not yet written (with_text() writes it): the kept copy when the feed log says nothing
    changed, the feed another node or worker served at the log's generation (shared cache), brought up to date
    meeting by meeting when only meetings changed, otherwise read afresh from `scoped()` (None: no such feed)."""
    key = (key, links_context(), datetime.now(UTC).date())  # the feed's window moves with the day
    kept = feed_copies()
    copy = kept.get(key)
    if copy is not None and time.monotonic() - copy.built >= COPY_LIFETIME:
        copy = None
    # the log is read before the data: a copy is never labelled newer than what it holds
    generation, changed = changes.read_log(copy.generation if copy is not None else None)
    if copy is not None and generation is not None and copy.generation == generation:  # nothing changed
        return copy
    shared = (key, generation) if generation is not None else None
    if shared is not None:
        served = caching.recall("feed", shared)
        if served is not None:  # another node or worker served this feed at this generation
            return SharedFeed(*served)
    if copy is not None and changed is not None and changes.EVERYTHING not in changed:
        updated = _updated(copy, changed, generation)
        if updated is not None:
            return kept.put(key, updated)
    found = scoped()
    if found is None:
        kept.put(key, None)
        return None
    return kept.put(key, _built(*found, generation))


def with_text(key: Hashable, feed: FeedCopy | SharedFeed) -> FeedCopy | SharedFeed:
    """The feed with its calendar text, written now for the meetings whose text is not kept at the version the
    feed was read at (in the same request: the data is the data its ETag names); kept for this worker's next poll
    and offered to the other workers and nodes once the response has gone out when all or more than SHARE_AFTER of
    its texts had to be written (a feed brought up to date by a few is cheaper to write again than to send through
    the cache)."""
    if feed.body is not None:
        return feed
    key = (key, links_context(), datetime.now(UTC).date())
    written, count = _written(feed)
    kept = feed_copies()
    if kept.get(key) is feed:
        kept.put(key, written)
    if written.generation is not None and (count > SHARE_AFTER or count == len(written.order) > 0):
        caching.keep_after_response("feed", (key, written.generation), (written.body, written.etag, written.modified),
                                    timeout=COPY_LIFETIME)
    return written


@dataclass(frozen=True)
class SharedFeed:
    """A feed as a node or worker served it at the feed log's current generation, from the shared cache."""

    body: bytes
    etag: str
    modified: datetime | None


def _built(scope: FeedScope, name: str, reminder_minutes: int | None, generation) -> FeedCopy:
    """The whole feed: one lean query for each meeting's id and version and one for its bodies' names (SUMMARY,
    ORGANIZER's name); only the meetings whose text is not kept at that version are loaded and written, and only
    when the text is needed (with_text)."""
    rows = {row[0]: Written.of(*row) for row in db.session.connection().execute(
        select(*KEY_COLUMNS, start_key()).where(scope.condition))}
    body_ids = frozenset(row.body_id for row in rows.values())
    bodies = db.session.execute(select(Body.id, Body.name, Body.short_name, type_coerce(Body.updated_at, String))
                                .where(Body.id.in_(body_ids or {-1})).order_by(Body.id)).all()
    copy = FeedCopy(generation=generation, built=time.monotonic(), scope=scope, name=name,
                    reminder_minutes=reminder_minutes,
                    setting=(reminder_minutes, links_context(), tuple(body[:3] for body in bodies)), body_ids=body_ids,
                    bodies_changed=max(filter(None, (body[3] for body in bodies)), default=None), rows=rows,
                    order=sorted(rows, key=lambda meeting_id: rows[meeting_id].place), texts={},
                    digest=sum(row.digest for row in rows.values()) % DIGEST_MODULUS,
                    latest=max((row.stamp for row in rows.values() if row.stamp), default=None),
                    body=b"", etag="", modified=None)
    return _labelled(copy)


def _updated(copy: FeedCopy, changed: set[int], generation) -> FeedCopy | None:
    """The copy with the changed meetings read again (in the feed or not any more, at which version); None when
    one of them now belongs to a body the copy's texts do not name (build afresh)."""
    fresh = {row[0]: Written.of(*row) for row in db.session.connection().execute(
        select(*KEY_COLUMNS, start_key()).where(copy.scope.condition, Meeting.id.in_(changed)))}
    if any(row.body_id not in copy.body_ids for row in fresh.values()):
        return None
    rows, order, texts, digest, latest = dict(copy.rows), list(copy.order), dict(copy.texts), copy.digest, copy.latest
    for meeting_id in changed:
        old, new = rows.pop(meeting_id, None), fresh.get(meeting_id)
        if old is not None:
            if old.stamp == latest:
                latest = None  # worked out again below
            digest -= old.digest
            texts.pop(meeting_id, None)
            order.remove(meeting_id)
        if new is not None:
            rows[meeting_id] = new
            digest += new.digest
            bisect.insort(order, meeting_id, key=lambda i: rows[i].place)
    if latest is None:
        latest = max((row.stamp for row in rows.values() if row.stamp), default=None)
    else:
        latest = max([latest, *(row.stamp for row in fresh.values() if row.stamp)])
    return _labelled(replace(copy, generation=generation, rows=rows, order=order, texts=texts,
                             digest=digest % DIGEST_MODULUS, latest=latest, body=None))


def _labelled(copy: FeedCopy) -> FeedCopy:
    """The copy's ETag (a digest of what its text is written from) and Last-Modified, its text not written."""
    etag = hashlib.sha256(repr((copy.setting, copy.scope.settings, copy.digest)).encode()).hexdigest()[:32]
    latest = max(filter(None, (copy.bodies_changed, copy.latest)), default=None)
    return replace(copy, body=None, etag=f'"{etag}"', modified=aware(latest) if latest else None)


def _written(copy: FeedCopy) -> tuple[FeedCopy, int]:
    """The copy's calendar (oldest meeting first): each meeting's text taken from the kept texts when written from
    the same version, else written now; and how many were written."""
    from app.meetings.services import meeting_event

    table = event_texts().table(copy.setting)
    texts = dict(copy.texts)
    missing: list[int] = []
    for meeting_id in copy.order:
        if meeting_id in texts:
            continue
        row, entry = copy.rows[meeting_id], table.get(meeting_id)
        if entry is not None and entry[0] == (row.version, row.stamp):
            texts[meeting_id] = entry[1]
        else:
            missing.append(meeting_id)
    for start in range(0, len(missing), CHUNK):
        for meeting in db.session.scalars(
            select(Meeting).options(joinedload(Meeting.body), joinedload(Meeting.days))
            .where(Meeting.id.in_(missing[start:start + CHUNK]))
        ).unique():
            row = copy.rows[meeting.id]
            text = ical.event_text(meeting_event(meeting, reminder_minutes=copy.reminder_minutes),
                                   stamp=meeting.updated_at, method="PUBLISH")
            texts[meeting.id] = event_texts().put(table, meeting.id, (row.version, row.stamp), text)
    head = ical.calendar_head(method="PUBLISH", name=copy.name, refresh=REFRESH)
    body = b"".join([head, *(texts[meeting_id] for meeting_id in copy.order if meeting_id in texts),
                     ical.CALENDAR_END])
    return replace(copy, texts=texts, body=body), len(missing)
