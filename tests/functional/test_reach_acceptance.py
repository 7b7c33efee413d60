"""Issue 10's acceptance, tried as a new user would, end to end: invitations, one-click answers on a phone, an
Outlook answer fetched from a real IMAP mailbox, a reminder, a postponement that resets the answers and updates
every calendar, a cancelled meeting in the feed, a feed that answers 304, and notices on LINE."""
from __future__ import annotations

from datetime import timedelta
from email import policy
from email.parser import BytesParser
from urllib.parse import urlsplit

import icalendar
import pytest
import vobject

from app import thaidates
from app.dbtypes import utcnow
from app.extensions import db
from app.mail.models import OutgoingMail
from tests.conftest import csrf_from
from tests.functional.fake_line import line_api  # noqa: F401
from tests.functional.test_answer_links import links_of
from tests.functional.test_imap_fetch import append, dovecot, mailbox, url_for  # noqa: F401
from tests.unit.test_itip_replies import render_fixture
from tests.when import local

LINE_ID = "U0123456789abcdef0123456789abcdef"
PHONE = {"User-Agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148"}



def mails_to(address: str, kind: str | None = None) -> list[OutgoingMail]:
    query = db.select(OutgoingMail).where(OutgoingMail.to_email == address).order_by(OutgoingMail.id)
    if kind:
        query = query.where(OutgoingMail.kind == kind)
    return list(db.session.scalars(query))


def calendar_of(outbox, address: str, subject_part: str | None = None) -> bytes:
    """The text/calendar part of the newest .eml to `address` (optionally whose subject contains a part)."""
    for path in sorted(outbox.glob("*.eml"), key=lambda p: p.stat().st_mtime_ns, reverse=True):
        message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
        if message["To"].addresses[0].addr_spec != address:
            continue
        if subject_part and subject_part not in str(message["Subject"]):
            continue
        for part in message.walk():
            if part.get_content_type() == "text/calendar":
                return part.get_payload(decode=True)
    raise AssertionError(f"no calendar mailed to {address}")


@pytest.fixture
def scene(make_body, make_user, add_member):
    body = make_body("คณะทำงานพัฒนาระบบบริหาร")
    members = [make_user("member", email=f"m{n}@example.go.th", name=f"กรรมการ คนที่ {n}") for n in (1, 2, 3)]
    for member in members:
        add_member(body, member)
    members[0].line_user_id, members[0].line_linked_at = LINE_ID, utcnow()
    chair = make_user("viewer", email="chair@example.go.th", name="นายประธาน จากภายนอก")
    staff = make_user("secretariat", email="psdg@example.go.th")
    db.session.commit()
    return body, members, chair, staff


