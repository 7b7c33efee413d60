"""The participant reports of Zoom, Webex and Teams read into stays, and the stays matched to people."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from app.participation import (
    ParticipantRow,
    Person,
    ReportError,
    decode_report,
    match_participants,
    name_key,
    parse_participant_report,
    parse_report_time,
)

FIXTURES = Path(__file__).parent.parent / "fixtures"
PEOPLE = [Person(("user", 1), "นายสมชาย ใจดี", "somchai@example.go.th"),
          Person(("user", 2), "นางสาวสุดา รักงาน", "suda@example.go.th"),
          Person(("guest", 7), "นางมาลี ศรีสุข", "malee@example.com")]


def read(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def test_zoom_report_skips_the_meeting_block_and_reads_every_stay():
    rows = parse_participant_report(read("zoom_participants.csv"), "zoom")
    assert [r.name for r in rows] == ["สมชาย (นายสมชาย ใจดี)", "นายสมชาย ใจดี", "นางสาวสุดา รักงาน", "iPhone ของแดง"]
    assert rows[0].joined_at == datetime(2020, 6, 26, 9, 28, 14) and rows[0].left_at == datetime(2020, 6, 26, 10, 45)
    assert rows[0].email == "somchai@example.go.th" and rows[2].email is None
    assert rows[0].names == ("สมชาย (นายสมชาย ใจดี)", "นายสมชาย ใจดี", "สมชาย")


def test_teams_report_is_utf16_tab_separated_after_its_summary():
    data = read("teams_attendance.csv")
    assert data.startswith(b"\xff\xfe")
    rows = parse_participant_report(data, "teams")
    assert [r.name for r in rows] == ["นายสมชาย ใจดี", "นางสาวสุดา รักงาน", "นายวิชัย มาสาย"]
    assert rows[0].joined_at == datetime(2020, 6, 26, 9, 28, 14) and rows[0].left_at == datetime(2020, 6, 26, 12, 1, 30)
    assert rows[2].email == "wichai@other.example.com"


def test_webex_report_lowercases_emails_and_reads_minutes_only_times():
    rows = parse_participant_report(read("webex_attendees.csv"), "webex")
    assert rows[0].email == "somchai@example.go.th"
    assert rows[0].joined_at == datetime(2020, 6, 26, 9, 28) and rows[1].left_at == datetime(2020, 6, 26, 12, 0)
    assert len(rows) == 3


@pytest.mark.parametrize("source", ["zoom", "webex", "teams"])
def test_each_report_matches_members_by_email_or_name_and_lists_the_rest(source):
    name = {"zoom": "zoom_participants.csv", "webex": "webex_attendees.csv", "teams": "teams_attendance.csv"}[source]
    matched, unmatched = match_participants(parse_participant_report(read(name), source), PEOPLE)
    assert {person.key for _row, person in matched} == {("user", 1), ("user", 2)}
    assert len(unmatched) == 1
    assert unmatched[0].name in {"iPhone ของแดง", "ผู้เข้าร่วมทางโทรศัพท์", "นายวิชัย มาสาย"}


def test_names_match_without_titles_and_spaces_and_shared_names_match_nobody():
    assert name_key("นางสาว สุดา  รักงาน") == name_key("สุดา รักงาน") == "สุดารักงาน"
    assert name_key("ดร.นายสมชาย ใจดี") == "สมชายใจดี"
    twins = [Person(1, "นายสมชาย ใจดี"), Person(2, "สมชาย ใจดี")]
    row = ParticipantRow(2, "สมชาย ใจดี", None, datetime(2020, 1, 1, 9), datetime(2020, 1, 1, 10))
    assert match_participants([row], twins) == ([], [row])


def test_times_in_every_layout_and_with_an_offset():
    assert parse_report_time("06/26/2020 09:28:14 PM") == datetime(2020, 6, 26, 21, 28, 14)
    assert parse_report_time("6/26/20, 9:28:14\u202fAM") == datetime(2020, 6, 26, 9, 28, 14)
    assert parse_report_time("2020-06-26 09:28:14") == datetime(2020, 6, 26, 9, 28, 14)
    assert parse_report_time("2020-06-26T02:28:14Z") == datetime(2020, 6, 26, 2, 28, 14, tzinfo=timezone.utc)
    assert parse_report_time("2020-06-26T09:28:14+07:00").utcoffset() == timedelta(hours=7)
    with pytest.raises(ReportError):
        parse_report_time("เมื่อวาน")


def test_broken_reports_are_refused():
    with pytest.raises(ReportError, match="header"):
        parse_participant_report("ชื่อ,อีเมล\nก,ข\n".encode(), "zoom")
    with pytest.raises(ReportError, match="line 2"):
        parse_participant_report(b"Name,Email,Join Time,Leave Time\nA,a@x.th,soon,later\n", "webex")
    with pytest.raises(ReportError, match="before"):
        parse_participant_report(b"Name,Email,Join Time,Leave Time\nA,,2020-06-26 10:00,2020-06-26 09:00\n", "webex")
    with pytest.raises(ReportError):
        parse_participant_report(b"", "skype")


def test_thai_windows_encoding_is_read():
    text = "Name,Email,Join Time,Leave Time\nสมชาย,,2020-06-26 09:00,2020-06-26 10:00\n"
    assert decode_report(text.encode("cp874")) == text
    assert parse_participant_report(text.encode("cp874"), "webex")[0].name == "สมชาย"

