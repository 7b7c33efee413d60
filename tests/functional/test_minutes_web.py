"""Minutes pages: write beside the agenda, stale saves keep the text, circulate, comment, certify, history."""
from __future__ import annotations

import pytest

from app.extensions import db
from app.minutes.models import ActionItem, Minutes, MinutesComment
from tests.conftest import csrf_from
from tests.functional.test_meetings_api import group, schedule, staff  # noqa: F401 (fixtures)


@pytest.fixture
def meetings(client, staff, group):  # noqa: F811
    first = schedule(client, staff, group.id, notify=False).get_json()
    second = schedule(client, staff, group.id, starts_at="2020-09-24T09:30", ends_at="2020-09-24T12:00",
                      notify=False).get_json()
    item = client.post(f"/api/v1/meetings/{first['id']}/agenda-items", json={"section": 4, "title": "ผลรอบ 9 เดือน"},
                       headers=staff).get_json()
    return first["id"], second["id"], item["id"]


def save(client, meeting_id, item_id, version, discussion, **extra):
    url = f"/meetings/{meeting_id}/minutes"
    token = csrf_from(client.get(url).get_data(as_text=True))
    data = {"csrf_token": token, "version": str(version), "opened_at": "09:30", "closed_at": "12:00",
            "recorder": "นางสาวเลขา บันทึก", "checker": "นายตรวจ รายงาน",
            f"item-{item_id}-discussion": discussion, f"item-{item_id}-resolution_kind": "assigned",
            f"item-{item_id}-resolution": "ที่ประชุมมีมติมอบหมาย",
            f"item-{item_id}-action-id": "", f"item-{item_id}-action-owner": "",
            f"item-{item_id}-action-description": "", f"item-{item_id}-action-due": "", **extra}
    return client.post(url, data=data)


def test_secretariat_writes_circulates_and_certifies(client, make_user, login, group, meetings, make_unit):  # noqa: F811
    first, second, item_id = meetings
    unit = make_unit("PSDG", "กลุ่มพัฒนาระบบบริหาร")
    secretary = make_user("secretariat")
    login(secretary)
    response = save(client, first, item_id, 0, "<p>รายงาน<script>x()</script></p>", **{
        f"item-{item_id}-action-owner": str(unit.id), f"item-{item_id}-action-description": "สรุปเสนอคณะกรรมการ",
        f"item-{item_id}-action-due": "2020-10-15"})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    minutes = db.session.scalar(db.select(Minutes))
    assert minutes.version == 1 and "script" not in minutes.items[0].discussion
    assert db.session.scalar(db.select(ActionItem)).description == "สรุปเสนอคณะกรรมการ"
    stale = save(client, first, item_id, 0, "ข้อความที่ไม่ควรหาย")
    assert stale.status_code == 409 and "ข้อความที่ไม่ควรหาย" in stale.get_data(as_text=True)
    token = csrf_from(client.get(f"/meetings/{first}/minutes").get_data(as_text=True))
    client.post(f"/meetings/{first}/minutes/circulate", data={"csrf_token": token, "confirmed": "1"})
    db.session.expire_all()
    assert db.session.get(Minutes, minutes.id).state == "circulated"
    # a member reads and comments
    member_client = client.application.test_client()
    login(group.memberships[1].user, c=member_client)
    page = member_client.get(f"/meetings/{first}/minutes")
    assert page.status_code == 200 and "ที่ประชุมมีมติมอบหมาย" in page.get_data(as_text=True)
    token = csrf_from(page.get_data(as_text=True))
    member_client.post(f"/meetings/{first}/minutes/comments", data={"csrf_token": token, "body": "ขอแก้ชื่อหน่วยงาน"})
    assert db.session.scalar(db.select(MinutesComment)).body == "ขอแก้ชื่อหน่วยงาน"
    # section 3 of the next meeting shows the open action
    agenda = client.get(f"/api/v1/meetings/{second}/agenda").get_json()
    assert agenda["sections"][2]["open_actions"][0]["description"] == "สรุปเสนอคณะกรรมการ"
    token = csrf_from(client.get(f"/meetings/{first}/minutes").get_data(as_text=True))
    client.post(f"/meetings/{first}/minutes/certify", data={"csrf_token": token, "at_meeting_id": str(second),
                                                            "amendments": "แก้ชื่อหน่วยงานในวาระ 4.1", "confirmed": "1"})
    db.session.expire_all()
    certified = db.session.get(Minutes, minutes.id)
    assert certified.state == "certified" and certified.certified_at_meeting_id == second
    assert "โดยมีการแก้ไข" in client.get(f"/meetings/{first}/minutes").get_data(as_text=True)
    history = client.get(f"/meetings/{first}/minutes/history").get_data(as_text=True)
    assert "ฉบับที่" in history and "สรุปเสนอคณะกรรมการ" in history


def test_members_do_not_read_drafts(client, make_user, login, group, meetings):  # noqa: F811
    first, _second, item_id = meetings
    login(make_user("secretariat"))
    save(client, first, item_id, 0, "ร่าง")
    other = client.application.test_client()
    login(group.memberships[1].user, c=other)
    draft = other.get(f"/meetings/{first}/minutes")
    assert draft.status_code == 404 and "ร่างรายงานการประชุมยังไม่ได้เวียนให้กรรมการ" in draft.get_data(as_text=True)


def test_certified_minutes_cannot_be_saved(client, make_user, login, meetings):
    first, second, item_id = meetings
    login(make_user("secretariat"))
    save(client, first, item_id, 0, "ร่าง")
    minutes = db.session.scalar(db.select(Minutes))
    minutes.state, minutes.certified_at_meeting_id = "certified", second
    db.session.commit()
    page = client.get(f"/meetings/{first}/minutes").get_data(as_text=True)
    assert "minutes-form" not in page
    assert save(client, first, item_id, minutes.version, "แก้").status_code == 409
