"""Sessions and sign-in (ASVS level 2): server-side sign-ins that logout and password changes end, the
remember-me cookie, throttling of failed sign-ins, and which e-mail addresses accounts may have."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.auth.models import LoginSession, User
from app.dbtypes import utcnow
from app.extensions import db
from tests.conftest import PASSWORD, csrf_from

REMEMBER = "remember_token"
SESSION = "session"


def sign_in(client, email: str, password: str = PASSWORD, *, remember: bool = False, address: str = "127.0.0.1"):
    """POST the login form (with its CSRF token) from `address`; the response."""
    environ = {"REMOTE_ADDR": address}
    page = client.get("/login", environ_base=environ)
    data = {"email": email, "password": password, "csrf_token": csrf_from(page.get_data(as_text=True))}
    if remember:
        data["remember"] = "y"
    return client.post("/login", data=data, environ_base=environ)


def sign_out(client):
    page = client.get("/profile").get_data(as_text=True)
    return client.post("/logout", data={"csrf_token": csrf_from(page)})


def cookie(client, name: str) -> str | None:
    found = client.get_cookie(name)
    return found.value if found else None


def browser_with(app, **cookies):
    """A fresh client holding only the given (copied) cookies."""
    other = app.test_client()
    for name, value in cookies.items():
        other.set_cookie(name, value)
    return other


def signed_in(client) -> bool:
    return client.get("/").status_code == 200


def count_events(action: str) -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action))


def set_cookie_headers(response, name: str) -> list[str]:
    return [h for h in response.headers.getlist("Set-Cookie") if h.startswith(f"{name}=")]


# --- logout and copied cookies ----------------------------------------------------------------------

def test_a_session_copied_before_logout_no_longer_works(app, client, make_user):
    user = make_user("member")
    assert sign_in(client, user.email).status_code == 302
    copy = browser_with(app, **{SESSION: cookie(client, SESSION)})
    assert signed_in(copy)  # the copy works while the sign-in lasts …
    assert sign_out(client).status_code == 302
    assert not signed_in(client)
    assert not signed_in(copy)  # … and no longer once it was signed out
    assert count_events("user.logout") == 1


def test_logout_deletes_the_remember_cookie_and_a_copy_of_it_no_longer_signs_in(app, client, make_user):
    user = make_user("member")
    sign_in(client, user.email, remember=True)
    remembered = cookie(client, REMEMBER)
    assert remembered
    assert signed_in(browser_with(app, **{REMEMBER: remembered}))  # the remember cookie alone signs in
    response = sign_out(client)
    deleted = set_cookie_headers(response, REMEMBER)
    assert deleted and "Expires=Thu, 01 Jan 1970" in deleted[0]
    assert cookie(client, REMEMBER) is None
    assert not signed_in(browser_with(app, **{REMEMBER: remembered}))


def test_logging_out_one_browser_leaves_the_others_signed_in(app, make_user):
    user = make_user("member")
    first, second = app.test_client(), app.test_client()
    sign_in(first, user.email)
    sign_in(second, user.email)
    sign_out(first)
    assert not signed_in(first) and signed_in(second)


def test_the_remember_cookie_is_lax_lasts_30_days_and_is_new_at_each_sign_in(app, client, make_user):
    user = make_user("member")
    response = sign_in(client, user.email, remember=True)
    header = set_cookie_headers(response, REMEMBER)[0]
    assert "SameSite=Lax" in header and "HttpOnly" in header
    lifetime = client.get_cookie(REMEMBER).expires - utcnow()
    assert timedelta(days=29, hours=23) < lifetime <= timedelta(days=30)
    first = cookie(client, REMEMBER)
    sign_out(client)
    sign_in(client, user.email, remember=True)
    assert cookie(client, REMEMBER) != first
    login_session = db.session.scalar(select(LoginSession).where(LoginSession.ended_at.is_(None)))
    assert login_session.remember
    assert timedelta(days=29, hours=23) < login_session.expires_at - utcnow() <= timedelta(days=30)


def test_a_remembered_sign_in_ends_on_the_server_after_30_days(app, client, make_user):
    user = make_user("member")
    sign_in(client, user.email, remember=True)
    remembered = cookie(client, REMEMBER)
    db.session.execute(db.update(LoginSession).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert not signed_in(browser_with(app, **{REMEMBER: remembered}))
    assert not signed_in(client)


def test_a_sign_in_without_remember_me_ends_after_its_hours(app, client, make_user):
    user = make_user("member")
    sign_in(client, user.email)
    assert cookie(client, REMEMBER) is None
    login_session = db.session.scalar(select(LoginSession))
    assert login_session.expires_at - utcnow() <= app.config["SIGN_IN_LIFETIME"]
    login_session.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert not signed_in(client)


def test_the_cookie_holds_no_user_id_that_could_be_forged(app, client, make_user):
    """Flask-Login's id in the session is a random per-sign-in key, only whose hash the server keeps."""
    user = make_user("member")
    sign_in(client, user.email, remember=True)
    key_hash = db.session.scalar(select(LoginSession.key_hash))
    assert cookie(client, REMEMBER).split("|")[0] not in (str(user.id), key_hash)
    with client.session_transaction() as session:
        assert session["_user_id"] != str(user.id) and len(session["_user_id"]) >= 40


