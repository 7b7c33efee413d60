"""Administration through the web forms: users, units and the audit log, for admins only, with CSRF."""
from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest
from sqlalchemy import event, func, select

from app.audit.models import AuditEvent
from app.auth.models import User
from app.bodies.models import Unit
from app.extensions import db
from tests.conftest import PASSWORD, csrf_from

REFUSED_ROLES = ("secretariat", "reporter", "member", "viewer")
PAGES = (
    "/admin/users", "/admin/users/new", "/admin/users/{user}", "/admin/units", "/admin/units/new",
    "/admin/units/{unit}", "/admin/audit",
)
FORMS = (  # (form action, one field it needs) of every POST of the area
    ("/admin/users/new", {"email": "x@example.go.th", "name": "x", "role": "member", "unit": "", "password": "x" * 10}),
    ("/admin/users/{user}", {"name": "เปลี่ยนชื่อ", "role": "admin", "unit": "", "active": "y"}),
    ("/admin/users/{user}/password", {"pw-password": "new-password-1", "pw-confirm": "new-password-1"}),
    ("/admin/units/new", {"code": "NEW", "name": "หน่วยงานใหม่", "active": "y"}),
    ("/admin/units/{unit}", {"code": "ICT", "name": "เปลี่ยนชื่อ", "active": "y"}),
)


@pytest.fixture
def admin(make_user):
    return make_user("admin", email="admin@example.go.th", name="ผู้ดูแล ระบบ")


@pytest.fixture
def ids(make_unit, make_user):
    """A unit (ICT) and a member to address in URLs."""
    unit = make_unit("ICT")
    user = make_user("member", email="target@example.go.th", name="เป้าหมาย ทดสอบ")
    return {"user": user.id, "unit": unit.id}


def token_of(client, url: str) -> str:
    """The CSRF token of the form on a page."""
    page = client.get(url)
    assert page.status_code == 200
    return csrf_from(page.get_data(as_text=True))


def post_form(client, page: str, data: dict, action: str | None = None, token_field: str = "csrf_token"):
    """GET the page, then POST its form (to `action`, default the page itself) with the page's CSRF token."""
    return client.post(action or page, data={**data, token_field: token_of(client, page)})


FIELD_ERROR = (
    r'<(?:input|select)[^>]*\bid="{id}"[^>]*>'  # the field itself …
    r'(?:(?!<(?:input|select|button)\b).)*?'  # … then, before any other field …
    r'<div class="invalid-feedback[^"]*">\s*([^<]*?)\s*</div>'  # … its first error message
)


def field_error(html: str, field_id: str) -> str | None:
    """The error message shown by the field with this id, or None."""
    match = re.search(FIELD_ERROR.format(id=re.escape(field_id)), html, re.S)
    return match.group(1) if match else None


def count(model, *conditions) -> int:
    """How many rows of a model (matching the conditions) the database holds."""
    return db.session.scalar(select(func.count()).select_from(model).where(*conditions))


def count_users() -> int:
    return count(User)


def can_sign_in(app, email: str, password: str) -> bool:
    """Sign in with a fresh client through the real form; True when it is accepted."""
    c = app.test_client()
    response = c.post("/login", data={"email": email, "password": password, "csrf_token": token_of(c, "/login")})
    return response.status_code == 302


# --- who may reach the area ---------------------------------------------------------------------

@pytest.mark.parametrize("url", PAGES)
def test_admin_pages_answer_admin(url, admin, ids, login, client):
    login(admin)
    assert client.get(url.format(**ids)).status_code == 200


@pytest.mark.parametrize("role", REFUSED_ROLES)
@pytest.mark.parametrize("url", PAGES)
def test_admin_pages_refuse_other_roles(url, role, ids, make_user, login, client):
    login(make_user(role))
    assert client.get(url.format(**ids)).status_code == 403


@pytest.mark.parametrize("url", PAGES)
def test_admin_pages_demand_login(url, ids, client):
    response = client.get(url.format(**ids))
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


