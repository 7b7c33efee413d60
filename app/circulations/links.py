"""One-click answers to a circulated matter: signed links in the notices that answer without a password.

A token names the circulation, the member and optionally the answer the link offers (approve / reject / comment);
it is signed like the meetings' answer links (app.links.signed_token, its own salt), nothing is stored. It expires
at the circulation's deadline, or earlier when the circulation is closed. A forged or altered token reads as None.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.circulations.models import CIRCULATION_ANSWERS, Circulation
from app.dbtypes import utcnow
from app.extensions import db
from app.links import absolute_url, read_signed_token, signed_token

SALT = "circulation-answer"


@dataclass(frozen=True)
class CirculationToken:
    """What a valid token says, checked against the circulation as it is now."""

    circulation_id: int
    user_id: int
    expired: bool  # the deadline has passed or the circulation is closed
    answer: str | None = None  # the answer the link offers (pre-selected on the page)


def circulation_token(circulation: Circulation, user, answer: str | None = None) -> str:
    """The signed token of one member for the circulation, with `answer` pre-selected."""
    if answer is not None and answer not in CIRCULATION_ANSWERS:
        raise ValueError(f"unknown answer {answer!r}")
    payload = {"c": circulation.id, "u": user.id}
    if answer:
        payload["a"] = answer
    return signed_token(SALT, payload)


def circulation_answer_url(circulation: Circulation, user, answer: str | None = None) -> str:
    """The absolute URL of the member's answer page."""
    return absolute_url("circulations.answer_by_link", token=circulation_token(circulation, user, answer))


def circulation_answer_urls(circulation: Circulation, user) -> dict[str, str]:
    """One link per answer (approve, reject, comment), for a notice."""
    return {answer: circulation_answer_url(circulation, user, answer) for answer in CIRCULATION_ANSWERS}


def read_circulation_token(token: str, now: datetime | None = None) -> CirculationToken | None:
    """The token's content checked against its circulation; None when forged, malformed or the circulation is gone."""
    payload = read_signed_token(SALT, token)
    if payload is None:
        return None
    circulation_id, user_id, answer = payload.get("c"), payload.get("u"), payload.get("a")
    if not isinstance(circulation_id, int) or not isinstance(user_id, int):
        return None
    if answer is not None and answer not in CIRCULATION_ANSWERS:
        return None
    circulation = db.session.get(Circulation, circulation_id)
    if circulation is None:
        return None
    now = now or utcnow()
    return CirculationToken(circulation_id=circulation_id, user_id=user_id, answer=answer,
                            expired=circulation.state != "open" or now >= circulation.deadline)
