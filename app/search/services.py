"""Search over the meetings, agenda items and minutes a user may read.

The index (search_entries) follows every change: a session event writes what is quick with Core statements in
the change's own transaction (meetings' short texts, who may read an entry, deleted objects) and queues agenda
items and minutes, whose long texts take Thai word segmentation, in search_queue; after the commit one Celery
job (app.jobs.index_search) re-reads them and writes their entries: eagerly, before the request returns, when
there is no broker. It never adds ORM objects to a flush.
The query is plain LIKE on space-delimited tokens, the same on SQLite and PostgreSQL; the permission rules
of app.authz are applied in SQL and every returned row is checked again with the predicates themselves.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Iterable

import click
from flask import has_app_context
from flask.cli import AppGroup
from flask_babel import gettext as _
from sqlalchemy import and_, case, delete, event, insert, or_, select, update
from sqlalchemy.orm import Session, joinedload, selectinload

from app import authz, textlimits
from app.agenda.models import AgendaItem
from app.dbtypes import utcnow
from app.errors import Invalid
from app.extensions import db
from app.meetings.models import Meeting
from app.minutes.models import ActionItem, Minutes, MinutesItem
from app.search.models import SearchEntry, SearchQueueItem
from app.search.tokens import has_match, index_tokens, plain_text, snippet, token_string, tokens

log = logging.getLogger(__name__)

QUERY_MAX = textlimits.QUERY
RESULTS_MAX = 30
KIND_ORDER = {"meeting": 0, "agenda_item": 1, "minutes": 2}
PENDING = "search_pending"  # key in Session.info: what the last flush changed, indexed after it
TO_INDEX = "search_to_index"  # key in Session.info: what the transaction queued for the job, handed over on commit
MAX_ATTEMPTS = 8  # failed runs of the job on one object before it counts as failed (an admin retries it)


# --- results -----------------------------------------------------------------------------------

@dataclass
class SearchResult:
    """One hit: what it is, where it leads, and a highlighted snippet (escaped HTML with <mark>)."""

    kind: str
    id: int
    title: str
    url: str
    snippet: str
    meeting_title: str
    starts_at: datetime


def result_url(kind: str, object_id: int, meeting_id: int) -> str:
    """Where a hit leads: the meeting, the item inside its agenda, or the meeting's minutes."""
    if kind == "meeting":
        return f"/meetings/{meeting_id}"
    if kind == "agenda_item":
        return f"/meetings/{meeting_id}/agenda#item-{object_id}"
    return f"/meetings/{meeting_id}/minutes"


def check_query(q: str | None) -> str:
    """The query stripped; Invalid (field q) when blank or longer than QUERY_MAX characters."""
    text = (q or "").strip()
    if not text:
        raise Invalid(_("ข้อมูลไม่ถูกต้อง"), {"q": _("จำเป็นต้องระบุ")})
    problem = textlimits.check_text(text, QUERY_MAX, one_line=True, gettext=_)
    if problem:
        raise Invalid(_("ข้อมูลไม่ถูกต้อง"), {"q": problem})
    return text


def readable_conditions(user) -> list:
    """SQL conditions mirroring app.authz: bodies the user may read; agenda items of published agendas and
    minutes circulated (members) or certified (viewers) unless the user is staff."""
    entry = SearchEntry
    conditions = []
    body_condition = authz.visible_body_filter(user, entry.body_id)
    if body_condition is not None:
        conditions.append(body_condition)
    if not authz.is_staff(user):
        minutes_states = authz.readable_minutes_states(user)
        conditions.append(or_(
            entry.kind == "meeting",
            and_(entry.kind == "agenda_item", entry.min_state == "published"),
            and_(entry.kind == "minutes", entry.min_state.in_(minutes_states)),
        ))
    return conditions


def may_read(user, entry: SearchEntry, meeting: Meeting) -> bool:
    """The permission predicates themselves, for one hit and its loaded meeting."""
    if not authz.can_view_meeting(user, meeting):
        return False
    if entry.kind == "agenda_item":
        return authz.can_view_agenda(user, meeting)
    if entry.kind == "minutes":
        minutes = meeting.minutes
        return minutes is not None and minutes.id == entry.object_id and authz.can_view_minutes(user, meeting, minutes)
    return True


def _snippet(entry: SearchEntry, words: list[str]) -> str:
    """The snippet from the text, or from the title when only the title (or nothing else) shows a match."""
    title_only = not has_match(entry.text, words) and has_match(entry.title, words)
    return snippet(entry.title if title_only or not entry.text else entry.text, words)


