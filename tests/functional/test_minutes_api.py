"""Minutes through the API: versions, sanitising, circulation, certification, visibility per role,
comments and the follow-up of assigned actions."""
from __future__ import annotations

import pytest

from app.agenda.models import AgendaItem
from app.audit.models import AuditEvent
from app.extensions import db
from app.minutes.models import ActionItem, Minutes, MinutesComment, MinutesItem, MinutesVersion
from tests.functional.test_api_core import assert_error
from tests.functional.test_meetings_api import schedule


@pytest.fixture
def staff_user(make_user):
    return make_user("secretariat", name="นางเลขา ทดสอบ")


@pytest.fixture
def staff(staff_user, token_for):
    return token_for(staff_user)


@pytest.fixture
def committee(make_body):
    return make_body("คณะกรรมการขับเคลื่อนการปฏิรูป", kind="committee")


@pytest.fixture
def group(make_body, committee):
    """A working group under the committee."""
    return make_body("คณะทำงานติดตามผล", parent=committee)


@pytest.fixture
def member(make_user, add_member, group, token_for):
    """A member of the working group."""
    user = make_user("member", name="นางสาวกรรมการ หนึ่ง")
    add_member(group, user)
    return token_for(user)


@pytest.fixture
def unit(make_unit):
    return make_unit("ICT")


def new_meeting(client, staff, body, day: str = "2020-09-10", items: int = 2) -> dict:
    """A meeting of the body on that day with `items` agenda items in section 4."""
    response = schedule(client, staff, body.id, starts_at=f"{day}T09:30", ends_at=f"{day}T12:00", notify=False)
    assert response.status_code == 201, response.get_data(as_text=True)
    meeting = response.get_json()
    for position in range(1, items + 1):
        db.session.add(AgendaItem(meeting_id=meeting["id"], section=4, position=position,
                                  title=f"เรื่องเพื่อทราบ {position}", kind="information"))
    db.session.commit()
    meeting["agenda_ids"] = list(db.session.scalars(
        db.select(AgendaItem.id).where(AgendaItem.meeting_id == meeting["id"], AgendaItem.section == 4)
        .order_by(AgendaItem.position)))
    return meeting


def content(meeting: dict, unit_id: int | None = None, **overrides) -> dict:
    """A full PUT body for the meeting's minutes."""
    first, second = meeting["agenda_ids"][:2]
    data = {
        "version": 0, "opened_at": "09:30", "closed_at": "11:45", "recorder": "นางเลขา ทดสอบ",
        "checker": "นายตรวจ ทดสอบ",
        "items": [
            {"agenda_item_id": first, "discussion": "<p>ฝ่ายเลขานุการรายงาน<strong>ความคืบหน้า</strong></p>",
             "resolution_kind": "acknowledged", "resolution": "ที่ประชุมรับทราบ", "actions": []},
            {"agenda_item_id": second, "discussion": "<p>พิจารณาแผน</p>", "resolution_kind": "assigned",
             "resolution": "มอบหมายให้ศูนย์เทคโนโลยีสารสนเทศดำเนินการ",
             "actions": [{"owner_unit_id": unit_id, "description": "จัดทำระบบติดตามผล", "due_date": "2020-10-30"}]
             if unit_id else []},
        ],
    }
    data.update(overrides)
    return data


def put(client, headers, meeting: dict, data: dict):
    return client.put(f"/api/v1/meetings/{meeting['id']}/minutes", json=data, headers=headers)


def saved(client, staff, meeting: dict, unit_id: int | None = None) -> dict:
    response = put(client, staff, meeting, content(meeting, unit_id))
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def circulate(client, headers, meeting: dict):
    return client.post(f"/api/v1/meetings/{meeting['id']}/minutes/circulate", headers=headers)


def certify(client, headers, meeting: dict, at: dict | int, amendments: str | None = None):
    at_id = at["id"] if isinstance(at, dict) else at
    return client.post(f"/api/v1/meetings/{meeting['id']}/minutes/certify",
                       json={"at_meeting_id": at_id, "amendments": amendments}, headers=headers)


def minutes_row() -> Minutes:
    db.session.expire_all()
    return db.session.scalar(db.select(Minutes))


def count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


# --- reading and saving ------------------------------------------------------------------------

