"""Following up assigned actions on the web and through the API: who reads and changes what (every role),
open → done → closed (and reopened), the overdue flag, and section 3 of the agenda page and DOCX."""
from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from docx import Document

from app import thaidates
from app.actions.models import ActionNote
from app.audit.models import AuditEvent
from app.extensions import db
from app.minutes.models import ActionItem
from tests.conftest import csrf_from
from tests.functional.test_api_core import assert_error
from tests.functional.test_line import mails_to, plain_text
from tests.functional.test_minutes_api import certify, circulate, new_meeting, put

ROLES = ("secretariat", "admin", "reporter_owner", "reporter_other", "member", "viewer", "anonymous")
LATE_TASK = "จัดทำระบบติดตามผล"  # ICT's, due 30 Oct 2020: overdue
LATER_TASK = "สรุปผลการสำรวจความพึงพอใจ"  # BPS's, due in two months


@pytest.fixture
def scene(client, make_user, make_unit, make_body, add_member, token_for):
    """A working group's meeting 1/2563 whose minutes (certified at 2/2563) assign one action to ICT (overdue)
    and one to BPS (due later); a user of every role."""
    ict, bps = make_unit("ICT", "ศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร"), make_unit("BPS", "สำนักนโยบายและยุทธศาสตร์")
    group = make_body("คณะทำงานติดตามผล")
    users = {"secretariat": make_user("secretariat"), "admin": make_user("admin"),
             "reporter_owner": make_user("reporter", unit=ict), "reporter_other": make_user("reporter", unit=bps),
             "member": make_user("member"), "viewer": make_user("viewer")}
    add_member(group, users["member"])
    staff = token_for(users["secretariat"])
    first = new_meeting(client, staff, group, day="2020-09-10")
    later = new_meeting(client, staff, group, day="2020-11-10")
    data = minutes_with_actions(first, ict.id, bps.id)
    assert put(client, staff, first, data).status_code == 200
    assert circulate(client, staff, first).status_code == 200
    assert certify(client, staff, first, later).status_code == 200
    actions = {a.owner_unit_id: a.id for a in db.session.scalars(db.select(ActionItem))}
    return {"users": users, "staff": staff, "group": group, "first": first, "later": later, "ict": ict, "bps": bps,
            "late": actions[ict.id], "due_later": actions[bps.id]}


def minutes_with_actions(meeting: dict, ict_id: int, bps_id: int) -> dict:
    first, second = meeting["agenda_ids"][:2]
    return {"version": 0, "recorder": "นางเลขา ทดสอบ", "items": [
        {"agenda_item_id": first, "resolution_kind": "acknowledged", "resolution": "ที่ประชุมรับทราบ"},
        {"agenda_item_id": second, "resolution_kind": "assigned", "resolution": "มอบหมายหน่วยงานดำเนินการ",
         "actions": [{"owner_unit_id": ict_id, "description": LATE_TASK, "due_date": "2020-10-30"},
                     {"owner_unit_id": bps_id, "description": LATER_TASK,
                      "due_date": (date.today() + timedelta(days=60)).isoformat()}]},
    ]}


def as_role(scene, role, client, login, token_for):
    """(web client signed in as the role, API headers); anonymous: the bare client and no headers."""
    if role == "anonymous":
        return client, {}
    user = scene["users"][role]
    login(user)
    return client, token_for(user)


def post_form(client, url: str, **fields):
    """A web form POST with this session's CSRF token."""
    token = csrf_from(client.get("/actions").get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **fields})


def action(action_id: int) -> ActionItem:
    db.session.expire_all()
    return db.session.get(ActionItem, action_id)


# --- reading, per role -------------------------------------------------------------------------

READS = {  # role: (sees ICT's action, sees BPS's action)
    "secretariat": (True, True), "admin": (True, True), "reporter_owner": (True, False),
    "reporter_other": (False, True), "member": (True, True), "viewer": (True, True),
}