def search(user, q: str, limit: int = RESULTS_MAX) -> list[SearchResult]:
    """The entries the user may read that contain every word of q, most title words first, then the
    latest meetings first (one query, and one more to load their meetings for the permission check)."""
    if not authz.is_signed_in(user):
        return []
    words = list(dict.fromkeys(tokens(check_query(q))))
    if not words:
        return []
    entry = SearchEntry
    title_hits = sum(case((entry.title_tokens.contains(f" {w} ", autoescape=True), 1), else_=0) for w in words)
    query = (
        select(entry)
        .where(*[entry.tokens.contains(f" {w} ", autoescape=True) for w in words], *readable_conditions(user))
        .order_by(title_hits.desc(), entry.starts_at.desc(), case(KIND_ORDER, value=entry.kind), entry.id)
        .limit(limit)
        .execution_options(populate_existing=True)
    )
    entries = db.session.scalars(query).all()
    if not entries:
        return []
    meetings = {m.id: m for m in db.session.scalars(
        select(Meeting).where(Meeting.id.in_({e.meeting_id for e in entries}))
        .options(joinedload(Meeting.body), joinedload(Meeting.minutes))
    ).unique()}
    results = []
    for found in entries:
        meeting = meetings.get(found.meeting_id)
        if meeting is None or not may_read(user, found, meeting):
            log.warning("search index disagrees with authz on %s %s for user %s; run `flask search reindex`",
                        found.kind, found.object_id, user.id)
            continue
        results.append(SearchResult(
            kind=found.kind, id=found.object_id, title=found.title,
            url=result_url(found.kind, found.object_id, found.meeting_id),
            snippet=_snippet(found, words), meeting_title=meeting.title, starts_at=meeting.starts_at,
        ))
    return results


# --- what is indexed ---------------------------------------------------------------------------

def _entry_values(kind: str, object_id: int, meeting: Meeting, title: str, parts: Iterable[str | None],
                  min_state: str | None) -> dict:
    """The row of one entry: plain text, tokens of title and text, and the fields permissions need."""
    title = plain_text(title)
    text = " ".join(t for t in (plain_text(p) for p in parts) if t)
    return {
        "kind": kind, "object_id": object_id, "meeting_id": meeting.id, "body_id": meeting.body_id,
        "title": title[:textlimits.TITLE], "text": text, "tokens": token_string(index_tokens(f"{title} {text}")),
        "title_tokens": token_string(index_tokens(title)), "min_state": min_state,
        "starts_at": meeting.starts_at, "updated_at": utcnow(),
    }


def meeting_entry(meeting: Meeting) -> dict:
    """A meeting is found by its title, place, notes and cancellation reason."""
    return _entry_values("meeting", meeting.id, meeting, meeting.title,
                         (meeting.venue, meeting.notes, meeting.cancel_reason), None)


def agenda_item_entry(item: AgendaItem) -> dict:
    """An agenda item is found by its title, detail, presenter and link titles; readable once published."""
    meeting = item.meeting
    links = [link.get("title") for link in item.links or [] if isinstance(link, dict)]
    return _entry_values("agenda_item", item.id, meeting, item.title,
                         (item.detail, item.presenter_name, *links), meeting.agenda_state)


def minutes_entry(minutes: Minutes, items: Iterable[MinutesItem]) -> dict:
    """Minutes are found by the meeting's title and what was said, resolved and assigned on each item."""
    meeting = minutes.meeting
    parts: list[str | None] = [minutes.preamble]
    for item in sorted(items, key=lambda i: (i.agenda_item.section, i.agenda_item.position, i.id)):
        parts += [f"{item.agenda_item.number} {item.agenda_item.title}", item.discussion, item.resolution]
        parts += [action.description for action in item.actions]
    parts.append(minutes.amendments)
    return _entry_values("minutes", minutes.id, meeting, meeting.title, parts, minutes.state)


# --- writing the index -------------------------------------------------------------------------

def _upsert(session: Session, rows: list[dict], model=SearchEntry) -> None:
    """Insert or replace rows by (kind, object_id), safe against a concurrent writer of the same row."""
    if not rows:
        return
    table = model.__table__
    dialect = session.get_bind().dialect.name
    if dialect in ("postgresql", "sqlite"):
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as dialect_insert
        else:
            from sqlalchemy.dialects.sqlite import insert as dialect_insert
        statement = dialect_insert(table)
        statement = statement.on_conflict_do_update(
            index_elements=["kind", "object_id"],
            set_={name: statement.excluded[name] for name in rows[0] if name not in ("kind", "object_id")},
        )
        session.connection().execute(statement, rows)
        return
    for row in rows:
        session.connection().execute(
            delete(table).where(table.c.kind == row["kind"], table.c.object_id == row["object_id"]))
    session.connection().execute(insert(table), rows)


