"""Answers to invitations sent back by calendar programs: iTIP REPLY (RFC 5546) carried by e-mail (iMIP,
RFC 6047), as Outlook / Exchange, Google Calendar, Apple Calendar and others send them.

Pure module: the bytes of one e-mail message in, a list of `Reply` out (no Flask, no database). Whether a
reply counts (sender, invitation, SEQUENCE) is decided by app/meetings/replies.py.

What is read: every text/calendar part and every iCalendar attachment (application/ics, or any part whose
file name ends in .ics), in base64, quoted-printable or plain, in UTF-8 or another charset (windows-874 and
TIS-620 for Thai); the calendar's METHOD must be REPLY (or, when the calendar omits it, the part's
`method=REPLY` parameter). Each VEVENT gives one Reply per ATTENDEE that is the sender, or whose SENT-BY is
(a secretary answering for a director); all ATTENDEEs when none is, so that the caller sees a forged answer. The same answer found twice (Gmail sends the
calendar inline and again as invite.ics) is one Reply.
"""
from __future__ import annotations

import email
import re
from dataclasses import dataclass
from email import policy
from email.message import Message
from email.utils import getaddresses

from icalendar import Calendar

__all__ = ["Reply", "parse_replies", "address_of", "PARTSTATS"]

PARTSTATS = ("ACCEPTED", "DECLINED", "TENTATIVE", "DELEGATED", "NEEDS-ACTION")
CALENDAR_TYPES = ("text/calendar", "application/ics", "text/x-vcalendar", "application/x-ics")
# Charset names mail programs use that Python's codecs do not know by that name.
CHARSET_ALIASES = {"windows-874": "cp874", "x-windows-874": "cp874", "ms874": "cp874", "x-mac-thai": "cp874",
                   "unicode-1-1-utf-8": "utf-8", "utf8": "utf-8"}
MAX_COMMENT = 2000


@dataclass(frozen=True)
class Reply:
    """One attendee's answer to one event, as the calendar program sent it."""

    uid: str
    sequence: int
    attendee_email: str  # lower case, without mailto:
    partstat: str  # ACCEPTED | DECLINED | TENTATIVE | DELEGATED | NEEDS-ACTION | another token, upper case
    delegated_to: str | None  # the delegate's address (DELEGATED-TO), lower case
    from_email: str | None  # the message's From address, lower case
    comment: str | None  # COMMENT (or Google's X-RESPONSE-COMMENT), trimmed
    sent_by: str | None = None  # SENT-BY (RFC 5545 3.2.18): who answered for the attendee, lower case


def address_of(value: object) -> str | None:
    """The e-mail address of a calendar address ("mailto:A@B", "MAILTO:a@b", "<a@b>"), lower case."""
    text = str(value or "").strip().strip('"').strip()
    text = re.sub(r"^mailto:", "", text, flags=re.IGNORECASE).strip().strip("<>").strip()
    if not text or "@" not in text or any(c.isspace() for c in text):
        return None
    return text.lower()


def parse_replies(data: bytes) -> list[Reply]:
    """Every iTIP REPLY in the e-mail message `data`; an empty list when it holds none (or none readable)."""
    message = email.message_from_bytes(data, policy=policy.compat32)
    sender = _from_address(message)
    replies: list[Reply] = []
    for part in message.walk():
        if part.is_multipart() or not _is_calendar(part):
            continue
        text = _text_of(part)
        if text is None:
            continue
        for reply in _replies_in(text, sender, part.get_param("method")):
            if reply not in replies:
                replies.append(reply)
    return replies


def _from_address(message: Message) -> str | None:
    """The address in the From header (the first one), lower case."""
    values = message.get_all("From") or []
    for _name, address in getaddresses([str(v) for v in values]):
        if address and "@" in address:
            return address.strip().lower()
    return None


def _is_calendar(part: Message) -> bool:
    """A text/calendar part, an application/ics attachment or a file named *.ics."""
    if part.get_content_type() in CALENDAR_TYPES:
        return True
    filename = part.get_filename() or part.get_param("name") or ""
    return str(filename).lower().endswith(".ics")


def _text_of(part: Message) -> str | None:
    """The part's content decoded (transfer encoding, then charset); None when empty."""
    payload = part.get_payload(decode=True)
    if not payload:
        return None
    charset = (part.get_content_charset() or "utf-8").lower()
    charset = CHARSET_ALIASES.get(charset, charset)
    for candidate in (charset, "utf-8", "cp874"):
        try:
            return payload.decode(candidate)
        except (LookupError, UnicodeDecodeError):
            continue
    return payload.decode("utf-8", errors="replace")


def _replies_in(text: str, sender: str | None, mime_method: object) -> list[Reply]:
    """The replies of one iCalendar text (several VCALENDARs allowed); unreadable text gives none."""
    text = text.lstrip("\ufeff")
    try:
        calendars = Calendar.from_ical(text, multiple=True)
    except Exception:  # noqa: BLE001 — whatever the library refuses is simply not a reply
        return []
    replies: list[Reply] = []
    for calendar in calendars:
        method = str(calendar.get("METHOD") or mime_method or "").strip().upper()
        if method != "REPLY":
            continue
        for event in calendar.walk("VEVENT"):
            replies.extend(_event_replies(event, sender))
    return replies


def _event_replies(event, sender: str | None) -> list[Reply]:
    """One Reply per attendee who is the sender (or per attendee, when none is)."""
    uid = str(event.get("UID") or "").strip()
    if not uid:
        return []
    try:
        sequence = int(str(event.get("SEQUENCE", 0)).strip() or 0)
    except ValueError:
        return []
    comment = _comment(event)
    attendees = event.get("ATTENDEE") or []
    if not isinstance(attendees, list):
        attendees = [attendees]
    answers = []
    for attendee in attendees:
        address = address_of(attendee)
        if address is None:
            continue
        params = getattr(attendee, "params", {}) or {}
        partstat = str(params.get("PARTSTAT") or "NEEDS-ACTION").strip().upper()
        delegated_to = _first_address(params.get("DELEGATED-TO"))
        own_comment = comment or _clean(params.get("X-RESPONSE-COMMENT"))
        answers.append(Reply(uid=uid, sequence=sequence, attendee_email=address, partstat=partstat,
                             delegated_to=delegated_to, from_email=sender, comment=own_comment,
                             sent_by=_first_address(params.get("SENT-BY"))))
    mine = [a for a in answers if sender is not None and sender in (a.attendee_email, a.sent_by)]
    return mine or answers


def _first_address(value: object) -> str | None:
    """The first address of a parameter that may hold one or several ("mailto:a","mailto:b")."""
    if value is None:
        return None
    values = value if isinstance(value, (list, tuple)) else re.split(r",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", str(value))
    for item in values:
        address = address_of(item)
        if address:
            return address
    return None


def _comment(event) -> str | None:
    """The event's COMMENT (several joined), trimmed; Outlook's empty "\\n" comment counts as none."""
    values = event.get("COMMENT")
    if values is None:
        return None
    if not isinstance(values, list):
        values = [values]
    return _clean("\n".join(str(v) for v in values))


def _clean(value: object) -> str | None:
    text = str(value or "").strip()
    return text[:MAX_COMMENT] or None