@pytest.mark.parametrize("role", ROLES)
def test_who_reads_which_action_on_the_web_and_the_api(scene, client, login, token_for, role):
    client, headers = as_role(scene, role, client, login, token_for)
    late = scene["late"]
    if role == "anonymous":
        for url in ("/actions", f"/actions/{late}"):
            assert client.get(url).status_code == 302 and "/login" in client.get(url).location
        for url in ("/api/v1/actions", f"/api/v1/actions/{late}"):
            assert_error(client.get(url), 401)
        return
    sees_late, sees_later = READS[role]
    page = client.get("/actions")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert (LATE_TASK in html, LATER_TASK in html) == (sees_late, sees_later)
    listed = {a["description"] for a in client.get("/api/v1/actions", headers=headers).get_json()["items"]}
    assert listed == {t for t, seen in ((LATE_TASK, sees_late), (LATER_TASK, sees_later)) if seen}
    if sees_late:
        assert LATE_TASK in client.get(f"/actions/{late}").get_data(as_text=True)
        assert client.get(f"/api/v1/actions/{late}", headers=headers).get_json()["description"] == LATE_TASK
    else:
        assert client.get(f"/actions/{late}").status_code == 404
        assert_error(client.get(f"/api/v1/actions/{late}", headers=headers), 404)
    assert client.get("/actions/999999").status_code == 404


def test_actions_of_draft_minutes_are_the_secretariats_and_viewers_wait_for_certification(
        scene, client, make_user, add_member, token_for):
    staff, group = scene["staff"], scene["group"]
    third = new_meeting(client, staff, group, day="2020-12-10")
    put(client, staff, third, minutes_with_actions(third, scene["ict"].id, scene["bps"].id))
    draft_ids = {a.id for a in db.session.scalars(db.select(ActionItem).where(ActionItem.meeting_id == third["id"]))}

    def listed(user) -> set[int]:
        return {a["id"] for a in client.get("/api/v1/actions", headers=token_for(user)).get_json()["items"]}

    assert draft_ids <= listed(scene["users"]["secretariat"])
    for role in ("reporter_owner", "member", "viewer"):
        assert not draft_ids & listed(scene["users"][role]), role
    circulate(client, staff, third)
    assert draft_ids <= listed(scene["users"]["member"])
    assert not draft_ids & listed(scene["users"]["viewer"])  # viewers read certified minutes only
    owner = listed(scene["users"]["reporter_owner"])
    assert {a for a in draft_ids if action(a).owner_unit_id == scene["ict"].id} <= owner


# --- changing, per role ------------------------------------------------------------------------

WRITES = {  # role: status of (progress, done, close, reopen of an open action) through the API
    "secretariat": (200, 200, 200, 409), "admin": (200, 200, 200, 409), "reporter_owner": (200, 200, 403, 403),
    "reporter_other": (404, 404, 404, 404), "member": (403, 403, 403, 403), "viewer": (403, 403, 403, 403),
    "anonymous": (401, 401, 401, 401),
}


@pytest.mark.parametrize("role", ROLES)
def test_who_may_record_progress_mark_done_close_and_reopen_through_the_api(scene, client, login, token_for, role):
    client, headers = as_role(scene, role, client, login, token_for)
    late = scene["late"]
    progress, done, close, reopen = WRITES[role]
    url = f"/api/v1/actions/{late}"
    if role != "reporter_owner":  # reopening an open action: only the state is wrong for the secretariat
        response = client.post(f"{url}/reopen", json={"note": "ยังไม่ครบ"}, headers=headers)
        assert response.status_code == reopen, response.get_data(as_text=True)
    response = client.post(f"{url}/progress", json={"note": "ร่างขอบเขตงานแล้ว"}, headers=headers)
    assert response.status_code == progress, response.get_data(as_text=True)
    response = client.post(f"{url}/progress", json={"done": True}, headers=headers)
    assert response.status_code == done, response.get_data(as_text=True)
    if done == 200:
        assert action(late).status == "done"
    response = client.post(f"{url}/close", json={}, headers=headers)
    assert response.status_code == close, response.get_data(as_text=True)
    if close == 200:
        assert action(late).status == "closed"
    if progress != 200:
        assert action(late).status == "open" and db.session.scalar(db.select(db.func.count(ActionNote.id))) == 0


WEB_WRITES = {  # role: status of (progress, close, reopen) of an open action on the web (302: done)
    "secretariat": (302, 302, 409), "admin": (302, 302, 409), "reporter_owner": (302, 403, 403),
    "reporter_other": (404, 404, 404), "member": (403, 403, 403), "viewer": (403, 403, 403),
}


