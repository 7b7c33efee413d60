"""One-click answers: signed links in invitation mails that answer without a password.

A token names the meeting, the invitee (a user, or a guest without an account) and the meeting's SEQUENCE
when the mail was sent, and optionally the answer the link offers (accepted / declined / tentative /
delegated). It is signed with SECRET_KEY (itsdangerous), nothing is stored. It expires when the meeting
ends; it is stale when the meeting moved since (its sequence is lower than the meeting's): the answer page
then shows the new time and asks for a confirmation. A forged or altered token reads as None.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from app.extensions import db
from app.links import absolute_url, read_signed_token, signed_token
from app.meetings.models import RSVP_RESPONSES, Meeting

SALT = "meeting-answer"  # keeps these signatures apart from every other use of SECRET_KEY


@dataclass(frozen=True)
class AnswerToken:
    """What a valid token says, checked against the meeting as it is now."""

    meeting_id: int
    user_id: int | None
    guest_id: int | None
    sequence: int  # the meeting's SEQUENCE when the link was made
    expired: bool  # the meeting has ended
    stale: bool  # the meeting moved (or changed its place or link) since the link was made
    response: str | None = None  # the answer the link offers (pre-selected on the page)


def answer_token(meeting: Meeting, *, user=None, guest=None, response: str | None = None) -> str:
    """The signed token for one invitee (exactly one of user or guest) of the meeting at its current SEQUENCE."""
    if (user is None) == (guest is None):
        raise ValueError("an answer link names exactly one invitee: a user or a guest")
    if response is not None and response not in RSVP_RESPONSES:
        raise ValueError(f"unknown answer {response!r}")
    payload = {"m": meeting.id, "s": meeting.sequence}
    if user is not None:
        payload["u"] = user.id
    else:
        payload["g"] = guest.id
    if response:
        payload["r"] = response
    return signed_token(SALT, payload)


def answer_url(meeting: Meeting, *, user=None, guest=None, response: str | None = None) -> str:
    """The absolute URL of the answer page for one invitee, with `response` pre-selected."""
    return absolute_url("answers.answer", token=answer_token(meeting, user=user, guest=guest, response=response))


def answer_urls(meeting: Meeting, *, user=None, guest=None) -> dict[str, str]:
    """One link per answer (accepted, declined, tentative, delegated), for an invitation mail."""
    return {response: answer_url(meeting, user=user, guest=guest, response=response) for response in RSVP_RESPONSES}


def read_answer_token(token: str, now: datetime | None = None) -> AnswerToken | None:
    """The token's content checked against its meeting; None when forged, malformed or the meeting is gone."""
    payload = read_signed_token(SALT, token)
    if payload is None:
        return None
    meeting_id, sequence = payload.get("m"), payload.get("s")
    user_id, guest_id, response = payload.get("u"), payload.get("g"), payload.get("r")
    if not isinstance(meeting_id, int) or not isinstance(sequence, int) or (user_id is None) == (guest_id is None):
        return None
    if response is not None and response not in RSVP_RESPONSES:
        return None
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None:
        return None
    now = now or datetime.now(timezone.utc)
    return AnswerToken(meeting_id=meeting_id, user_id=user_id, guest_id=guest_id, sequence=sequence,
                       expired=now >= meeting.ends_at, stale=sequence < meeting.sequence, response=response)
