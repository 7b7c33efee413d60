"""API tokens: names, expiry and last use; listed, created and revoked through the API, /profile, the admin
user page and the CLI; revoked and expired tokens get 401 everywhere; every change audited."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.auth import services
from app.auth.models import ApiToken
from app.dbtypes import utcnow
from app.extensions import db
from tests.conftest import csrf_from

ENDPOINTS = ["/api/v1/me", "/api/v1/me/tokens", "/api/v1/units", "/api/v1/bodies"]


def bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


def count_events(action: str) -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action))


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


# --- API ----------------------------------------------------------------------------------------------

def test_create_list_and_revoke_through_the_api(client, make_user, token_for):
    user = make_user("member")
    auth = token_for(user)
    created = client.post("/api/v1/me/tokens", json={"name": "รายงานอัตโนมัติ", "days": 30}, headers=auth)
    assert created.status_code == 201
    body = created.get_json()
    assert set(body) == {"id", "name", "created_at", "expires_at", "last_used_at", "token"}
    assert body["name"] == "รายงานอัตโนมัติ" and body["token"].startswith("pch_") and body["last_used_at"] is None
    assert body["expires_at"].endswith("+07:00")
    token = db.session.get(ApiToken, body["id"])
    assert timedelta(days=29, hours=23) < token.expires_at - utcnow() <= timedelta(days=30)
    assert client.get("/api/v1/me", headers=bearer(body["token"])).get_json()["id"] == user.id

    listed = client.get("/api/v1/me/tokens", headers=auth).get_json()["items"]
    assert [t["name"] for t in listed] == ["รายงานอัตโนมัติ", "test"]
    assert all("token" not in t for t in listed)  # shown once, at creation only

    assert client.delete(f"/api/v1/me/tokens/{body['id']}", headers=auth).status_code == 204
    assert client.get("/api/v1/me", headers=bearer(body["token"])).status_code == 401
    assert [t["name"] for t in client.get("/api/v1/me/tokens", headers=auth).get_json()["items"]] == ["test"]
    assert count_events("token.issue") == 2 and count_events("token.revoke") == 1


def test_a_token_without_days_lasts_until_revoked(client, make_user, token_for):
    auth = token_for(make_user("member"))
    body = client.post("/api/v1/me/tokens", json={"name": "ไม่มีวันหมดอายุ"}, headers=auth).get_json()
    assert body["expires_at"] is None


def test_another_users_token_cannot_be_revoked_through_me(client, make_user, token_for):
    owner, other = make_user("member"), make_user("admin")
    owner_token = services.create_token(owner, "ของเจ้าของ")[0]
    db.session.commit()
    response = client.delete(f"/api/v1/me/tokens/{owner_token.id}", headers=token_for(other))
    assert response.status_code == 404 and response.get_json()["error"]["code"]
    db.session.expire_all()
    assert owner_token.revoked_at is None
    assert client.delete("/api/v1/me/tokens/999999", headers=token_for(other)).status_code == 404


@pytest.mark.parametrize("payload,field", [
    ({"name": ""}, "name"),
    ({}, "name"),
    ({"name": "x" * 101}, "name"),
    ({"name": "ok", "days": 0}, "days"),
    ({"name": "ok", "days": 3651}, "days"),
    ({"name": "ok", "days": "30"}, "days"),
    ({"name": "ok", "extra": 1}, "extra"),
])
def test_bad_token_requests_are_422(client, make_user, token_for, payload, field):
    response = client.post("/api/v1/me/tokens", json=payload, headers=token_for(make_user("member")))
    assert response.status_code == 422
    assert field in str(response.get_json()["error"])
    assert db.session.scalar(select(func.count()).select_from(ApiToken)) == 1  # only the fixture's


def test_a_session_needs_csrf_to_create_a_token(client, make_user, login):
    login(make_user("member"))
    assert client.post("/api/v1/me/tokens", json={"name": "no-csrf"}).status_code == 400


@pytest.mark.parametrize("url", ENDPOINTS)
def test_revoked_and_expired_tokens_get_401_everywhere(client, make_user, url):
    user = make_user("secretariat")
    revoked, revoked_secret = services.create_token(user, "revoked")
    expired, expired_secret = services.create_token(user, "expired", days=1)
    valid_secret = services.issue_token(user, "valid", days=1)
    services.revoke_token(revoked)
    expired.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert client.get(url, headers=bearer(valid_secret)).status_code == 200
    for secret in (revoked_secret, expired_secret, "pch_not-a-token"):
        response = client.get(url, headers=bearer(secret))
        assert response.status_code == 401 and response.get_json()["error"]["code"] == "unauthorized"
    assert client.post("/api/v1/me/tokens", json={"name": "x"}, headers=bearer(expired_secret)).status_code == 401


def test_last_used_at_is_written_at_most_once_a_minute(client, make_user):
    user = make_user("member")
    token, secret = services.create_token(user, "cron")
    db.session.commit()
    client.get("/api/v1/me", headers=bearer(secret))
    db.session.expire_all()
    first = token.last_used_at
    assert first is not None and utcnow() - first < timedelta(seconds=30)
    client.get("/api/v1/me", headers=bearer(secret))
    db.session.expire_all()
    assert token.last_used_at == first  # not rewritten within the minute
    token.last_used_at = first - timedelta(minutes=2)
    db.session.commit()
    client.get("/api/v1/me", headers=bearer(secret))
    db.session.expire_all()
    assert token.last_used_at > first
    listed = client.get("/api/v1/me/tokens", headers=bearer(secret)).get_json()["items"]
    assert listed[0]["last_used_at"] is not None


def test_the_tokens_endpoints_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/me/tokens"])
    assert "delete" in paths["/api/v1/me/tokens/{id}"]


# --- /profile ------------------------------------------------------------------------------------------

def test_profile_creates_a_token_shown_once_lists_and_revokes_it(client, make_user, login):
    user = make_user("member")
    login(user)
    page = client.get("/profile").get_data(as_text=True)
    response = client.post("/profile/tokens", data={"csrf_token": csrf_from(page), "token-name": "สคริปต์ส่งออก",
                                                    "token-days": "90"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    token = db.session.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    secret = html.split('id="new-token"')[1].split('value="')[1].split('"')[0]
    assert secret.startswith("pch_") and client.get("/api/v1/me", headers=bearer(secret)).status_code == 200
    assert token.label == "สคริปต์ส่งออก" and token.expires_at is not None

    again = client.get("/profile").get_data(as_text=True)
    assert "สคริปต์ส่งออก" in again and secret not in again  # listed, not shown again
    response = client.post(f"/profile/tokens/{token.id}/revoke", data={"csrf_token": csrf_from(again)})
    assert response.status_code == 302
    assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 401
    listed = client.get("/profile").get_data(as_text=True).split('id="api-tokens"')[1]
    assert "สคริปต์ส่งออก" not in listed and "ยังไม่มีโทเคน" in listed


def test_profile_refuses_a_token_without_a_name(client, make_user, login):
    login(make_user("member"))
    page = client.get("/profile").get_data(as_text=True)
    response = client.post("/profile/tokens", data={"csrf_token": csrf_from(page), "token-name": "", "token-days": ""})
    assert response.status_code == 422 and "กรุณาตั้งชื่อโทเคน" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(ApiToken)) == 0


def test_profile_cannot_revoke_someone_elses_token(client, make_user, login):
    owner = make_user("member")
    token = services.create_token(owner, "ของคนอื่น")[0]
    db.session.commit()
    login(make_user("member"))
    page = client.get("/profile").get_data(as_text=True)
    assert client.post(f"/profile/tokens/{token.id}/revoke", data={"csrf_token": csrf_from(page)}).status_code == 404
    assert client.post(f"/profile/tokens/{token.id}/revoke").status_code == 400  # no CSRF token
    db.session.expire_all()
    assert token.revoked_at is None


# --- admin ---------------------------------------------------------------------------------------------

def test_an_admin_revokes_another_users_token(client, make_user, login):
    owner = make_user("reporter")
    token, secret = services.create_token(owner, "ระบบรายงานของหน่วย")
    db.session.commit()
    login(make_user("admin"))
    page = client.get(f"/admin/users/{owner.id}").get_data(as_text=True)
    assert "ระบบรายงานของหน่วย" in page
    response = client.post(f"/admin/users/{owner.id}/tokens/{token.id}/revoke", data={"csrf_token": csrf_from(page)})
    assert response.status_code == 302
    assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 401
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "token.revoke"))
    assert event.object_id == owner.id and event.user.role == "admin"


def test_only_admins_revoke_other_users_tokens(client, make_user, login):
    owner = make_user("member")
    token = services.create_token(owner, "ของเจ้าของ")[0]
    db.session.commit()
    login(make_user("secretariat"))
    page = client.get("/profile").get_data(as_text=True)
    response = client.post(f"/admin/users/{owner.id}/tokens/{token.id}/revoke", data={"csrf_token": csrf_from(page)})
    assert response.status_code == 404
    db.session.expire_all()
    assert token.revoked_at is None


def test_the_admin_url_must_name_the_tokens_owner(client, make_user, login):
    owner, someone = make_user("member"), make_user("member")
    token = services.create_token(owner, "ของเจ้าของ")[0]
    db.session.commit()
    login(make_user("admin"))
    page = client.get(f"/admin/users/{someone.id}").get_data(as_text=True)
    response = client.post(f"/admin/users/{someone.id}/tokens/{token.id}/revoke", data={"csrf_token": csrf_from(page)})
    assert response.status_code == 404


# --- CLI -----------------------------------------------------------------------------------------------

def test_cli_token_with_name_and_days_prints_the_token_last(runner, client, make_user):
    user = make_user("member", email="bot@psdg.local")
    result = runner.invoke(args=["users", "token", "bot@psdg.local", "--name", "nightly", "--days", "7"])
    assert result.exit_code == 0, result.output
    secret = result.output.strip().splitlines()[-1]
    assert client.get("/api/v1/me", headers=bearer(secret)).get_json()["id"] == user.id
    token = db.session.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    assert token.label == "nightly" and timedelta(days=6, hours=23) < token.expires_at - utcnow() <= timedelta(days=7)
    assert count_events("token.issue") == 1


def test_cli_revoke_token_by_name_and_all(runner, client, make_user):
    user = make_user("member", email="bot@psdg.go.th")
    nightly = services.issue_token(user, "nightly")
    other = services.issue_token(user, "other")
    third = services.issue_token(user, "third")
    db.session.commit()
    result = runner.invoke(args=["users", "revoke-token", "bot@psdg.go.th", "--name", "nightly"])
    assert result.exit_code == 0 and "revoked 1" in result.output
    assert client.get("/api/v1/me", headers=bearer(nightly)).status_code == 401
    assert client.get("/api/v1/me", headers=bearer(other)).status_code == 200
    result = runner.invoke(args=["users", "revoke-token", "bot@psdg.go.th", "--all"])
    assert result.exit_code == 0 and "revoked 2" in result.output
    for secret in (other, third):
        assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 401
    assert count_events("token.revoke") == 3


@pytest.mark.parametrize("args,needle", [
    (["bot@psdg.go.th"], "exactly one"),
    (["bot@psdg.go.th", "--name", "x", "--all"], "exactly one"),
    (["bot@psdg.go.th", "--name", "missing"], "no active token"),
    (["ghost@psdg.go.th", "--all"], "no user"),
])
def test_cli_revoke_token_errors(runner, make_user, args, needle):
    make_user("member", email="bot@psdg.go.th")
    result = runner.invoke(args=["users", "revoke-token", *args])
    assert result.exit_code != 0 and needle in result.output
