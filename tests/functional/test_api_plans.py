"""Plans, themes and sub-items (with responsible units), the agency assessment, and attaching a round's
compiled report to the committee's agenda, through /api/v1: the secretariat does what the web pages
do, through the same services (audited); reporters and members are refused and change nothing."""
from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.agenda.models import AgendaItem
from app.attachments.models import Attachment
from app.audit.models import AuditEvent
from app.extensions import db
from app.reports.models import AssessmentBand, AssessmentScore, Plan, SubItem, Theme
from tests.functional.test_api_core import assert_error
from tests.functional.test_meetings_api import schedule
from tests.functional.test_reports_api import filed, world  # noqa: F401 (fixture)

REFUSED = ("ict", "member", "viewer")


def ok(response, status: int = 200) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    return response.get_json()


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def audit_actions() -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


# --- plans, themes, sub-items ---------------------------------------------------------------------

def test_the_secretariat_builds_a_plan_with_themes_and_sub_items(client, world):  # noqa: F811
    staff = world.headers["secretariat"]
    owner = world.plan.owner_body_id
    plan = ok(client.post("/api/v1/plans", json={"title": "แผนปฏิรูปองค์การ ระยะที่ 2", "owner_body_id": owner,
                                                 "start_year_be": 2566, "end_year_be": 2570,
                                                 "description": "แผนห้าปี"}, headers=staff), 201)
    assert (plan["title"], plan["start_year_be"], plan["end_year_be"], plan["themes"]) == (
        "แผนปฏิรูปองค์การ ระยะที่ 2", 2566, 2570, [])

    theme = ok(client.post(f"/api/v1/plans/{plan['id']}/themes", json={"title": "การพัฒนาระบบดิจิทัล", "weight": 2},
                           headers=staff), 201)
    assert (theme["number"], theme["weight"], theme["sub_items"]) == (1, 2.0, [])
    second = ok(client.post(f"/api/v1/plans/{plan['id']}/themes", json={"title": "บุคลากร"}, headers=staff), 201)
    assert (second["number"], second["weight"]) == (2, 1.0)

    ict, bps = world.units["ICT"], world.units["BPS"]
    by_ids = ok(client.post(f"/api/v1/themes/{theme['id']}/sub-items", json={
        "title": "ระบบฐานข้อมูลกลาง", "outputs": "ระบบ 1 ระบบ", "target": "ใช้งานได้ทุกหน่วย", "target_value": 100,
        "target_unit": "ร้อยละ", "weight": 1.5, "unit_ids": [bps.id, ict.id]}, headers=staff), 201)
    assert by_ids["code"] == "1.1" and by_ids["target_value"] == 100.0 and by_ids["weight"] == 1.5
    assert {u["code"] for u in by_ids["units"]} == {"BPS", "ICT"}
    by_codes = ok(client.post(f"/api/v1/themes/{theme['id']}/sub-items",
                              json={"title": "การเชื่อมโยงข้อมูล", "unit_codes": ["bie", "ICT"]}, headers=staff), 201)
    assert by_codes["code"] == "1.2" and {u["code"] for u in by_codes["units"]} == {"BIE", "ICT"}

    read = ok(client.get(f"/api/v1/plans/{plan['id']}", headers=world.headers["member"]))
    assert [t["title"] for t in read["themes"]] == ["การพัฒนาระบบดิจิทัล", "บุคลากร"]
    assert [s["code"] for s in read["themes"][0]["sub_items"]] == ["1.1", "1.2"]
    assert audit_actions()[-5:] == ["plan.create", "theme.create", "theme.create", "sub_item.create",
                                    "sub_item.create"]