def _remove(session: Session, kind: str, object_ids: Iterable[int]) -> None:
    ids = sorted(set(object_ids))
    if ids:
        session.connection().execute(
            delete(SearchEntry.__table__).where(SearchEntry.kind == kind, SearchEntry.object_id.in_(ids)))


def _index_meetings(session: Session, ids: set[int]) -> None:
    """(Re)index these meetings and carry their body, agenda state and time to their agenda items' entries;
    every entry of a meeting that no longer exists goes."""
    meetings = session.scalars(select(Meeting).where(Meeting.id.in_(ids))).all() if ids else []
    _upsert(session, [meeting_entry(m) for m in meetings])
    gone = sorted(ids - {m.id for m in meetings})
    if gone:
        session.connection().execute(delete(SearchEntry.__table__).where(SearchEntry.meeting_id.in_(gone)))
    for meeting in meetings:
        session.connection().execute(
            update(SearchEntry.__table__)
            .where(SearchEntry.kind == "agenda_item", SearchEntry.meeting_id == meeting.id)
            .values(body_id=meeting.body_id, min_state=meeting.agenda_state, starts_at=meeting.starts_at))


def _index_agenda_items(session: Session, ids: set[int]) -> None:
    items = session.scalars(
        select(AgendaItem).where(AgendaItem.id.in_(ids)).options(joinedload(AgendaItem.meeting))
    ).all() if ids else []
    _upsert(session, [agenda_item_entry(i) for i in items])
    _remove(session, "agenda_item", ids - {i.id for i in items})


def _index_minutes(session: Session, ids: set[int], meeting_ids: set[int] = frozenset()) -> None:
    """(Re)index these minutes and those of these meetings; items are read from the database (two queries)."""
    if not ids and not meeting_ids:
        return
    found = session.scalars(
        select(Minutes).where(or_(Minutes.id.in_(ids), Minutes.meeting_id.in_(meeting_ids)))
        .options(joinedload(Minutes.meeting))
    ).all()
    items: dict[int, list[MinutesItem]] = {m.id: [] for m in found}
    if found:
        for item in session.scalars(
            select(MinutesItem).where(MinutesItem.minutes_id.in_(items))
            .options(joinedload(MinutesItem.agenda_item), selectinload(MinutesItem.actions))
        ):
            items[item.minutes_id].append(item)
    _upsert(session, [minutes_entry(m, items[m.id]) for m in found])
    _remove(session, "minutes", ids - {m.id for m in found})


def index_meeting(meeting: Meeting) -> None:
    """(Re)write the entry of a flushed meeting (and the agenda fields that follow it)."""
    _index_meetings(db.session, {meeting.id})


def index_agenda_item(item: AgendaItem) -> None:
    """(Re)write the entry of a flushed agenda item."""
    _index_agenda_items(db.session, {item.id})


def index_minutes(minutes: Minutes) -> None:
    """(Re)write the entry of flushed minutes."""
    _index_minutes(db.session, {minutes.id})


def remove(kind: str, object_id: int) -> None:
    """Take one entry out of the index."""
    _remove(db.session, kind, [object_id])


def reindex_all() -> dict[str, int]:
    """Rebuild the whole index from the meetings, agenda items and minutes (nothing is left queued);
    returns the count per kind."""
    session = db.session
    session.flush()
    started = utcnow()
    session.connection().execute(delete(SearchEntry.__table__))
    _index_meetings(session, set(session.scalars(select(Meeting.id))))
    _index_agenda_items(session, set(session.scalars(select(AgendaItem.id))))
    _index_minutes(session, set(session.scalars(select(Minutes.id))))
    queue = SearchQueueItem
    session.connection().execute(
        update(queue.__table__).where(queue.indexed_at.is_(None), queue.queued_at <= started)
        .values(indexed_at=utcnow(), attempts=0, last_error=None))
    counts = dict(session.execute(select(SearchEntry.kind, db.func.count()).group_by(SearchEntry.kind)).all())
    return {kind: counts.get(kind, 0) for kind in KIND_ORDER}


# --- the indexing job --------------------------------------------------------------------------

KindIds = dict[str, list[int]]  # {"agenda_item": [3, 4], "minutes": [1]}: what a job (re)indexes


