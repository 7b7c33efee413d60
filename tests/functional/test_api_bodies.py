"""Bodies through /api/v1: create, read and change committees and working groups with every field of the
web form, seat members, change their position and remove them; the secretariat only, audited."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.bodies.models import Body, Membership
from app.extensions import db
from tests.functional.test_api_core import assert_error


@pytest.fixture
def committee(make_body):
    return make_body("คณะกรรมการนโยบายการกำกับองค์การที่ดี", kind="committee")


@pytest.fixture
def people(make_user, token_for, committee, add_member):
    """The secretariat, a member of the committee (its chair is another user) and an outsider."""
    chair = make_user("member", name="นายประธาน ทดสอบ")
    member = make_user("member", name="นางสาวกรรมการ หนึ่ง")
    add_member(committee, member)
    add_member(committee, chair, "chair")
    return {"secretariat": token_for(make_user("secretariat")), "member": token_for(member),
            "outsider": token_for(make_user("member")), "chair": chair, "member_user": member}


def audit_actions() -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


FULL = {"name": "คณะทำงานจัดทำแผนปฏิรูปองค์การ", "short_name": "คทง.แผน", "kind": "working_group",
        "numbering": "fiscal", "description": "จัดทำและติดตามแผน\nรายงานคณะกรรมการ"}


def test_the_secretariat_creates_a_body_with_every_field_of_the_form(client, people, committee):
    response = client.post("/api/v1/bodies", json={**FULL, "parent_id": committee.id},
                           headers=people["secretariat"])
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    assert body.pop("calendar_feed_url").endswith(f"/bodies/{body['id']}.ics")  # the creator's feed of the body
    no_letter = {"letter_form": "external", "document_prefix": None, "letter_office": None, "letter_address": None,
                 "letter_phone": None, "letter_signer_name": None, "letter_signer_position": None}
    assert body == {"id": body["id"], **FULL, **no_letter, "parent_id": committee.id, "members": [],
                    "quorum": {"kind": "majority", "value": None}, "delegates_count": True, "procurement": False}
    stored = db.session.get(Body, body["id"])
    assert (stored.name, stored.kind, stored.numbering, stored.parent_id) == (
        FULL["name"], "working_group", "fiscal", committee.id)
    assert audit_actions()[-1] == "body.create"


@pytest.mark.parametrize("change, field", [
    ({"name": ""}, "name"),
    ({"name": "สอง\nบรรทัด"}, "name"),
    ({"kind": "panel"}, "kind"),
    ({"numbering": "lunar"}, "numbering"),
    ({"parent_id": 999_999}, "parent_id"),
    ({"parent_id": "1"}, "parent_id"),
    ({"colour": "red"}, "colour"),
])
def test_bad_bodies_are_422_by_field_and_create_nothing(client, people, change, field):
    before = db.session.scalar(select(db.func.count()).select_from(Body))
    error = assert_error(client.post("/api/v1/bodies", json={**FULL, **change}, headers=people["secretariat"]),
                         422)
    assert field in error["fields"]
    assert db.session.scalar(select(db.func.count()).select_from(Body)) == before


def test_reading_a_body_lists_its_members_chair_first(client, people, committee):
    response = client.get(f"/api/v1/bodies/{committee.id}", headers=people["member"])
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body["name"] == committee.name and body["kind"] == "committee"
    assert [(m["name"], m["role"]) for m in body["members"]] == [
        ("นายประธาน ทดสอบ", "chair"), ("นางสาวกรรมการ หนึ่ง", "member")]
    assert_error(client.get(f"/api/v1/bodies/{committee.id}", headers=people["outsider"]), 404)
    assert_error(client.get("/api/v1/bodies/987654", headers=people["secretariat"]), 404)


def test_patch_changes_only_the_fields_sent(client, people, committee):
    response = client.patch(f"/api/v1/bodies/{committee.id}", json={"numbering": "fiscal", "short_name": "กนก."},
                            headers=people["secretariat"])
    assert response.status_code == 200, response.get_data(as_text=True)
    db.session.expire_all()
    stored = db.session.get(Body, committee.id)
    assert (stored.name, stored.numbering, stored.short_name, stored.kind) == (
        "คณะกรรมการนโยบายการกำกับองค์การที่ดี", "fiscal", "กนก.", "committee")
    assert audit_actions()[-1] == "body.update"
    assert_error(client.patch("/api/v1/bodies/987654", json={"name": "x"}, headers=people["secretariat"]), 404)


def test_a_parent_cycle_is_refused(client, people, committee, make_body):
    group = make_body("คณะทำงานย่อย", parent=committee)
    error = assert_error(client.patch(f"/api/v1/bodies/{committee.id}", json={"parent_id": group.id},
                                      headers=people["secretariat"]), 422)
    assert "parent_id" in error["fields"]
    db.session.expire_all()
    assert db.session.get(Body, committee.id).parent_id is None


def test_members_are_seated_repositioned_and_removed(client, people, committee, make_user):
    newcomer = make_user("member", name="นายกรรมการ ใหม่")
    url = f"/api/v1/bodies/{committee.id}/members"
    seated = client.post(url, json={"user_id": newcomer.id, "role": "secretary", "title": "ผู้อำนวยการกอง"},
                         headers=people["secretariat"])
    assert seated.status_code == 201, seated.get_data(as_text=True)
    assert seated.get_json()["title"] == "ผู้อำนวยการกอง"
    assert_error(client.post(url, json={"user_id": newcomer.id}, headers=people["secretariat"]), 409)

    moved = client.patch(f"{url}/{newcomer.id}", json={"role": "vice_chair"}, headers=people["secretariat"])
    assert moved.status_code == 200 and moved.get_json()["role"] == "vice_chair"

    removed = client.delete(f"{url}/{newcomer.id}", headers=people["secretariat"])
    assert removed.status_code == 204 and removed.data == b""
    db.session.expire_all()
    assert db.session.scalar(select(Membership).where(Membership.user_id == newcomer.id)) is None
    assert audit_actions()[-3:] == ["membership.create", "membership.update", "membership.delete"]
    assert_error(client.delete(f"{url}/{newcomer.id}", headers=people["secretariat"]), 404)  # no longer seated
    assert_error(client.delete(f"/api/v1/bodies/987654/members/{newcomer.id}", headers=people["secretariat"]), 404)


@pytest.mark.parametrize("who", ["member", "outsider"])
def test_members_may_not_change_bodies(client, people, committee, who):
    headers = people[who]
    chair_id = people["chair"].id
    before = audit_actions()
    assert_error(client.post("/api/v1/bodies", json=FULL, headers=headers), 403)
    assert_error(client.patch(f"/api/v1/bodies/{committee.id}", json={"name": "ยึด"}, headers=headers), 403)
    assert_error(client.post(f"/api/v1/bodies/{committee.id}/members", json={"user_id": chair_id},
                             headers=headers), 403)
    assert_error(client.patch(f"/api/v1/bodies/{committee.id}/members/{chair_id}", json={"role": "member"},
                              headers=headers), 403)
    assert_error(client.delete(f"/api/v1/bodies/{committee.id}/members/{chair_id}", headers=headers), 403)
    assert audit_actions() == before
    db.session.expire_all()
    assert db.session.get(Body, committee.id).name == "คณะกรรมการนโยบายการกำกับองค์การที่ดี"
    assert db.session.scalar(select(Membership).where(Membership.user_id == chair_id)).role == "chair"


def test_the_list_shows_only_readable_bodies(client, people, committee, make_body):
    make_body("คณะทำงานอื่น")
    names = {b["name"] for b in client.get("/api/v1/bodies", headers=people["member"]).get_json()["items"]}
    assert names == {committee.name}
    everything = client.get("/api/v1/bodies", headers=people["secretariat"]).get_json()["items"]
    assert len(everything) == 2
