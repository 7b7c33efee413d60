"""Answers from calendar programs: an iTIP REPLY (read by app/itip.py) becomes the member's RSVP through
the same rule as the web form and the API (services.record_rsvp), or is ignored with a reason.

A reply counts when the message's From address is the ATTENDEE's address (or the ATTENDEE's SENT-BY, when that
address is a user's or in the attendee's own mail domain: a secretary answering for a director), a meeting has
that UID, a user
has that address and is invited (a member of the meeting's body, the meeting not cancelled), and the
reply's SEQUENCE is the meeting's current one (an older one answers an invitation since changed). Every
ignored reply is logged and audited as "rsvp.reply_ignored" with its reason; an applied one is audited as
"rsvp.reply". Services flush; the callers (`flask mail receive`, `flask mail fetch`) commit.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import select

from app import authz
from app.audit.services import record
from app.auth.services import find_user_by_email
from app.errors import ServiceError
from app.extensions import db
from app.itip import Reply, parse_replies
from app.meetings.models import Meeting
from app.meetings.services import record_rsvp

log = logging.getLogger(__name__)

# iTIP PARTSTAT -> RSVP response (NEEDS-ACTION and the rest answer nothing).
RESPONSES = {"ACCEPTED": "accepted", "DECLINED": "declined", "TENTATIVE": "tentative", "DELEGATED": "delegated"}
UNNAMED_DELEGATE = "ไม่ระบุชื่อ (ตอบจากโปรแกรมปฏิทิน)"

# Why a reply was ignored (the audit summary starts with the code).
FORGED = "forged"  # From is not the ATTENDEE
UNKNOWN_MEETING = "unknown_meeting"  # no meeting with that UID
UNKNOWN_USER = "unknown_user"  # no (active) user with that address
NOT_INVITED = "not_invited"  # not a member of the meeting's body
CANCELLED = "cancelled"  # the meeting was cancelled
ENDED = "meeting_ended"  # the meeting is over: an answer no longer means anything
STALE = "stale"  # answers an older SEQUENCE of the invitation
AHEAD = "sequence_ahead"  # a SEQUENCE the meeting never had
NO_ANSWER = "no_answer"  # NEEDS-ACTION or an unknown PARTSTAT
REFUSED = "refused"  # record_rsvp refused it (its message follows)


@dataclass(frozen=True)
class Outcome:
    """What became of one reply: applied, or ignored with a reason code."""

    reply: Reply
    applied: bool
    reason: str | None = None
    meeting_id: int | None = None
    user_id: int | None = None
    response: str | None = None


def apply_message(data: bytes) -> list[Outcome]:
    """Apply every REPLY in one e-mail message; an empty list when the message holds none."""
    return [apply_reply(reply) for reply in parse_replies(data)]


def apply_reply(reply: Reply) -> Outcome:
    """Record the member's answer, or ignore the reply (logged and audited with the reason)."""
    meeting = db.session.scalar(select(Meeting).where(Meeting.uid == reply.uid))
    user = find_user_by_email(reply.attendee_email)
    sent_by = reply.from_email if reply.from_email != reply.attendee_email and answers_for(reply) else None
    if reply.from_email is None or (reply.from_email != reply.attendee_email and sent_by is None):
        return _ignored(reply, FORGED, meeting, None, f"From {reply.from_email or '-'} is not the attendee")
    if meeting is None:
        return _ignored(reply, UNKNOWN_MEETING, None, user)
    if user is None or not user.is_active:
        return _ignored(reply, UNKNOWN_USER, meeting, None)
    if meeting.status == "cancelled":
        return _ignored(reply, CANCELLED, meeting, user)
    if authz.is_expected_attendee(user, meeting) and authz.meeting_has_ended(meeting):
        return _ignored(reply, ENDED, meeting, user)
    if not authz.can_rsvp(user, meeting):
        return _ignored(reply, NOT_INVITED, meeting, user)
    if reply.sequence < meeting.sequence:
        return _ignored(reply, STALE, meeting, user, f"SEQUENCE {reply.sequence} < {meeting.sequence}")
    if reply.sequence > meeting.sequence:
        return _ignored(reply, AHEAD, meeting, user, f"SEQUENCE {reply.sequence} > {meeting.sequence}")
    response = RESPONSES.get(reply.partstat)
    if response is None:
        return _ignored(reply, NO_ANSWER, meeting, user, f"PARTSTAT {reply.partstat}")
    try:
        with db.session.begin_nested():
            record_rsvp(meeting, user, response, delegate_name=_delegate_name(reply) if response == "delegated"
                        else None, note=reply.comment, action="rsvp.reply", sent_by=sent_by)
    except ServiceError as error:
        return _ignored(reply, REFUSED, meeting, user, error.message)
    log.info("calendar reply applied: %s %s for meeting %s", user.email, response, meeting.id)
    return Outcome(reply, True, None, meeting.id, user.id, response)


def answers_for(reply: Reply) -> bool:
    """The message comes from the ATTENDEE's SENT-BY address, and that address is a user's or shares the attendee's
    mail domain (anyone may write SENT-BY: an outsider's address does not make a forged answer count)."""
    if not reply.sent_by or reply.from_email != reply.sent_by:
        return False
    if reply.sent_by.rpartition("@")[2] == reply.attendee_email.rpartition("@")[2]:
        return True
    sender = find_user_by_email(reply.sent_by)
    return sender is not None and sender.is_active


def _delegate_name(reply: Reply) -> str:
    """The delegate as the minutes will print it: a user's name when the DELEGATED-TO address is one, else the
    address; a placeholder when the calendar program named nobody."""
    if not reply.delegated_to:
        return UNNAMED_DELEGATE
    delegate = find_user_by_email(reply.delegated_to)
    return delegate.name if delegate is not None else reply.delegated_to


def _ignored(reply: Reply, reason: str, meeting: Meeting | None, user, detail: str | None = None) -> Outcome:
    """Log and audit an ignored reply; nothing else changes."""
    summary = (f"{reason}: {reply.attendee_email} {reply.partstat} UID {reply.uid} SEQUENCE {reply.sequence}"
               + (f" ({detail})" if detail else ""))[:2000]
    log.warning("calendar reply ignored: %s", summary)
    record("rsvp.reply_ignored", meeting, summary, user=user,
           object_type="meeting" if meeting is not None else "system")
    return Outcome(reply, False, reason, getattr(meeting, "id", None), getattr(user, "id", None))
