"""What a change does: a new time, place or online link (or a cancellation) resets everyone's answer to "no
answer yet" and asks again (REQUEST, higher SEQUENCE); any other change members see (title, livestream, notes,
chair) sends an update with a higher SEQUENCE and keeps the answers. The meeting's chair is invited as CHAIR,
member or not, and may answer; a cancelled meeting stays in feeds marked "[ยกเลิก]" with no join link; the
secretariat lists who answered and who is pending (GET /api/v1/meetings/<id>/rsvps).

Calendars are read twice: with icalendar, and as unfolded text lines (no second parser is installed)."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from icalendar import Calendar

from app import thaidates
from app.calendar import feeds
from app.extensions import db
from app.mail.models import OutgoingMail
from app.meetings import services
from app.meetings.models import Rsvp
from tests.functional.test_api_core import assert_error
from tests.when import local

ZOOM = "https://zoom.us/j/5550001"
STREAM = "https://www.youtube.com/live/prachum-stream"



@pytest.fixture
def people(make_body, make_user, add_member):
    body = make_body("คณะทำงานขับเคลื่อนการศึกษา")
    first = make_user("member", email="first@example.go.th", name="นายหนึ่ง กรรมการ")
    second = make_user("member", email="second@example.go.th", name="นางสองสาม กรรมการ")
    add_member(body, first, "chair")  # the body's own chair; the meeting names another
    add_member(body, second)
    chair = make_user("viewer", email="outside.chair@example.go.th", name="นายประธาน จากภายนอก")
    staff = make_user("secretariat", email="secretariat@example.go.th")
    return body, first, second, chair, staff


@pytest.fixture
def meeting(people):
    body, _, _, chair, _ = people
    result = services.schedule_meeting(body, {
        "starts_at": local(14, 9), "ends_at": local(14, 12), "mode": "hybrid", "venue": "ห้องประชุมใหญ่",
        "online_url": ZOOM, "stream_url": STREAM, "chair_id": chair.id})
    db.session.commit()
    return result.meeting


def answer_all(meeting, people) -> None:
    _, first, second, chair, _ = people
    services.record_rsvp(meeting, first, "accepted")
    services.record_rsvp(meeting, second, "delegated", "นายผู้แทน ทดแทน")
    services.record_rsvp(meeting, chair, "tentative")
    db.session.commit()


def mails(kind: str) -> list[OutgoingMail]:
    return list(db.session.scalars(db.select(OutgoingMail).where(OutgoingMail.kind == kind).order_by(OutgoingMail.id)))


def unfolded(ics: str) -> list[str]:
    return re.sub(r"\r?\n[ \t]", "", ics).splitlines()


def event_of(ics: str):
    calendar = Calendar.from_ical(ics)
    return calendar, next(iter(calendar.walk("VEVENT")))


def attendees(event) -> dict[str, tuple[str, str]]:
    """{address: (ROLE, PARTSTAT)} from icalendar."""
    value = event.get("ATTENDEE")
    value = value if isinstance(value, list) else [value]
    return {str(a).removeprefix("mailto:"): (a.params["ROLE"], a.params["PARTSTAT"]) for a in value}


def attendee_lines(ics: str) -> dict[str, str]:
    """{address: the unfolded ATTENDEE line} from the text."""
    return {line.rsplit("mailto:", 1)[1]: line for line in unfolded(ics) if line.startswith("ATTENDEE")}


def stored_answers(meeting) -> dict[int, str]:
    db.session.expire_all()
    return {r.user_id: r.response for r in db.session.scalars(db.select(Rsvp).where(Rsvp.meeting_id == meeting.id))}


# --- the chair is invited, as CHAIR, member or not ----------------------------------------------------------

def test_the_chair_from_outside_the_body_is_invited_as_chair(meeting, people):
    _, first, second, chair, _ = people
    invites = {m.to_email: m for m in mails("meeting.invite")}
    assert sorted(invites) == sorted([first.email, second.email, chair.email])
    # each invitation names its own attendee only (nobody sees the others' addresses)
    assert attendees(event_of(invites[chair.email].ics)[1]) == {chair.email: ("CHAIR", "NEEDS-ACTION")}
    assert attendees(event_of(invites[first.email].ics)[1]) == {first.email: ("REQ-PARTICIPANT", "NEEDS-ACTION")}
    assert attendees(event_of(invites[second.email].ics)[1]) == {second.email: ("REQ-PARTICIPANT", "NEEDS-ACTION")}
    chair_line = attendee_lines(invites[chair.email].ics)[chair.email]
    assert "ROLE=CHAIR" in chair_line and "RSVP=TRUE" in chair_line
    assert "ROLE=REQ-PARTICIPANT" in attendee_lines(invites[first.email].ics)[first.email]


def test_without_a_meeting_chair_the_body_s_chair_is_chair(people):
    body, first, _, _, _ = people
    result = services.schedule_meeting(body, {"starts_at": local(3, 9), "ends_at": local(3, 10), "mode": "onsite",
                                              "venue": "ห้อง 2"})
    roles = {person.email: person.role for person in services.invitees(result.meeting)}
    assert roles[first.email] == "CHAIR" and list(roles.values()).count("CHAIR") == 1


def test_the_chair_answers_through_the_api_and_others_outside_the_body_cannot(client, meeting, people, make_user,
                                                                              token_for):
    _, _, _, chair, _ = people
    url = f"/api/v1/meetings/{meeting.id}/rsvp"
    answer = client.post(url, json={"response": "tentative", "note": "รอยืนยันภารกิจ"}, headers=token_for(chair))
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json()["counts"]["tentative"] == 1 and stored_answers(meeting) == {chair.id: "tentative"}
    assert_error(client.post(url, json={"response": "accepted"}, headers=token_for(make_user("viewer"))), 403)
    assert_error(client.post(url, json={"response": "accepted"}, headers=token_for(make_user("member"))), 404)


# --- a change of time, place or link resets the answers ------------------------------------------------------

@pytest.mark.parametrize("change", [
    {"starts_at": "+", "ends_at": "+"},
    {"venue": "ห้องประชุมเล็ก ชั้น 3"},
    {"online_url": "https://zoom.us/j/5550002"},
])
def test_a_new_time_place_or_link_resets_answers_and_asks_again(meeting, people, change):
    _, first, second, chair, _ = people
    answer_all(meeting, people)
    before = meeting.sequence
    values = {key: (local(21, 13 if key == "starts_at" else 16) if value == "+" else value)
              for key, value in change.items()}
    services.update_meeting(meeting, values)
    db.session.commit()
    assert stored_answers(meeting) == {}
    assert services.rsvp_counts(meeting.id) == {"accepted": 0, "declined": 0, "tentative": 0, "delegated": 0}
    updates = mails("meeting.update")
    assert sorted(m.to_email for m in updates) == sorted([first.email, second.email, chair.email])
    calendar, event = event_of(updates[0].ics)
    assert str(calendar["METHOD"]) == "REQUEST" and updates[0].ics_method == "REQUEST"
    assert int(event["SEQUENCE"]) == before + 1 == meeting.sequence
    assert {partstat for _, partstat in attendees(event).values()} == {"NEEDS-ACTION"}
    lines = unfolded(updates[0].ics)
    assert "METHOD:REQUEST" in lines and f"SEQUENCE:{before + 1}" in lines
    assert all("PARTSTAT=NEEDS-ACTION" in line for line in attendee_lines(updates[0].ics).values())
    assert "ตอบรับการประชุม" in updates[0].body_text  # asked again, with fresh links


def test_postponing_resets_answers_and_the_secretariat_sees_everyone_pending(client, meeting, people, token_for):
    _, _, _, _, staff = people
    answer_all(meeting, people)
    moved = client.post(f"/api/v1/meetings/{meeting.id}/postpone",
                        json={"starts_at": local(28, 9), "ends_at": local(28, 12), "reason": "ติดภารกิจเร่งด่วน"},
                        headers=token_for(staff))
    assert moved.status_code == 200 and moved.get_json()["sequence"] == 1
    items = client.get(f"/api/v1/meetings/{meeting.id}/rsvps", headers=token_for(staff)).get_json()["items"]
    assert [item["response"] for item in items] == ["pending"] * 3
    assert all(item["answered_at"] is None for item in items)
    updates = mails("meeting.update")
    assert len(updates) == 3 and all("SEQUENCE:1" in unfolded(m.ics) for m in updates)


# --- other visible changes keep the answers ------------------------------------------------------------------

@pytest.mark.parametrize("change", [
    {"title": "การประชุมเชิงปฏิบัติการ (ชื่อใหม่)"},
    {"stream_url": "https://www.youtube.com/live/another"},
    {"notes": "โปรดนำเอกสารประกอบวาระมาด้วย"},
    {"chair_id": "first"},
])
def test_a_new_title_stream_notes_or_chair_keeps_answers_and_sends_an_update(meeting, people, change):
    _, first, second, chair, _ = people
    answer_all(meeting, people)
    before = meeting.sequence
    if change.get("chair_id") == "first":
        change = {"chair_id": first.id}
    services.update_meeting(meeting, change)
    db.session.commit()
    assert stored_answers(meeting) == {first.id: "accepted", second.id: "delegated", chair.id: "tentative"}
    updates = mails("meeting.update")
    assert updates, "an update is sent"
    calendar, event = event_of(updates[0].ics)
    assert str(calendar["METHOD"]) == "REQUEST" and int(event["SEQUENCE"]) == before + 1 == meeting.sequence
    found = {address: state for mail in updates for address, state in attendees(event_of(mail.ics)[1]).items()}
    assert found[first.email][1] == "ACCEPTED" and found[second.email][1] == "DELEGATED"
    assert f"SEQUENCE:{before + 1}" in unfolded(updates[0].ics)
    if "title" in change:
        assert change["title"] in updates[0].subject
    if "stream_url" in change:
        assert change["stream_url"] in "".join(unfolded(updates[0].ics))


def test_moving_the_chair_invites_the_new_chair_as_chair(meeting, people):
    _, first, _, chair, _ = people
    services.update_meeting(meeting, {"chair_id": first.id})
    db.session.commit()
    _, event = event_of(mails("meeting.update")[0].ics)
    found = attendees(event)
    assert found[first.email][0] == "CHAIR" and chair.email not in found


def test_saving_without_a_change_sends_nothing(meeting, people):
    before = meeting.sequence
    services.update_meeting(meeting, {"title": meeting.title, "venue": meeting.venue})
    db.session.commit()
    assert meeting.sequence == before and mails("meeting.update") == []


# --- cancellation ----------------------------------------------------------------------------------------------

def test_a_cancelled_meeting_stays_in_the_feed_marked_and_without_a_join_link(client, meeting, people):
    _, first, _, _, _ = people
    answer_all(meeting, people)
    services.cancel_meeting(meeting, "ประธานติดภารกิจ")
    db.session.commit()
    assert stored_answers(meeting) == {}
    feed = client.get(urlsplit(feeds.feed_url_for(first, external=True)).path)
    assert feed.status_code == 200
    text = feed.get_data(as_text=True)
    events = [e for e in Calendar.from_ical(text).walk("VEVENT") if str(e["UID"]).startswith(meeting.uid)]
    assert events, "the cancelled meeting stays in the feed"
    for event in events:
        assert str(event["STATUS"]) == "CANCELLED"
        assert str(event["SUMMARY"]).startswith("[ยกเลิก] ")
        assert "CONFERENCE" not in event
        for prop in ("LOCATION", "DESCRIPTION", "URL"):
            assert ZOOM not in str(event.get(prop, "")) and STREAM not in str(event.get(prop, ""))
    lines = unfolded(text)
    assert any(line.startswith("SUMMARY:[ยกเลิก] ") for line in lines)
    assert "STATUS:CANCELLED" in lines
    assert not any("zoom.us" in line or "youtube.com" in line for line in lines)
    cancel = mails("meeting.cancel")[0]
    assert "METHOD:CANCEL" in unfolded(cancel.ics) and "zoom.us" not in cancel.ics
    assert "[ยกเลิก]" in cancel.ics.replace("\r\n ", "")


# --- who answered: the secretariat's list ------------------------------------------------------------------------

def test_the_secretariat_lists_answers_and_pending_invitees(client, meeting, people, make_user, token_for):
    _, first, second, chair, staff = people
    services.record_rsvp(meeting, first, "declined", note="ติดราชการ")
    db.session.commit()
    url = f"/api/v1/meetings/{meeting.id}/rsvps"
    answer = client.get(url, headers=token_for(staff))
    assert answer.status_code == 200
    items = answer.get_json()["items"]
    by_id = {item["user_id"]: item for item in items}
    assert [item["user_id"] for item in items] == [chair.id, first.id, second.id]  # the chair first
    assert by_id[first.id]["response"] == "declined" and by_id[first.id]["answered_at"].endswith("+07:00")
    assert by_id[first.id]["name"] == "นายหนึ่ง กรรมการ"
    assert by_id[second.id]["response"] == by_id[chair.id]["response"] == "pending"
    assert by_id[second.id]["answered_at"] is None
    assert all("guest_id" not in item for item in items)
    assert_error(client.get(url, headers=token_for(second)), 403)  # a member sees the meeting, not the list
    assert_error(client.get(url, headers=token_for(make_user("member"))), 404)
    assert_error(client.get(f"/api/v1/meetings/{meeting.id + 999}/rsvps", headers=token_for(staff)), 404)


def test_the_meeting_page_counts_the_chair_among_those_invited_and_the_reminder_reaches_them(
        client, meeting, people, login):
    _, first, second, chair, staff = people
    services.record_rsvp(meeting, first, "accepted")
    db.session.commit()
    page = login(staff).get(f"/meetings/{meeting.id}").get_data(as_text=True)
    counts = re.sub(r"\s+", " ", page.split('id="rsvp-counts"')[1].split("</p>")[0])
    assert 'เข้าร่วม <span class="badge bg-success">1</span>' in counts
    assert 'ยังไม่ตอบ <span class="badge bg-light text-dark">2</span>' in counts
    table = page.split('id="invitees"')[1].split("</tbody>")[0]
    assert chair.name in table and "ประธานการประชุม" in table
    from app.notify.notices import unanswered_invitations

    sent, _ = unanswered_invitations(meeting, thaidates.today_bangkok())
    db.session.commit()
    assert sent == 2
    assert sorted(m.to_email for m in mails("invitation.unanswered")) == sorted([second.email, chair.email])


def test_the_chair_sees_the_meeting_and_answers_on_its_page(client, meeting, people, login):
    _, _, _, chair, _ = people
    browser = login(chair)
    page = browser.get(f"/meetings/{meeting.id}")
    assert page.status_code == 200 and 'id="rsvp"' in page.get_data(as_text=True)
    from tests.functional.test_meetings_web import prefixed_csrf

    sent = browser.post(f"/meetings/{meeting.id}/rsvp", data={
        "rsvp-csrf_token": prefixed_csrf(page.get_data(as_text=True), "rsvp"), "rsvp-response": "accepted"})
    assert sent.status_code == 302 and stored_answers(meeting) == {chair.id: "accepted"}
