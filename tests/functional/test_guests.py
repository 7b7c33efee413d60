"""Guests: people without an account invited to a meeting (one by one, or from an XLSX/CSV list), mailed the
invitation with its .ics, mailed a cancellation when removed, ticked as attended (ผู้เข้าร่วมประชุม)."""
from __future__ import annotations

import io
import re
from datetime import datetime, timedelta, timezone

import pytest
from icalendar import Calendar
from openpyxl import Workbook

from app.audit.models import AuditEvent
from app.extensions import db
from app.mail.models import OutgoingMail
from app.meetings.models import Meeting, MeetingGuest
from tests.conftest import csrf_from
from tests.functional.test_api_core import assert_error


@pytest.fixture
def meeting(make_body, make_user, add_member):
    body = make_body("คณะทำงานพัฒนาระบบติดตาม")
    add_member(body, make_user("member", name="นางสาวกรรมการ หนึ่ง"))
    starts = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(days=20)
    meeting = Meeting(body=body, number=1, year_be=2569, title="ประชุมเชิงปฏิบัติการ", starts_at=starts,
                      ends_at=starts + timedelta(hours=3), venue="ห้องประชุม 1", uid="guest-test@prachum")
    db.session.add(meeting)
    db.session.commit()
    return meeting


@pytest.fixture
def staff(make_user, token_for):
    return token_for(make_user("secretariat"))


def mails(kind: str | None = None) -> list[OutgoingMail]:
    query = db.select(OutgoingMail).order_by(OutgoingMail.id)
    if kind:
        query = query.where(OutgoingMail.kind == kind)
    return list(db.session.scalars(query))


def event_of(mail: OutgoingMail):
    calendar = Calendar.from_ical(mail.ics)
    return calendar, next(c for c in calendar.walk() if c.name == "VEVENT")


def attendee_addresses(event) -> list[str]:
    values = event.get("ATTENDEE")
    values = values if isinstance(values, list) else [values] if values else []
    return [str(v).lower().removeprefix("mailto:") for v in values]


def csv_bytes(rows: list[list[str]]) -> bytes:
    return "\n".join(",".join(row) for row in rows).encode("utf-8-sig")


def xlsx_bytes(rows: list[list[str]]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_api_add_guest_mails_the_invitation_with_its_ics_and_refuses_a_duplicate(client, staff, meeting):
    response = client.post(f"/api/v1/meetings/{meeting.id}/guests", headers=staff,
                           json={"name": "นายแขก รับเชิญ", "email": "Guest@Obec.go.th", "organisation": "สพป.ลำปาง เขต 1"})
    assert response.status_code == 201, response.get_data(as_text=True)
    guest = response.get_json()
    assert (guest["name"], guest["email"], guest["organisation"], guest["response"]) == (
        "นายแขก รับเชิญ", "guest@obec.go.th", "สพป.ลำปาง เขต 1", "pending")
    [mail] = mails("meeting.invite")
    assert mail.to_email == "guest@obec.go.th" and mail.ics_method == "REQUEST"
    calendar, event = event_of(mail)
    assert str(calendar["METHOD"]) == "REQUEST" and str(event["UID"]) == meeting.uid
    assert attendee_addresses(event) == ["guest@obec.go.th"]
    assert "นายแขก รับเชิญ" in mail.body_text and meeting.title in mail.body_text

    again = client.post(f"/api/v1/meetings/{meeting.id}/guests", headers=staff,
                        json={"name": "อีกคน", "email": "GUEST@obec.go.th"})
    assert_error(again, 409, "conflict")
    assert len(mails()) == 1
    listed = client.get(f"/api/v1/meetings/{meeting.id}/guests", headers=staff).get_json()["items"]
    assert [g["email"] for g in listed] == ["guest@obec.go.th"]
    assert db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "meeting.guest.add")) is not None


@pytest.mark.parametrize("payload,field", [
    ({"name": "ก", "email": "not-an-address"}, "email"),
    ({"name": " ", "email": "a@b.go.th"}, "name"),
])
def test_api_refuses_a_bad_guest(client, staff, meeting, payload, field):
    response = client.post(f"/api/v1/meetings/{meeting.id}/guests", headers=staff, json=payload)
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]
    assert db.session.scalar(db.select(db.func.count()).select_from(MeetingGuest)) == 0


