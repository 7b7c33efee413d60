"""Multi-day meetings in iCalendar: one VEVENT per day, each with its own UID and the same SEQUENCE; the
default days; REFRESH-INTERVAL; no VALARM when the reminder is None."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

from icalendar import Calendar

from app import ical
from app.meetings.days import default_days, spans_days
from app.meetings.models import Meeting

UTC = timezone.utc


def event(**fields) -> ical.MeetingEvent:
    values = dict(uid="m-1@prachum", sequence=2, summary="ครั้งที่ 1/2566 คทง.สพฐ.",
                  starts_at=datetime(2023, 3, 29, 1, 30, tzinfo=UTC), ends_at=datetime(2023, 3, 31, 9, 30, tzinfo=UTC),
                  location="โรงแรม", online_url="https://zoom.us/j/1", stream_url=None, description=None)
    values.update(fields)
    return ical.MeetingEvent(**values)


def lines(data: bytes) -> list[str]:
    return re.sub(r"\r\n[ \t]", "", data.decode()).split("\r\n")


def test_default_days_run_from_the_start_to_the_end_time_of_day():
    workshop = Meeting(starts_at=datetime(2023, 3, 29, 1, 30, tzinfo=UTC), ends_at=datetime(2023, 3, 31, 9, 30, tzinfo=UTC))
    assert spans_days(workshop) == [date(2023, 3, 29), date(2023, 3, 30), date(2023, 3, 31)]
    days = default_days(workshop)
    assert [(d.starts_at, d.ends_at) for d in days] == [
        (datetime(2023, 3, d, 1, 30, tzinfo=UTC), datetime(2023, 3, d, 9, 30, tzinfo=UTC)) for d in (29, 30, 31)]
    one_day = Meeting(starts_at=datetime(2023, 3, 29, 1, 30, tzinfo=UTC), ends_at=datetime(2023, 3, 29, 5, tzinfo=UTC))
    assert default_days(one_day) == []
    # 16:30 to 08:30 Bangkok the next day (overnight): one block, not days
    overnight = Meeting(starts_at=datetime(2023, 3, 29, 9, 30, tzinfo=UTC), ends_at=datetime(2023, 3, 30, 1, 30, tzinfo=UTC))
    assert default_days(overnight) == []


def test_one_vevent_per_day_with_its_own_uid_hours_and_venue():
    days = (ical.EventDay(date(2023, 3, 29), datetime(2023, 3, 29, 2, tzinfo=UTC), datetime(2023, 3, 29, 9, tzinfo=UTC)),
            ical.EventDay(date(2023, 3, 30), datetime(2023, 3, 30, 1, 30, tzinfo=UTC),
                          datetime(2023, 3, 30, 5, tzinfo=UTC), location="สพฐ.", online_url="https://zoom.us/j/2"))
    data = ical.build_calendar([event(days=days)], method="PUBLISH", refresh=timedelta(hours=1))
    events = Calendar.from_ical(data).walk("VEVENT")
    assert [str(e["UID"]) for e in events] == ["m-1@prachum-20230329", "m-1@prachum-20230330"]
    assert {int(e["SEQUENCE"]) for e in events} == {2}
    assert events[1].decoded("DTSTART") == datetime(2023, 3, 30, 8, 30, tzinfo=events[1].decoded("DTSTART").tzinfo)
    assert str(events[0]["LOCATION"]) == "โรงแรม" and str(events[1]["LOCATION"]) == "สพฐ."
    text = lines(data)
    assert [line for line in text if line.startswith("UID:")] == ["UID:m-1@prachum-20230329", "UID:m-1@prachum-20230330"]
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in text and "X-PUBLISHED-TTL:PT1H" in text
    assert "URL:https://zoom.us/j/2" in text


def test_an_invitation_keeps_one_event_with_one_uid():
    days = tuple(ical.EventDay(date(2023, 3, d), datetime(2023, 3, d, 2, tzinfo=UTC), datetime(2023, 3, d, 9, tzinfo=UTC))
                 for d in (29, 30, 31))
    data = ical.build_calendar([event(days=days)], method="REQUEST")
    assert [line for line in lines(data) if line.startswith("UID:")] == ["UID:m-1@prachum"]


def test_no_valarm_without_a_reminder_and_none_without_refresh():
    data = ical.build_calendar([event(reminder_minutes=None)], method="PUBLISH")
    assert Calendar.from_ical(data).walk("VALARM") == [] and "BEGIN:VALARM" not in lines(data)
    assert not any(line.startswith(("REFRESH-INTERVAL", "X-PUBLISHED-TTL")) for line in lines(data))
    data = ical.build_calendar([event(reminder_minutes=15)], method="PUBLISH")
    assert "TRIGGER:-PT15M" in lines(data)
