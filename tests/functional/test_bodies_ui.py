"""The bodies pages: who may read and edit them, creating and editing bodies, seating and unseating members."""
from __future__ import annotations

from html.parser import HTMLParser

import pytest
from sqlalchemy import event, func, select

from app.audit.models import AuditEvent
from app.bodies.models import Body, Membership
from app.extensions import db
from tests.conftest import csrf_from

ROLES = ("admin", "secretariat", "reporter", "member", "viewer")
STAFF = ("admin", "secretariat")


@pytest.fixture
def committee(make_body):
    return make_body("คณะกรรมการนโยบายการกำกับองค์การที่ดี", kind="committee")


@pytest.fixture
def working_group(make_body, committee):
    return make_body("คณะทำงานติดตามผลการดำเนินงาน", kind="working_group", numbering="fiscal", parent=committee)


@pytest.fixture
def signed_in(app, make_user, login):
    """signed_in(role or user) -> a test client of its own, signed in as a new user of that role (or that user)."""

    def sign_in(who):
        user = make_user(who) if isinstance(who, str) else who
        return login(user, c=app.test_client())

    return sign_in


def token(client, url: str = "/bodies") -> str:
    return csrf_from(client.get(url).get_data(as_text=True))


def body_form(client, **values) -> dict:
    data = {"name": "คณะทำงานใหม่", "short_name": "", "kind": "working_group", "parent_id": "",
            "numbering": "calendar", "description": "", "csrf_token": token(client)}
    data.update(values)
    return data


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


class ListNesting(HTMLParser):
    """For each <li id="body-N">, the id of the body <li> it sits in (None at the top)."""

    def __init__(self):
        super().__init__()
        self.stack: list[int | None] = []
        self.parent_of: dict[int, int | None] = {}

    def handle_starttag(self, tag, attrs):
        if tag != "li":
            return
        li_id = dict(attrs).get("id") or ""
        body_id = int(li_id[5:]) if li_id.startswith("body-") else None
        if body_id is not None:
            enclosing = [b for b in self.stack if b is not None]
            self.parent_of[body_id] = enclosing[-1] if enclosing else None
        self.stack.append(body_id)

    def handle_endtag(self, tag):
        if tag == "li":
            self.stack.pop()


def tree_of(html: str) -> dict[int, int | None]:
    parser = ListNesting()
    parser.feed(html)
    return parser.parent_of


# --- who may see what ---------------------------------------------------------------------------

@pytest.mark.parametrize("role", ROLES)
def test_every_role_sees_the_list(signed_in, role):
    assert signed_in(role).get("/bodies").status_code == 200


@pytest.mark.parametrize("url", ["/bodies", "/bodies/new", "/bodies/{id}", "/bodies/{id}/edit"])
def test_pages_require_login(client, committee, url):
    response = client.get(url.format(id=committee.id))
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


@pytest.mark.parametrize("role, seated, expected", [
    ("admin", False, 200), ("secretariat", False, 200), ("viewer", False, 200),
    ("member", True, 200), ("member", False, 404), ("reporter", True, 200), ("reporter", False, 404),
])
def test_body_page_by_role_and_seat(signed_in, make_user, add_member, committee, role, seated, expected):
    user = make_user(role)
    if seated:
        add_member(committee, user)
    assert signed_in(user).get(f"/bodies/{committee.id}").status_code == expected


def test_member_of_a_committee_reads_its_working_groups_but_not_the_reverse(signed_in, make_user, add_member,
                                                                          committee, working_group):
    chair, wg_member = make_user("member"), make_user("member")
    add_member(committee, chair, "chair")
    add_member(working_group, wg_member)
    assert signed_in(chair).get(f"/bodies/{working_group.id}").status_code == 200
    client = signed_in(wg_member)
    assert client.get(f"/bodies/{working_group.id}").status_code == 200
    assert client.get(f"/bodies/{committee.id}").status_code == 404  # its existence does not leak


def test_unknown_body_is_404(signed_in):
    client = signed_in("secretariat")
    assert client.get("/bodies/999").status_code == 404
    assert client.get("/bodies/999/edit").status_code == 404


@pytest.mark.parametrize("role, expected, edit_expected", [
    ("admin", 200, 200), ("secretariat", 200, 200), ("reporter", 403, 404), ("member", 403, 404),
    ("viewer", 403, 403)])