def test_a_meeting_without_minutes_answers_an_empty_draft_and_creates_nothing(client, staff, group):
    meeting = new_meeting(client, staff, group)
    response = client.get(f"/api/v1/meetings/{meeting['id']}/minutes", headers=staff)
    assert response.status_code == 200
    assert response.get_json() == {"state": "draft", "version": 0, "opened_at": None, "closed_at": None,
                                   "recorder": None, "checker": None, "recorder_position": None,
                                   "checker_position": None, "items": [],
                                   "certified_at_meeting_id": None, "amendments": None,
                                   "comment_deadline": None}
    assert count(Minutes) == 0


def test_saving_creates_version_1_then_2_with_history_and_audit(client, staff, staff_user, group, unit):
    meeting = new_meeting(client, staff, group)
    first = saved(client, staff, meeting, unit.id)
    assert first["version"] == 1 and first["state"] == "draft"
    assert (first["opened_at"], first["closed_at"], first["recorder"], first["checker"]) == (
        "09:30", "11:45", "นางเลขา ทดสอบ", "นายตรวจ ทดสอบ")
    assert [i["agenda_item_id"] for i in first["items"]] == meeting["agenda_ids"]
    action = first["items"][1]["actions"][0]
    assert action["id"] and action["status"] == "open" and action["due_date"] == "2020-10-30"
    stored = db.session.get(ActionItem, action["id"])
    assert (stored.meeting_id, stored.body_id, stored.owner_unit_id) == (meeting["id"], group.id, unit.id)

    second = put(client, staff, meeting, content(meeting, unit.id, version=1, closed_at="12:00"))
    assert second.status_code == 200, second.get_data(as_text=True)
    assert second.get_json()["version"] == 2 and second.get_json()["closed_at"] == "12:00"
    assert client.get(f"/api/v1/meetings/{meeting['id']}/minutes", headers=staff).get_json() == second.get_json()
    versions = db.session.scalars(db.select(MinutesVersion).order_by(MinutesVersion.version)).all()
    assert [v.version for v in versions] == [1, 2]
    assert versions[0].content["closed_at"] == "11:45" and versions[1].content["closed_at"] == "12:00"
    assert all(v.saved_by_id == staff_user.id and v.saved_at is not None for v in versions)
    assert db.session.scalar(
        db.select(db.func.count()).select_from(AuditEvent).where(AuditEvent.action == "minutes.save")) == 2


def test_a_save_that_changes_only_items_still_makes_a_new_version(client, staff, group):
    meeting = new_meeting(client, staff, group)
    saved(client, staff, meeting)
    data = content(meeting, version=1)
    data["items"][0]["resolution"] = "ที่ประชุมรับทราบ และให้รายงานครั้งต่อไป"
    assert put(client, staff, meeting, data).get_json()["version"] == 2
    assert count(MinutesVersion) == 2


def test_stale_version_is_409_and_the_stored_text_stays(client, staff, group):
    meeting = new_meeting(client, staff, group)
    saved(client, staff, meeting)
    put(client, staff, meeting, content(meeting, version=1))  # now version 2
    stale = content(meeting, version=1)
    stale["items"][0]["discussion"] = "<p>ข้อความที่เขียนทับ</p>"
    assert_error(put(client, staff, meeting, stale), 409, "conflict")
    assert_error(put(client, staff, meeting, content(meeting, version=0)), 409, "conflict")
    minutes = minutes_row()
    assert minutes.version == 2 and count(MinutesVersion) == 2
    first_item = next(i for i in minutes.items if i.agenda_item_id == meeting["agenda_ids"][0])
    assert "ความคืบหน้า" in first_item.discussion and "เขียนทับ" not in first_item.discussion


def test_a_first_save_must_say_version_0(client, staff, group):
    meeting = new_meeting(client, staff, group)
    assert_error(put(client, staff, meeting, content(meeting, version=3)), 409)
    assert count(Minutes) == 0


def test_discussion_is_sanitised(client, staff, group):
    meeting = new_meeting(client, staff, group)
    data = content(meeting)
    data["items"][0]["discussion"] = (
        '<p onclick="steal()">สรุป <strong>สำคัญ</strong><script>alert(1)</script>'
        '<a href="javascript:alert(2)">คลิก</a> <a href="https://www.ocsc.go.th/">ลิงก์</a></p>'
        '<img src=x onerror="alert(3)"><h4>หัวข้อ</h4>'
    )
    discussion = put(client, staff, meeting, data).get_json()["items"][0]["discussion"]
    lowered = discussion.lower()
    assert "<script" not in lowered and "alert(1)" not in lowered
    assert "onclick" not in lowered and "onerror" not in lowered and "javascript:" not in lowered
    assert "<strong>สำคัญ</strong>" in discussion and "<h4>หัวข้อ</h4>" in discussion
    assert 'href="https://www.ocsc.go.th/"' in discussion
    stored = db.session.scalar(db.select(MinutesItem).where(MinutesItem.agenda_item_id == meeting["agenda_ids"][0]))
    assert stored.discussion == discussion


