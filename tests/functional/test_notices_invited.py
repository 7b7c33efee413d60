"""The agenda and minutes notices reach everyone invited: the body's members and the meeting's chair from outside
the body (who may open the link), and, for the agenda, the guests by e-mail with their own answer link."""
from __future__ import annotations

from datetime import timedelta

import pytest

from app import thaidates

from tests.functional.test_line import mails, mails_to, new_meeting, people, plain_text  # noqa: F401
from tests.functional.test_notifications import kinds_of


@pytest.fixture
def invited(client, people, make_user, token_for, outbox):  # noqa: F811
    body, linked, plain, staff = people
    chair = make_user("viewer", email="outside.chair@example.go.th", name="นายประธาน จากภายนอก")
    headers = token_for(staff)
    meeting = new_meeting(client, headers, body.id)
    assert client.patch(f"/api/v1/meetings/{meeting['id']}", headers=headers,
                        json={"chair_id": chair.id, "notify": False}).status_code == 200
    guest = client.post(f"/api/v1/meetings/{meeting['id']}/guests", headers=headers, json={
        "name": "นางสาวแขก รับเชิญ", "email": "guest@area.obec.go.th", "organisation": "สพป. ทดสอบ เขต 1"})
    assert guest.status_code == 201, guest.get_json()
    for path in outbox.glob("*.eml"):
        path.unlink()
    return {"meeting": meeting, "chair": chair, "members": [linked, plain], "headers": headers}


def test_the_agenda_reaches_the_chair_from_outside_and_the_guest_with_their_answer_link(client, invited, outbox,
                                                                                      login):
    meeting, chair = invited["meeting"], invited["chair"]
    published = client.post(f"/api/v1/meetings/{meeting['id']}/agenda/publish", headers=invited["headers"])
    assert published.status_code == 200, published.get_json()
    addressed = {m["To"].addresses[0].addr_spec for m in mails(outbox)}
    assert addressed == {chair.email, "guest@area.obec.go.th", *(m.email for m in invited["members"])}
    assert set(kinds_of(outbox)) == {"agenda.published"}
    agenda = f"http://localhost/meetings/{meeting['id']}/agenda"
    assert agenda in plain_text(mails_to(outbox, chair.email)[0])
    [guest_mail] = mails_to(outbox, "guest@area.obec.go.th")
    text = plain_text(guest_mail)
    assert "เรียน นางสาวแขก รับเชิญ" in text and "ระเบียบวาระที่ 1" in text
    assert "ตอบรับการประชุม: http://localhost/answer/" in text and agenda not in text
    login(chair)
    assert client.get(f"/meetings/{meeting['id']}/agenda").status_code == 200


def test_minutes_circulated_and_certified_reach_the_chair_who_may_read_them(client, invited, outbox, login):
    meeting, chair, headers = invited["meeting"], invited["chair"], invited["headers"]
    client.put(f"/api/v1/meetings/{meeting['id']}/minutes", headers=headers, json={"version": 0})
    circulated = client.post(f"/api/v1/meetings/{meeting['id']}/minutes/circulate", headers=headers)
    assert circulated.status_code == 200, circulated.get_json()
    [notice] = mails_to(outbox, chair.email)
    link = f"http://localhost/meetings/{meeting['id']}/minutes"
    assert link in plain_text(notice) and "guest@area.obec.go.th" not in {
        m["To"].addresses[0].addr_spec for m in mails(outbox)}
    login(chair)
    assert client.get(f"/meetings/{meeting['id']}/minutes").status_code == 200
    day = (thaidates.to_bangkok(thaidates.parse_local_datetime(meeting["starts_at"])) + timedelta(days=30)).date()
    later = client.post("/api/v1/meetings", headers=headers, json={
        "body_id": meeting["body_id"], "notify": False, "mode": "onsite", "venue": "ห้องประชุม 2",
        "starts_at": f"{day}T09:30", "ends_at": f"{day}T12:00"})
    assert later.status_code == 201, later.get_json()
    for path in outbox.glob("*.eml"):
        path.unlink()
    certified = client.post(f"/api/v1/meetings/{meeting['id']}/minutes/certify", headers=headers,
                            json={"at_meeting_id": later.get_json()["id"]})
    assert certified.status_code == 200, certified.get_json()
    assert chair.email in {m["To"].addresses[0].addr_spec for m in mails(outbox)}
    assert set(kinds_of(outbox)) == {"minutes.certified"}
