"""One-click answer tokens (app/meetings/answer_links.py): signed, naming one invitee, the meeting and its
SEQUENCE; forged or altered tokens read as nothing; expired when the meeting ends, stale when it moved.
And the iCalendar of a cancelled meeting: "[ยกเลิก]" before its title, no join link."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

import pytest
from icalendar import Calendar

from app import ical
from app.extensions import db
from app.meetings import answer_links
from app.meetings.answer_links import answer_token, answer_url, answer_urls, read_answer_token
from app.meetings.models import Meeting

UTC = timezone.utc


@pytest.fixture
def meeting(make_body, make_user):
    body = make_body("คณะทำงานทดสอบลิงก์")
    start = datetime(2030, 3, 5, 2, 30, tzinfo=UTC)
    meeting = Meeting(body=body, number=1, year_be=2573, title="การประชุมทดสอบ", starts_at=start,
                      ends_at=start + timedelta(hours=3), mode="onsite", venue="ห้อง 1", uid="meeting-t@prachum",
                      sequence=2)
    db.session.add(meeting)
    db.session.commit()
    return meeting


@pytest.fixture
def user(make_user):
    return make_user("member")


def test_a_token_names_the_user_the_meeting_its_sequence_and_the_answer(meeting, user):
    token = read_answer_token(answer_token(meeting, user=user, response="tentative"),
                              now=datetime(2030, 3, 1, tzinfo=UTC))
    assert (token.meeting_id, token.user_id, token.guest_id, token.sequence, token.response) == (
        meeting.id, user.id, None, 2, "tentative")
    assert not token.expired and not token.stale


def test_a_guest_token_names_the_guest(meeting):
    class Guest:
        id = 41

    token = read_answer_token(answer_token(meeting, guest=Guest()), now=datetime(2030, 3, 1, tzinfo=UTC))
    assert (token.user_id, token.guest_id, token.response) == (None, 41, None)


def test_exactly_one_invitee_and_a_known_answer(meeting, user):
    with pytest.raises(ValueError):
        answer_token(meeting)
    with pytest.raises(ValueError):
        answer_token(meeting, user=user, guest=user)
    with pytest.raises(ValueError):
        answer_token(meeting, user=user, response="maybe")


def test_the_link_expires_when_the_meeting_ends(meeting, user):
    token = answer_token(meeting, user=user)
    assert not read_answer_token(token, now=meeting.ends_at - timedelta(minutes=1)).expired
    assert read_answer_token(token, now=meeting.ends_at).expired


def test_a_link_made_before_the_meeting_moved_is_stale(meeting, user):
    token = answer_token(meeting, user=user)
    meeting.sequence += 1
    db.session.commit()
    assert read_answer_token(token, now=datetime(2030, 3, 1, tzinfo=UTC)).stale
    assert not read_answer_token(answer_token(meeting, user=user), now=datetime(2030, 3, 1, tzinfo=UTC)).stale


def test_forged_altered_or_foreign_tokens_read_as_nothing(app, meeting, user):
    token = answer_token(meeting, user=user, response="accepted")
    payload, _, signature = token.rpartition(".")
    assert read_answer_token(payload + "." + signature[::-1]) is None
    assert read_answer_token("not-a-token") is None
    assert read_answer_token("") is None
    from itsdangerous import URLSafeSerializer

    other_key = URLSafeSerializer("another-secret", salt=answer_links.SALT)
    assert read_answer_token(other_key.dumps({"m": meeting.id, "u": user.id, "s": 2})) is None
    other_salt = URLSafeSerializer(app.config["SECRET_KEY"], salt="calendar-feed")
    assert read_answer_token(other_salt.dumps({"m": meeting.id, "u": user.id, "s": 2})) is None
    same_key = URLSafeSerializer(app.config["SECRET_KEY"], salt=answer_links.SALT)
    assert read_answer_token(same_key.dumps({"m": meeting.id + 999, "u": user.id, "s": 2})) is None  # no meeting
    assert read_answer_token(same_key.dumps({"m": meeting.id, "s": 2})) is None  # nobody named
    assert read_answer_token(same_key.dumps({"m": meeting.id, "u": user.id, "s": 2, "r": "x"})) is None


def test_four_absolute_links_one_per_answer(app, meeting, user):
    app.config["PUBLIC_BASE_URL"] = "https://prachum.example.go.th"
    try:
        urls = answer_urls(meeting, user=user)
        assert list(urls) == ["accepted", "declined", "tentative", "delegated"]
        assert len(set(urls.values())) == 4
        for response, url in urls.items():
            parts = urlsplit(url)
            assert (parts.scheme, parts.netloc) == ("https", "prachum.example.go.th")
            assert re.fullmatch(r"/answer/[A-Za-z0-9_.\-]+", parts.path)
            assert read_answer_token(parts.path.rsplit("/", 1)[1]).response == response
        assert answer_url(meeting, user=user) != urls["accepted"]
    finally:
        app.config["PUBLIC_BASE_URL"] = None


# --- a cancelled meeting in calendars -------------------------------------------------------------

def unfolded(data: bytes) -> list[str]:
    return re.sub(r"\r?\n[ \t]", "", data.decode()).splitlines()


def event_of(cancelled: bool, method: str | None = "PUBLISH") -> ical.MeetingEvent:
    start = datetime(2030, 3, 5, 2, 30, tzinfo=UTC)
    return ical.MeetingEvent(uid="m-1@prachum", sequence=3, summary="ครั้งที่ 1/2573 การประชุมทดสอบ", starts_at=start,
                             ends_at=start + timedelta(hours=2), location="ห้อง 1",
                             online_url="https://zoom.us/j/999", stream_url="https://youtube.com/live/abc",
                             description="หมายเหตุ", cancelled=cancelled, url="https://prachum.example/meetings/1")


@pytest.mark.parametrize("cancelled,method", [(True, "PUBLISH"), (False, "CANCEL"), (True, None)])
def test_a_cancelled_meeting_is_marked_and_has_no_join_link(cancelled, method):
    data = ical.build_calendar([event_of(cancelled)], method=method)
    event = next(iter(Calendar.from_ical(data).walk("VEVENT")))
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["SUMMARY"]) == "[ยกเลิก] ครั้งที่ 1/2573 การประชุมทดสอบ"
    lines = unfolded(data)
    assert "SUMMARY:[ยกเลิก] ครั้งที่ 1/2573 การประชุมทดสอบ" in lines
    assert not any("zoom.us" in line or "youtube.com" in line for line in lines)
    assert not any(line.startswith("CONFERENCE") for line in lines)
    assert "LOCATION:ห้อง 1" in lines


def test_a_meeting_going_ahead_keeps_its_title_and_links():
    data = ical.build_calendar([event_of(False)], method="PUBLISH")
    lines = unfolded(data)
    assert "SUMMARY:ครั้งที่ 1/2573 การประชุมทดสอบ" in lines and "STATUS:CONFIRMED" in lines
    assert any(line.startswith("CONFERENCE") and "zoom.us/j/999" in line for line in lines)