def _queue(session: Session, kind_ids: dict[str, set[int]]) -> None:
    """Queue these objects for the job (again, if they were done), in the flush's transaction."""
    now = utcnow()
    _upsert(session, [
        {"kind": kind, "object_id": object_id, "queued_at": now, "attempts": 0, "last_error": None,
         "indexed_at": None}
        for kind, ids in sorted(kind_ids.items()) for object_id in sorted(ids)
    ], model=SearchQueueItem)


def _where_queued(kind_ids: dict[str, set[int]]):
    queue = SearchQueueItem
    return or_(*[and_(queue.kind == kind, queue.object_id.in_(sorted(ids))) for kind, ids in kind_ids.items()])


def _still_queued(session: Session, limit: int) -> dict[str, set[int]]:
    """What waits in the queue with attempts left, oldest first (for a sweep)."""
    queue = SearchQueueItem
    found: dict[str, set[int]] = {}
    for kind, object_id in session.execute(
            select(queue.kind, queue.object_id)
            .where(queue.indexed_at.is_(None), queue.attempts < MAX_ATTEMPTS)
            .order_by(queue.queued_at, queue.id).limit(limit)):
        found.setdefault(kind, set()).add(object_id)
    return found


def index_queued(kind_ids: KindIds | None = None, limit: int = 500) -> tuple[int, int]:
    """The indexing job: (re)write the entries of these objects from their current rows (an object that no
    longer exists loses its entry) in a session of its own, then mark them done in the queue; without ids, up
    to `limit` queued objects with attempts left. A failure counts an attempt on each. Returns (indexed, failed);
    run twice, the index is the same."""
    started = utcnow()
    queue = SearchQueueItem
    with Session(db.engine) as session:
        wanted = ({kind: set(ids) for kind, ids in kind_ids.items() if kind in KIND_ORDER and ids}
                  if kind_ids is not None else _still_queued(session, limit))
        count = sum(len(ids) for ids in wanted.values())
        if not count:
            return 0, 0
        try:
            _index_meetings(session, wanted.get("meeting", set()))
            _index_agenda_items(session, wanted.get("agenda_item", set()))
            _index_minutes(session, wanted.get("minutes", set()))
            session.execute(
                update(queue.__table__)
                .where(_where_queued(wanted), queue.indexed_at.is_(None), queue.queued_at <= started)
                .values(indexed_at=utcnow(), attempts=0, last_error=None))
            session.commit()
            return count, 0
        except Exception as error:  # noqa: BLE001 — counted on the queue, retried by the job or the sweep
            session.rollback()
            log.exception("search indexing failed for %s", wanted)
            session.execute(
                update(queue.__table__).where(_where_queued(wanted), queue.indexed_at.is_(None))
                .values(attempts=queue.attempts + 1, last_error=f"{type(error).__name__}: {error}"[:1000]))
            session.commit()
            return 0, count


# --- keeping it up to date ---------------------------------------------------------------------

@dataclass
class PendingChanges:
    """What a flush changed, by id: collected after the flush, indexed once its state is final."""

    meetings: set[int] = field(default_factory=set)
    deleted_meetings: set[int] = field(default_factory=set)
    agenda_items: set[int] = field(default_factory=set)
    deleted_agenda_items: set[int] = field(default_factory=set)
    minutes: set[int] = field(default_factory=set)
    deleted_minutes: set[int] = field(default_factory=set)
    minutes_states: dict[int, str] = field(default_factory=dict)  # who may read them: written in the flush
    minutes_of_meetings: set[int] = field(default_factory=set)

    def __bool__(self) -> bool:
        return any((self.meetings, self.deleted_meetings, self.agenda_items, self.minutes, self.minutes_of_meetings))