def test_only_staff_open_the_body_forms(signed_in, committee, role, expected, edit_expected):
    """Creating is refused (403); editing a body one cannot even read answers 404, one read-only 403."""
    client = signed_in(role)
    assert client.get("/bodies/new").status_code == expected
    assert client.get(f"/bodies/{committee.id}/edit").status_code == edit_expected


def test_member_sees_only_their_bodies_and_no_staff_controls(signed_in, make_user, add_member, make_body,
                                                             committee, working_group):
    other = make_body("คณะกรรมการอื่น", kind="committee")
    user = make_user("member")
    add_member(working_group, user)
    client = signed_in(user)
    page = client.get("/bodies").get_data(as_text=True)
    assert tree_of(page) == {working_group.id: None}
    assert committee.name not in page and other.name not in page
    assert "/bodies/new" not in page and "/edit" not in page
    detail = client.get(f"/bodies/{working_group.id}").get_data(as_text=True)
    assert "/members" not in detail and "/edit" not in detail
    assert committee.name in detail  # the parent is named, but not linked
    assert f'href="/bodies/{committee.id}"' not in detail


def test_staff_see_the_tree_with_edit_links(signed_in, committee, working_group):
    page = signed_in("secretariat").get("/bodies").get_data(as_text=True)
    assert tree_of(page) == {committee.id: None, working_group.id: committee.id}
    assert 'href="/bodies/new"' in page
    assert f'href="/bodies/{committee.id}/edit"' in page and f'href="/bodies/{working_group.id}/edit"' in page
    assert "ปีงบประมาณ" in page and "ปีปฏิทิน" in page


def test_list_shows_member_counts(signed_in, make_user, add_member, committee, working_group):
    for _ in range(3):
        add_member(committee, make_user("member"))
    page = signed_in("viewer").get("/bodies").get_data(as_text=True)
    committee_item = page[page.index(f'id="body-{committee.id}"'):page.index(f'id="body-{working_group.id}"')]
    assert "สมาชิก 3 คน" in committee_item
    assert "สมาชิก 0 คน" in page[page.index(f'id="body-{working_group.id}"'):]


def test_list_costs_the_same_queries_for_few_or_many_bodies(app, signed_in, make_user, make_body, add_member):
    client = signed_in("secretariat")
    client.get("/bodies")  # warm up: the session user, the CSRF token

    def queries() -> int:
        statements = []

        def count_select(conn, cursor, statement, *args):
            if statement.lstrip().upper().startswith("SELECT"):
                statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", count_select)
        try:
            assert client.get("/bodies").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", count_select)
        return len(statements)

    first = make_body("คณะที่ 1", kind="committee")
    add_member(first, make_user("member"))
    few = queries()
    for n in range(2, 7):
        body = make_body(f"คณะที่ {n}", parent=first)
        add_member(body, make_user("member"))
    assert queries() == few


def test_body_page_lists_members_by_position_with_their_unit(signed_in, make_user, make_unit, add_member, committee):
    unit = make_unit("PSDG", "กลุ่มพัฒนาระบบบริหาร")
    secretary = make_user("member", name="นางสาวเลขา ทดสอบ", unit=unit)
    secretary.position = "ผู้อำนวยการกลุ่มพัฒนาระบบบริหาร"
    db.session.commit()
    chair = make_user("member", name="นายประธาน ทดสอบ")
    add_member(committee, secretary, "secretary")
    add_member(committee, chair, "chair")
    page = signed_in(chair).get(f"/bodies/{committee.id}").get_data(as_text=True)
    page = page[page.index('id="members"'):]
    assert page.index("นายประธาน ทดสอบ") < page.index("นางสาวเลขา ทดสอบ")
    assert "ประธาน" in page and "กรรมการและเลขานุการ" in page
    assert "ผู้อำนวยการกลุ่มพัฒนาระบบบริหาร" in page and "กลุ่มพัฒนาระบบบริหาร" in page


# --- creating and editing bodies ----------------------------------------------------------------