@pytest.mark.parametrize("role", REFUSED_ROLES)
@pytest.mark.parametrize(("action", "data"), FORMS)
def test_admin_forms_refuse_other_roles(action, data, role, ids, make_user, login, client):
    login(make_user(role))
    token = token_of(client, "/")  # any page of theirs carries the session's CSRF token
    before = (count(User), count(Unit), count(AuditEvent))
    response = client.post(action.format(**ids), data={**data, "csrf_token": token})
    assert response.status_code == 403
    db.session.expire_all()
    assert (count(User), count(Unit), count(AuditEvent)) == before
    assert db.session.get(User, ids["user"]).name == "เป้าหมาย ทดสอบ"
    assert db.session.get(Unit, ids["unit"]).name == "หน่วยงาน ICT"


def test_post_without_csrf_token_is_refused(admin, ids, login, client):
    login(admin)
    response = client.post("/admin/users/new", data=dict(FORMS[0][1]))
    assert response.status_code == 400
    response = client.post(f"/admin/users/{ids['user']}", data={"name": "ไม่ควรบันทึก", "role": "member", "unit": ""})
    assert response.status_code == 400
    db.session.expire_all()
    assert count_users() == 2
    assert db.session.get(User, ids["user"]).is_active_user


# --- users --------------------------------------------------------------------------------------

def test_user_list_filters_by_role_and_text(admin, make_user, login, client):
    make_user("viewer", email="auditor@example.go.th", name="สมหญิง ตรวจสอบ")
    make_user("member", email="somchai@example.go.th", name="สมชาย กรรมการ")
    login(admin)
    html = client.get("/admin/users").get_data(as_text=True)
    assert "สมหญิง ตรวจสอบ" in html and "สมชาย กรรมการ" in html and "ผู้บริหาร/ผู้ตรวจสอบ" in html
    html = client.get("/admin/users?role=viewer").get_data(as_text=True)
    assert "สมหญิง ตรวจสอบ" in html and "สมชาย กรรมการ" not in html
    html = client.get("/admin/users?q=SOMCHAI").get_data(as_text=True)
    assert "สมชาย กรรมการ" in html and "สมหญิง ตรวจสอบ" not in html


def test_create_user_through_the_form(app, admin, make_unit, login, client):
    make_unit("OBEC")
    login(admin)
    response = post_form(client, "/admin/users/new", {
        "email": " New.Reporter@Example.go.th ", "name": "นางสาวใหม่ รายงาน", "position": "นักวิเคราะห์นโยบายและแผน",
        "role": "reporter", "unit": "OBEC", "password": "first-password-1",
    })
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.email == "new.reporter@example.go.th"))
    assert user is not None
    assert response.headers["Location"] == f"/admin/users/{user.id}"
    assert (user.name, user.role, user.unit.code, user.position) == (
        "นางสาวใหม่ รายงาน", "reporter", "OBEC", "นักวิเคราะห์นโยบายและแผน")
    audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.create"))
    assert (audit.user_id, audit.object_type, audit.object_id) == (admin.id, "user", user.id)
    assert "เพิ่มผู้ใช้ นางสาวใหม่ รายงาน แล้ว" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert can_sign_in(app, "new.reporter@example.go.th", "first-password-1")


def test_duplicate_email_is_refused_by_the_field(admin, make_user, login, client):
    make_user("member", email="taken@example.go.th")
    login(admin)
    response = post_form(client, "/admin/users/new", {
        "email": "TAKEN@example.go.th", "name": "คนซ้ำ", "role": "member", "unit": "", "password": "long-enough-1",
    })
    assert response.status_code == 409
    assert field_error(response.get_data(as_text=True), "email") == "อีเมลนี้มีผู้ใช้แล้ว"
    assert count_users() == 2
    assert count(AuditEvent, AuditEvent.action == "user.create") == 0


