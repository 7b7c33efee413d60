"""Agenda pages: reading per role, adding, reordering, deleting and publishing through the forms."""
from __future__ import annotations

import pytest

from app.agenda.models import AgendaItem
from app.extensions import db
from app.meetings.models import Meeting
from tests.conftest import csrf_from
from tests.functional.test_meetings_api import group, schedule, staff  # noqa: F401 (fixtures)


@pytest.fixture
def meeting_id(client, staff, group):  # noqa: F811
    return schedule(client, staff, group.id, notify=False).get_json()["id"]


def token(client, url="/"):
    return csrf_from(client.get(url).get_data(as_text=True))


def test_secretariat_builds_reorders_and_publishes(client, make_user, login, meeting_id):
    login(make_user("secretariat"))
    url = f"/meetings/{meeting_id}/agenda"
    page = client.get(url).get_data(as_text=True)
    assert "เรื่องที่ประธานแจ้งให้ที่ประชุมทราบ" in page and "เรื่องอื่น ๆ" in page
    for title in ("ผลการดำเนินงานรอบ 9 เดือน", "แผนการประชุมครั้งต่อไป"):
        response = client.post(url, data={"csrf_token": token(client, url), "new-section": "4", "new-title": title})
        assert response.status_code == 302
    items = db.session.scalars(db.select(AgendaItem).order_by(AgendaItem.position)).all()
    assert [(i.number, i.title) for i in items] == [("4.1", "ผลการดำเนินงานรอบ 9 เดือน"), ("4.2", "แผนการประชุมครั้งต่อไป")]
    client.post(f"/agenda-items/{items[1].id}/move", data={"csrf_token": token(client, url), "direction": "up"})
    db.session.expire_all()
    assert db.session.get(AgendaItem, items[1].id).number == "4.1"
    asked = client.post(f"/meetings/{meeting_id}/agenda/publish", data={"csrf_token": token(client, url)})
    assert asked.status_code == 200 and 'id="confirm-step"' in asked.get_data(as_text=True)  # asked first
    assert db.session.get(Meeting, meeting_id).agenda_state != "published"
    assert client.post(f"/meetings/{meeting_id}/agenda/publish",
                       data={"csrf_token": token(client, url), "confirmed": "1"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Meeting, meeting_id).agenda_state == "published"
    client.post(f"/agenda-items/{items[0].id}/delete", data={"csrf_token": token(client, url)})
    db.session.expire_all()
    assert [i.number for i in db.session.scalars(db.select(AgendaItem))] == ["4.1"]


def test_empty_title_shows_the_message_by_the_field(client, make_user, login, meeting_id):
    login(make_user("secretariat"))
    url = f"/meetings/{meeting_id}/agenda"
    response = client.post(url, data={"csrf_token": token(client, url), "new-section": "5", "new-title": ""})
    assert response.status_code == 422 and "กรุณาระบุเรื่อง" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(AgendaItem)) == 0


def test_members_read_only_published_agendas(client, make_user, login, group, meeting_id):  # noqa: F811
    member = group.memberships[1].user
    login(member)
    url = f"/meetings/{meeting_id}/agenda"
    draft = client.get(url)
    assert draft.status_code == 404 and "ยังไม่ได้เผยแพร่" in draft.get_data(as_text=True)  # it says why
    meeting = db.session.get(Meeting, meeting_id)
    meeting.agenda_state = "published"
    db.session.commit()
    page = client.get(url)
    assert page.status_code == 200 and "เพิ่มวาระ" not in page.get_data(as_text=True)
    assert client.post(url, data={"csrf_token": token(client, url), "new-section": "4", "new-title": "x"}).status_code == 403


@pytest.mark.parametrize("role,status", [("viewer", 404), ("reporter", 404), ("member", 404)])
def test_outsiders_do_not_see_draft_agendas(client, make_user, login, meeting_id, role, status):
    login(make_user(role))
    assert client.get(f"/meetings/{meeting_id}/agenda").status_code == status


def test_anonymous_is_sent_to_login(client, meeting_id):
    assert client.get(f"/meetings/{meeting_id}/agenda").status_code == 302


def test_attach_a_file_from_the_edit_page(client, make_user, login, meeting_id):
    import io

    from app.agenda.models import AgendaItem as Item
    from app.attachments.models import Attachment

    login(make_user("secretariat"))
    url = f"/meetings/{meeting_id}/agenda"
    client.post(url, data={"csrf_token": token(client, url), "new-section": "4", "new-title": "มีไฟล์"})
    item = db.session.scalar(db.select(Item))
    edit = f"/agenda-items/{item.id}/edit"
    response = client.post(f"/agenda-items/{item.id}/attachments", content_type="multipart/form-data", data={
        "csrf_token": token(client, edit), "file": (io.BytesIO(b"%PDF-1.4 test"), "เอกสาร.pdf")})
    assert response.status_code == 302
    assert db.session.scalar(db.select(Attachment)).title == "เอกสาร.pdf"
    assert "เอกสาร.pdf" in client.get(edit).get_data(as_text=True)
    refused = client.post(f"/agenda-items/{item.id}/attachments", content_type="multipart/form-data", data={
        "csrf_token": token(client, edit), "file": (io.BytesIO(b"MZ exe"), "virus.pdf")}, follow_redirects=True)
    assert "ชนิดไฟล์ไม่ได้รับอนุญาต" in refused.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(Attachment)) == 1