def test_staff_create_a_working_group_under_a_committee(signed_in, committee):
    client = signed_in("secretariat")
    response = client.post("/bodies/new", data=body_form(
        client, name="  คณะทำงานจัดทำรายงาน  ", short_name="คท.รายงาน", parent_id=str(committee.id),
        numbering="fiscal", description="ติดตามผลตามข้อเสนอการเปลี่ยนแปลง"))
    assert response.status_code == 302
    created = db.session.scalar(select(Body).where(Body.name == "คณะทำงานจัดทำรายงาน"))
    assert created is not None and response.headers["Location"] == f"/bodies/{created.id}"
    assert (created.parent_id, created.kind, created.numbering, created.short_name) == (
        committee.id, "working_group", "fiscal", "คท.รายงาน")
    audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "body.create"))
    assert audit is not None and audit.object_id == created.id and audit.user_id is not None
    assert "บันทึก คณะทำงานจัดทำรายงาน แล้ว" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_empty_name_is_refused_by_the_field_and_nothing_is_saved(signed_in, committee):
    client = signed_in("admin")
    before = count(Body)
    response = client.post("/bodies/new", data=body_form(client, name="   ", parent_id=str(committee.id)))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    name_input = page.index('name="name"')
    message = page.index("กรุณาระบุชื่อ")
    assert name_input < message < page.index('name="short_name"')  # under the name field
    assert count(Body) == before
    assert db.session.scalar(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "body.create")) == 0


def test_parent_cycle_is_refused(signed_in, committee, working_group):
    client = signed_in("secretariat")
    response = client.post(f"/bodies/{committee.id}/edit", data=body_form(
        client, name=committee.name, kind="committee", parent_id=str(working_group.id)))
    assert response.status_code == 422
    assert "คณะต้นสังกัดซ้อนวนกลับมาที่ตัวเอง" in response.get_data(as_text=True)
    db.session.expire_all()
    assert committee.parent_id is None and working_group.parent_id == committee.id


def test_a_body_is_not_offered_as_its_own_parent(signed_in, committee, working_group):
    page = signed_in("secretariat").get(f"/bodies/{committee.id}/edit").get_data(as_text=True)
    assert f'<option value="{working_group.id}"' in page
    assert f'<option value="{committee.id}"' not in page


def test_staff_edit_a_body(signed_in, committee, working_group):
    client = signed_in("secretariat")
    response = client.post(f"/bodies/{working_group.id}/edit", data=body_form(
        client, name="คณะทำงานชื่อใหม่", parent_id="", numbering="calendar"))
    assert response.status_code == 302
    db.session.expire_all()
    assert (working_group.name, working_group.parent_id, working_group.numbering) == (
        "คณะทำงานชื่อใหม่", None, "calendar")
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "body.update")) is not None


@pytest.mark.parametrize("role", ["reporter", "member", "viewer"])
def test_others_may_not_save_bodies(signed_in, committee, role):
    client = signed_in(role)
    assert client.post("/bodies/new", data=body_form(client, name="คณะแอบสร้าง")).status_code == 403
    response = client.post(f"/bodies/{committee.id}/edit", data=body_form(client, name="ชื่อแอบแก้"))
    assert response.status_code == (403 if role == "viewer" else 404)  # viewers read the body; others do not
    db.session.expire_all()
    assert count(Body) == 1 and committee.name != "ชื่อแอบแก้"


# --- members ------------------------------------------------------------------------------------

