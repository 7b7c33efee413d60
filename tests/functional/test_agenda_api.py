"""Agenda API: six sections, numbering kept through add / move / delete, publication, permissions."""
from __future__ import annotations

import pytest

from app.agenda.models import AgendaItem
from app.audit.models import AuditEvent
from app.extensions import db
from app.mail.models import OutgoingMail
from tests.functional.test_api_core import assert_error
from tests.functional.test_meetings_api import group, schedule, staff  # noqa: F401 (fixtures)


@pytest.fixture
def meeting(client, staff, group):  # noqa: F811
    return schedule(client, staff, group.id, notify=False).get_json()


def add(client, headers, meeting_id, section, title, **extra):
    return client.post(f"/api/v1/meetings/{meeting_id}/agenda-items",
                       json={"section": section, "title": title, **extra}, headers=headers)


def numbers(client, headers, meeting_id, section):
    agenda = client.get(f"/api/v1/meetings/{meeting_id}/agenda", headers=headers).get_json()
    return [(i["number"], i["title"]) for i in agenda["sections"][section - 1]["items"]]


def test_new_meeting_has_six_customary_sections(client, staff, meeting):  # noqa: F811
    agenda = client.get(f"/api/v1/meetings/{meeting['id']}/agenda", headers=staff).get_json()
    assert agenda["state"] == "draft"
    assert [s["number"] for s in agenda["sections"]] == [1, 2, 3, 4, 5, 6]
    assert agenda["sections"][0]["title"] == "เรื่องที่ประธานแจ้งให้ที่ประชุมทราบ"
    assert agenda["sections"][4]["title"] == "เรื่องเพื่อพิจารณา"


def test_section_two_names_the_previous_meeting(client, staff, group, meeting):  # noqa: F811
    later = schedule(client, staff, group.id, starts_at="2020-09-24T09:30", ends_at="2020-09-24T12:00",
                     notify=False).get_json()
    items = client.get(f"/api/v1/meetings/{later['id']}/agenda", headers=staff).get_json()["sections"][1]["items"]
    assert len(items) == 1 and items[0]["number"] == "2.1"
    assert "ครั้งที่ 1/2563" in items[0]["title"] and "10 กันยายน 2563" in items[0]["title"]


def test_items_are_numbered_and_renumbered(client, staff, meeting):  # noqa: F811
    mid = meeting["id"]
    created = [add(client, staff, mid, 5, t).get_json() for t in ("ก", "ข", "ค")]
    assert [c["number"] for c in created] == ["5.1", "5.2", "5.3"]
    moved = client.patch(f"/api/v1/agenda-items/{created[2]['id']}", json={"position": 1}, headers=staff)
    assert moved.status_code == 200 and moved.get_json()["number"] == "5.1"
    assert numbers(client, staff, mid, 5) == [("5.1", "ค"), ("5.2", "ก"), ("5.3", "ข")]
    assert client.delete(f"/api/v1/agenda-items/{created[0]['id']}", headers=staff).status_code == 204
    assert numbers(client, staff, mid, 5) == [("5.1", "ค"), ("5.2", "ข")]
    across = client.patch(f"/api/v1/agenda-items/{created[1]['id']}", json={"section": 4}, headers=staff).get_json()
    assert across["number"] == "4.1"
    assert numbers(client, staff, mid, 5) == [("5.1", "ค")]


def test_bad_input_is_422_and_saves_nothing(client, staff, meeting):  # noqa: F811
    mid = meeting["id"]
    assert "section" in assert_error(add(client, staff, mid, 7, "เรื่อง"), 422)["fields"]
    assert "title" in assert_error(add(client, staff, mid, 4, "   "), 422)["fields"]
    assert "title" in assert_error(client.post(f"/api/v1/meetings/{mid}/agenda-items", json={"section": 4},
                                               headers=staff), 422)["fields"]
    error = assert_error(add(client, staff, mid, 4, "เรื่อง", links=[{"url": "javascript:alert(1)"}]), 422)
    assert "links.0.url" in error["fields"]
    assert db.session.scalar(db.select(db.func.count()).select_from(AgendaItem)) == 0


def test_detail_is_sanitised(client, staff, meeting):  # noqa: F811
    item = add(client, staff, meeting["id"], 4, "รายงาน", detail='<p onclick="x()">ผล<script>bad()</script>'
                                                                 '<a href="javascript:x">l</a><strong>ดี</strong></p>')
    detail = item.get_json()["detail"]
    assert "script" not in detail and "onclick" not in detail and "javascript" not in detail
    assert "<strong>ดี</strong>" in detail


def test_stale_item_version_is_409(client, staff, meeting):  # noqa: F811
    item = add(client, staff, meeting["id"], 4, "เดิม").get_json()
    ok = client.patch(f"/api/v1/agenda-items/{item['id']}", json={"title": "ใหม่", "version": item["version"]},
                      headers=staff)
    assert ok.status_code == 200
    assert_error(client.patch(f"/api/v1/agenda-items/{item['id']}", json={"title": "ชนกัน", "version": item["version"]},
                              headers=staff), 409)
    assert db.session.get(AgendaItem, item["id"]).title == "ใหม่"


def test_draft_is_hidden_from_members_until_published(client, staff, group, meeting, token_for):  # noqa: F811
    member = token_for(group.memberships[1].user)
    add(client, staff, meeting["id"], 4, "ผลการดำเนินงาน")
    assert_error(client.get(f"/api/v1/meetings/{meeting['id']}/agenda", headers=member), 404)  # a draft is unreadable
    published = client.post(f"/api/v1/meetings/{meeting['id']}/agenda/publish", json={}, headers=staff)
    assert published.status_code == 200 and published.get_json()["state"] == "published"
    agenda = client.get(f"/api/v1/meetings/{meeting['id']}/agenda", headers=member).get_json()
    assert agenda["sections"][3]["items"][0]["title"] == "ผลการดำเนินงาน"
    assert db.session.scalar(db.select(db.func.count()).select_from(OutgoingMail)
                             .where(OutgoingMail.kind == "agenda.published")) == 3
    assert_error(client.post(f"/api/v1/meetings/{meeting['id']}/agenda/publish", json={}, headers=staff), 409)
    changed = add(client, staff, meeting["id"], 4, "เรื่องเพิ่มภายหลัง").get_json()
    assert changed["changed_after_publish"] is True
    assert db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "agenda.change")) is not None


@pytest.mark.parametrize("role", ["reporter", "member", "viewer"])
def test_only_staff_change_agendas(client, staff, meeting, make_user, token_for, role):  # noqa: F811
    headers = token_for(make_user(role))
    assert_error(add(client, headers, meeting["id"], 4, "x"), 403)
    assert_error(client.post(f"/api/v1/meetings/{meeting['id']}/agenda/publish", json={}, headers=headers), 403)
    item = add(client, staff, meeting["id"], 4, "x").get_json()
    assert_error(client.patch(f"/api/v1/agenda-items/{item['id']}", json={"title": "y"}, headers=headers), 403)
    assert_error(client.delete(f"/api/v1/agenda-items/{item['id']}", headers=headers), 403)


def test_unknown_meeting_and_item_are_404(client, staff):  # noqa: F811
    assert_error(client.get("/api/v1/meetings/999/agenda", headers=staff), 404)
    assert_error(client.patch("/api/v1/agenda-items/999", json={"title": "x"}, headers=staff), 404)