def test_patches_change_only_the_fields_sent(client, world):  # noqa: F811
    staff = world.headers["secretariat"]
    plan, sub = world.plan, world.subs["1.2"]
    ok(client.patch(f"/api/v1/plans/{plan.id}", json={"end_year_be": 2566}, headers=staff))
    theme = plan.themes[1]
    ok(client.patch(f"/api/v1/themes/{theme.id}", json={"title": "ประเด็นที่ปรับชื่อ"}, headers=staff))
    changed = ok(client.patch(f"/api/v1/sub-items/{sub.id}", json={"unit_codes": ["BPS"], "target_unit": "ระบบ"},
                              headers=staff))
    assert [u["code"] for u in changed["units"]] == ["BPS"] and changed["title"] == "ประเด็นย่อย 1.2"
    db.session.expire_all()
    stored_plan = db.session.get(Plan, plan.id)
    assert (stored_plan.title, stored_plan.start_year_be, stored_plan.end_year_be) == (
        "แผนทดสอบการติดตามผล", 2562, 2566)
    stored_theme = db.session.get(Theme, theme.id)
    assert (stored_theme.number, stored_theme.title, stored_theme.weight) == (2, "ประเด็นที่ปรับชื่อ", Decimal(2))
    stored_sub = db.session.get(SubItem, sub.id)
    assert ([u.code for u in stored_sub.units], stored_sub.weight, stored_sub.outputs) == (
        ["BPS"], Decimal(3), "ผลผลิต 1.2")
    unchanged_units = ok(client.patch(f"/api/v1/sub-items/{sub.id}", json={"weight": 2}, headers=staff))["units"]
    assert [u["code"] for u in unchanged_units] == ["BPS"]
    assert audit_actions()[-4:] == ["plan.update", "theme.update", "sub_item.update", "sub_item.update"]


@pytest.mark.parametrize("url, body, field", [
    ("/api/v1/plans", {"title": "แผน", "owner_body_id": 987654, "start_year_be": 2566, "end_year_be": 2570},
     "owner_body_id"),
    ("/api/v1/plans", {"title": "แผน", "owner_body_id": 1, "start_year_be": 2570, "end_year_be": 2566},
     "end_year_be"),
    ("/api/v1/plans/{plan}/themes", {"title": "ซ้ำ", "number": 1}, "number"),
    ("/api/v1/plans/{plan}/themes", {"title": "ติดลบ", "weight": -1}, "weight"),
    ("/api/v1/themes/{theme}/sub-items", {"title": "ไม่มีหน่วยงาน", "unit_ids": []}, "unit_ids"),
    ("/api/v1/themes/{theme}/sub-items", {"title": "หน่วยงานผิด", "unit_codes": ["NOPE", "ICT"]}, "unit_codes"),
    ("/api/v1/themes/{theme}/sub-items", {"title": "ไม่มีหน่วยงานเลย"}, "unit_ids"),
    ("/api/v1/themes/{theme}/sub-items", {"title": "", "unit_codes": ["ICT"]}, "title"),
])
def test_bad_plans_themes_and_sub_items_are_422_by_field(client, world, url, body, field):  # noqa: F811
    before = (count(Plan), count(Theme), count(SubItem))
    url = url.format(plan=world.plan.id, theme=world.plan.themes[0].id)
    if body.get("owner_body_id") == 1:
        body = {**body, "owner_body_id": world.plan.owner_body_id}
    error = assert_error(client.post(url, json=body, headers=world.headers["secretariat"]), 422)
    assert field in error["fields"], error
    assert (count(Plan), count(Theme), count(SubItem)) == before


def test_deleting_refuses_what_reports_or_rounds_hang_on(client, world):  # noqa: F811
    staff = world.headers["secretariat"]
    filed(client, world, "1.1")
    assert_error(client.delete(f"/api/v1/sub-items/{world.subs['1.1'].id}", headers=staff), 409)
    assert_error(client.delete(f"/api/v1/themes/{world.plan.themes[0].id}", headers=staff), 409)
    assert_error(client.delete(f"/api/v1/plans/{world.plan.id}", headers=staff), 409)  # it has a round
    assert client.delete(f"/api/v1/sub-items/{world.subs['2.2'].id}", headers=staff).status_code == 204
    theme_two = world.plan.themes[1].id
    assert client.delete(f"/api/v1/themes/{theme_two}", headers=staff).status_code == 204
    db.session.expire_all()
    assert db.session.get(Theme, theme_two) is None and count(SubItem) == 2
    bare = ok(client.post("/api/v1/plans", json={"title": "แผนร่าง", "owner_body_id": world.plan.owner_body_id,
                                                 "start_year_be": 2566, "end_year_be": 2566}, headers=staff), 201)
    assert client.delete(f"/api/v1/plans/{bare['id']}", headers=staff).status_code == 204
    assert audit_actions()[-4:] == ["sub_item.delete", "theme.delete", "plan.create", "plan.delete"]
    for url in (f"/api/v1/plans/{bare['id']}", f"/api/v1/themes/{theme_two}", "/api/v1/sub-items/987654"):
        assert_error(client.delete(url, headers=staff), 404)