@pytest.mark.parametrize("change,field", [
    (lambda d, other: d["items"][0].update(resolution_kind="noted"), "items.0.resolution_kind"),
    (lambda d, other: d["items"][1].update(agenda_item_id=other), "items.1.agenda_item_id"),
    (lambda d, other: d["items"][1].update(agenda_item_id=d["items"][0]["agenda_item_id"]), "items.1.agenda_item_id"),
    (lambda d, other: d["items"][1]["actions"][0].update(owner_unit_id=999999), "items.1.actions.0.owner_unit_id"),
    (lambda d, other: d["items"][1]["actions"][0].update(owner_unit_id=None), "items.1.actions.0.owner_unit_id"),
    (lambda d, other: d["items"][1]["actions"][0].update(description="   "), "items.1.actions.0.description"),
    (lambda d, other: d["items"][1]["actions"][0].update(due_date="30/10/2563"), "items.1.actions.0.due_date"),
    (lambda d, other: d["items"][1]["actions"][0].update(id=999999), "items.1.actions.0.id"),
    (lambda d, other: d.update(opened_at="9 โมง"), "opened_at"),
    (lambda d, other: d.update(opened_at="13:00", closed_at="12:00"), "closed_at"),
], ids=["kind", "other_meeting", "twice", "unknown_unit", "no_unit", "no_description", "bad_due_date",
        "foreign_action", "bad_time", "closed_before_opened"])
def test_bad_input_is_422_with_the_field_and_changes_nothing(client, staff, group, unit, change, field):
    meeting = new_meeting(client, staff, group)
    other = new_meeting(client, staff, group, day="2020-10-10")
    saved(client, staff, meeting, unit.id)
    data = content(meeting, unit.id, version=1)
    data["items"][0]["discussion"] = "<p>ข้อความใหม่</p>"
    change(data, other["agenda_ids"][0])
    error = assert_error(put(client, staff, meeting, data), 422, "validation_error")
    assert field in error["fields"], error
    minutes = minutes_row()
    assert minutes.version == 1 and count(MinutesVersion) == 1 and count(ActionItem) == 1
    assert all("ข้อความใหม่" not in (i.discussion or "") for i in minutes.items)


def test_the_service_itself_refuses_an_unknown_resolution_kind(client, staff, staff_user, group):
    from app.errors import Invalid
    from app.meetings.services import get_meeting
    from app.minutes.services import save_minutes

    meeting = new_meeting(client, staff, group)
    data = content(meeting)
    data["items"][0]["resolution_kind"] = "noted"
    with pytest.raises(Invalid) as refused:
        save_minutes(get_meeting(meeting["id"]), data, 0, staff_user)
    assert "items.0.resolution_kind" in refused.value.fields
    db.session.rollback()
    assert count(Minutes) == 0


def test_resent_actions_keep_their_id_and_status_and_omitted_ones_go(client, staff, group, unit):
    meeting = new_meeting(client, staff, group)
    first = saved(client, staff, meeting, unit.id)
    action_id = first["items"][1]["actions"][0]["id"]
    assert client.post(f"/api/v1/action-items/{action_id}/close", json={}, headers=staff).status_code == 200
    data = content(meeting, unit.id, version=1)
    data["items"][1]["actions"] = [
        {"id": action_id, "owner_unit_id": unit.id, "description": "จัดทำระบบติดตามผล (ปรับถ้อยคำ)",
         "due_date": "2020-11-30", "status": "open"},
        {"owner_unit_id": unit.id, "description": "รายงานผลครั้งต่อไป"},
    ]
    actions = put(client, staff, meeting, data).get_json()["items"][1]["actions"]
    kept = next(a for a in actions if a["id"] == action_id)
    assert kept["status"] == "closed" and kept["due_date"] == "2020-11-30" and "ปรับถ้อยคำ" in kept["description"]
    assert len(actions) == 2 and count(ActionItem) == 2
    data = content(meeting, unit.id, version=2)
    data["items"][1]["actions"] = []
    assert put(client, staff, meeting, data).get_json()["items"][1]["actions"] == []
    assert count(ActionItem) == 0


