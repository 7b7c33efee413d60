"""iCalendar (RFC 5545 / RFC 7986) for meetings: the one builder behind the .ics download,
the personal feed and the e-mail attachment.

Pure module: plain values in, bytes out (no Flask, no database). Times arrive as aware
datetimes (UTC from the database) and are written in Asia/Bangkok with a VTIMEZONE.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import cache, lru_cache

from icalendar import Alarm, Calendar, Conference, Event, Timezone, vCalAddress, vDuration

from app.thaidates import BANGKOK, UTC

__all__ = ["Attendee", "EventDay", "MeetingEvent", "build_calendar", "calendar_head", "event_text", "ics_filename",
           "METHODS"]

PRODID = "-//Prachum//ประชุม//TH"
TZID = "Asia/Bangkok"
METHODS: tuple[str, ...] = ("PUBLISH", "REQUEST", "CANCEL")
PARTSTATS: tuple[str, ...] = ("NEEDS-ACTION", "ACCEPTED", "DECLINED", "TENTATIVE", "DELEGATED")
ROLES: tuple[str, ...] = ("CHAIR", "REQ-PARTICIPANT", "OPT-PARTICIPANT", "NON-PARTICIPANT")

ONLINE_LABEL = "เข้าร่วมออนไลน์"
STREAM_LABEL = "ถ่ายทอดสด"
PAGE_LABEL = "รายละเอียดการประชุม"
CANCELLED_MARK = "[ยกเลิก]"  # before a cancelled meeting's SUMMARY


@dataclass(frozen=True)
class Attendee:
    """One invited person, as written in an ATTENDEE line."""

    email: str
    name: str
    rsvp: bool = True
    partstat: str = "NEEDS-ACTION"  # ACCEPTED | DECLINED | TENTATIVE | DELEGATED | NEEDS-ACTION
    role: str = "REQ-PARTICIPANT"  # CHAIR for the chair


@dataclass(frozen=True)
class EventDay:
    """One day of a multi-day meeting: that day's hours and, when it differs, its venue and link."""

    day: date  # the Bangkok calendar day
    starts_at: datetime  # timezone-aware
    ends_at: datetime  # timezone-aware
    location: str | None = None  # None: the meeting's venue
    online_url: str | None = None  # None: the meeting's link


@dataclass(frozen=True)
class MeetingEvent:
    """Everything the builder needs to know about one meeting, as plain values."""

    uid: str  # stable, e.g. "meeting-12@prachum"
    sequence: int  # grows with every change of time or place
    summary: str  # e.g. "ครั้งที่ 3/2563 การประชุมคณะทำงาน…" (the code first)
    starts_at: datetime  # timezone-aware (UTC from the database)
    ends_at: datetime  # timezone-aware, not before starts_at
    location: str | None  # venue (ณ …)
    online_url: str | None  # Zoom/Webex/Teams link
    stream_url: str | None  # livestream
    description: str | None  # free text (notes); links are appended by the builder
    cancelled: bool = False
    organizer_email: str | None = None
    organizer_name: str | None = None
    attendees: tuple[Attendee, ...] = ()
    url: str | None = None  # absolute URL of the meeting page in Prachum
    created: datetime | None = None
    last_modified: datetime | None = None
    reminder_minutes: int | None = 60  # VALARM this many minutes before the start; None: no VALARM
    days: tuple[EventDay, ...] = ()  # a meeting over several days: one VEVENT per day (see _each_day)


def build_calendar(
    events: Iterable[MeetingEvent],
    *,
    method: str | None = None,
    name: str | None = None,
    now: datetime | None = None,
    refresh: timedelta | None = None,
) -> bytes:
    """Build a VCALENDAR holding one VEVENT per meeting and return it as UTF-8 bytes.

    ``method`` is the iTIP method (PUBLISH, REQUEST, CANCEL); ``name`` names a feed; ``refresh`` asks
    subscribers to poll that often (REFRESH-INTERVAL, RFC 7986, and Outlook's X-PUBLISHED-TTL).
    """
    stamp = _as_utc(now, "now") if now is not None else datetime.now(UTC)
    head = calendar_head(method=method, name=name, refresh=refresh)
    return head + b"".join(event_text(meeting, stamp=stamp, method=method) for meeting in events) + CALENDAR_END


CALENDAR_END = b"END:VCALENDAR\r\n"


@lru_cache(maxsize=1024)
def calendar_head(*, method: str | None = None, name: str | None = None, refresh: timedelta | None = None) -> bytes:
    """The VCALENDAR's own lines and its VTIMEZONE, up to where the VEVENTs go: event_text() pieces followed by
    CALENDAR_END make the whole calendar (how a feed reuses the text of the meetings that did not change)."""
    if method is not None and method not in METHODS:
        raise ValueError(f"unknown iCalendar method {method!r}; expected one of {METHODS}")
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method is not None:
        calendar.add("method", method)
    if name is not None:
        calendar.calendar_name = name  # writes NAME (RFC 7986) and X-WR-CALNAME
        calendar.add("x-wr-timezone", TZID)
    if refresh is not None:
        calendar.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", vDuration(refresh))
    calendar.add_component(Timezone.from_ical(_bangkok_vtimezone()))
    return calendar.to_ical()[: -len(CALENDAR_END)]


def event_text(meeting: MeetingEvent, *, stamp: datetime, method: str | None = None) -> bytes:
    """One meeting's VEVENT (one per day of a multi-day meeting) as iCalendar text, DTSTAMP `stamp`."""
    stamp = _as_utc(stamp, "stamp")
    return b"".join(_vevent(event, stamp=stamp, method=method).to_ical() for event in _each_day(meeting, method))


