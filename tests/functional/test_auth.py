"""Signing in and out, inactive users, CSRF, open redirects, and the login wall."""
from __future__ import annotations

import pytest

from app.audit.models import AuditEvent
from app.extensions import db
from tests.conftest import PASSWORD, csrf_from


def post_login(client, email: str, password: str, next_url: str | None = None):
    page = client.get("/login")
    url = "/login" + (f"?next={next_url}" if next_url else "")
    return client.post(url, data={"email": email, "password": password,
                                  "csrf_token": csrf_from(page.get_data(as_text=True))})


def test_login_page_is_thai_by_default_and_english_on_request(client):
    thai = client.get("/login").get_data(as_text=True)
    assert "เข้าสู่ระบบ" in thai and 'lang="th"' in thai
    english = client.get("/login?lang=en").get_data(as_text=True)
    assert "Sign in" in english and 'lang="en"' in english


def test_browser_language_chooses_english(client):
    page = client.get("/login", headers={"Accept-Language": "en-US,en;q=0.9"}).get_data(as_text=True)
    assert 'lang="en"' in page


def test_login_with_right_password_reaches_home(client, make_user):
    user = make_user("secretariat")
    response = post_login(client, user.email.upper(), PASSWORD)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200 and user.name in home.get_data(as_text=True)
    assert db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "user.login")) is not None


def test_wrong_password_is_refused_with_message_by_the_field(client, make_user):
    user = make_user("member")
    response = post_login(client, user.email, "wrong-password")
    assert response.status_code == 200
    assert "อีเมลหรือรหัสผ่านไม่ถูกต้อง" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_unknown_email_gets_the_same_message(client):
    response = post_login(client, "nobody@example.go.th", "whatever-123")
    assert "อีเมลหรือรหัสผ่านไม่ถูกต้อง" in response.get_data(as_text=True)


def test_inactive_user_cannot_log_in(client, make_user):
    user = make_user("member", active=False)
    response = post_login(client, user.email, PASSWORD)
    assert response.status_code == 200
    assert client.get("/").status_code == 302


def test_deactivated_user_loses_their_session(client, make_user, login):
    user = make_user("member")
    login(user)
    assert client.get("/").status_code == 200
    user.is_active_user = False
    db.session.commit()
    assert client.get("/").status_code == 302


def test_login_without_csrf_token_is_refused(client, make_user):
    user = make_user("member")
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/").status_code == 302


def test_logout_ends_the_session(client, make_user, login):
    login(make_user("viewer"))
    page = client.get("/profile").get_data(as_text=True)
    response = client.post("/logout", data={"csrf_token": csrf_from(page)})
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert client.get("/").status_code == 302


def test_logout_by_post_needs_csrf(client, make_user, login):
    login(make_user("viewer"))
    assert client.post("/logout").status_code == 400
    assert client.get("/").status_code == 200


@pytest.mark.parametrize("target", ["/profile", "/admin/users", "/?x=1"])
def test_next_redirect_to_this_site_is_followed(client, make_user, target):
    user = make_user("admin")
    response = post_login(client, user.email, PASSWORD, next_url=target)
    assert response.headers["Location"] == target


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)",
                                    "http:/evil.example"])
def test_next_redirect_off_site_is_refused(client, make_user, target):
    user = make_user("admin")
    response = post_login(client, user.email, PASSWORD, next_url=target)
    assert response.status_code == 302 and response.headers["Location"] == "/"


@pytest.mark.parametrize("url", ["/", "/profile", "/admin/users", "/admin/units", "/admin/audit"])
def test_pages_require_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_password_change_on_profile(client, make_user, login):
    user = make_user("member")
    login(user)
    page = client.get("/profile").get_data(as_text=True)
    response = client.post("/profile", data={
        "csrf_token": csrf_from(page), "pw-current_password": PASSWORD, "pw-new_password": "a-new-password-1",
        "pw-confirm": "a-new-password-1", "pw-submit": "1"})
    assert response.status_code == 302
    db.session.expire_all()
    assert user.check_password("a-new-password-1") and not user.check_password(PASSWORD)


def test_password_change_with_wrong_current_password_changes_nothing(client, make_user, login):
    user = make_user("member")
    login(user)
    page = client.get("/profile").get_data(as_text=True)
    response = client.post("/profile", data={
        "csrf_token": csrf_from(page), "pw-current_password": "not-it-at-all", "pw-new_password": "a-new-password-1",
        "pw-confirm": "a-new-password-1", "pw-submit": "1"})
    assert response.status_code == 200 and "รหัสผ่านปัจจุบันไม่ถูกต้อง" in response.get_data(as_text=True)
    db.session.expire_all()
    assert user.check_password(PASSWORD)


def test_language_preference_is_kept(client, make_user, login):
    user = make_user("member")
    login(user)
    page = client.get("/profile").get_data(as_text=True)
    client.post("/profile", data={"csrf_token": csrf_from(page), "lang-locale": "en", "lang-submit_language": "1"})
    db.session.expire_all()
    assert user.locale == "en"
    assert 'lang="en"' in client.get("/").get_data(as_text=True)