def test_staff_add_change_and_remove_a_member(signed_in, make_user, committee):
    person = make_user("member", name="นายสมาชิก ใหม่")
    inactive = make_user("member", name="นายระงับ แล้ว", active=False)
    client = signed_in("secretariat")
    page = client.get(f"/bodies/{committee.id}").get_data(as_text=True)
    assert "นายสมาชิก ใหม่" in page and "นายระงับ แล้ว" not in page  # only active users are offered

    response = client.post(f"/bodies/{committee.id}/members", data={
        "user_id": str(person.id), "role": "vice_chair", "csrf_token": csrf_from(page)})
    assert response.status_code == 302
    membership = db.session.scalar(select(Membership).where(Membership.user_id == person.id))
    assert membership is not None and membership.role == "vice_chair"
    page = client.get(f"/bodies/{committee.id}").get_data(as_text=True)
    assert "เพิ่ม นายสมาชิก ใหม่ เป็นรองประธานแล้ว" in page
    assert f'<option value="{person.id}"' not in page  # no longer offered

    response = client.post(f"/bodies/{committee.id}/members/{membership.id}", data={
        "role": "secretary", "csrf_token": csrf_from(page)})
    assert response.status_code == 302
    db.session.expire_all()
    assert membership.role == "secretary"
    assert "เป็นกรรมการและเลขานุการแล้ว" in client.get(f"/bodies/{committee.id}").get_data(as_text=True)

    response = client.post(f"/bodies/{committee.id}/members/{membership.id}/remove",
                           data={"csrf_token": csrf_from(page)})
    assert response.status_code == 302
    db.session.expire_all()
    assert count(Membership) == 0
    assert "นำ นายสมาชิก ใหม่ ออกจากคณะแล้ว" in client.get(f"/bodies/{committee.id}").get_data(as_text=True)
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"membership.create", "membership.update", "membership.delete"} <= actions

    response = client.post(f"/bodies/{committee.id}/members", data={
        "user_id": str(inactive.id), "role": "member", "csrf_token": csrf_from(page)})
    assert response.status_code == 302 and count(Membership) == 0


def test_adding_the_same_user_twice_is_refused(signed_in, make_user, add_member, committee):
    person = make_user("member")
    add_member(committee, person, "member")
    client = signed_in("admin")
    response = client.post(f"/bodies/{committee.id}/members", data={
        "user_id": str(person.id), "role": "chair", "csrf_token": token(client)}, follow_redirects=True)
    assert "ผู้ใช้นี้เป็นสมาชิกของคณะอยู่แล้ว" in response.get_data(as_text=True)
    db.session.expire_all()
    seats = db.session.scalars(select(Membership)).all()
    assert [(s.user_id, s.role) for s in seats] == [(person.id, "member")]


def test_membership_of_another_body_is_404(signed_in, make_user, add_member, committee, working_group):
    seat = add_member(working_group, make_user("member"))
    client = signed_in("secretariat")
    csrf = token(client)
    assert client.post(f"/bodies/{committee.id}/members/{seat.id}",
                       data={"role": "chair", "csrf_token": csrf}).status_code == 404
    assert client.post(f"/bodies/{committee.id}/members/{seat.id}/remove",
                       data={"csrf_token": csrf}).status_code == 404
    db.session.expire_all()
    assert count(Membership) == 1 and seat.role == "member"


@pytest.mark.parametrize("role", ["member", "viewer", "reporter"])
def test_others_may_not_change_members(signed_in, make_user, add_member, committee, role):
    user = make_user(role)
    own_seat = add_member(committee, user, "member")
    outsider = make_user("member")
    client = signed_in(user)
    csrf = token(client)
    assert client.post(f"/bodies/{committee.id}/members", data={
        "user_id": str(outsider.id), "role": "member", "csrf_token": csrf}).status_code == 403
    assert client.post(f"/bodies/{committee.id}/members/{own_seat.id}",
                       data={"role": "chair", "csrf_token": csrf}).status_code == 403
    assert client.post(f"/bodies/{committee.id}/members/{own_seat.id}/remove",
                       data={"csrf_token": csrf}).status_code == 403
    db.session.expire_all()
    assert [(s.user_id, s.role) for s in db.session.scalars(select(Membership))] == [(user.id, "member")]


@pytest.mark.parametrize("url, data", [
    ("/bodies/new", {"name": "คณะไม่มี CSRF", "kind": "committee", "numbering": "calendar", "parent_id": ""}),
    ("/bodies/{id}/members", {"user_id": "{user}", "role": "member"}),
    ("/bodies/{id}/members/{seat}", {"role": "chair"}),
    ("/bodies/{id}/members/{seat}/remove", {}),
])
def test_posts_without_csrf_are_refused(signed_in, make_user, add_member, committee, url, data):
    seat = add_member(committee, make_user("member"), "member")
    newcomer = make_user("member")
    client = signed_in("secretariat")
    data = {key: value.format(user=newcomer.id) for key, value in data.items()}
    response = client.post(url.format(id=committee.id, seat=seat.id), data=data)
    assert response.status_code == 400
    db.session.expire_all()
    assert count(Body) == 1
    assert [(s.user_id, s.role) for s in db.session.scalars(select(Membership))] == [(seat.user_id, "member")]