@pytest.mark.parametrize("role", ROLES)
def test_who_may_change_an_action_on_the_web_and_which_buttons_they_see(scene, client, login, token_for, role):
    client, _headers = as_role(scene, role, client, login, token_for)
    late = scene["late"]
    if role == "anonymous":
        token = csrf_from(client.get("/login").get_data(as_text=True))
        for path in ("progress", "close", "reopen"):
            response = client.post(f"/actions/{late}/{path}", data={"note": "x", "csrf_token": token})
            assert response.status_code == 302 and "/login" in response.location
        assert action(late).status == "open"
        return
    progress, close, reopen = WEB_WRITES[role]
    if progress != 404:
        html = client.get(f"/actions/{late}").get_data(as_text=True)
        assert ('id="record-progress"' in html) == (progress == 302)
        assert ('id="close-action"' in html) == (close == 302)
        assert 'id="reopen-action"' not in html  # an open action is not reopened
    assert post_form(client, f"/actions/{late}/reopen", note="ยังไม่ครบ").status_code == reopen
    assert post_form(client, f"/actions/{late}/progress", note="ร่างขอบเขตงานแล้ว").status_code == progress
    assert post_form(client, f"/actions/{late}/close", note="ที่ประชุมให้ปิด").status_code == close
    expected = "closed" if close == 302 else "open"
    assert action(late).status == expected


# --- the flow ----------------------------------------------------------------------------------

def test_open_done_closed_and_reopened_on_the_web(scene, client, login, outbox):
    late = scene["late"]
    login(scene["users"]["reporter_owner"])
    refused = post_form(client, f"/actions/{late}/progress", note="")
    assert refused.status_code == 422 and "กรุณาบันทึกความคืบหน้า" in refused.get_data(as_text=True)
    too_long = "ก" * 100_001
    refused = post_form(client, f"/actions/{late}/progress", note=too_long)
    assert refused.status_code == 422 and too_long in refused.get_data(as_text=True)  # what was typed is kept
    assert action(late).notes == []
    response = post_form(client, f"/actions/{late}/progress", note="ติดตั้งระบบแล้วร้อยละ 60")
    assert response.status_code == 302
    page = client.get(f"/actions/{late}").get_data(as_text=True)
    assert "ติดตั้งระบบแล้วร้อยละ 60" in page and scene["users"]["reporter_owner"].name in page
    assert mails_to(outbox, scene["users"]["secretariat"].email) == []
    assert post_form(client, f"/actions/{late}/progress", note="ทดสอบระบบกับ 5 หน่วยงานแล้ว", done="y").status_code == 302
    assert action(late).status == "done" and action(late).done_at is not None
    [notice] = mails_to(outbox, scene["users"]["secretariat"].email)  # the secretariat is asked to confirm
    assert LATE_TASK in plain_text(notice) and f"/actions/{late}" in plain_text(notice)
    page = client.get(f"/actions/{late}").get_data(as_text=True)
    assert 'id="record-progress"' in page and 'name="done"' not in page  # notes go on; done only once

    client.post("/logout", data={"csrf_token": csrf_from(page)})
    login(scene["users"]["secretariat"])
    page = client.get(f"/actions/{late}").get_data(as_text=True)
    assert 'id="close-action"' in page and 'id="reopen-action"' in page
    refused = post_form(client, f"/actions/{late}/reopen", note="")
    assert refused.status_code == 422 and "กรุณาบันทึกเหตุผลที่เปิดงานอีกครั้ง" in refused.get_data(as_text=True)
    assert post_form(client, f"/actions/{late}/close", note="ที่ประชุมรับทราบผล").status_code == 302
    assert action(late).status == "closed" and action(late).closed_note == "ที่ประชุมรับทราบผล"
    assert post_form(client, f"/actions/{late}/close", note="").status_code == 409
    assert post_form(client, f"/actions/{late}/reopen", note="ขอให้ขยายผลอีก 2 หน่วยงาน").status_code == 302
    stored = action(late)
    assert (stored.status, stored.done_at, stored.closed_at) == ("open", None, None)
    assert [n.kind for n in stored.notes] == ["progress", "done", "closed", "reopened"]
    audit = db.session.scalars(db.select(AuditEvent.action).where(AuditEvent.object_type == "action_item")
                               .order_by(AuditEvent.id)).all()
    assert audit == ["action.progress", "action.done", "action.close", "action.reopen"]


