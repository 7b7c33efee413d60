"""The /api/v1 contract: health, me, units, bodies, members; token auth; every error code is JSON."""
from __future__ import annotations

import pytest

from app.auth.models import ApiToken
from app.bodies.models import Membership
from app.dbtypes import utcnow
from app.extensions import db


def assert_error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.is_json, response.get_data(as_text=True)[:200]
    error = response.get_json()["error"]
    assert set(error) == {"code", "message", "fields"} and error["message"]
    if code:
        assert error["code"] == code
    return error


def test_health_is_liveness_only_and_needs_no_auth(app, client, monkeypatch):
    from sqlalchemy import event

    statements: list[str] = []

    def note(conn, cursor, statement, *args):
        statements.append(statement)

    def no_storage():
        raise AssertionError("the liveness check touched the storage")

    monkeypatch.setattr("app.attachments.services.storage_ready", no_storage)
    event.listen(db.engine, "before_cursor_execute", note)
    try:
        response = client.get("/api/v1/health")
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}
    assert statements == []  # not even SELECT 1: /api/v1/ready checks the database, Redis and storage


def test_me_with_bearer_token(client, make_user, make_unit, token_for):
    user = make_user("reporter", unit=make_unit("ICT", "ศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร"))
    body = client.get("/api/v1/me", headers=token_for(user)).get_json()
    assert body["id"] == user.id and body["email"] == user.email and body["role"] == "reporter"
    assert body["name"] == user.name
    assert body["unit"] == {"id": user.unit_id, "code": "ICT", "name": "ศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร"}


def test_me_without_unit_is_null(client, make_user, token_for):
    assert client.get("/api/v1/me", headers=token_for(make_user("viewer"))).get_json()["unit"] is None


def test_only_a_hash_of_the_token_is_stored(make_user, token_for):
    headers = token_for(make_user("member"))
    secret = headers["Authorization"].split()[1]
    stored = db.session.scalars(db.select(ApiToken.token_hash)).all()
    assert secret not in stored and len(stored) == 1 and len(stored[0]) == 64


def test_me_with_session_cookie(client, make_user, login):
    user = make_user("member")
    login(user)
    assert client.get("/api/v1/me").get_json()["email"] == user.email


@pytest.mark.parametrize("header", [None, "Bearer nope", "Bearer ", "Basic abc", "bearer pch_unknown"])
def test_missing_or_bad_token_is_401_json(client, header):
    headers = {"Authorization": header} if header else {}
    assert_error(client.get("/api/v1/me", headers=headers), 401, "unauthorized")


def test_revoked_token_is_401(client, make_user, token_for):
    headers = token_for(make_user("member"))
    token = db.session.scalar(db.select(ApiToken))
    token.revoked_at = utcnow()
    db.session.commit()
    assert_error(client.get("/api/v1/me", headers=headers), 401)


def test_token_of_inactive_user_is_401(client, make_user, token_for):
    user = make_user("member")
    headers = token_for(user)
    user.is_active_user = False
    db.session.commit()
    assert_error(client.get("/api/v1/me", headers=headers), 401)


def test_units_list(client, make_user, make_unit, token_for):
    make_unit("OTEPC", "สำนักงาน ก.ค.ศ.")
    make_unit("BPS", "สำนักนโยบายและยุทธศาสตร์")
    items = client.get("/api/v1/units", headers=token_for(make_user("member"))).get_json()["items"]
    assert [u["code"] for u in items] == ["BPS", "OTEPC"]
    assert set(items[0]) == {"id", "code", "name", "short_name"}


def test_bodies_list_shows_what_the_user_may_read(client, make_user, make_body, add_member, token_for):
    committee = make_body("คณะกรรมการนโยบาย", kind="committee")
    group = make_body("คณะทำงานติดตามผล", numbering="fiscal", parent=committee)
    other = make_body("คณะอื่น", kind="committee")
    committee_member = make_user("member")
    add_member(committee, committee_member)
    outsider = make_user("member")
    viewer = make_user("viewer")

    def ids(user):
        return {b["id"] for b in client.get("/api/v1/bodies", headers=token_for(user)).get_json()["items"]}

    assert ids(committee_member) == {committee.id, group.id}
    assert ids(outsider) == set()
    assert ids(viewer) == {committee.id, group.id, other.id}
    item = next(b for b in client.get("/api/v1/bodies", headers=token_for(viewer)).get_json()["items"]
                if b["id"] == group.id)
    assert item["kind"] == "working_group" and item["parent_id"] == committee.id and item["numbering"] == "fiscal"


