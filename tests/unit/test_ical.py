"""app.ical: the output is parsed back with icalendar and checked property by property."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar, Event

from app.ical import Attendee, MeetingEvent, build_calendar, ics_filename

UTC = timezone.utc
BANGKOK = ZoneInfo("Asia/Bangkok")
NOW = datetime(2020, 6, 10, 3, 0, tzinfo=UTC)

ZOOM = "https://zoom.us/j/95512345678?pwd=abc"
STREAM = "https://www.youtube.com/@OBECChannel/live"
PAGE = "https://prachum.example.go.th/meetings/12"
SUMMARY = (
    "ครั้งที่ 3/2563 การประชุมคณะทำงานติดตามผลการดำเนินงานตามข้อเสนอการเปลี่ยนแปลง"
    "ในระยะ 3 ปี (พ.ศ. 2562–2564)"
)
VENUE = "ห้องประชุมจันทรเกษม ชั้น 1 อาคารราชวัลลภ กระทรวงศึกษาธิการ"


def meeting(**changes) -> MeetingEvent:
    """Meeting 3/2563: 26 Jun 2020 09.30–12.00 Bangkok, hybrid, with a livestream."""
    base = MeetingEvent(
        uid="meeting-12@prachum",
        sequence=0,
        summary=SUMMARY,
        starts_at=datetime(2020, 6, 26, 2, 30, tzinfo=UTC),
        ends_at=datetime(2020, 6, 26, 5, 0, tzinfo=UTC),
        location=VENUE,
        online_url=ZOOM,
        stream_url=STREAM,
        description="ผู้เข้าร่วมโปรดส่งรายงานผล 9 เดือนล่วงหน้า",
        url=PAGE,
    )
    return replace(base, **changes)


def parse(ics: bytes) -> Calendar:
    """Parse builder output back into an icalendar Calendar."""
    return Calendar.from_ical(ics)


def only_event(ics: bytes) -> Event:
    """The single VEVENT of a built calendar."""
    events = parse(ics).events
    assert len(events) == 1
    return events[0]


def test_calendar_header() -> None:
    cal = parse(build_calendar([meeting()], now=NOW))
    assert str(cal["PRODID"]) == "-//Prachum//ประชุม//TH"
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["CALSCALE"]) == "GREGORIAN"
    assert "METHOD" not in cal
    assert "X-WR-CALNAME" not in cal


def test_uid_is_stable_across_builds_and_sequence_is_written() -> None:
    first = only_event(build_calendar([meeting(sequence=0)], now=NOW))
    second = only_event(build_calendar([meeting(sequence=3)], now=NOW + timedelta(days=1)))
    assert str(first["UID"]) == str(second["UID"]) == "meeting-12@prachum"
    assert first["SEQUENCE"] == 0
    assert second["SEQUENCE"] == 3


def test_dtstart_and_dtend_are_the_given_instants_in_bangkok() -> None:
    m = meeting()
    event = only_event(build_calendar([m], now=NOW))
    assert event["DTSTART"].params["TZID"] == "Asia/Bangkok"
    assert event["DTEND"].params["TZID"] == "Asia/Bangkok"
    assert event.start == m.starts_at
    assert event.end == m.ends_at
    assert event.start.utcoffset() == timedelta(hours=7)
    assert (event.start.hour, event.start.minute) == (9, 30)


def test_dtstamp_is_now_in_utc() -> None:
    now_bangkok = datetime(2020, 6, 10, 10, 0, tzinfo=BANGKOK)
    raw = build_calendar([meeting()], now=now_bangkok)
    assert b"DTSTAMP:20200610T030000Z" in raw
    assert only_event(raw).stamp == now_bangkok


def test_vtimezone_for_bangkok_is_present() -> None:
    cal = parse(build_calendar([meeting()], now=NOW))
    assert [tz.tz_name for tz in cal.timezones] == ["Asia/Bangkok"]
    standard = cal.timezones[0].walk("STANDARD")[0]
    assert standard["TZOFFSETTO"].td == timedelta(hours=7)
    assert cal.get_missing_tzids() == set()


def test_thai_summary_round_trips_and_lines_are_folded() -> None:
    raw = build_calendar([meeting()], now=NOW)
    event = only_event(raw)
    assert str(event["SUMMARY"]) == SUMMARY
    text = raw.decode("utf-8")
    assert max(len(line.encode("utf-8")) for line in text.split("\r\n")) <= 75
    assert "\r\n " in text  # the long Thai summary had to be folded


def test_location_url_and_conference_for_a_hybrid_meeting() -> None:
    event = only_event(build_calendar([meeting()], now=NOW))
    assert str(event["LOCATION"]) == VENUE
    assert str(event["URL"]) == ZOOM
    conference = event["CONFERENCE"]
    assert str(conference) == ZOOM
    assert conference.params["VALUE"] == "URI"
    assert conference.params["FEATURE"] == "VIDEO"
    assert conference.params["LABEL"]


def test_online_only_meeting_uses_the_link_as_location() -> None:
    event = only_event(build_calendar([meeting(location=None)], now=NOW))
    assert str(event["LOCATION"]) == ZOOM


def test_on_site_meeting_has_page_url_and_no_conference() -> None:
    event = only_event(build_calendar([meeting(online_url=None, stream_url=None)], now=NOW))
    assert str(event["LOCATION"]) == VENUE
    assert str(event["URL"]) == PAGE
    assert "CONFERENCE" not in event
    assert "เข้าร่วมออนไลน์" not in str(event["DESCRIPTION"])


def test_description_has_notes_and_every_link() -> None:
    description = str(only_event(build_calendar([meeting()], now=NOW))["DESCRIPTION"])
    lines = description.split("\n")
    assert lines[0] == "ผู้เข้าร่วมโปรดส่งรายงานผล 9 เดือนล่วงหน้า"
    assert f"เข้าร่วมออนไลน์: {ZOOM}" in lines
    assert f"ถ่ายทอดสด: {STREAM}" in lines
    assert any(line.endswith(PAGE) for line in lines)


def test_confirmed_meeting_is_opaque_with_a_display_alarm() -> None:
    event = only_event(build_calendar([meeting(reminder_minutes=30)], now=NOW))
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["TRANSP"]) == "OPAQUE"
    [alarm] = event.walk("VALARM")
    assert str(alarm["ACTION"]) == "DISPLAY"
    assert alarm["TRIGGER"].dt == timedelta(minutes=-30)
    assert str(alarm["DESCRIPTION"]) == SUMMARY


def test_cancel_message_is_cancelled_without_alarm() -> None:
    cal = parse(build_calendar([meeting(sequence=2)], method="CANCEL", now=NOW))
    assert str(cal["METHOD"]) == "CANCEL"
    [event] = cal.events
    assert str(event["STATUS"]) == "CANCELLED"
    assert event["SEQUENCE"] == 2
    assert event.walk("VALARM") == []


def test_cancelled_meeting_in_a_feed_has_no_alarm() -> None:
    event = only_event(build_calendar([meeting(cancelled=True)], method="PUBLISH", now=NOW))
    assert str(event["STATUS"]) == "CANCELLED"
    assert event.walk("VALARM") == []


def test_request_has_organizer_and_attendees() -> None:
    m = meeting(
        organizer_email="psdg@moe.go.th",
        organizer_name="กลุ่มพัฒนาระบบบริหาร",
        attendees=(
            Attendee("chair@moe.go.th", "ผู้ช่วยปลัดกระทรวงศึกษาธิการ", role="CHAIR"),
            Attendee("bps@moe.go.th", "สำนักนโยบายและยุทธศาสตร์", partstat="ACCEPTED", rsvp=False),
        ),
    )
    cal = parse(build_calendar([m], method="REQUEST", now=NOW))
    assert str(cal["METHOD"]) == "REQUEST"
    [event] = cal.events

    organizer = event["ORGANIZER"]
    assert str(organizer) == "mailto:psdg@moe.go.th"
    assert organizer.params["CN"] == "กลุ่มพัฒนาระบบบริหาร"

    chair, bps = event["ATTENDEE"]
    assert str(chair) == "mailto:chair@moe.go.th"
    assert chair.params["CN"] == "ผู้ช่วยปลัดกระทรวงศึกษาธิการ"
    assert chair.params["ROLE"] == "CHAIR"
    assert chair.params["PARTSTAT"] == "NEEDS-ACTION"
    assert chair.params["RSVP"] == "TRUE"
    assert chair.params["CUTYPE"] == "INDIVIDUAL"
    assert bps.params["ROLE"] == "REQ-PARTICIPANT"
    assert bps.params["PARTSTAT"] == "ACCEPTED"
    assert bps.params["RSVP"] == "FALSE"


def test_no_organizer_or_attendees_when_none_given() -> None:
    event = only_event(build_calendar([meeting()], now=NOW))
    assert "ORGANIZER" not in event
    assert "ATTENDEE" not in event


def test_created_and_last_modified_are_written_in_utc() -> None:
    created = datetime(2020, 6, 1, 9, 0, tzinfo=BANGKOK)
    modified = datetime(2020, 6, 5, 2, 0, tzinfo=UTC)
    raw = build_calendar([meeting(created=created, last_modified=modified)], now=NOW)
    assert b"CREATED:20200601T020000Z" in raw
    assert b"LAST-MODIFIED:20200605T020000Z" in raw


def test_feed_holds_several_events_and_names_the_calendar() -> None:
    second = meeting(
        uid="meeting-13@prachum",
        summary="ครั้งที่ 4/2563 การประชุมคณะทำงาน",
        starts_at=datetime(2020, 9, 1, 2, 0, tzinfo=UTC),
        ends_at=datetime(2020, 9, 1, 5, 0, tzinfo=UTC),
    )
    cal = parse(build_calendar([meeting(), second], method="PUBLISH", name="ประชุมของฉัน", now=NOW))
    assert str(cal["METHOD"]) == "PUBLISH"
    assert str(cal["X-WR-CALNAME"]) == "ประชุมของฉัน"
    assert str(cal["X-WR-TIMEZONE"]) == "Asia/Bangkok"
    assert [str(e["UID"]) for e in cal.events] == ["meeting-12@prachum", "meeting-13@prachum"]
    assert len(cal.timezones) == 1


def test_empty_feed_is_still_a_valid_calendar() -> None:
    cal = parse(build_calendar([], name="ประชุมของฉัน", now=NOW))
    assert cal.events == []
    assert [tz.tz_name for tz in cal.timezones] == ["Asia/Bangkok"]


def test_multi_day_workshop() -> None:
    workshop = meeting(
        uid="meeting-40@prachum",
        summary="ประชุมเชิงปฏิบัติการ ตัวชี้วัดผลลัพธ์ของสำนักงานเขตพื้นที่การศึกษา",
        starts_at=datetime(2023, 3, 29, 9, 0, tzinfo=BANGKOK),
        ends_at=datetime(2023, 3, 31, 16, 30, tzinfo=BANGKOK),
    )
    raw = build_calendar([workshop], now=NOW)
    assert b"DTSTART;TZID=Asia/Bangkok:20230329T090000" in raw
    assert b"DTEND;TZID=Asia/Bangkok:20230331T163000" in raw
    event = only_event(raw)
    assert event.start == datetime(2023, 3, 29, 2, 0, tzinfo=UTC)
    assert event.end - event.start == timedelta(days=2, hours=7, minutes=30)


@pytest.mark.parametrize(
    "changes",
    [
        {"starts_at": datetime(2020, 6, 26, 9, 30)},
        {"ends_at": datetime(2020, 6, 26, 12, 0)},
        {"created": datetime(2020, 6, 1, 9, 0)},
    ],
    ids=["starts_at", "ends_at", "created"],
)
def test_naive_datetime_is_refused(changes: dict) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        build_calendar([meeting(**changes)], now=NOW)


def test_naive_now_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        build_calendar([meeting()], now=datetime(2020, 6, 10, 10, 0))


def test_end_before_start_is_refused() -> None:
    m = meeting(ends_at=datetime(2020, 6, 26, 2, 29, tzinfo=UTC))
    with pytest.raises(ValueError, match="ends before it starts"):
        build_calendar([m], now=NOW)


def test_unknown_method_is_refused() -> None:
    with pytest.raises(ValueError, match="method"):
        build_calendar([meeting()], method="REPLY", now=NOW)


@pytest.mark.parametrize(
    ("code", "filename"),
    [("3/2563", "meeting-3-2563.ics"), ("12/2566", "meeting-12-2566.ics"), ("", "meeting.ics")],
)
def test_ics_filename(code: str, filename: str) -> None:
    assert ics_filename(code) == filename