def test_open_done_closed_and_reopened_through_the_api(scene, client, token_for):
    late, staff = scene["late"], scene["staff"]
    owner = token_for(scene["users"]["reporter_owner"])
    url = f"/api/v1/actions/{late}"
    assert_error(client.post(f"{url}/progress", json={}, headers=owner), 422)
    assert_error(client.post(f"{url}/progress", json={"note": "x", "unknown": 1}, headers=owner), 422)
    body = client.post(f"{url}/progress", json={"note": "ติดตั้งแล้วร้อยละ 60"}, headers=owner).get_json()
    assert body["status"] == "open" and body["overdue"] is True
    assert body["latest_note"]["note"] == "ติดตั้งแล้วร้อยละ 60" and body["latest_note"]["kind"] == "progress"
    body = client.post(f"{url}/progress", json={"note": "แล้วเสร็จ", "done": True}, headers=owner).get_json()
    assert body["status"] == "done" and body["overdue"] is False and body["done_at"]
    assert_error(client.post(f"{url}/progress", json={"done": True}, headers=owner), 409)
    assert_error(client.post(f"{url}/close", headers=owner), 403)
    body = client.post(f"{url}/close", headers=staff).get_json()  # no body at all: the note is optional
    assert body["status"] == "closed" and body["closed_at"]
    assert_error(client.post(f"{url}/close", json={"note": "อีกครั้ง"}, headers=staff), 409)
    assert_error(client.post(f"{url}/progress", json={"note": "เพิ่มเติม"}, headers=owner), 409)
    assert_error(client.post(f"{url}/reopen", json={}, headers=staff), 422)
    body = client.post(f"{url}/reopen", json={"note": "ขยายผลอีก 2 หน่วยงาน"}, headers=staff).get_json()
    assert body["status"] == "open" and body["closed_at"] is None
    detail = client.get(url, headers=owner).get_json()
    assert [(n["kind"], n["note"]) for n in detail["notes"]] == [
        ("progress", "ติดตั้งแล้วร้อยละ 60"), ("done", "แล้วเสร็จ"), ("closed", None),
        ("reopened", "ขยายผลอีก 2 หน่วยงาน")]
    assert detail["notes"][0]["author"] == scene["users"]["reporter_owner"].name
    assert_error(client.post("/api/v1/actions/999999/close", headers=staff), 404)


def test_the_secretariat_may_close_an_action_its_unit_has_not_marked_done(scene, client):
    url = f"/api/v1/actions/{scene['due_later']}/close"
    body = client.post(url, json={"note": "ที่ประชุมให้ยุติ"}, headers=scene["staff"]).get_json()
    assert body["status"] == "closed" and body["latest_note"]["note"] == "ที่ประชุมให้ยุติ"


# --- overdue and the list's filters ------------------------------------------------------------

def test_overdue_is_a_past_due_date_while_still_open(scene, client, login):
    staff = scene["staff"]
    items = client.get("/api/v1/actions", headers=staff).get_json()["items"]
    assert [(a["description"], a["overdue"]) for a in items] == [(LATE_TASK, True), (LATER_TASK, False)]  # by due
    overdue = client.get("/api/v1/actions?overdue=true", headers=staff).get_json()["items"]
    assert [a["id"] for a in overdue] == [scene["late"]]
    assert [a["id"] for a in client.get("/api/v1/actions?overdue=false", headers=staff).get_json()["items"]] == [
        scene["due_later"]]
    stored = action(scene["late"])
    assert stored.overdue is True and action(scene["due_later"]).overdue is False
    login(scene["users"]["secretariat"])
    html = client.get("/actions?state=overdue").get_data(as_text=True)
    assert LATE_TASK in html and LATER_TASK not in html and "เกินกำหนด" in html  # in words, not colour alone
    client.post(f"/api/v1/actions/{scene['late']}/progress", json={"done": True}, headers=staff)
    assert action(scene["late"]).overdue is False  # done is not overdue, though the date has passed
    assert client.get("/api/v1/actions?overdue=true", headers=staff).get_json()["items"] == []


