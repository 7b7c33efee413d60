"""Delivering a queue of outgoing messages (mail, LINE pushes): one message at a time, under a row lock other
workers skip, each attempt committed on its own, so no message is ever sent twice, even by two workers at once."""
from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy import select

from app.dbtypes import utcnow
from app.extensions import db

log = logging.getLogger(__name__)


def deliver_each(model, max_attempts: int, send: Callable, what: Callable[[object], str],
                 limit: int = 500) -> tuple[int, int]:
    """Try every unsent row of `model` (with sent_at, attempts, last_error) once with `send(row)`; (sent, failed).
    Failures keep their reason for the next attempt; `what(row)` names the message in the log."""
    sent = failed = 0
    after = 0
    for _ in range(limit):
        row = db.session.scalars(
            select(model).where(model.sent_at.is_(None), model.attempts < max_attempts, model.id > after)
            .order_by(model.id).limit(1).with_for_update(skip_locked=True)).first()
        if row is None:
            break
        after = row.id
        row.attempts += 1
        try:
            send(row)
        except Exception as error:  # noqa: BLE001 — any failure is kept for the next attempt
            row.last_error = f"{type(error).__name__}: {error}"[:2000]
            failed += 1
            log.warning("%s failed (attempt %s): %s", what(row), row.attempts, error)
        else:
            row.sent_at, row.last_error = utcnow(), None
            sent += 1
        db.session.commit()
    db.session.commit()
    return sent, failed