def _collect_changes(session: Session, flush_context) -> None:
    """after_flush: note which meetings, agenda items and minutes the flush inserted, changed or deleted."""
    pending: PendingChanges = session.info.setdefault(PENDING, PendingChanges())
    changed = [o for o in session.dirty if session.is_modified(o, include_collections=False)]
    for obj in [*session.new, *changed]:
        if isinstance(obj, Meeting):
            pending.meetings.add(obj.id)
            pending.minutes_of_meetings.add(obj.id)  # the minutes carry the meeting's title
        elif isinstance(obj, AgendaItem):
            pending.agenda_items.add(obj.id)
            pending.minutes_of_meetings.add(obj.meeting_id)  # and the titles of the items discussed
        elif isinstance(obj, Minutes):
            pending.minutes.add(obj.id)
            pending.minutes_states[obj.id] = obj.state
        elif isinstance(obj, MinutesItem) and obj.minutes_id is not None:
            pending.minutes.add(obj.minutes_id)
        elif isinstance(obj, ActionItem):
            pending.minutes_of_meetings.add(obj.meeting_id)
    for obj in session.deleted:
        if isinstance(obj, Meeting):
            pending.deleted_meetings.add(obj.id)
        elif isinstance(obj, AgendaItem):
            pending.agenda_items.add(obj.id)
            pending.deleted_agenda_items.add(obj.id)
            pending.minutes_of_meetings.add(obj.meeting_id)  # its minutes item went with it (ON DELETE CASCADE)
        elif isinstance(obj, Minutes):
            pending.minutes.add(obj.id)
            pending.deleted_minutes.add(obj.id)
        elif isinstance(obj, MinutesItem) and obj.minutes_id is not None:
            pending.minutes.add(obj.minutes_id)
        elif isinstance(obj, ActionItem):
            pending.minutes_of_meetings.add(obj.meeting_id)


def _write_changes(session: Session, flush_context) -> None:
    """after_flush_postexec, with Core statements in the flush's transaction: what is quick (meetings' short
    texts, who may read an entry, deleted objects); agenda items and minutes (long texts to segment) are queued
    for the indexing job, handed over after the commit."""
    pending: PendingChanges | None = session.info.pop(PENDING, None)
    if not pending:
        return
    _index_meetings(session, pending.meetings | pending.deleted_meetings)
    _remove(session, "agenda_item", pending.deleted_agenda_items)
    _remove(session, "minutes", pending.deleted_minutes)
    for minutes_id, state in pending.minutes_states.items():
        session.connection().execute(
            update(SearchEntry.__table__).where(SearchEntry.kind == "minutes", SearchEntry.object_id == minutes_id)
            .values(min_state=state))
    minutes_ids = set(pending.minutes)
    meeting_ids = sorted(pending.minutes_of_meetings - pending.deleted_meetings)
    if meeting_ids:
        minutes_ids |= set(session.scalars(select(Minutes.id).where(Minutes.meeting_id.in_(meeting_ids))))
    to_index = {kind: ids for kind, ids in (("agenda_item", pending.agenda_items), ("minutes", minutes_ids)) if ids}
    if to_index:
        _queue(session, to_index)
        waiting: dict[str, set[int]] = session.info.setdefault(TO_INDEX, {})
        for kind, ids in to_index.items():
            waiting.setdefault(kind, set()).update(ids)


def _forget_changes(session: Session, previous_transaction) -> None:
    """A rolled-back flush leaves nothing to index; a rolled-back transaction nothing to hand over (what a
    rolled-back savepoint queued is kept: indexing an unchanged object again is harmless)."""
    session.info.pop(PENDING, None)
    if not previous_transaction.nested:
        session.info.pop(TO_INDEX, None)


def _hand_over(session: Session) -> None:
    """after_commit: one indexing job for what the transaction queued. Jobs are eager without a broker: it
    runs here, in a session of its own, so a search right after a save finds the text. A broker that cannot
    be reached loses nothing: the queue keeps it for the sweep (app.jobs.retry_deliveries)."""
    if session.in_nested_transaction():  # a savepoint released: the transaction goes on
        return
    waiting: dict[str, set[int]] | None = session.info.pop(TO_INDEX, None)
    if not waiting or not has_app_context():
        return
    from app import jobs

    try:
        jobs.enqueue(jobs.index_search, {kind: sorted(ids) for kind, ids in waiting.items()})
    except Exception:  # noqa: BLE001 — committed and queued; the sweep indexes it
        log.exception("search indexing not handed over; the next sweep does it")


def keep_index_up_to_date() -> None:
    """Listen to the application's session: every flush that touches meetings, agenda items or minutes
    updates what is quick in its own transaction and queues the rest, indexed by a job after the commit."""
    for name, listener in (("after_flush", _collect_changes), ("after_flush_postexec", _write_changes),
                           ("after_soft_rollback", _forget_changes), ("after_commit", _hand_over)):
        if not event.contains(db.session, name, listener):
            event.listen(db.session, name, listener)


# --- command line ------------------------------------------------------------------------------

search_cli = AppGroup("search", help="The search index.")


@search_cli.command("reindex")
def reindex_command() -> None:
    """Rebuild the search index from every meeting, agenda item and minutes."""
    counts = reindex_all()
    db.session.commit()
    click.echo("indexed " + ", ".join(f"{n} {kind}" for kind, n in counts.items()))