def test_reporter_without_unit_is_refused(admin, ids, login, client):
    login(admin)
    response = post_form(client, "/admin/users/new", {
        "email": "nounit@example.go.th", "name": "ไม่มีหน่วยงาน", "role": "reporter", "unit": "",
        "password": "long-enough-1",
    })
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "unit") == "ผู้รายงานต้องสังกัดหน่วยงาน"
    assert count_users() == 2

    page = f"/admin/users/{ids['user']}"
    response = post_form(client, page, {"name": "ชื่อใหม่", "role": "reporter", "unit": "", "active": "y"})
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "unit") == "ผู้รายงานต้องสังกัดหน่วยงาน"
    db.session.expire_all()
    target = db.session.get(User, ids["user"])
    assert (target.role, target.name) == ("member", "เป้าหมาย ทดสอบ")  # nothing of the refused change saved


def test_short_password_is_refused_by_the_field(admin, login, client):
    login(admin)
    response = post_form(client, "/admin/users/new", {
        "email": "short@example.go.th", "name": "รหัสสั้น", "role": "member", "unit": "", "password": "short",
    })
    assert response.status_code == 422
    assert "อย่างน้อย 12" in field_error(response.get_data(as_text=True), "password")
    assert count_users() == 1


def test_edit_user_changes_role_unit_and_position(admin, ids, make_unit, login, client):
    make_unit("OBEC")
    login(admin)
    page = f"/admin/users/{ids['user']}"
    response = post_form(client, page, {
        "name": "ชื่อใหม่", "position": "ผู้อำนวยการ", "role": "reporter", "unit": "OBEC", "active": "y",
    })
    assert response.status_code == 302
    db.session.expire_all()
    target = db.session.get(User, ids["user"])
    assert (target.name, target.position, target.role, target.unit.code, target.is_active_user) == (
        "ชื่อใหม่", "ผู้อำนวยการ", "reporter", "OBEC", True)
    audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.update"))
    assert audit.object_id == target.id and audit.changes["role"] == ["member", "reporter"]


def test_deactivating_a_user_prevents_their_login(app, admin, ids, login, client):
    target_client = app.test_client()
    target = db.session.get(User, ids["user"])
    login(target, c=target_client)
    assert target_client.get("/").status_code == 200

    login(admin)
    page = f"/admin/users/{ids['user']}"
    response = post_form(client, page, {"name": target.name, "role": "member", "unit": ""})  # "active" unchecked
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, ids["user"]).is_active_user is False
    assert not can_sign_in(app, "target@example.go.th", PASSWORD)
    assert target_client.get("/").status_code == 302  # the open session ends too

    response = post_form(client, page, {"name": target.name, "role": "member", "unit": "", "active": "y"})
    assert response.status_code == 302
    assert can_sign_in(app, "target@example.go.th", PASSWORD)


def test_reset_password(app, admin, ids, login, client):
    login(admin)
    page = f"/admin/users/{ids['user']}"
    response = post_form(client, page, {"pw-password": "brand-new-pass-1", "pw-confirm": "brand-new-pass-1"},
                         action=f"{page}/password", token_field="pw-csrf_token")
    assert response.status_code == 302
    assert can_sign_in(app, "target@example.go.th", "brand-new-pass-1")
    assert not can_sign_in(app, "target@example.go.th", PASSWORD)
    audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.password_reset"))
    assert audit.object_id == ids["user"] and audit.user_id == admin.id
    assert "brand-new-pass-1" not in str(audit.summary) + str(audit.changes)


def test_reset_password_refuses_short_or_mismatched(app, admin, ids, login, client):
    login(admin)
    page = f"/admin/users/{ids['user']}"
    response = post_form(client, page, {"pw-password": "short", "pw-confirm": "short"},
                         action=f"{page}/password", token_field="pw-csrf_token")
    assert response.status_code == 422
    assert "อย่างน้อย 12" in field_error(response.get_data(as_text=True), "pw-password")
    response = post_form(client, page, {"pw-password": "long-enough-1", "pw-confirm": "long-enough-2"},
                         action=f"{page}/password", token_field="pw-csrf_token")
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "pw-confirm") == "รหัสผ่านทั้งสองช่องไม่ตรงกัน"
    assert can_sign_in(app, "target@example.go.th", PASSWORD)