@pytest.mark.parametrize("who", REFUSED)
def test_only_the_secretariat_changes_plans(client, world, who):  # noqa: F811
    headers = world.headers[who]
    plan, theme, sub = world.plan, world.plan.themes[0], world.subs["1.1"]
    before = (count(Plan), count(Theme), count(SubItem), len(audit_actions()))
    attempts = [
        client.post("/api/v1/plans", json={"title": "x", "owner_body_id": plan.owner_body_id, "start_year_be": 2566,
                                           "end_year_be": 2566}, headers=headers),
        client.patch(f"/api/v1/plans/{plan.id}", json={"title": "ยึดแผน"}, headers=headers),
        client.delete(f"/api/v1/plans/{plan.id}", headers=headers),
        client.post(f"/api/v1/plans/{plan.id}/themes", json={"title": "x"}, headers=headers),
        client.patch(f"/api/v1/themes/{theme.id}", json={"title": "x"}, headers=headers),
        client.delete(f"/api/v1/themes/{theme.id}", headers=headers),
        client.post(f"/api/v1/themes/{theme.id}/sub-items", json={"title": "x", "unit_codes": ["ICT"]},
                    headers=headers),
        client.patch(f"/api/v1/sub-items/{sub.id}", json={"title": "x"}, headers=headers),
        client.delete(f"/api/v1/sub-items/{sub.id}", headers=headers),
    ]
    for response in attempts:
        assert_error(response, 403)
    assert (count(Plan), count(Theme), count(SubItem), len(audit_actions())) == before


# --- the assessment -------------------------------------------------------------------------------

def test_scores_and_bands_through_the_api(client, world):  # noqa: F811
    staff = world.headers["secretariat"]
    bands = ok(client.put("/api/v1/assessment/bands/2567", json={"basic": 50, "standard": 70, "advanced": 90},
                          headers=staff))
    assert bands == {"fiscal_year_be": 2567, "basic": 50.0, "standard": 70.0, "advanced": 90.0}
    score = ok(client.post("/api/v1/assessment/scores", json={
        "fiscal_year_be": 2567, "component": 5, "base": "potential",
        "title": "การดำเนินการตามแผนปฏิรูปองค์การของส่วนราชการ", "score": 75.5}, headers=staff), 201)
    assert (score["score"], score["level"], score["note"]) == (75.5, "standard", None)
    raised = ok(client.patch(f"/api/v1/assessment/scores/{score['id']}", json={"score": 92.25}, headers=staff))
    assert (raised["score"], raised["level"], raised["component"]) == (92.25, "advanced", 5)
    assert_error(client.post("/api/v1/assessment/scores", json={
        "fiscal_year_be": 2567, "component": 5, "title": "ซ้ำ", "score": 10}, headers=staff), 409)
    error = assert_error(client.post("/api/v1/assessment/scores", json={
        "fiscal_year_be": 2567, "component": 6, "title": "ทศนิยม", "score": 10.555}, headers=staff), 422)
    assert "score" in error["fields"]
    error = assert_error(client.put("/api/v1/assessment/bands/2568", json={"basic": 70, "standard": 60,
                                                                           "advanced": 90}, headers=staff), 422)
    assert "standard" in error["fields"]

    listing = ok(client.get("/api/v1/assessment", headers=world.headers["member"]))["items"]
    assert [(y["fiscal_year_be"], y["bands"]["standard"], [s["level"] for s in y["scores"]]) for y in listing] == [
        (2567, 70.0, ["advanced"])]
    assert ok(client.get(f"/api/v1/assessment/scores/{score['id']}", headers=world.headers["ict"]))["score"] == 92.25
    assert ok(client.get("/api/v1/assessment?year=2567", headers=staff))["items"][0]["fiscal_year_be"] == 2567
    assert ok(client.get("/api/v1/assessment?year=2568", headers=staff))["items"] == []
    assert "year" in assert_error(client.get("/api/v1/assessment?year=abc", headers=staff), 422)["fields"]
    assert ok(client.get("/api/v1/assessment/bands/2599", headers=staff))["basic"] is None

    assert client.delete(f"/api/v1/assessment/scores/{score['id']}", headers=staff).status_code == 204
    assert count(AssessmentScore) == 0
    assert_error(client.get(f"/api/v1/assessment/scores/{score['id']}", headers=staff), 404)
    assert audit_actions()[-4:] == ["assessment_bands.update", "assessment_score.create", "assessment_score.update",
                                    "assessment_score.delete"]


