"""The feeds' change log: every committed transaction that changes what calendar feeds carry raises one counter
(feed_generation) and notes what it changed (feed_changes), so that a worker holding a feed built at generation g
answers a poll with one read of the counter while it is still g, and brings its copy up to date by rewriting only
the meetings changed since.

The counter is raised just before COMMIT (the row's lock is the transaction's last, held only while it commits,
so two transactions cannot wait on each other through it), and a generation becomes visible only with everything
it changed. Changes are seen through the ORM, as every service makes them; a change made with SQL by hand reaches
feeds when kept copies expire (texts.COPY_LIFETIME)."""
from __future__ import annotations

import secrets

from sqlalchemy import bindparam, delete, event, insert, inspect, select, update
from sqlalchemy.orm import Session

from app.bodies.models import Body, Membership
from app.calendar.models import BodyFollow, FeedChange, FeedGeneration
from app.extensions import db
from app.meetings.models import Meeting, MeetingDay

PENDING = "prachum_feed_changes"
EVERYTHING = None  # a change without a meeting: every feed may differ
USER_FEED_COLUMNS = ("name", "email", "role", "is_active_user", "calendar_feed_nonce", "calendar_reminder_minutes")
KEEP = 10_000  # generations of changes kept; a copy older than that is built afresh
PRUNE_EVERY = 1_000


def _touched(session: Session) -> set[int | None]:
    """The meetings (ids) a flush inserted, changed or deleted, and EVERYTHING for changes every feed may show."""
    from app.auth.models import User

    changes: set[int | None] = set()
    changed = [o for o in session.dirty if session.is_modified(o, include_collections=False)]
    for obj in [*session.new, *changed, *session.deleted]:
        if isinstance(obj, Meeting):
            changes.add(obj.id)
        elif isinstance(obj, MeetingDay):
            changes.add(obj.meeting_id)
        elif isinstance(obj, (Body, Membership, BodyFollow)):
            changes.add(EVERYTHING)
        elif isinstance(obj, User) and (obj in session.new or obj in session.deleted or any(
                inspect(obj).attrs[column].history.has_changes() for column in USER_FEED_COLUMNS)):
            changes.add(EVERYTHING)
    return changes


def _collect(session: Session, flush_context) -> None:
    """after_flush: remember what this transaction changed for feeds."""
    touched = _touched(session)
    if touched:
        session.info.setdefault(PENDING, set()).update(touched)


def _forget(session: Session, *args) -> None:
    """A rolled-back transaction changed nothing."""
    session.info.pop(PENDING, None)


def _raise_generation(session: Session) -> None:
    """before_commit (of the outermost transaction): flush what is left, then raise the counter and note the
    changes, as the transaction's last statements."""
    if session.in_nested_transaction():
        return
    session.flush()
    changes = session.info.pop(PENDING, None)
    if not changes:
        return
    connection = session.connection()
    table = FeedGeneration.__table__
    generation = connection.execute(
        update(table).where(table.c.id == 1).values(value=table.c.value + 1).returning(table.c.value)).scalar()
    if generation is None:  # an empty database: the log starts anew
        generation = 1
        connection.execute(insert(table).values(id=1, value=generation, epoch=secrets.token_hex(16)))
    connection.execute(insert(FeedChange.__table__),
                       [{"generation": generation, "meeting_id": meeting_id} for meeting_id in
                        sorted(changes, key=lambda value: -1 if value is None else value)])
    if generation % PRUNE_EVERY == 0:
        connection.execute(delete(FeedChange.__table__).where(FeedChange.generation <= generation - KEEP))


def keep_feed_log() -> None:
    """Listen to the application's session (idempotent)."""
    for name, listener in (("after_flush", _collect), ("before_commit", _raise_generation),
                           ("after_soft_rollback", _forget)):
        if not event.contains(db.session, name, listener):
            event.listen(db.session, name, listener)


_GENERATION = FeedGeneration.__table__.c
_CHANGE = FeedChange.__table__.c
# Built once (a poll runs them every time): the committed generation, and what changed after a copy's label.
COMMITTED = select(_GENERATION.epoch, _GENERATION.value).where(_GENERATION.id == 1)
CHANGED_SINCE = (
    select(_GENERATION.epoch, _GENERATION.value, _CHANGE.generation, _CHANGE.meeting_id)
    .select_from(FeedGeneration.__table__.outerjoin(
        FeedChange.__table__, (_GENERATION.epoch == bindparam("epoch")) & (_CHANGE.generation > bindparam("since"))
        & (_CHANGE.generation <= _GENERATION.value)))
    .where(_GENERATION.id == 1))


def read_log(since: tuple[str, int] | None) -> tuple[tuple[str, int] | None, set[int | None] | None]:
    """The (epoch, generation) committed now (None before the first change), and what changed after `since` (a
    copy's label) up to it — the meetings, EVERYTHING among them when every feed may differ; None when `since` is
    of another epoch or the log no longer reaches back that far. One query, built once (a poll runs it every time)."""
    connection = db.session.connection()
    if since is None:
        row = connection.execute(COMMITTED).first()
        return (None if row is None else (row[0], row[1])), None
    rows = connection.execute(CHANGED_SINCE, {"epoch": since[0], "since": since[1]}).all()
    if not rows:
        return None, None
    now = (rows[0][0], rows[0][1])
    if since[0] != now[0]:
        return now, None
    seen = {row[2] for row in rows if row[2] is not None}
    if seen != set(range(since[1] + 1, now[1] + 1)):
        return now, None
    return now, {row[3] for row in rows if row[2] is not None}