def test_api_remove_guest_mails_a_cancellation_for_them_only(client, staff, meeting):
    gid = client.post(f"/api/v1/meetings/{meeting.id}/guests", headers=staff,
                      json={"name": "นางแขก สอง", "email": "two@obec.go.th"}).get_json()["id"]
    response = client.delete(f"/api/v1/meetings/{meeting.id}/guests/{gid}", headers=staff)
    assert response.status_code == 204
    assert db.session.get(MeetingGuest, gid) is None
    [mail] = mails("meeting.uninvite")
    assert mail.to_email == "two@obec.go.th" and mail.ics_method == "CANCEL"
    calendar, event = event_of(mail)
    assert str(calendar["METHOD"]) == "CANCEL" and str(event["STATUS"]) == "CANCELLED"
    assert attendee_addresses(event) == ["two@obec.go.th"]
    assert db.session.get(Meeting, meeting.id).status == "scheduled"  # the meeting itself goes on
    assert client.delete(f"/api/v1/meetings/{meeting.id}/guests/{gid}", headers=staff).status_code == 404


def test_api_import_csv_and_xlsx_of_three_guests(client, staff, meeting):
    thai = csv_bytes([["ชื่อ", "หน่วยงาน", "อีเมล"],
                      ["นายหนึ่ง ใจดี", "สพป.เชียงใหม่ เขต 1", "one@obec.go.th"],
                      ["นางสองแสน ดีใจ", "สพป.เชียงใหม่ เขต 2", "two@obec.go.th"],
                      ["", "", ""],
                      ["นายสาม สามารถ", "สพม.เชียงใหม่", "three@obec.go.th"]])
    response = client.post(f"/api/v1/meetings/{meeting.id}/guests/import", headers=staff,
                           data={"file": (io.BytesIO(thai), "directors.csv")}, content_type="multipart/form-data")
    assert response.status_code == 201, response.get_data(as_text=True)
    assert response.get_json() == {"added": 3}
    english = xlsx_bytes([["Name", "Organisation", "E-mail"],
                          ["Ms Four", "OBEC", "four@obec.go.th"],
                          ["Mr Five", "OBEC", "five@obec.go.th"],
                          ["Ms Six", None, "six@obec.go.th"]])
    response = client.post(f"/api/v1/meetings/{meeting.id}/guests/import", headers=staff,
                           data={"file": (io.BytesIO(english), "list.xlsx")}, content_type="multipart/form-data")
    assert response.get_json() == {"added": 3}
    guests = db.session.scalars(db.select(MeetingGuest).order_by(MeetingGuest.id)).all()
    assert [(g.name, g.organisation) for g in guests][:3] == [
        ("นายหนึ่ง ใจดี", "สพป.เชียงใหม่ เขต 1"), ("นางสองแสน ดีใจ", "สพป.เชียงใหม่ เขต 2"), ("นายสาม สามารถ", "สพม.เชียงใหม่")]
    assert guests[5].organisation is None
    assert sorted(m.to_email for m in mails("meeting.invite")) == sorted(g.email for g in guests)


def test_import_reports_every_problem_by_row_and_adds_nothing(client, staff, meeting):
    client.post(f"/api/v1/meetings/{meeting.id}/guests", headers=staff, json={"name": "มีอยู่", "email": "old@obec.go.th"})
    bad = csv_bytes([["name", "organisation", "email"],
                     ["นายหนึ่ง", "ก", "one@obec.go.th"],
                     ["นายสอง", "ข", "two at obec"],
                     ["", "ค", "four@obec.go.th"],
                     ["นายห้า", "ง", "OLD@obec.go.th"]])
    response = client.post(f"/api/v1/meetings/{meeting.id}/guests/import", headers=staff,
                           data={"file": (io.BytesIO(bad), "bad.csv")}, content_type="multipart/form-data")
    assert response.status_code == 422
    problems = response.get_json()["error"]["fields"]["file"]
    assert "แถว 3: อีเมลไม่ถูกต้อง" in problems and "แถว 4: กรุณาระบุชื่อ" in problems and "แถว 5" in problems
    assert "แถว 2" not in problems
    assert [g.email for g in db.session.scalars(db.select(MeetingGuest))] == ["old@obec.go.th"]
    assert len(mails()) == 1


