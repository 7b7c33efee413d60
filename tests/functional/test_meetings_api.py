"""Scheduling through the API: numbering, validation, warnings, changes, cancellation, RSVP, attendance."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from icalendar import Calendar

from app.audit.models import AuditEvent
from app.extensions import db
from app.mail.models import OutgoingMail
from app.meetings.models import Attendance, Meeting
from tests.functional.test_api_core import assert_error
from tests.when import local


@pytest.fixture
def group(make_body, make_user, add_member):
    """A working group counting by fiscal year, with a chair and two members."""
    body = make_body("คณะทำงานติดตามผลการดำเนินงาน", numbering="fiscal")
    chair = make_user("member", name="นายประธาน ทดสอบ")
    add_member(body, chair, "chair")
    add_member(body, make_user("member", name="นางสาวกรรมการ หนึ่ง"))
    add_member(body, make_user("reporter", name="นายผู้รายงาน สอง"))
    body.chair = chair
    return body


@pytest.fixture
def staff(make_user, token_for):
    return token_for(make_user("secretariat"))


def schedule(client, headers, target, **overrides):
    data = {"body_id": overrides.pop("body_id", target), "starts_at": "2020-09-10T09:30", "ends_at": "2020-09-10T12:00", "mode": "onsite",
            "venue": "ห้องประชุมจันทรเกษม", **overrides}
    return client.post("/api/v1/meetings", json=data, headers=headers)


def test_schedule_numbers_by_fiscal_year_and_returns_the_contract(client, staff, group):
    response = schedule(client, staff, group.id)
    assert response.status_code == 201, response.get_data(as_text=True)
    meeting = response.get_json()
    assert {"id", "body_id", "number", "year_be", "code", "title", "starts_at", "ends_at", "mode", "venue",
            "online_url", "stream_url", "status", "sequence", "warnings"} <= set(meeting)
    assert (meeting["number"], meeting["year_be"], meeting["code"]) == (1, 2563, "1/2563")
    assert meeting["starts_at"] == "2020-09-10T09:30:00+07:00" and meeting["status"] == "scheduled"
    assert "ครั้งที่ 1/2563" in meeting["title"] and "ประจำปีงบประมาณ พ.ศ. 2563" in meeting["title"]
    stored = db.session.get(Meeting, meeting["id"])
    assert stored.starts_at == datetime(2020, 9, 10, 2, 30, tzinfo=timezone.utc)
    # 1 Oct 2020 starts fiscal year 2564: numbering restarts
    second = schedule(client, staff, group.id, starts_at="2020-10-01T09:00", ends_at="2020-10-01T10:00").get_json()
    assert second["code"] == "1/2564"
    third = schedule(client, staff, group.id, starts_at="2020-09-30T09:00", ends_at="2020-09-30T10:00").get_json()
    assert third["code"] == "2/2563"


def test_calendar_numbering_restarts_on_1_january(client, staff, make_body):
    body = make_body("คณะกรรมการนโยบาย", kind="committee", numbering="calendar")
    first = schedule(client, staff, body.id, starts_at="2020-12-31T09:00", ends_at="2020-12-31T10:00").get_json()
    second = schedule(client, staff, body.id, starts_at="2021-01-01T09:00", ends_at="2021-01-01T10:00").get_json()
    third = schedule(client, staff, body.id, starts_at="2020-10-01T09:00", ends_at="2020-10-01T10:00").get_json()
    assert (first["code"], second["code"], third["code"]) == ("1/2563", "1/2564", "2/2563")


def test_explicit_number_only_if_free_and_cancelled_numbers_are_not_reused(client, staff, group):
    assert schedule(client, staff, group.id, number=4).get_json()["code"] == "4/2563"
    assert_error(schedule(client, staff, group.id, number=4), 409, "conflict")
    assert schedule(client, staff, group.id).get_json()["code"] == "5/2563"
    last = db.session.scalar(db.select(Meeting).where(Meeting.number == 5))
    client.post(f"/api/v1/meetings/{last.id}/cancel", json={"reason": "ติดภารกิจ"}, headers=staff)
    assert schedule(client, staff, group.id).get_json()["code"] == "6/2563"


@pytest.mark.parametrize("overrides,field", [
    ({"ends_at": "2020-09-10T09:00"}, "ends_at"),
    ({"mode": "teleport"}, "mode"),
    ({"venue": None}, "venue"),
    ({"mode": "online", "venue": None}, "online_url"),
    ({"mode": "hybrid", "online_url": "http://zoom.us/j/1"}, "online_url"),
    ({"mode": "online", "online_url": "javascript:alert(1)"}, "online_url"),
    ({"stream_url": "https://x.example/<script>"}, "stream_url"),
    ({"starts_at": "26/06/2563 09.30"}, "starts_at"),
    ({"title": "ก" * 501}, "title"),
    ({"body_id": 999999}, "body_id"),
])
def test_bad_input_is_422_with_the_field_and_saves_nothing(client, staff, group, overrides, field):
    error = assert_error(schedule(client, staff, group.id, **overrides), 422, "validation_error")
    assert field in error["fields"], error
    assert db.session.scalar(db.select(db.func.count()).select_from(Meeting)) == 0
    assert db.session.scalar(db.select(db.func.count()).select_from(OutgoingMail)) == 0


@pytest.mark.parametrize("role", ["reporter", "member", "viewer"])
def test_only_staff_schedule(client, make_user, token_for, group, role):
    assert_error(schedule(client, token_for(make_user(role)), group.id), 403)


def test_room_and_chair_double_booking_are_warnings(client, staff, group, make_body):
    chair_id = group.chair.id
    schedule(client, staff, group.id, chair_id=chair_id)
    other = make_body("คณะอื่น", kind="committee")
    response = schedule(client, staff, other.id, starts_at="2020-09-10T11:00", ends_at="2020-09-10T13:00",
                        chair_id=chair_id)
    assert response.status_code == 201
    warnings = response.get_json()["warnings"]
    assert len(warnings) == 2 and any("ห้องประชุม" in w for w in warnings) and any("ประธาน" in w for w in warnings)
    apart = schedule(client, staff, other.id, starts_at="2020-09-10T13:00", ends_at="2020-09-10T14:00")
    assert apart.get_json()["warnings"] == []


def test_invitations_are_queued_and_written_to_the_outbox(client, staff, group, outbox):
    schedule(client, staff, group.id, mode="hybrid", online_url="https://zoom.us/j/123")
    files = sorted(outbox.glob("*.eml"))
    assert len(files) == 3
    raw = files[0].read_bytes()
    assert b"method=REQUEST" in raw or b'method="REQUEST"' in raw
    import email

    message = email.message_from_bytes(raw)
    calendar_part = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    calendar = Calendar.from_ical(calendar_part.get_payload(decode=True))
    event = next(iter(calendar.walk("VEVENT")))
    assert calendar["METHOD"] == "REQUEST" and int(event["SEQUENCE"]) == 0
    assert any("RSVP=TRUE" in a.to_ical().decode() or a.params.get("RSVP") == "TRUE" for a in
               (event["ATTENDEE"] if isinstance(event["ATTENDEE"], list) else [event["ATTENDEE"]]))
    assert all(m.sent_at is not None for m in db.session.scalars(db.select(OutgoingMail)))


def test_notify_false_sends_nothing(client, staff, group, outbox):
    schedule(client, staff, group.id, notify=False)
    assert not list(outbox.glob("*.eml"))


def test_postpone_raises_sequence_and_sends_update_then_cancel(client, staff, group, outbox):
    meeting = schedule(client, staff, group.id).get_json()
    moved = client.post(f"/api/v1/meetings/{meeting['id']}/postpone",
                        json={"starts_at": "2020-09-17T09:30", "ends_at": "2020-09-17T12:00", "reason": "ประธานติดราชการ"},
                        headers=staff).get_json()
    assert moved["status"] == "postponed" and moved["sequence"] == 1 and moved["code"] == meeting["code"]
    cancelled = client.post(f"/api/v1/meetings/{meeting['id']}/cancel", json={"reason": "ยกเลิก"}, headers=staff)
    assert cancelled.get_json()["status"] == "cancelled" and cancelled.get_json()["sequence"] == 2
    kinds = [m.kind for m in db.session.scalars(db.select(OutgoingMail).order_by(OutgoingMail.id))]
    assert kinds == ["meeting.invite"] * 3 + ["meeting.update"] * 3 + ["meeting.cancel"] * 3
    cancel_mail = db.session.scalars(db.select(OutgoingMail).where(OutgoingMail.kind == "meeting.cancel")).first()
    assert "METHOD:CANCEL" in cancel_mail.ics and "STATUS:CANCELLED" in cancel_mail.ics
    assert_error(client.post(f"/api/v1/meetings/{meeting['id']}/cancel", json={"reason": "อีกครั้ง"}, headers=staff), 409)
    assert_error(client.patch(f"/api/v1/meetings/{meeting['id']}", json={"venue": "ห้องอื่น"}, headers=staff), 409)


def test_patch_title_raises_sequence_and_stale_version_is_409(client, staff, group):
    meeting = schedule(client, staff, group.id).get_json()
    patched = client.patch(f"/api/v1/meetings/{meeting['id']}", json={"title": "ชื่อใหม่", "version": meeting["version"]},
                           headers=staff)
    assert patched.status_code == 200 and patched.get_json()["sequence"] == 1  # members' calendars get the new title
    assert_error(client.patch(f"/api/v1/meetings/{meeting['id']}", json={"title": "อีก", "version": meeting["version"]},
                              headers=staff), 409)
    moved = client.patch(f"/api/v1/meetings/{meeting['id']}", json={"venue": "ห้องประชุม 2"}, headers=staff)
    assert moved.get_json()["sequence"] == 2
    events = db.session.scalars(db.select(AuditEvent.action).where(AuditEvent.object_type == "meeting")).all()
    assert "meeting.create" in events and events.count("meeting.update") == 2


def test_list_filters_and_visibility(client, staff, group, make_user, token_for, make_body, add_member):
    schedule(client, staff, group.id)
    schedule(client, staff, group.id, starts_at="2020-10-05T09:00", ends_at="2020-10-05T10:00")
    other = make_body("คณะลับ", kind="committee")
    schedule(client, staff, other.id, venue="ห้องอื่น")
    assert len(client.get("/api/v1/meetings", headers=staff).get_json()["items"]) == 3
    assert [m["code"] for m in client.get(f"/api/v1/meetings?body={group.id}&year=2564",
                                          headers=staff).get_json()["items"]] == ["1/2564"]
    member = group.memberships[1].user
    items = client.get("/api/v1/meetings", headers=token_for(member)).get_json()["items"]
    assert {m["body_id"] for m in items} == {group.id}
    secret = db.session.scalar(db.select(Meeting).where(Meeting.body_id == other.id))
    assert_error(client.get(f"/api/v1/meetings/{secret.id}", headers=token_for(member)), 404)
    assert_error(client.get("/api/v1/meetings?status=bogus", headers=staff), 422)


def test_rsvp_by_members_only(client, staff, group, make_user, token_for):
    meeting = schedule(client, staff, group.id, starts_at=local(10, 9, 30), ends_at=local(10, 12)).get_json()
    member = group.memberships[1].user
    url = f"/api/v1/meetings/{meeting['id']}/rsvp"
    answer = client.post(url, json={"response": "delegated", "delegate_name": "นายผู้แทน"}, headers=token_for(member))
    assert answer.status_code == 200 and answer.get_json()["counts"]["delegated"] == 1
    again = client.post(url, json={"response": "accepted"}, headers=token_for(member)).get_json()
    assert again["counts"] == {"accepted": 1, "declined": 0, "tentative": 0, "delegated": 0}
    assert_error(client.post(url, json={"response": "maybe"}, headers=token_for(member)), 422)
    assert_error(client.post(url, json={"response": "delegated"}, headers=token_for(member)), 422)
    assert_error(client.post(url, json={"response": "accepted"}, headers=token_for(make_user("viewer"))), 403)
    assert_error(client.post(url, json={"response": "accepted"}, headers=staff), 403)


def test_attendance_by_secretariat(client, staff, group, token_for):
    meeting = schedule(client, staff, group.id).get_json()
    users = [m.user for m in group.memberships]
    payload = {"members": [
        {"user_id": users[0].id, "status": "present"},
        {"user_id": users[1].id, "status": "absent", "reason": "ติดราชการ"},
        {"user_id": users[2].id, "status": "delegate", "delegate_name": "นายแทน ทดสอบ"},
    ], "guests": [{"name": "นางผู้สังเกตการณ์", "position": "นักวิเคราะห์นโยบาย"}]}
    url = f"/api/v1/meetings/{meeting['id']}/attendance"
    response = client.put(url, json=payload, headers=staff)
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert [m["status"] for m in body["members"]] == ["present", "absent", "delegate"]
    assert body["guests"][0]["name"] == "นางผู้สังเกตการณ์"
    assert_error(client.put(url, json=payload, headers=token_for(users[1])), 403)
    bad = {"members": [{"user_id": users[0].id, "status": "delegate"}], "guests": []}
    assert "members.0.delegate_name" in assert_error(client.put(url, json=bad, headers=staff), 422)["fields"]
    assert db.session.scalar(db.select(db.func.count()).select_from(Attendance)) == 4


def test_meeting_ics_download(client, staff, group, token_for):
    meeting = schedule(client, staff, group.id, mode="hybrid", online_url="https://zoom.us/j/9",
                       stream_url="https://www.youtube.com/@OBECChannel/live").get_json()
    member = group.memberships[1].user
    response = client.get(f"/meetings/{meeting['id']}.ics", headers=token_for(member))
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    event = next(iter(Calendar.from_ical(response.data).walk("VEVENT")))
    assert str(event["UID"]) == db.session.get(Meeting, meeting["id"]).uid
    assert "1/2563" in str(event["SUMMARY"]) and str(event["LOCATION"]) == "ห้องประชุมจันทรเกษม"
    assert str(event["URL"]) == "https://zoom.us/j/9"
    assert event.walk("VALARM")
    assert client.get(f"/meetings/{meeting['id']}.ics").status_code == 302