def test_admin_cannot_deactivate_self_or_drop_own_admin_role(app, admin, login, client):
    login(admin)
    page = f"/admin/users/{admin.id}"
    response = post_form(client, page, {"name": admin.name, "role": "admin", "unit": ""})  # "active" unchecked
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "active") == "ไม่สามารถระงับบัญชีของตนเองได้"

    response = post_form(client, page, {"name": "ชื่อใหม่", "role": "secretariat", "unit": "", "active": "y"})
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "role") == "ไม่สามารถถอดบทบาทผู้ดูแลระบบของตนเองได้"

    db.session.expire_all()
    me = db.session.get(User, admin.id)
    assert (me.is_active_user, me.role, me.name) == (True, "admin", "ผู้ดูแล ระบบ")
    assert client.get("/admin/users").status_code == 200
    assert can_sign_in(app, admin.email, PASSWORD)


# --- units --------------------------------------------------------------------------------------

def test_unit_create_and_duplicate_code(admin, login, client):
    login(admin)
    response = post_form(client, "/admin/units/new", {"code": " obec ", "name": "สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน",
                                                     "short_name": "สพฐ.", "active": "y"})
    assert response.status_code == 302 and response.headers["Location"] == "/admin/units"
    unit = db.session.scalar(select(Unit))
    assert (unit.code, unit.short_name, unit.active) == ("OBEC", "สพฐ.", True)
    audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "unit.create"))
    assert (audit.object_id, audit.user_id) == (unit.id, admin.id)
    assert "สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน" in client.get("/admin/units").get_data(as_text=True)

    response = post_form(client, "/admin/units/new", {"code": "OBEC", "name": "ซ้ำ", "active": "y"})
    assert response.status_code == 409
    assert field_error(response.get_data(as_text=True), "code") == "รหัสหน่วยงานนี้มีอยู่แล้ว"
    assert count(Unit) == 1


def test_unit_edit_and_code_taken_by_another(admin, make_unit, login, client):
    ict, _ = make_unit("ICT"), make_unit("OBEC")
    login(admin)
    page = f"/admin/units/{ict.id}"
    response = post_form(client, page, {"code": "OBEC", "name": "ชื่อใหม่", "active": "y"})
    assert response.status_code == 409
    assert field_error(response.get_data(as_text=True), "code") == "รหัสหน่วยงานนี้มีอยู่แล้ว"
    response = post_form(client, page, {"code": "ICT", "name": "ศูนย์เทคโนโลยีสารสนเทศ"})  # deactivated
    assert response.status_code == 302
    db.session.expire_all()
    ict = db.session.get(Unit, ict.id)
    assert (ict.code, ict.name, ict.active) == ("ICT", "ศูนย์เทคโนโลยีสารสนเทศ", False)


# --- audit log ----------------------------------------------------------------------------------

def utc(*args) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


@pytest.fixture
def events(admin, make_user):
    """Audit events by two users, on two object types, around Bangkok midnight of 2 March 2024."""
    alice = make_user("secretariat", name="อลิซ เลขานุการ")
    bob = make_user("member", name="บ็อบ กรรมการ")
    rows = [
        ("EVT-LATE-1MAR", alice, "meeting", 7, utc(2024, 3, 1, 16, 59)),  # 1 Mar 23:59 Bangkok
        ("EVT-EARLY-2MAR", alice, "meeting", 8, utc(2024, 3, 1, 17, 0)),  # 2 Mar 00:00 Bangkok
        ("EVT-END-2MAR", bob, "minutes", 7, utc(2024, 3, 2, 16, 59, 59)),  # 2 Mar 23:59:59 Bangkok
        ("EVT-3MAR", bob, "minutes", 9, utc(2024, 3, 2, 17, 0)),  # 3 Mar 00:00 Bangkok
    ]
    for summary, user, object_type, object_id, at in rows:
        db.session.add(AuditEvent(at=at, user_id=user.id, action=f"{object_type}.update", object_type=object_type,
                                  object_id=object_id, summary=summary, changes={"title": ["เดิม", "ใหม่"]}))
    db.session.commit()
    return {"alice": alice.id, "bob": bob.id}