# --- circulation, visibility -------------------------------------------------------------------

def test_circulate_moves_draft_to_circulated_once(client, staff, group):
    meeting = new_meeting(client, staff, group)
    assert_error(circulate(client, staff, meeting), 409)  # nothing saved yet
    saved(client, staff, meeting)
    response = circulate(client, staff, meeting)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["state"] == "circulated" and response.get_json()["version"] == 2
    assert minutes_row().circulated_at is not None
    assert_error(circulate(client, staff, meeting), 409)
    editing = put(client, staff, meeting, content(meeting, version=2))  # the secretariat still edits while circulated
    assert editing.status_code == 200 and editing.get_json()["state"] == "circulated"


def test_member_reads_circulated_minutes_but_not_drafts(client, staff, member, group, make_user, token_for):
    meeting = new_meeting(client, staff, group)
    url = f"/api/v1/meetings/{meeting['id']}/minutes"
    assert_error(client.get(url, headers=member), 404)  # no minutes yet: nothing to read
    saved(client, staff, meeting)
    assert_error(client.get(url, headers=member), 404)  # a draft is unreadable
    outsider = token_for(make_user("member"))
    assert_error(client.get(url, headers=outsider), 404)
    circulate(client, staff, meeting)
    response = client.get(url, headers=member)
    assert response.status_code == 200 and response.get_json()["state"] == "circulated"
    assert_error(client.get(url, headers=outsider), 404)


def test_viewer_reads_certified_minutes_only(client, staff, group, make_user, token_for):
    viewer = token_for(make_user("viewer"))
    meeting = new_meeting(client, staff, group)
    later = new_meeting(client, staff, group, day="2020-10-10")
    url = f"/api/v1/meetings/{meeting['id']}/minutes"
    saved(client, staff, meeting)
    assert_error(client.get(url, headers=viewer), 404)
    circulate(client, staff, meeting)
    assert_error(client.get(url, headers=viewer), 404)  # viewers read certified minutes only
    assert certify(client, staff, meeting, later).status_code == 200
    response = client.get(url, headers=viewer)
    assert response.status_code == 200 and response.get_json()["state"] == "certified"


def test_a_member_of_the_parent_body_reads_the_working_groups_circulated_minutes(
        client, staff, committee, group, make_user, add_member, token_for):
    parent_member = make_user("member")
    add_member(committee, parent_member)
    headers = token_for(parent_member)
    meeting = new_meeting(client, staff, group)
    url = f"/api/v1/meetings/{meeting['id']}/minutes"
    saved(client, staff, meeting)
    assert_error(client.get(url, headers=headers), 404)
    circulate(client, staff, meeting)
    assert client.get(url, headers=headers).status_code == 200


# --- certification -----------------------------------------------------------------------------

@pytest.mark.parametrize("which", ["earlier", "same", "other_body", "cancelled", "missing"])
def test_certify_only_at_a_later_meeting_of_the_same_body(client, staff, group, make_body, which):
    meeting = new_meeting(client, staff, group, day="2020-09-10")
    saved(client, staff, meeting)
    circulate(client, staff, meeting)
    if which == "earlier":
        at = new_meeting(client, staff, group, day="2020-08-10")["id"]
    elif which == "same":
        at = meeting["id"]
    elif which == "other_body":
        at = new_meeting(client, staff, make_body("คณะอื่น", kind="committee"), day="2020-10-10")["id"]
    elif which == "cancelled":
        at = new_meeting(client, staff, group, day="2020-10-10")["id"]
        client.post(f"/api/v1/meetings/{at}/cancel", json={"reason": "ติดภารกิจ", "notify": False}, headers=staff)
    else:
        at = 999999
    error = assert_error(certify(client, staff, meeting, at), 422, "validation_error")
    assert "at_meeting_id" in error["fields"]
    minutes = minutes_row()
    assert minutes.state == "circulated" and minutes.certified_at_meeting_id is None and count(MinutesVersion) == 2


def test_certify_from_draft_is_409(client, staff, group):
    meeting = new_meeting(client, staff, group)
    later = new_meeting(client, staff, group, day="2020-10-10")
    assert_error(certify(client, staff, meeting, later), 409)  # no minutes
    saved(client, staff, meeting)
    assert_error(certify(client, staff, meeting, later), 409)
    assert minutes_row().state == "draft"