@pytest.mark.parametrize("who", REFUSED)
def test_only_the_secretariat_records_the_assessment(client, world, who):  # noqa: F811
    headers = world.headers[who]
    score = AssessmentScore(fiscal_year_be=2567, component=1, base="performance", title="ตัวชี้วัด",
                            score=Decimal("60.00"))
    db.session.add(score)
    db.session.commit()
    before = len(audit_actions())
    assert_error(client.post("/api/v1/assessment/scores", json={"fiscal_year_be": 2567, "component": 2,
                                                                "title": "x", "score": 1}, headers=headers), 403)
    assert_error(client.patch(f"/api/v1/assessment/scores/{score.id}", json={"score": 99}, headers=headers), 403)
    assert_error(client.delete(f"/api/v1/assessment/scores/{score.id}", headers=headers), 403)
    assert_error(client.put("/api/v1/assessment/bands/2567", json={"basic": 1, "standard": 2, "advanced": 3},
                            headers=headers), 403)
    assert count(AssessmentBand) == 0 and count(AssessmentScore) == 1 and len(audit_actions()) == before
    assert db.session.get(AssessmentScore, score.id).score == Decimal("60.00")


# --- the round report to the committee's agenda ---------------------------------------------------

@pytest.fixture
def committee_meeting(client, world):  # noqa: F811
    """A meeting of the committee the plan's working group reports to."""
    committee_id = db.session.get(Plan, world.plan.id).owner_body.parent_id
    response = schedule(client, world.headers["secretariat"], committee_id, notify=False)
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def test_the_round_report_is_attached_to_a_new_or_an_existing_item(client, world, committee_meeting):  # noqa: F811
    staff = world.headers["secretariat"]
    url = f"/api/v1/rounds/{world.round.id}/attach"
    item = ok(client.post(url, json={"meeting_id": committee_meeting["id"]}, headers=staff), 201)
    assert (item["section"], item["number"]) == (4, "4.1")
    assert "แผนทดสอบการติดตามผล" in item["title"]
    assert [a["title"].endswith(".docx") for a in item["attachments"]] == [True]
    first_key = db.session.scalars(select(Attachment.storage_key)).one()
    # the same round on the same agenda again: asked to replace, nothing changes until it is
    for target in ({"agenda_item_id": item["id"]}, {"meeting_id": committee_meeting["id"]}):
        error = assert_error(client.post(url, json=target, headers=staff), 409, "round_report_attached")
        assert "4.1" in error["message"]
        assert count(AgendaItem) == 1 and count(Attachment) == 1
    again = ok(client.post(url, json={"meeting_id": committee_meeting["id"], "replace": True}, headers=staff), 201)
    assert again["id"] == item["id"] and len(again["attachments"]) == 1
    assert count(AgendaItem) == 1 and count(Attachment) == 1
    stored = db.session.scalars(select(Attachment)).one()
    assert stored.content_type.endswith("wordprocessingml.document") and stored.round_id == world.round.id
    assert stored.storage_key != first_key
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"attachment.delete", "round.report.replace"} <= actions


def test_the_round_report_is_attached_in_thai_from_an_english_client(client, world, committee_meeting):  # noqa: F811
    english = {**world.headers["secretariat"], "Accept-Language": "en"}
    item = ok(client.post(f"/api/v1/rounds/{world.round.id}/attach", json={"meeting_id": committee_meeting["id"]},
                          headers=english), 201)
    assert item["title"].startswith("ผลการดำเนินงานตาม") and "รอบ 9 เดือน" in item["title"]
    assert item["attachments"][0]["title"].startswith("รายงานผลการดำเนินงาน รอบ")


def test_attaching_is_refused_for_bad_targets_and_other_roles(client, world, committee_meeting,  # noqa: F811
                                                              make_body):
    staff = world.headers["secretariat"]
    url = f"/api/v1/rounds/{world.round.id}/attach"
    other = schedule(client, staff, make_body("คณะอื่น").id, notify=False).get_json()
    assert "meeting_id" in assert_error(client.post(url, json={"meeting_id": other["id"]}, headers=staff),
                                        422)["fields"]
    assert "agenda_item_id" in assert_error(client.post(url, json={"agenda_item_id": 987654}, headers=staff),
                                            422)["fields"]
    assert_error(client.post(url, json={}, headers=staff), 422)
    assert_error(client.post(url, json={"meeting_id": committee_meeting["id"], "agenda_item_id": 1},
                             headers=staff), 422)
    assert_error(client.post("/api/v1/rounds/987654/attach", json={"meeting_id": committee_meeting["id"]},
                             headers=staff), 404)
    for who in REFUSED:
        assert_error(client.post(url, json={"meeting_id": committee_meeting["id"]}, headers=world.headers[who]), 403)
    assert count(AgendaItem) == 0 and count(Attachment) == 0