def test_a_meeting_reaches_everyone_and_follows_every_change(app, client, scene, token_for, outbox, dovecot,  # noqa: F811
                                                              mailbox, line_api, monkeypatch):  # noqa: F811
    body, (phone_member, outlook_member, silent_member), chair, staff = scene
    headers = token_for(staff)

    # The secretariat schedules a meeting with the chair from outside the body and two guests.
    created = client.post("/api/v1/meetings", headers=headers, json={
        "body_id": body.id, "starts_at": local(10, 9), "ends_at": local(10, 12), "mode": "hybrid",
        "venue": "ห้องประชุม 1", "online_url": "https://zoom.us/j/123456", "chair_id": chair.id})
    assert created.status_code == 201, created.get_json()
    meeting = created.get_json()
    for name, email in (("ผอ.เขต หนึ่ง", "area1@example.go.th"), ("ผอ.เขต สอง", "area2@example.go.th")):
        added = client.post(f"/api/v1/meetings/{meeting['id']}/guests", headers=headers,
                            json={"name": name, "email": email, "organisation": "สพท."})
        assert added.status_code == 201, added.get_json()
    for address in ("m1@example.go.th", "m2@example.go.th", "m3@example.go.th", "chair@example.go.th",
                    "area1@example.go.th", "area2@example.go.th"):
        assert mails_to(address), f"{address} was not invited"
    chair_invitation = icalendar.Calendar.from_ical(calendar_of(outbox, "chair@example.go.th"))
    [attendee] = [a for a in chair_invitation.walk("VEVENT")[0].get("ATTENDEE", [])
                  if isinstance(a, icalendar.vCalAddress)] or [chair_invitation.walk("VEVENT")[0]["ATTENDEE"]]
    assert attendee.params["ROLE"] == "CHAIR"

    # One member answers with the one-click link on a phone, without a password.
    link = links_of(phone_member.email)["accepted"]
    phone = app.test_client()
    page = phone.get(link, headers=PHONE)
    assert page.status_code == 200
    answered = phone.post(link, headers=PHONE, data={"csrf_token": csrf_from(page.get_data(as_text=True)),
                                                     "response": "accepted"})
    assert answered.status_code == 302

    # One presses Accept in Outlook: the REPLY lands in the IMAP mailbox and `flask mail fetch` applies it.
    append(mailbox, render_fixture("outlook_accepted.eml", uid=meeting_uid(meeting["id"]),
                                   sequence=meeting["sequence"], attendee=outlook_member.email))
    monkeypatch.setitem(app.config, "PRACHUM_IMAP_URL", url_for(dovecot))
    fetched = app.test_cli_runner().invoke(args=["mail", "fetch"])
    assert "answers applied 1" in fetched.output, fetched.output

    # The secretariat sees two answers and one member pending, and reminds the one who has not answered.
    members = {row["name"]: row["response"] for row in answers(client, headers, meeting["id"])}
    assert [members[m.name] for m in (phone_member, outlook_member, silent_member)] == ["accepted", "accepted", "pending"]
    reminded = client.post(f"/api/v1/meetings/{meeting['id']}/remind", headers=headers)
    assert reminded.status_code == 200 and reminded.get_json()["sent"] >= 1
    assert mails_to(silent_member.email, "invitation.unanswered")
    assert not mails_to(phone_member.email, "invitation.unanswered")
    assert not mails_to(outlook_member.email, "invitation.unanswered")

    # A postponement resets the answers and everyone's calendar gets the new time with a higher SEQUENCE.
    postponed = client.post(f"/api/v1/meetings/{meeting['id']}/postpone", headers=headers,
                            json={"starts_at": local(17, 13), "ends_at": local(17, 16), "reason": "ประธานติดภารกิจ"})
    assert postponed.status_code == 200, postponed.get_json()
    assert postponed.get_json()["sequence"] > meeting["sequence"]
    assert {row["response"] for row in answers(client, headers, meeting["id"])} == {"pending"}
    for address in ("m1@example.go.th", "m2@example.go.th", "m3@example.go.th", "chair@example.go.th",
                    "area1@example.go.th", "area2@example.go.th"):
        ics = calendar_of(outbox, address)
        event = icalendar.Calendar.from_ical(ics).walk("VEVENT")[0]
        assert event["SEQUENCE"] == postponed.get_json()["sequence"]
        assert event.decoded("DTSTART").astimezone(thaidates.BANGKOK).hour == 13
        assert vobject.readOne(ics.decode()).vevent.sequence.value == str(postponed.get_json()["sequence"])

    # Another meeting is cancelled: it stays in the member's feed, marked, without its link.
    other = client.post("/api/v1/meetings", headers=headers, json={
        "body_id": body.id, "starts_at": local(30, 9), "ends_at": local(30, 12), "mode": "online",
        "online_url": "https://zoom.us/j/999999", "notify": False}).get_json()
    assert client.post(f"/api/v1/meetings/{other['id']}/cancel", headers=headers,
                       json={"reason": "เลื่อนไม่มีกำหนด", "notify": False}).status_code == 200
    feed_path = urlsplit(client.get("/api/v1/me", headers=token_for(silent_member)).get_json()["calendar_feed_url"]).path
    feed = client.get(feed_path)
    assert feed.status_code == 200
    events = {str(e["UID"]): e for e in icalendar.Calendar.from_ical(feed.data).walk("VEVENT")}
    cancelled = events[meeting_uid(other["id"])]
    assert str(cancelled["STATUS"]) == "CANCELLED" and str(cancelled["SUMMARY"]).startswith("[ยกเลิก]")
    assert "zoom.us/j/999999" not in feed.get_data(as_text=True)
    assert len(list(vobject.readComponents(feed.get_data(as_text=True)))) == 1

    # The subscribed feed answers 304 while nothing changed.
    again = client.get(feed_path, headers={"If-None-Match": feed.headers["ETag"]})
    assert again.status_code == 304 and not again.data

    # The LINE-linked member gets the agenda and minutes notices on LINE.
    item = client.post(f"/api/v1/meetings/{meeting['id']}/agenda-items", headers=headers,
                       json={"section": 4, "title": "ผลการดำเนินงานรอบ 9 เดือน"}).get_json()
    assert client.post(f"/api/v1/meetings/{meeting['id']}/agenda/publish", headers=headers).status_code == 200
    assert client.put(f"/api/v1/meetings/{meeting['id']}/minutes", headers=headers, json={
        "version": 0, "items": [{"agenda_item_id": item["id"], "resolution_kind": "acknowledged",
                                 "resolution": "ที่ประชุมรับทราบ"}]}).status_code == 200
    deadline = thaidates.today_bangkok() + timedelta(days=7)
    assert client.post(f"/api/v1/meetings/{meeting['id']}/minutes/circulate", headers=headers,
                       json={"comment_deadline": deadline.isoformat()}).status_code == 200
    pushes = line_api.texts_to(LINE_ID)
    assert any(f"/meetings/{meeting['id']}/agenda" in text for text in pushes)
    assert any(f"/meetings/{meeting['id']}/minutes" in text for text in pushes)


def meeting_uid(meeting_id: int) -> str:
    from app.meetings.models import Meeting

    return db.session.get(Meeting, meeting_id).uid


def answers(client, headers, meeting_id: int) -> list[dict]:
    response = client.get(f"/api/v1/meetings/{meeting_id}/rsvps", headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["items"]