def shown(client, query: str = "") -> set[str]:
    """The summaries of the test events the audit log shows."""
    html = client.get(f"/admin/audit{query}").get_data(as_text=True)
    return set(re.findall(r"EVT-[A-Z0-9-]+", html))


def test_audit_log_lists_newest_first_with_changes(admin, events, login, client):
    login(admin)
    html = client.get("/admin/audit").get_data(as_text=True)
    order = [html.index(s) for s in ("EVT-3MAR", "EVT-END-2MAR", "EVT-EARLY-2MAR", "EVT-LATE-1MAR")]
    assert order == sorted(order)
    assert "เดิม → ใหม่" in html
    assert "2 มี.ค. 2567 00.00 น." in html  # Bangkok time, Buddhist year
    assert "อลิซ เลขานุการ" in html and "user.login" in html


def test_audit_log_filters_by_user(admin, events, login, client):
    login(admin)
    assert shown(client, f"?user_id={events['alice']}") == {"EVT-LATE-1MAR", "EVT-EARLY-2MAR"}
    assert shown(client, f"?user_id={events['bob']}") == {"EVT-END-2MAR", "EVT-3MAR"}


def test_audit_log_filters_by_object_type_and_id(admin, events, login, client):
    login(admin)
    assert shown(client, "?object_type=minutes") == {"EVT-END-2MAR", "EVT-3MAR"}
    assert shown(client, "?object_type=meeting&object_id=7") == {"EVT-LATE-1MAR"}
    assert shown(client, "?object_id=7") == {"EVT-LATE-1MAR", "EVT-END-2MAR"}
    html = client.get("/admin/audit").get_data(as_text=True)
    assert '<option value="minutes">' in html and '<option value="meeting">' in html


def test_audit_log_filters_by_bangkok_dates(admin, events, login, client):
    login(admin)
    assert shown(client, "?date_from=02/03/2567&date_to=02/03/2567") == {"EVT-EARLY-2MAR", "EVT-END-2MAR"}
    assert shown(client, "?date_to=01/03/2567") == {"EVT-LATE-1MAR"}
    assert shown(client, "?date_from=03/03/2567") == {"EVT-3MAR"}
    response = client.get("/admin/audit?date_from=03/03/2567&date_to=01/03/2567")
    assert response.status_code == 200
    assert field_error(response.get_data(as_text=True), "date_to") == "วันที่สิ้นสุดต้องไม่ก่อนวันที่เริ่มต้น"


def test_audit_log_pages_by_fifty(admin, login, client):
    for n in range(60):
        db.session.add(AuditEvent(at=utc(2024, 1, 1, 0, n), action="unit.update", object_type="unit",
                                  object_id=n, summary=f"EVT-P{n:02d}"))
    db.session.commit()
    login(admin)
    first, second = shown(client, "?object_type=unit"), shown(client, "?object_type=unit&page=2")
    assert len(first) == 50 and len(second) == 10
    assert "EVT-P59" in first and "EVT-P00" in second
    links = re.findall(r'href="([^"]*page=2[^"]*)"', client.get("/admin/audit?object_type=unit").get_data(as_text=True))
    assert links and all("object_type=unit" in link for link in links)  # the filter is kept across pages


def count_queries(client, url: str) -> int:
    statements = []

    def remember(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", remember)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", remember)
    return len(statements)


def test_audit_log_uses_a_fixed_number_of_queries(admin, make_user, login, client):
    login(admin)
    few = count_queries(client, "/admin/audit")
    for n in range(20):
        user = make_user("member")
        db.session.add(AuditEvent(user_id=user.id, action="user.update", object_type="user", object_id=user.id,
                                  summary=f"EVT-Q{n}"))
    db.session.commit()
    assert count_queries(client, "/admin/audit") == few
