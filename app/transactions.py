"""The request layer's transaction: one commit per successful request, a rollback on any error, and
the work that must wait for the commit (mail, later jobs) handed over only after it.

Services change objects and flush; they never commit. Web views and API endpoints never commit
either: `finish_request` does, once, when the view produced a response below 400. A view that
caught a refusal to show it on a form calls `discard()` so nothing it flushed is kept even when the
page itself answers 200. CLI commands and background jobs are their own request layer: they call
`commit()` here, which also runs the after-commit work.
"""
from __future__ import annotations

import logging
from typing import Callable

from flask import Response, g, has_request_context
from sqlalchemy.exc import IntegrityError, OperationalError

from app.extensions import db

log = logging.getLogger(__name__)


def after_commit(work: Callable[[], None], key: str | None = None) -> None:
    """Run `work` once the current transaction has committed (deduplicated by `key`)."""
    pending = g.setdefault("_after_commit", {})
    pending[key or f"{id(work)}:{len(pending)}"] = work


def discard() -> None:
    """Undo what this request changed so far; the request will not commit it."""
    db.session.rollback()
    g.pop("_after_commit", None)


def commit() -> None:
    """Commit the session, then run the work waiting for the commit (each failure logged, never raised)."""
    db.session.commit()
    pending = g.pop("_after_commit", {})
    for work in pending.values():
        try:
            work()
        except Exception:  # noqa: BLE001 — the change is committed; the work is retried elsewhere
            db.session.rollback()
            log.exception("after-commit work failed")


def finish_request(response: Response) -> Response:
    """Commit when the response is a success (< 400), otherwise roll back; conflicts become errors."""
    if response.status_code >= 400:
        discard()
        return response
    try:
        commit()
    except IntegrityError as error:  # a concurrent insert won the race (unique key)
        discard()
        from app.errors import Conflict
        from flask_babel import gettext as _

        log.info("commit refused by the database: %s", error.orig)
        raise Conflict(_("ข้อมูลซ้ำหรือขัดกับข้อมูลที่มีอยู่ กรุณาโหลดใหม่แล้วลองอีกครั้ง"), code="conflict") from None
    except OperationalError:
        discard()
        raise
    return response


def in_request() -> bool:
    """True inside a web or API request (where the request layer commits)."""
    return has_request_context()