def test_import_refuses_a_file_without_the_header_row(client, staff, meeting):
    response = client.post(f"/api/v1/meetings/{meeting.id}/guests/import", headers=staff,
                           data={"file": (io.BytesIO(csv_bytes([["นายหนึ่ง", "ก", "one@obec.go.th"]])), "x.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 422 and "หัวตาราง" in response.get_json()["error"]["fields"]["file"]
    response = client.post(f"/api/v1/meetings/{meeting.id}/guests/import", headers=staff,
                           data={"file": (io.BytesIO("ชื่อ,อีเมล".encode("cp874")), "x.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 422 and "UTF-8" in response.get_json()["error"]["fields"]["file"]


def test_members_and_reporters_are_refused(client, meeting, make_user, token_for, add_member, login):
    member = make_user("member")
    add_member(meeting.body, member)
    headers = token_for(member)
    assert client.get(f"/api/v1/meetings/{meeting.id}/guests", headers=headers).status_code == 403
    assert client.post(f"/api/v1/meetings/{meeting.id}/guests", headers=headers,
                       json={"name": "ก", "email": "a@b.go.th"}).status_code == 403
    reporter = make_user("reporter")
    assert client.post(f"/api/v1/meetings/{meeting.id}/guests", headers=token_for(reporter),
                       json={"name": "ก", "email": "a@b.go.th"}).status_code in (403, 404)
    login(member)
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert 'id="guests"' not in page
    response = client.post(f"/meetings/{meeting.id}/guests",
                           data={"csrf_token": csrf_from(page), "guest-name": "ก", "guest-email": "a@b.go.th"})
    assert response.status_code == 403
    assert db.session.scalar(db.select(db.func.count()).select_from(MeetingGuest)) == 0


def test_web_add_import_remove_and_tick_a_guest_as_attended(client, meeting, make_user, login):
    login(make_user("secretariat"))
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    guests_section = page.split('id="guests"', 1)[1].split("</section>", 1)[0]
    assert "data-confirm" not in guests_section  # no guest yet, nothing to remove
    token = csrf_from(page)
    response = client.post(f"/meetings/{meeting.id}/guests", data={
        "csrf_token": token, "guest-name": "ดร.แขก ทดสอบ", "guest-organisation": "สำนักงาน ก.ค.ศ.",
        "guest-email": "doctor@otepc.go.th"})
    assert response.status_code == 302
    [mail] = mails("meeting.invite")
    assert mail.to_email == "doctor@otepc.go.th" and "BEGIN:VCALENDAR" in mail.ics
    # the same address again is refused and shown
    client.post(f"/meetings/{meeting.id}/guests", data={
        "csrf_token": token, "guest-name": "ซ้ำ", "guest-email": "DOCTOR@otepc.go.th"})
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "อีเมลนี้อยู่ในรายชื่อผู้เข้าร่วมประชุมครั้งนี้แล้ว" in page
    assert page.count("doctor@otepc.go.th") == 1 and "data-confirm" in page

    listing = xlsx_bytes([["ชื่อ", "หน่วยงาน", "อีเมล"], ["ก", "หน่วย ก", "a@obec.go.th"],
                          ["ข", "หน่วย ข", "b@obec.go.th"], ["ค", "หน่วย ค", "c@obec.go.th"]])
    response = client.post(f"/meetings/{meeting.id}/guests/import", data={
        "csrf_token": token, "guests-file": (io.BytesIO(listing), "list.xlsx")}, content_type="multipart/form-data")
    assert response.status_code == 302
    assert db.session.scalar(db.select(db.func.count()).select_from(MeetingGuest)) == 4

    guest_a = db.session.scalar(db.select(MeetingGuest).where(MeetingGuest.email == "a@obec.go.th"))
    guest_b = db.session.scalar(db.select(MeetingGuest).where(MeetingGuest.email == "b@obec.go.th"))
    response = client.post(f"/meetings/{meeting.id}/guests/{guest_b.id}/delete", data={"csrf_token": token})
    assert response.status_code == 302
    assert [m.to_email for m in mails("meeting.uninvite")] == ["b@obec.go.th"]

    attendance_page = client.get(f"/meetings/{meeting.id}/attendance").get_data(as_text=True)
    assert f'name="guest_attended" value="{guest_a.id}"' in attendance_page
    member = meeting.body.memberships[0]
    response = client.post(f"/meetings/{meeting.id}/attendance", data={
        "csrf_token": token, f"status-{member.user_id}": "present", "guest_attended": [str(guest_a.id)],
        "guest_name": ["ผู้สังเกตการณ์ พิมพ์เอง"], "guest_position": [""]})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    from app.minutes.documents import attendance_people

    _present, _absent, guests = attendance_people(db.session.get(Meeting, meeting.id))
    assert [(p.name, p.position) for p in guests] == [("ก", "หน่วย ก"), ("ผู้สังเกตการณ์ พิมพ์เอง", None)]
    detail = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "ผู้เข้าร่วมประชุม</h3>" in detail and "<li>ก — หน่วย ก</li>" in detail
    again = client.get(f"/meetings/{meeting.id}/attendance").get_data(as_text=True)
    assert f'value="{guest_a.id}" id="guest-{guest_a.id}" checked' in again
    assert 'value="ผู้สังเกตการณ์ พิมพ์เอง"' in again and 'value="ก"' not in again


def test_a_guest_answers_with_the_link_of_their_invitation_and_counts_in_the_answers(client, staff, meeting):
    gid = client.post(f"/api/v1/meetings/{meeting.id}/guests", headers=staff,
                      json={"name": "นายแขก ตอบรับ", "email": "answer@obec.go.th"}).get_json()["id"]
    [mail] = mails("meeting.invite")
    links = re.findall(r"ส่งผู้แทน: (\S+)", mail.body_text)
    assert links and "/answer/" in links[0]
    path = links[0].split("localhost", 1)[-1]
    page = client.get(path)
    assert page.status_code == 200 and "นายแขก ตอบรับ" in page.get_data(as_text=True)
    response = client.post(path, data={"csrf_token": csrf_from(page.get_data(as_text=True)), "response": "delegated",
                                       "delegate_name": "นางผู้แทน ทดแทน", "note": "ติดราชการ"})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    guest = db.session.get(MeetingGuest, gid)
    assert (guest.response, guest.delegate_name, guest.note) == ("delegated", "นางผู้แทน ทดแทน", "ติดราชการ")
    assert guest.answered_at is not None
    items = client.get(f"/api/v1/meetings/{meeting.id}/rsvps", headers=staff).get_json()["items"]
    row = next(item for item in items if item.get("guest_id") == gid)
    assert row["response"] == "delegated" and row["name"] == "นายแขก ตอบรับ" and "user_id" not in row
    assert sum(item["response"] == "pending" for item in items) == 1  # the member has not answered

    # a new time asks the guest again: an update with a raised SEQUENCE, the answer back to pending
    day = (datetime.now(timezone.utc) + timedelta(days=40)).date().isoformat()
    moved = client.post(f"/api/v1/meetings/{meeting.id}/postpone", headers=staff, json={
        "starts_at": f"{day}T09:00", "ends_at": f"{day}T12:00", "reason": "ติดภารกิจ"})
    assert moved.status_code == 200, moved.get_data(as_text=True)
    [update] = [m for m in mails("meeting.update") if m.to_email == "answer@obec.go.th"]
    _calendar, event = event_of(update)
    assert int(event["SEQUENCE"]) == 1 and "answer@obec.go.th" in attendee_addresses(event)
    db.session.expire_all()
    assert db.session.get(MeetingGuest, gid).response is None

    # removed, the guest's link no longer answers
    client.delete(f"/api/v1/meetings/{meeting.id}/guests/{gid}", headers=staff)
    assert client.get(path).status_code == 404


def test_api_attendance_records_an_invited_guest_by_id(client, staff, meeting):
    gid = client.post(f"/api/v1/meetings/{meeting.id}/guests", headers=staff,
                      json={"name": "นางแขก มาประชุม", "email": "came@obec.go.th", "organisation": "สพฐ."}).get_json()["id"]
    member = meeting.body.memberships[0]
    response = client.put(f"/api/v1/meetings/{meeting.id}/attendance", headers=staff, json={
        "members": [{"user_id": member.user_id, "status": "present"}],
        "guests": [{"guest_id": gid}, {"name": "ผู้สังเกตการณ์"}]})
    assert response.status_code == 200, response.get_data(as_text=True)
    guests = response.get_json()["guests"]
    assert [(g["guest_id"], g["name"], g["position"]) for g in guests] == [
        (gid, "นางแขก มาประชุม", "สพฐ."), (None, "ผู้สังเกตการณ์", None)]
    refused = client.put(f"/api/v1/meetings/{meeting.id}/attendance", headers=staff, json={
        "members": [], "guests": [{"guest_id": gid}, {"guest_id": gid}, {"guest_id": 999}, {}]})
    assert refused.status_code == 422
    assert {"guests.1.guest_id", "guests.2.guest_id", "guests.3.name"} <= set(refused.get_json()["error"]["fields"])


def test_removing_a_guest_who_attended_keeps_the_attendance_row(client, staff, meeting):
    gid = client.post(f"/api/v1/meetings/{meeting.id}/guests", headers=staff,
                      json={"name": "นายมาแล้ว กลับ", "email": "left@obec.go.th"}).get_json()["id"]
    client.put(f"/api/v1/meetings/{meeting.id}/attendance", headers=staff, json={"guests": [{"guest_id": gid}]})
    assert client.delete(f"/api/v1/meetings/{meeting.id}/guests/{gid}", headers=staff).status_code == 204
    guests = client.get(f"/api/v1/meetings/{meeting.id}/attendance", headers=staff).get_json()["guests"]
    assert [(g["guest_id"], g["name"]) for g in guests] == [(None, "นายมาแล้ว กลับ")]


def test_guests_are_told_of_a_cancelled_meeting_and_none_can_be_added_after(client, staff, meeting):
    client.post(f"/api/v1/meetings/{meeting.id}/guests", headers=staff, json={"name": "นายแขก", "email": "g@obec.go.th"})
    assert client.post(f"/api/v1/meetings/{meeting.id}/cancel", headers=staff,
                       json={"reason": "ติดภารกิจเร่งด่วน"}).status_code == 200
    [cancel] = [m for m in mails("meeting.cancel") if m.to_email == "g@obec.go.th"]
    calendar, event = event_of(cancel)
    assert str(calendar["METHOD"]) == "CANCEL" and str(event["STATUS"]) == "CANCELLED"
    late = client.post(f"/api/v1/meetings/{meeting.id}/guests", headers=staff, json={"name": "ก", "email": "k@obec.go.th"})
    assert_error(late, 409, "conflict")


def test_an_update_to_everyone_names_only_each_recipient(client, staff, meeting):
    """With 245 directors from outside invited, nobody's calendar invitation lists the others' addresses."""
    for n in (1, 2):
        assert client.post(f"/api/v1/meetings/{meeting.id}/guests", headers=staff,
                           json={"name": f"แขก {n}", "email": f"guest{n}@obec.go.th"}).status_code == 201
    later = (meeting.starts_at + timedelta(days=1)).isoformat()
    moved = client.post(f"/api/v1/meetings/{meeting.id}/postpone", headers=staff,
                        json={"starts_at": later, "ends_at": (meeting.ends_at + timedelta(days=1)).isoformat()})
    assert moved.status_code == 200, moved.get_data(as_text=True)
    updates = mails("meeting.update")
    assert len(updates) == 3  # the member and both guests
    for mail in updates:
        _calendar, event = event_of(mail)
        assert attendee_addresses(event) == [mail.to_email]