@pytest.mark.parametrize("role", ["secretariat", "admin"])
def test_staff_add_a_member_with_a_position(client, make_user, make_body, token_for, role):
    body = make_body()
    person = make_user("member")
    response = client.post(f"/api/v1/bodies/{body.id}/members", json={"user_id": person.id, "role": "chair"},
                           headers=token_for(make_user(role)))
    assert response.status_code == 201, response.get_data(as_text=True)
    assert response.get_json()["role"] == "chair"
    membership = db.session.scalar(db.select(Membership))
    assert (membership.body_id, membership.user_id, membership.role) == (body.id, person.id, "chair")


@pytest.mark.parametrize("role", ["reporter", "member", "viewer"])
def test_others_cannot_add_members(client, make_user, make_body, token_for, role):
    body = make_body()
    person = make_user("member")
    response = client.post(f"/api/v1/bodies/{body.id}/members", json={"user_id": person.id, "role": "member"},
                           headers=token_for(make_user(role)))
    assert_error(response, 403, "forbidden")
    assert db.session.scalar(db.select(db.func.count()).select_from(Membership)) == 0


def test_member_errors_404_409_422(client, make_user, make_body, token_for):
    headers = token_for(make_user("secretariat"))
    body = make_body()
    person = make_user("member")
    assert_error(client.post("/api/v1/bodies/9999/members", json={"user_id": person.id, "role": "member"},
                             headers=headers), 404, "not_found")
    error = assert_error(client.post(f"/api/v1/bodies/{body.id}/members", json={"user_id": person.id, "role": "boss"},
                                     headers=headers), 422, "validation_error")
    assert "role" in error["fields"]
    error = assert_error(client.post(f"/api/v1/bodies/{body.id}/members", json={"role": "member"}, headers=headers),
                         422)
    assert "user_id" in error["fields"]
    error = assert_error(client.post(f"/api/v1/bodies/{body.id}/members", json={"user_id": 9999, "role": "member"},
                                     headers=headers), 422)
    assert "user_id" in error["fields"]
    ok = client.post(f"/api/v1/bodies/{body.id}/members", json={"user_id": person.id}, headers=headers)
    assert ok.status_code == 201 and ok.get_json()["role"] == "member"
    assert_error(client.post(f"/api/v1/bodies/{body.id}/members", json={"user_id": person.id, "role": "chair"},
                             headers=headers), 409, "conflict")
    assert db.session.scalar(db.select(db.func.count()).select_from(Membership)) == 1


def test_malformed_json_is_400(client, make_user, make_body, token_for):
    body = make_body()
    response = client.post(f"/api/v1/bodies/{body.id}/members", data="{not json",
                           headers={**token_for(make_user("secretariat")), "Content-Type": "application/json"})
    assert_error(response, 400)


def test_unknown_api_path_is_json_404(client, make_user, token_for):
    assert_error(client.get("/api/v1/no-such-thing", headers=token_for(make_user("member"))), 404, "not_found")
    assert_error(client.get("/api/v1/no-such-thing"), 404)


def test_wrong_method_is_json_405(client, make_user, token_for):
    assert_error(client.delete("/api/v1/units", headers=token_for(make_user("admin"))), 405)


def test_session_writes_through_the_api_need_csrf(client, make_user, make_body, login):
    body = make_body()
    person = make_user("member")
    login(make_user("secretariat"))
    response = client.post(f"/api/v1/bodies/{body.id}/members", json={"user_id": person.id, "role": "member"})
    assert_error(response, 400, "csrf_failed")


def test_openapi_document_declares_every_endpoint(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    for path in ("/api/v1/health", "/api/v1/me", "/api/v1/units", "/api/v1/bodies", "/api/v1/bodies/{id}/members"):
        assert path in spec["paths"], path
    member_in = spec["paths"]["/api/v1/bodies/{id}/members"]["post"]["requestBody"]
    assert member_in["content"]["application/json"]["schema"]
    assert "bearer" in spec["components"]["securitySchemes"]


def test_api_docs_are_served_locally(client):
    response = client.get("/api/v1/docs", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "swagger" in html.lower()
    assert "unpkg.com" not in html and "cdn.jsdelivr" not in html


def test_every_api_rule_is_in_the_openapi_document(app, client):
    """No /api/v1 endpoint escapes the declared schemas (docs and static files aside)."""
    spec_paths = set(client.get("/api/v1/openapi.json").get_json()["paths"])
    import re

    for rule in app.url_map.iter_rules():
        path = rule.rule
        if not path.startswith("/api/v1/") or rule.endpoint.startswith(("openapi", "swagger")) or path in (
                "/api/v1/docs", "/api/v1/openapi.json", "/api/v1/oauth2-redirect.html"):
            continue
        assert re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", path) in spec_paths, path