# --- password changes -----------------------------------------------------------------------------

def change_own_password(client, new_password: str):
    page = client.get("/profile").get_data(as_text=True)
    return client.post("/profile", data={
        "csrf_token": csrf_from(page), "pw-current_password": PASSWORD, "pw-new_password": new_password,
        "pw-confirm": new_password, "pw-submit": "1"})


def test_a_password_change_ends_every_other_sign_in_and_remember_cookie(app, client, make_user):
    user = make_user("member")
    sign_in(client, user.email, remember=True)
    other = app.test_client()
    sign_in(other, user.email, remember=True)
    copied_session = browser_with(app, **{SESSION: cookie(client, SESSION)})
    other_remembered = cookie(other, REMEMBER)
    old_remembered = cookie(client, REMEMBER)
    assert signed_in(copied_session)
    response = change_own_password(client, "a-whole-new-secret-1")
    assert response.status_code == 302
    assert signed_in(client)  # the browser that changed it stays signed in, under a new sign-in
    new_remembered = cookie(client, REMEMBER)
    assert new_remembered and new_remembered != old_remembered
    assert signed_in(browser_with(app, **{REMEMBER: new_remembered}))
    assert not signed_in(copied_session)
    assert not signed_in(other)
    for stale in (old_remembered, other_remembered):
        assert not signed_in(browser_with(app, **{REMEMBER: stale}))
    assert count_events("user.password_change") == 1


def test_an_admin_password_reset_ends_the_users_sign_ins(app, client, make_user):
    admin = make_user("admin")
    user = make_user("member")
    victim = app.test_client()
    sign_in(victim, user.email, remember=True)
    remembered = cookie(victim, REMEMBER)
    sign_in(client, admin.email)
    page = client.get(f"/admin/users/{user.id}").get_data(as_text=True)
    response = client.post(f"/admin/users/{user.id}/password", data={
        "pw-csrf_token": csrf_from(page), "pw-password": "reset-by-admin-1", "pw-confirm": "reset-by-admin-1"})
    assert response.status_code == 302
    assert not signed_in(victim)
    assert not signed_in(browser_with(app, **{REMEMBER: remembered}))
    assert signed_in(client)


@pytest.mark.parametrize("new_password,message", [
    ("short-pass", "อย่างน้อย 12"),
    ("Password1234!", "ใช้กันทั่วไป"),
    ("wanida-is-my-password", "ต้องไม่มีอีเมล"),
])
def test_weak_new_passwords_are_refused_on_the_profile(client, make_user, new_password, message):
    user = make_user("member", email="wanida.s@psdg.go.th")
    sign_in(client, user.email)
    response = change_own_password(client, new_password)
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    db.session.expire_all()
    assert user.check_password(PASSWORD)
    assert signed_in(client)


def test_a_password_with_the_users_name_is_refused_by_the_cli(app, make_user):
    result = app.test_cli_runner().invoke(args=[
        "users", "create", "--email", "nok@psdg.go.th", "--name", "นางสาวนกน้อย Chanida", "--role", "member",
        "--password", "chanida-2567-x"])
    assert result.exit_code != 0 and "ชื่อ" in result.output


# --- throttling failed sign-ins -------------------------------------------------------------------

def test_twenty_wrong_passwords_are_throttled_with_a_thai_message(app, client, make_user):
    user = make_user("member", email="target@psdg.go.th")
    for attempt in range(19):
        response = sign_in(client, "Target@psdg.go.th", f"wrong-password-{attempt}")
        assert response.status_code == 200, attempt
        assert "อีเมลหรือรหัสผ่านไม่ถูกต้อง" in response.get_data(as_text=True)
    response = sign_in(client, "Target@psdg.go.th", "wrong-password-20")
    assert response.status_code == 429
    html = response.get_data(as_text=True)
    assert "หลายครั้งเกินไป" in html and "กรุณาลองใหม่หลังเวลา" in html and " น." in html
    assert 'value="Target@psdg.go.th"' in html  # what was typed is kept
    assert 0 < int(response.headers["Retry-After"]) <= 15 * 60 + 1
    # locked: even the right password is refused now, without being checked
    response = sign_in(client, user.email, PASSWORD)
    assert response.status_code == 429 and not signed_in(client)
    assert count_events("user.login_failed") == 20
    assert count_events("user.login_throttled") == 2
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.login_failed"))
    assert event.object_type == "user" and event.object_id == user.id and "127.0.0.1" in event.summary


