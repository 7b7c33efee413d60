"""The days of a meeting that spans several Bangkok days: one calendar event per day with that day's hours,
venue and link. Without explicit days, each day runs from the meeting's start time-of-day to its end
time-of-day at the meeting's venue; the secretariat may set each day (meeting edit page, PATCH /api/v1/meetings)."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any, Iterable

from flask_babel import gettext as _

from app import ical, textlimits
from app.errors import Invalid
from app.meetings.models import Meeting, MeetingDay
from app.thaidates import BANGKOK, UTC

MAX_DAYS = 31  # a meeting longer than a month is not a meeting


def spans_days(meeting: Meeting) -> list[date]:
    """The Bangkok calendar days the meeting covers, first to last."""
    first = meeting.starts_at.astimezone(BANGKOK).date()
    last = meeting.ends_at.astimezone(BANGKOK).date()
    return [first + timedelta(days=n) for n in range(min((last - first).days, MAX_DAYS - 1) + 1)]


def _at(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, tzinfo=BANGKOK).astimezone(UTC)


def default_days(meeting: Meeting) -> list[ical.EventDay]:
    """Each day of a multi-day meeting from its start time-of-day to its end time-of-day (empty: one day)."""
    days = spans_days(meeting)
    if len(days) < 2:
        return []
    opens = meeting.starts_at.astimezone(BANGKOK).timetz().replace(tzinfo=None)
    closes = meeting.ends_at.astimezone(BANGKOK).timetz().replace(tzinfo=None)
    if closes <= opens:  # e.g. 20:00 to 08:00: the whole span is one block per day is meaningless
        return []
    return [ical.EventDay(day=d, starts_at=_at(d, opens), ends_at=_at(d, closes)) for d in days]


def event_days(meeting: Meeting) -> tuple[ical.EventDay, ...]:
    """The days as the calendar shows them: each day as set by the secretariat, else its default (empty for a
    one-day meeting). Days set before the meeting moved, and now outside it, are left out."""
    span = spans_days(meeting)
    if len(span) < 2:
        return ()
    days = {d.day: d for d in default_days(meeting)}
    for d in meeting.days:
        if d.day in span:
            days[d.day] = ical.EventDay(day=d.day, starts_at=d.starts_at, ends_at=d.ends_at, location=d.venue,
                                        online_url=d.online_url)
    return tuple(days[day] for day in sorted(days))


def _clock(value: Any, field: str) -> time:
    if isinstance(value, time):
        return value
    try:
        return time.fromisoformat(str(value).strip())
    except ValueError:
        raise Invalid(_("เวลาไม่ถูกต้อง"), fields={field: _("ระบุเวลาเป็น ชั่วโมง:นาที เช่น 09:00")}) from None


def set_meeting_days(meeting: Meeting, days: Iterable[dict], *, notify: bool | None = None) -> list[MeetingDay]:
    """Replace the meeting's days (see replace_days). A change of a day's hours, venue or link is a change of the
    meeting's time or place (update_meeting): SEQUENCE raised, answers reset, every invitee asked again; by mail
    unless `notify` is False (None: when the meeting has not ended)."""
    from app.meetings.services import update_meeting

    if notify is None:
        notify = meeting.ends_at > datetime.now(UTC)
    return update_meeting(meeting, {"days": list(days)}, notify=notify).meeting.days


def replace_days(meeting: Meeting, days: Iterable[dict]) -> list[str] | None:
    """Set the meeting's days: each {"date", "starts_at", "ends_at", "venue"?, "online_url"?} with times of day in
    Bangkok ("09:00"); every date must fall within the meeting, and an empty list returns to the defaults. Returns
    [before, after] as text when what calendars show changed, None otherwise."""
    span = set(spans_days(meeting))
    rows: dict[date, dict] = {}
    for n, item in enumerate(days):
        field = f"days[{n}]"
        try:
            day = item["date"] if isinstance(item["date"], date) else date.fromisoformat(str(item["date"]))
        except (KeyError, ValueError):
            raise Invalid(_("วันที่ไม่ถูกต้อง"), fields={f"{field}.date": _("ระบุวันที่ เช่น 2023-03-29")}) from None
        if day not in span:
            raise Invalid(_("วันที่อยู่นอกช่วงการประชุม"), fields={f"{field}.date": _("วันที่อยู่นอกช่วงการประชุม")})
        if day in rows:
            raise Invalid(_("วันที่ซ้ำกัน"), fields={f"{field}.date": _("วันที่ซ้ำกัน")})
        opens = _at(day, _clock(item.get("starts_at"), f"{field}.starts_at"))
        closes = _at(day, _clock(item.get("ends_at"), f"{field}.ends_at"))
        if closes < opens:
            raise Invalid(_("เวลาเลิกต้องไม่ก่อนเวลาเริ่ม"), fields={f"{field}.ends_at": _("เวลาเลิกต้องไม่ก่อนเวลาเริ่ม")})
        venue = (item.get("venue") or "").strip()[: textlimits.VENUE] or None
        online_url = (item.get("online_url") or "").strip()[: textlimits.URL] or None
        rows[day] = {"starts_at": opens, "ends_at": closes, "venue": venue, "online_url": online_url}
    before = days_text(meeting)
    kept = {row.day: row for row in meeting.days}  # changed in place: a day's row is never deleted and re-added
    for day, values in rows.items():
        row = kept.get(day) or MeetingDay(day=day)
        for name, value in values.items():
            setattr(row, name, value)
        kept[day] = row
    meeting.days = [kept[day] for day in sorted(rows)]
    after = days_text(meeting)
    return [before, after] if after != before else None


def days_text(meeting: Meeting) -> list[str]:
    """The days as calendars show them, one line each ("2023-03-29 08:30-16:30 ห้อง 1 https://…"), for the audit."""
    return [" ".join(filter(None, (item["date"], f"{item['starts_at']}-{item['ends_at']}", item["venue"],
                                   item["online_url"]))) for item in days_out(meeting)]


def days_out(meeting: Meeting) -> list[dict]:
    """The days as the API shows them (explicit or default), times of day in Bangkok."""
    return [{"date": d.day.isoformat(), "starts_at": d.starts_at.astimezone(BANGKOK).strftime("%H:%M"),
             "ends_at": d.ends_at.astimezone(BANGKOK).strftime("%H:%M"), "venue": d.location,
             "online_url": d.online_url} for d in event_days(meeting)]