def ics_filename(code: str) -> str:
    """File name for a meeting's .ics download: "3/2563" gives "meeting-3-2563.ics"."""
    slug = re.sub(r"[^0-9A-Za-z]+", "-", code).strip("-")
    return f"meeting-{slug}.ics" if slug else "meeting.ics"


@cache
def _bangkok_vtimezone() -> bytes:
    """The VTIMEZONE for Asia/Bangkok, computed once from the local zoneinfo database."""
    return Timezone.from_tzid(TZID).to_ical()


def _each_day(meeting: MeetingEvent, method: str | None) -> list[MeetingEvent]:
    """A multi-day meeting as one event per day, each with its own UID "<uid>-<yyyymmdd>" and the meeting's
    SEQUENCE. Separate UIDs rather than RECURRENCE-ID: the days are not a recurrence (each has its own hours
    and place), and subscribed calendars (Outlook, Google, Apple) show standalone events reliably, while a
    set of overridden instances without an RRULE/RDATE master is dropped or merged by several of them.
    An iTIP message (REQUEST/CANCEL) must carry a single UID, so invitations keep the one whole event."""
    if len(meeting.days) < 2 or method in ("REQUEST", "CANCEL"):
        return [meeting]
    return [
        replace(meeting, uid=f"{meeting.uid}-{day.day:%Y%m%d}", starts_at=day.starts_at, ends_at=day.ends_at,
                location=day.location or meeting.location, online_url=day.online_url or meeting.online_url,
                days=())
        for day in meeting.days
    ]


def _vevent(meeting: MeetingEvent, *, stamp: datetime, method: str | None) -> Event:
    """Turn one meeting into a VEVENT; a cancelled meeting or a CANCEL message gets no alarm."""
    starts_at = _as_bangkok(meeting.starts_at, "starts_at")
    ends_at = _as_bangkok(meeting.ends_at, "ends_at")
    if ends_at < starts_at:
        raise ValueError(f"meeting {meeting.uid} ends before it starts")
    if meeting.reminder_minutes is not None and meeting.reminder_minutes < 0:
        raise ValueError("reminder_minutes must not be negative")
    cancelled = meeting.cancelled or method == "CANCEL"
    if cancelled:  # stays in calendars, marked, with no way to join
        meeting = replace(meeting, summary=f"{CANCELLED_MARK} {meeting.summary}", online_url=None, stream_url=None)

    event = Event.new(
        uid=meeting.uid,
        sequence=meeting.sequence,
        stamp=stamp,
        start=starts_at,
        end=ends_at,
        summary=meeting.summary,
        location=meeting.location or meeting.online_url or None,
        url=meeting.online_url or meeting.url or None,
        description=_description(meeting),
        status="CANCELLED" if cancelled else "CONFIRMED",
        transparency="OPAQUE",
        created=_as_utc(meeting.created, "created") if meeting.created else None,
        last_modified=(
            _as_utc(meeting.last_modified, "last_modified") if meeting.last_modified else None
        ),
        organizer=_organizer(meeting),
        attendees=[_attendee(a) for a in meeting.attendees] or None,
        conferences=(
            [Conference(meeting.online_url, feature="VIDEO", label=ONLINE_LABEL)]
            if meeting.online_url
            else None
        ),
    )
    if not cancelled and meeting.reminder_minutes is not None:
        event.add_component(
            Alarm.new_display(
                description=meeting.summary,
                trigger=-timedelta(minutes=meeting.reminder_minutes),
            )
        )
    return event


def _description(meeting: MeetingEvent) -> str | None:
    """The notes followed by one line per link (online, livestream, meeting page)."""
    notes = (meeting.description or "").strip()
    lines = [notes] if notes else []
    if meeting.online_url:
        lines.append(f"{ONLINE_LABEL}: {meeting.online_url}")
    if meeting.stream_url:
        lines.append(f"{STREAM_LABEL}: {meeting.stream_url}")
    if meeting.url:
        lines.append(f"{PAGE_LABEL}: {meeting.url}")
    return "\n".join(lines) or None


def _organizer(meeting: MeetingEvent) -> vCalAddress | None:
    """ORGANIZER as a mailto: address with CN, or None when no organizer is known."""
    if not meeting.organizer_email:
        return None
    address = re.sub(r"^mailto:", "", meeting.organizer_email.strip(), flags=re.IGNORECASE)
    if "@" not in address or any(c.isspace() or c in "<>\"," for c in address):
        # "ประชุม <prachum@x.go.th>" is a From header, not an address: the caller passes the address alone
        raise ValueError(f"organizer_email must be a bare e-mail address, not {meeting.organizer_email!r}")
    return vCalAddress.new(address, cn=meeting.organizer_name or None)


def _attendee(attendee: Attendee) -> vCalAddress:
    """ATTENDEE as a mailto: address with CN, ROLE, PARTSTAT, RSVP and CUTYPE=INDIVIDUAL."""
    if attendee.partstat not in PARTSTATS:
        raise ValueError(f"unknown PARTSTAT {attendee.partstat!r} for {attendee.email}")
    if attendee.role not in ROLES:
        raise ValueError(f"unknown ROLE {attendee.role!r} for {attendee.email}")
    return vCalAddress.new(
        attendee.email,
        cn=attendee.name or None,
        cutype="INDIVIDUAL",
        role=attendee.role,
        partstat=attendee.partstat,
        rsvp=attendee.rsvp,
    )


def _as_utc(value: datetime, field: str) -> datetime:
    """The same instant in UTC; a naive datetime is refused."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{field} must be timezone-aware")
    return value.astimezone(UTC)


def _as_bangkok(value: datetime, field: str) -> datetime:
    """The same instant in Asia/Bangkok; a naive datetime is refused."""
    return _as_utc(value, field).astimezone(BANGKOK)