def test_a_right_password_after_a_few_wrong_ones_still_signs_in(client, make_user):
    user = make_user("member")
    for attempt in range(5):
        assert sign_in(client, user.email, f"wrong-{attempt}-password").status_code == 200
    assert sign_in(client, user.email).status_code == 302
    assert signed_in(client)


def test_attempts_on_one_account_from_other_addresses_are_counted(app, make_user):
    user = make_user("member")
    other_user = make_user("member")
    for attempt in range(20):
        response = sign_in(app.test_client(), user.email, "wrong-password-x", address=f"10.0.0.{attempt + 1}")
    assert response.status_code == 429
    assert sign_in(app.test_client(), user.email, address="10.0.9.9").status_code == 429
    assert sign_in(app.test_client(), other_user.email, address="10.0.9.9").status_code == 302


def test_failures_from_one_address_are_counted_across_accounts(app, make_user, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_FAILURES_PER_ADDRESS", "5 per 15 minutes")
    users = [make_user("member") for _ in range(6)]
    for user in users[:4]:
        assert sign_in(app.test_client(), user.email, "wrong-password-x", address="192.0.2.7").status_code == 200
    assert sign_in(app.test_client(), "nobody@psdg.go.th", "wrong-password-x", address="192.0.2.7").status_code == 429
    assert sign_in(app.test_client(), users[5].email, address="192.0.2.7").status_code == 429
    assert sign_in(app.test_client(), users[5].email, address="192.0.2.8").status_code == 302


def test_right_passwords_are_never_counted(app, make_user, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_FAILURES_PER_ACCOUNT", "3 per 15 minutes")
    monkeypatch.setitem(app.config, "LOGIN_FAILURES_PER_ADDRESS", "3 per 15 minutes")
    user = make_user("member")
    for _ in range(10):
        assert sign_in(app.test_client(), user.email).status_code == 302


def test_the_lock_opens_when_the_window_has_passed(app, client, make_user, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_FAILURES_PER_ACCOUNT", "2 per 1 second")
    user = make_user("member")
    sign_in(client, user.email, "wrong-password-1")
    assert sign_in(client, user.email, "wrong-password-2").status_code == 429
    import time

    time.sleep(1.1)
    assert sign_in(client, user.email).status_code == 302


# --- e-mail addresses: one rule for every path --------------------------------------------------------

def test_an_intranet_address_is_accepted_by_the_cli_and_signs_in(app, client):
    result = app.test_cli_runner().invoke(args=[
        "users", "create", "--email", "clerk@psdg.local", "--name", "นายเสมียน ทดสอบ", "--role", "member",
        "--password", "long-enough-1"])
    assert result.exit_code == 0, result.output
    assert sign_in(client, "clerk@psdg.local", "long-enough-1").status_code == 302
    assert signed_in(client)


def test_an_intranet_address_is_accepted_by_the_admin_form_and_signs_in(app, client, make_user):
    admin = make_user("admin")
    sign_in(client, admin.email)
    page = client.get("/admin/users/new").get_data(as_text=True)
    response = client.post("/admin/users/new", data={
        "csrf_token": csrf_from(page), "email": "Clerk@PSDG.local", "name": "นางเสมียน ทดสอบ", "role": "member",
        "unit": "", "password": "first-password-1"})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    assert db.session.scalar(select(User).where(User.email == "clerk@psdg.local")) is not None
    assert sign_in(app.test_client(), "clerk@psdg.local", "first-password-1").status_code == 302


@pytest.mark.parametrize("email", ["no-at-sign", "two@@psdg.local", "sp ace@psdg.local"])
def test_bad_addresses_are_refused_by_the_cli_and_the_admin_form(app, client, make_user, email):
    result = app.test_cli_runner().invoke(args=[
        "users", "create", "--email", email, "--name", "X", "--role", "member", "--password", "long-enough-1"])
    assert result.exit_code != 0 and "อีเมลไม่ถูกต้อง" in result.output
    sign_in(client, make_user("admin").email)
    page = client.get("/admin/users/new").get_data(as_text=True)
    response = client.post("/admin/users/new", data={
        "csrf_token": csrf_from(page), "email": email, "name": "X", "role": "member", "unit": "",
        "password": "first-password-1"})
    assert response.status_code == 422 and "อีเมลไม่ถูกต้อง" in response.get_data(as_text=True)


def test_the_login_form_has_no_syntax_rule_for_addresses(client, make_user):
    user = make_user("member", email="ops@intranet")
    assert sign_in(client, "ops@intranet").status_code == 302
    assert signed_in(client)
    assert user.id