def test_the_list_filters_by_body_unit_state_and_due_date(scene, client, login, make_body):
    staff, late, later = scene["staff"], scene["late"], scene["due_later"]

    def ids(query: str) -> list[int]:
        response = client.get(f"/api/v1/actions?{query}", headers=staff)
        assert response.status_code == 200, response.get_data(as_text=True)
        return [a["id"] for a in response.get_json()["items"]]

    assert ids(f"unit_id={scene['ict'].id}") == [late]
    assert ids(f"body_id={scene['group'].id}") == [late, later]
    assert ids(f"body_id={make_body('คณะอื่น').id}") == []
    assert ids("due_before=2020-12-31") == [late] and ids("due_after=2021-01-01") == [later]
    assert ids("state=closed") == [] and ids("state=open") == [late, later]
    assert_error(client.get("/api/v1/actions?state=finished", headers=staff), 422)
    assert_error(client.get("/api/v1/actions?due_before=31/12/2563", headers=staff), 422)
    login(scene["users"]["secretariat"])
    html = client.get(f"/actions?unit_id={scene['bps'].id}").get_data(as_text=True)
    assert LATER_TASK in html and LATE_TASK not in html
    html = client.get("/actions?due_before=31/12/2563").get_data(as_text=True)  # typed the Thai way (BE)
    assert LATE_TASK in html and LATER_TASK not in html
    html = client.get("/actions?due_before=31/12/2020").get_data(as_text=True)  # a Western year is explained
    assert client.get("/actions?due_before=31/12/2020").status_code == 200 and "invalid-feedback" in html
    client.post(f"/api/v1/actions/{late}/close", json={"note": "ยุติ"}, headers=staff)
    assert LATE_TASK not in client.get("/actions").get_data(as_text=True)  # closed ones only when asked
    assert LATE_TASK in client.get("/actions?state=closed").get_data(as_text=True)


# --- section 3 of the agenda -------------------------------------------------------------------

def test_the_agenda_page_and_docx_list_the_matters_arising_in_section_3(scene, client, login, token_for):
    staff, later = scene["staff"], scene["later"]
    owner = token_for(scene["users"]["reporter_owner"])
    client.post(f"/api/v1/actions/{scene['late']}/progress", json={"note": "ติดตั้งแล้วร้อยละ 60"}, headers=owner)
    client.post(f"/api/v1/actions/{scene['due_later']}/close", json={"note": "ยุติ"}, headers=staff)
    login(scene["users"]["secretariat"])
    html = client.get(f"/meetings/{later['id']}/agenda").get_data(as_text=True)
    section = html.split('id="section-3"')[1].split('id="section-4"')[0]
    assert LATE_TASK in section and "ศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร" in section
    assert "ติดตั้งแล้วร้อยละ 60" in section and "เกินกำหนด" in section and "1/2563" in section
    assert LATER_TASK not in html  # closed
    assert LATE_TASK not in client.get(f"/meetings/{scene['first']['id']}/agenda").get_data(as_text=True)  # earlier only

    response = client.get(f"/meetings/{later['id']}/agenda.docx")
    assert response.status_code == 200
    lines = [p.text for p in Document(io.BytesIO(response.data)).paragraphs]
    start = next(i for i, t in enumerate(lines) if t.startswith("ระเบียบวาระที่ 3"))
    end = next(i for i, t in enumerate(lines) if t.startswith("ระเบียบวาระที่ 4"))
    section_lines = lines[start + 1:end]
    assert section_lines[0] == f"1) {LATE_TASK} (มอบหมายในการประชุมครั้งที่ 1/2563)"
    assert "หน่วยงานรับผิดชอบ: ศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร" in section_lines[1]
    assert f"กำหนด: {thaidates.thai_date(date(2020, 10, 30))}" in section_lines[1] and "เกินกำหนด" in section_lines[1]
    assert section_lines[2] == "ความคืบหน้าล่าสุด: ติดตั้งแล้วร้อยละ 60"
    assert "- ไม่มี -" not in section_lines
    assert not any(LATER_TASK in t for t in lines)


def test_section_3_says_none_when_nothing_is_followed_up(scene, client, login):
    staff = scene["staff"]
    for key in ("late", "due_later"):
        client.post(f"/api/v1/actions/{scene[key]}/close", json={"note": "ยุติ"}, headers=staff)
    login(scene["users"]["secretariat"])
    lines = [p.text for p in Document(io.BytesIO(
        client.get(f"/meetings/{scene['later']['id']}/agenda.docx").data)).paragraphs]
    start = next(i for i, t in enumerate(lines) if t.startswith("ระเบียบวาระที่ 3"))
    assert lines[start + 1] == "- ไม่มี -"


def test_action_endpoints_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path in ("/api/v1/actions", "/api/v1/actions/{id}", "/api/v1/actions/{id}/progress",
                 "/api/v1/actions/{id}/close", "/api/v1/actions/{id}/reopen"):
        assert path in paths, path