def test_certify_with_amendments_records_them_and_locks_the_minutes(client, staff, group):
    meeting = new_meeting(client, staff, group)
    later = new_meeting(client, staff, group, day="2020-10-10")
    saved(client, staff, meeting)
    circulate(client, staff, meeting)
    response = certify(client, staff, meeting, later, "  แก้ไขหน้า 3 บรรทัดที่ 5 เป็น “ศูนย์เทคโนโลยีสารสนเทศ”  ")
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body["state"] == "certified" and body["certified_at_meeting_id"] == later["id"] and body["version"] == 3
    assert body["amendments"] == "แก้ไขหน้า 3 บรรทัดที่ 5 เป็น “ศูนย์เทคโนโลยีสารสนเทศ”"
    minutes = minutes_row()
    assert minutes.certified_at is not None and count(MinutesVersion) == 3
    assert db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "minutes.certify")) is not None

    locked = assert_error(put(client, staff, meeting, content(meeting, version=3)), 409, "certified_locked")
    assert locked["message"]
    assert_error(certify(client, staff, meeting, later), 409)
    assert_error(circulate(client, staff, meeting), 409)
    assert minutes_row().version == 3 and count(MinutesVersion) == 3


def test_certify_without_amendments_means_unchanged(client, staff, group):
    from app.minutes.services import certification_phrase

    meeting = new_meeting(client, staff, group)
    later = new_meeting(client, staff, group, day="2020-10-10")
    saved(client, staff, meeting)
    circulate(client, staff, meeting)
    assert certify(client, staff, meeting, later, "").get_json()["amendments"] is None
    assert certification_phrase(minutes_row()) == "โดยไม่มีการแก้ไข"


# --- versions and comments ---------------------------------------------------------------------

def test_version_history_lists_versions_and_returns_each_content(client, staff, member, group):
    meeting = new_meeting(client, staff, group)
    saved(client, staff, meeting)
    put(client, staff, meeting, content(meeting, version=1, closed_at="12:15"))
    url = f"/api/v1/meetings/{meeting['id']}/minutes/versions"
    history = client.get(url, headers=staff).get_json()["items"]
    assert [v["version"] for v in history] == [1, 2]
    assert all(v["saved_by"] == "นางเลขา ทดสอบ" and v["saved_at"].endswith("+07:00") for v in history)
    first = client.get(f"{url}/1", headers=staff).get_json()
    assert first["version"] == 1 and first["closed_at"] == "11:45" and len(first["items"]) == 2
    assert client.get(f"{url}/2", headers=staff).get_json()["closed_at"] == "12:15"
    assert_error(client.get(f"{url}/9", headers=staff), 404)
    assert_error(client.get(url, headers=member), 404)  # drafts are the secretariat's
    circulate(client, staff, meeting)
    # members see the circulated version, not the drafts before it
    assert [v["version"] for v in client.get(url, headers=member).get_json()["items"]] == [3]
    assert_error(client.get(f"{url}/1", headers=member), 404)
    assert client.get(f"{url}/3", headers=member).get_json()["state"] == "circulated"


def test_comments_only_on_circulated_minutes(client, staff, member, group, make_user, token_for):
    meeting = new_meeting(client, staff, group)
    other = new_meeting(client, staff, group, day="2020-10-10")
    url = f"/api/v1/meetings/{meeting['id']}/minutes/comments"
    agenda_item = meeting["agenda_ids"][0]
    assert_error(client.post(url, json={"body": "ขอแก้ไข"}, headers=member), 403)  # no minutes
    saved(client, staff, meeting)
    assert_error(client.post(url, json={"body": "ขอแก้ไข"}, headers=member), 403)  # draft
    circulate(client, staff, meeting)
    response = client.post(url, json={"body": "ขอแก้ไขชื่อหน่วยงาน", "agenda_item_id": agenda_item}, headers=member)
    assert response.status_code == 201, response.get_data(as_text=True)
    assert response.get_json()["author"] == "นางสาวกรรมการ หนึ่ง"
    error = assert_error(client.post(url, json={"body": "x", "agenda_item_id": other["agenda_ids"][0]},
                                     headers=member), 422)
    assert "agenda_item_id" in error["fields"]
    assert_error(client.post(url, json={"body": "   "}, headers=member), 422)
    assert_error(client.post(url, json={"body": "ขอแก้ไข"}, headers=token_for(make_user("viewer"))), 403)
    assert_error(client.post(url, json={"body": "ขอแก้ไข"}, headers=token_for(make_user("member"))), 404)
    listed = client.get(url, headers=staff).get_json()["items"]
    assert [(c["body"], c["agenda_item_id"]) for c in listed] == [("ขอแก้ไขชื่อหน่วยงาน", agenda_item)]
    assert client.get(url, headers=member).status_code == 200
    certify(client, staff, meeting, other)
    assert_error(client.post(url, json={"body": "ช้าไป"}, headers=member), 409, "certified_locked")
    assert count(MinutesComment) == 1


