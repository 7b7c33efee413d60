"""Recording audit events: every change to users, bodies, agendas, minutes and reports goes through here."""
from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from flask_login import current_user
from sqlalchemy import func, inspect, select

from app.audit.models import AuditEvent
from app.extensions import db


def _plain(value: Any) -> Any:
    """A JSON-safe form of a column value."""
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def pending_changes(obj: Any, hidden: tuple[str, ...] = ("password_hash", "calendar_feed_nonce")) -> dict:
    """The column changes of an object not yet flushed: {field: [old, new]} (secrets masked)."""
    state = inspect(obj)
    changes: dict[str, list] = {}
    for attr in state.mapper.column_attrs:
        history = state.attrs[attr.key].history
        if not history.has_changes():
            continue
        old = history.deleted[0] if history.deleted else None
        new = history.added[0] if history.added else None
        if attr.key in hidden:
            changes[attr.key] = ["***", "***"]
        elif old != new:
            changes[attr.key] = [_plain(old), _plain(new)]
    return changes


def object_type_of(obj: Any) -> str:
    """The audit name of a model instance: ProgressReport -> progress_report."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", type(obj).__name__).lower()


def record(action: str, obj: Any = None, summary: str | None = None, changes: dict | None = None,
           user: Any = None, object_type: str | None = None, object_id: int | None = None) -> AuditEvent:
    """Add an audit event for `obj` by `user` (default: the signed-in user) and flush."""
    if user is None:
        user = current_user if getattr(current_user, "is_authenticated", False) else None
    if obj is not None:
        db.session.flush()
    event = AuditEvent(
        user_id=getattr(user, "id", None),
        action=action,
        object_type=object_type or (object_type_of(obj) if obj is not None else "system"),
        object_id=object_id if object_id is not None else getattr(obj, "id", None),
        summary=summary,
        changes=changes or None,
    )
    db.session.add(event)
    db.session.flush()
    return event


def record_regardless(action: str, obj: Any = None, summary: str | None = None, *, user: Any = None) -> None:
    """Add and commit an audit event in its own transaction, kept even when the request is refused and
    rolled back (failed sign-ins, throttling); nothing else of the request is committed with it."""
    from sqlalchemy.orm import Session

    with Session(db.engine) as own:
        own.add(AuditEvent(
            user_id=getattr(user, "id", None), action=action,
            object_type=object_type_of(obj) if obj is not None else "system",
            object_id=getattr(obj, "id", None), summary=summary,
        ))
        own.commit()


def last_event_query():
    """SQL: the id of the newest audit event, a version of the whole record that every committed change raises
    (read from the primary key's index); `.scalar_subquery()` puts it in another statement."""
    return select(func.max(AuditEvent.id))


def last_event_id() -> int:
    """The id of the newest audit event (0 before any)."""
    return db.session.scalar(last_event_query()) or 0