# --- assigned actions --------------------------------------------------------------------------

def test_open_actions_of_the_body_are_listed_and_closable(client, staff, member, group, unit, make_body):
    meeting = new_meeting(client, staff, group)
    action_id = saved(client, staff, meeting, unit.id)["items"][1]["actions"][0]["id"]
    elsewhere = new_meeting(client, staff, make_body("คณะอื่น", kind="committee"))
    saved(client, staff, elsewhere, unit.id)
    url = f"/api/v1/bodies/{group.id}/open-actions"
    items = client.get(url, headers=staff).get_json()["items"]
    assert items == [{"id": action_id, "meeting_id": meeting["id"], "meeting_code": meeting["code"],
                      "description": "จัดทำระบบติดตามผล",
                      "owner_unit": {"id": unit.id, "code": "ICT", "name": unit.name},
                      "due_date": "2020-10-30", "status": "open"}]
    assert client.get(url, headers=member).get_json()["items"] == []  # draft minutes are not members' yet
    circulate(client, staff, meeting)
    assert [a["id"] for a in client.get(url, headers=member).get_json()["items"]] == [action_id]

    close = f"/api/v1/action-items/{action_id}/close"
    assert_error(client.post(close, json={}, headers=member), 403)
    response = client.post(close, json={"note": "ดำเนินการแล้วเสร็จ"}, headers=staff)
    assert response.status_code == 200 and response.get_json()["status"] == "closed"
    stored = db.session.get(ActionItem, action_id)
    db.session.refresh(stored)
    assert stored.closed_note == "ดำเนินการแล้วเสร็จ" and stored.closed_at is not None
    assert client.get(url, headers=staff).get_json()["items"] == []
    assert_error(client.post(close, json={}, headers=staff), 409)
    assert_error(client.post("/api/v1/action-items/999999/close", json={}, headers=staff), 404)
    assert db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "action.close")) is not None


def test_open_actions_of_an_unreadable_body_are_404(client, staff, group, make_user, token_for):
    assert_error(client.get(f"/api/v1/bodies/{group.id}/open-actions", headers=token_for(make_user("member"))), 404)


# --- roles -------------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["reporter", "member", "viewer"])
def test_only_staff_write_circulate_certify_and_close(client, staff, group, unit, make_user, add_member,
                                                       token_for, role):
    user = make_user(role)
    add_member(group, user)
    headers = token_for(user)
    meeting = new_meeting(client, staff, group)
    later = new_meeting(client, staff, group, day="2020-10-10")
    assert_error(put(client, headers, meeting, content(meeting)), 403)
    action_id = saved(client, staff, meeting, unit.id)["items"][1]["actions"][0]["id"]
    assert_error(put(client, headers, meeting, content(meeting, version=1)), 403)
    assert_error(circulate(client, headers, meeting), 403)
    circulate(client, staff, meeting)
    assert_error(certify(client, headers, meeting, later), 403)
    assert_error(client.post(f"/api/v1/action-items/{action_id}/close", json={}, headers=headers), 403)
    minutes = minutes_row()
    assert minutes.state == "circulated" and minutes.version == 2
    assert db.session.get(ActionItem, action_id).status == "open"


def test_minutes_endpoints_need_authentication(client, staff, group):
    meeting = new_meeting(client, staff, group)
    assert_error(client.get(f"/api/v1/meetings/{meeting['id']}/minutes"), 401)
    assert_error(client.put(f"/api/v1/meetings/{meeting['id']}/minutes", json=content(meeting)), 401)


def test_minutes_endpoints_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path in ("/api/v1/meetings/{id}/minutes", "/api/v1/meetings/{id}/minutes/circulate",
                 "/api/v1/meetings/{id}/minutes/certify", "/api/v1/meetings/{id}/minutes/versions",
                 "/api/v1/meetings/{id}/minutes/versions/{n}", "/api/v1/meetings/{id}/minutes/comments",
                 "/api/v1/bodies/{id}/open-actions", "/api/v1/action-items/{id}/close"):
        assert path in paths, path
    assert set(paths["/api/v1/meetings/{id}/minutes"]) >= {"get", "put"}
