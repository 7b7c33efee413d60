"""The plan pages: who may read and change plans, themes, sub-items and rounds; bad input; the .xlsx round trip."""
from __future__ import annotations

import io
import re
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.bodies.models import Unit
from app.extensions import db
from app.reports.models import Plan, ReportingRound, SubItem, Theme
from app.reports.sheets import PLAN_HEADERS
from tests.conftest import csrf_from

ROLES = ("admin", "secretariat", "reporter", "member", "viewer")
STAFF = ("admin", "secretariat")
DEMO_TITLE = "ข้อเสนอการเปลี่ยนแปลงในระยะ 3 ปี (พ.ศ. 2562–2564) ตามแผนปฏิรูปองค์การ สำนักงานปลัดกระทรวงศึกษาธิการ"


@pytest.fixture
def signed_in(app, make_user, login):
    """signed_in(role or user) -> a test client of its own, signed in as a new user of that role (or that user)."""

    def sign_in(who):
        user = make_user(who) if isinstance(who, str) else who
        return login(user, c=app.test_client())

    return sign_in


@pytest.fixture
def units(make_unit):
    return {code: make_unit(code) for code in ("BPS", "ICT", "BLA")}


@pytest.fixture
def plan(make_body, units):
    """A small plan: theme 1 with sub-item 1.1 (BPS, ICT); no rounds."""
    body = make_body("คณะทำงานติดตามผลการดำเนินงาน", numbering="fiscal")
    plan = Plan(title="แผนทดสอบ", owner_body_id=body.id, start_year_be=2562, end_year_be=2564)
    theme = Theme(plan=plan, number=1, title="การปรับกระบวนการ ขั้นตอนการทำงาน", weight=Decimal(1))
    sub_item = SubItem(theme=theme, number=1, title="การลดขั้นตอนการให้บริการ", outputs="กระบวนงานที่ปรับลดขั้นตอน",
                       target="ลดลงร้อยละ 30", target_value=Decimal(30), target_unit="ร้อยละ", weight=Decimal(2),
                       units=[units["BPS"], units["ICT"]])
    db.session.add_all([plan, theme, sub_item])
    db.session.commit()
    return plan


@pytest.fixture
def round_9(plan):
    round_ = ReportingRound(plan_id=plan.id, fiscal_year_be=2563, months=9, period_start=date(2019, 10, 1),
                            period_end=date(2020, 6, 30), due_date=date(2020, 7, 15), status="open")
    db.session.add(round_)
    db.session.commit()
    return round_


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def token(client, url: str = "/plans") -> str:
    return csrf_from(client.get(url).get_data(as_text=True))


def changes_recorded() -> int:
    """Audit events other than sign-ins."""
    return db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action != "user.login"))


def audited(action: str) -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action))


def urls(plan: Plan, round_id: int | None = None) -> dict[str, str]:
    theme = plan.themes[0]
    return {
        "index": "/plans", "detail": f"/plans/{plan.id}", "export": f"/plans/{plan.id}/export.xlsx",
        "new": "/plans/new", "edit": f"/plans/{plan.id}/edit", "new_theme": f"/plans/{plan.id}/themes/new",
        "edit_theme": f"/themes/{theme.id}/edit", "new_sub_item": f"/themes/{theme.id}/sub-items/new",
        "edit_sub_item": f"/sub-items/{theme.sub_items[0].id}/edit", "import": "/plans/import",
    }


READ_PAGES = ("index", "detail", "export")
MANAGE_PAGES = ("new", "edit", "new_theme", "edit_theme", "new_sub_item", "edit_sub_item", "import")


# --- who may see what -------------------------------------------------------------------------

@pytest.mark.parametrize("page", READ_PAGES + MANAGE_PAGES)
def test_pages_require_login(client, plan, page):
    response = client.get(urls(plan)[page])
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


@pytest.mark.parametrize("role", ROLES)
def test_every_role_reads_plans_but_only_staff_manage_them(signed_in, plan, role):
    client = signed_in(role)
    pages = urls(plan)
    for page in READ_PAGES:
        assert client.get(pages[page]).status_code == 200, page
    for page in MANAGE_PAGES:
        assert client.get(pages[page]).status_code == (200 if role in STAFF else 403), page


@pytest.mark.parametrize("role", ("reporter", "member", "viewer"))
def test_non_staff_see_no_management_and_every_change_is_refused(signed_in, plan, round_9, role):
    client = signed_in(role)
    page = client.get(f"/plans/{plan.id}").get_data(as_text=True)
    assert "การลดขั้นตอนการให้บริการ" in page and "BPS" in page
    assert "/edit" not in page and "/delete" not in page and "/themes/new" not in page and "open-round" not in page
    listing = client.get("/plans").get_data(as_text=True)
    assert "/plans/new" not in listing and "/plans/import" not in listing
    csrf = token(client)
    theme, sub_item = plan.themes[0], plan.themes[0].sub_items[0]
    posts = {
        "/plans/new": {"title": "x", "start_year_be": "2563", "end_year_be": "2564",
                       "owner_body_id": str(plan.owner_body_id)},
        f"/plans/{plan.id}/edit": {"title": "x"},
        f"/plans/{plan.id}/delete": {},
        f"/plans/{plan.id}/themes/new": {"title": "x"},
        f"/themes/{theme.id}/edit": {"title": "x"},
        f"/themes/{theme.id}/delete": {},
        f"/themes/{theme.id}/sub-items/new": {"title": "x", "unit_ids": [str(plan.themes[0].sub_items[0].units[0].id)]},
        f"/sub-items/{sub_item.id}/edit": {"title": "x"},
        f"/sub-items/{sub_item.id}/delete": {},
        f"/plans/{plan.id}/rounds": {"round-fiscal_year_be": "2563", "round-months": "12",
                                     "round-due_date": "15/10/2563"},
        f"/plans/{plan.id}/rounds/{round_9.id}": {"status": "closed"},
        "/plans/import": {},
    }
    before = {model: count(model) for model in (Plan, Theme, SubItem, ReportingRound)}
    for url, data in posts.items():
        assert client.post(url, data={**data, "csrf_token": csrf}).status_code == 403, url
    assert {model: count(model) for model in before} == before and changes_recorded() == 0
    db.session.expire_all()
    assert db.session.get(Plan, plan.id).title == "แผนทดสอบ"
    assert db.session.get(ReportingRound, round_9.id).status == "open"


def test_navigation_shows_plans_to_staff_and_assessment_to_everyone(signed_in):
    staff = signed_in("secretariat").get("/").get_data(as_text=True)
    assert 'href="/plans"' in staff and 'href="/assessment"' in staff
    member = signed_in("member").get("/").get_data(as_text=True)
    assert 'href="/plans"' not in member and 'href="/assessment"' in member


def test_unknown_objects_are_404(signed_in):
    client = signed_in("secretariat")
    for url in ("/plans/999", "/plans/999/edit", "/plans/999/themes/new", "/themes/999/edit",
                "/themes/999/sub-items/new", "/sub-items/999/edit", "/plans/999/export.xlsx"):
        assert client.get(url).status_code == 404, url


def test_a_round_of_another_plan_is_404(signed_in, plan, round_9, make_body):
    other = Plan(title="แผนอื่น", owner_body_id=plan.owner_body_id, start_year_be=2563, end_year_be=2563)
    db.session.add(other)
    db.session.commit()
    client = signed_in("secretariat")
    response = client.post(f"/plans/{other.id}/rounds/{round_9.id}",
                           data={"status": "closed", "csrf_token": token(client)})
    assert response.status_code == 404


# --- the list and the plan page -----------------------------------------------------------------

def test_list_shows_owner_years_counts_and_rounds(signed_in, plan, round_9):
    page = signed_in("viewer").get("/plans").get_data(as_text=True)
    row = page[page.index(f'id="plan-{plan.id}"'):]
    assert "แผนทดสอบ" in row and "คณะทำงานติดตามผลการดำเนินงาน" in row and "2562–2564" in row
    assert "1 ประเด็นหลัก" in row and "1 ประเด็นย่อย" in row
    assert "รอบ 9 เดือน ปีงบประมาณ พ.ศ. 2563" in row and "เปิด" in row


def test_plan_page_shows_sub_items_and_rounds_in_thai_dates(signed_in, plan, round_9):
    page = signed_in("member").get(f"/plans/{plan.id}").get_data(as_text=True)
    sub = page[page.index('id="sub-item-'):]
    assert "1.1" in sub and "กระบวนงานที่ปรับลดขั้นตอน" in sub and "ลดลงร้อยละ 30" in sub
    assert "30 ร้อยละ" in sub and "BPS" in sub and "ICT" in sub
    rounds = page[page.index('id="rounds"'):]
    assert "1 ต.ค. 2562" in rounds and "30 มิ.ย. 2563" in rounds and "15 ก.ค. 2563" in rounds


def test_demo_plan_page(signed_in, demo):
    plan = db.session.scalar(select(Plan).where(Plan.title == DEMO_TITLE))
    page = signed_in("secretariat").get(f"/plans/{plan.id}").get_data(as_text=True)
    assert page.count('id="theme-') == 3 and page.count('id="sub-item-') == 13
    assert "การพัฒนาฐานข้อมูล Big Data ของกระทรวง" in page
    assert page.count('name="status" value="open"') == 2 and page.count('name="status" value="closed"') == 1


# --- plans ------------------------------------------------------------------------------------

def plan_form(client, **values) -> dict:
    data = {"title": "แผนใหม่", "owner_body_id": "", "start_year_be": "2566", "end_year_be": "2568",
            "description": "", "csrf_token": token(client, "/plans/new")}
    data.update(values)
    return data


def test_staff_create_and_edit_a_plan(signed_in, make_body):
    body = make_body("คณะทำงานแผน")
    client = signed_in("secretariat")
    response = client.post("/plans/new", data=plan_form(client, owner_body_id=str(body.id)))
    assert response.status_code == 302
    plan = db.session.scalar(select(Plan).where(Plan.title == "แผนใหม่"))
    assert response.headers["Location"] == f"/plans/{plan.id}"
    assert (plan.owner_body_id, plan.start_year_be, plan.end_year_be) == (body.id, 2566, 2568)
    assert audited("plan.create") == 1
    response = client.post(f"/plans/{plan.id}/edit", data=plan_form(
        client, title="แผนใหม่ (ปรับปรุง)", owner_body_id=str(body.id), end_year_be="2570"))
    assert response.status_code == 302
    db.session.expire_all()
    assert (plan.title, plan.end_year_be) == ("แผนใหม่ (ปรับปรุง)", 2570)
    assert audited("plan.update") == 1
    form = client.get(f"/plans/{plan.id}/edit").get_data(as_text=True)
    assert 'value="แผนใหม่ (ปรับปรุง)"' in form and 'value="2570"' in form


@pytest.mark.parametrize("values, message", [
    ({"title": "  "}, "กรุณากรอกข้อมูลนี้"),
    ({"start_year_be": "สองพัน"}, "ต้องเป็นจำนวนเต็ม"),
    ({"start_year_be": "2568", "end_year_be": "2566"}, "ปีสิ้นสุดต้องไม่ก่อนปีเริ่มต้น"),
    ({"owner_body_id": "999"}, "กรุณาเลือกจากรายการ"),
    ({"owner_body_id": ""}, "กรุณากรอกข้อมูลนี้"),
])
def test_bad_plan_input_shows_the_message_by_the_field_and_saves_nothing(signed_in, make_body, values, message):
    body = make_body("คณะทำงานแผน")
    client = signed_in("secretariat")
    data = plan_form(client, owner_body_id=str(body.id))
    data.update(values)
    response = client.post("/plans/new", data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page and "invalid-feedback" in page
    assert count(Plan) == 0 and changes_recorded() == 0


def test_delete_plan_only_without_rounds(signed_in, plan, round_9):
    client = signed_in("secretariat")
    response = client.post(f"/plans/{plan.id}/delete", data={"csrf_token": token(client)}, follow_redirects=True)
    assert "แผนนี้มีรอบการรายงานแล้ว ลบไม่ได้" in response.get_data(as_text=True)
    assert count(Plan) == 1
    db.session.delete(db.session.get(ReportingRound, round_9.id))
    db.session.commit()
    response = client.post(f"/plans/{plan.id}/delete", data={"csrf_token": token(client)})
    assert response.status_code == 302 and response.headers["Location"] == "/plans"
    assert count(Plan) == 0 and count(SubItem) == 0 and audited("plan.delete") == 1


def test_button_posts_need_the_csrf_token(signed_in, plan):
    client = signed_in("secretariat")
    assert client.post(f"/plans/{plan.id}/delete").status_code == 400
    assert count(Plan) == 1


# --- themes and sub-items -------------------------------------------------------------------------

def test_staff_add_edit_and_delete_a_theme(signed_in, plan):
    client = signed_in("secretariat")
    url = f"/plans/{plan.id}/themes/new"
    response = client.post(url, data={"number": "", "title": "การพัฒนาฐานข้อมูล", "weight": "1.5",
                                      "csrf_token": token(client, url)})
    assert response.status_code == 302
    theme = db.session.scalar(select(Theme).where(Theme.plan_id == plan.id, Theme.number == 2))
    assert theme.title == "การพัฒนาฐานข้อมูล" and theme.weight == Decimal("1.5")
    assert response.headers["Location"] == f"/plans/{plan.id}#theme-{theme.id}"
    response = client.post(f"/themes/{theme.id}/edit", data={"number": "3", "title": "ประเด็นที่สาม", "weight": "",
                                                            "csrf_token": token(client)})
    assert response.status_code == 302
    db.session.expire_all()
    assert (theme.number, theme.title, theme.weight) == (3, "ประเด็นที่สาม", Decimal(1))
    response = client.post(f"/themes/{theme.id}/delete", data={"csrf_token": token(client)}, follow_redirects=True)
    assert "ลบประเด็นหลักที่ 3 แล้ว" in response.get_data(as_text=True)
    assert count(Theme) == 1
    assert [audited(a) for a in ("theme.create", "theme.update", "theme.delete")] == [1, 1, 1]


@pytest.mark.parametrize("values, message", [
    ({"number": "1"}, "ประเด็นหลักที่ 1 มีอยู่แล้ว"),
    ({"title": ""}, "กรุณากรอกข้อมูลนี้"),
    ({"weight": "0"}, "ต้องมากกว่า 0"),
    ({"weight": "หนึ่ง"}, "ต้องเป็นตัวเลข"),
])
def test_bad_theme_input_is_refused_by_the_field(signed_in, plan, values, message):
    client = signed_in("secretariat")
    url = f"/plans/{plan.id}/themes/new"
    data = {"number": "", "title": "ประเด็นใหม่", "weight": "", "csrf_token": token(client, url)}
    data.update(values)
    response = client.post(url, data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert count(Theme) == 1 and changes_recorded() == 0


def test_staff_add_and_edit_a_sub_item_with_its_units(signed_in, plan, units):
    client = signed_in("secretariat")
    theme = plan.themes[0]
    url = f"/themes/{theme.id}/sub-items/new"
    form = client.get(url).get_data(as_text=True)
    assert form.count('type="checkbox"') == 3 and "หน่วยงาน BLA" in form and "BLA ·" not in form
    response = client.post(url, data={
        "number": "", "title": "การพัฒนาระบบสารบรรณอิเล็กทรอนิกส์", "outputs": "ระบบสารบรรณ", "target": "1 ระบบ",
        "target_value": "1", "target_unit": "ระบบ", "weight": "",
        "unit_ids": [str(units["BLA"].id), str(units["ICT"].id)],
        "csrf_token": csrf_from(form)})
    assert response.status_code == 302
    sub_item = db.session.scalar(select(SubItem).where(SubItem.theme_id == theme.id, SubItem.number == 2))
    assert sorted(u.code for u in sub_item.units) == ["BLA", "ICT"]
    assert (sub_item.target_value, sub_item.target_unit, sub_item.weight) == (Decimal(1), "ระบบ", Decimal(1))
    edit = client.get(f"/sub-items/{sub_item.id}/edit").get_data(as_text=True)
    assert edit.count("checked") == 2
    response = client.post(f"/sub-items/{sub_item.id}/edit", data={
        "number": "2", "title": "การพัฒนาระบบสารบรรณอิเล็กทรอนิกส์ (e-Saraban)", "outputs": "", "target": "",
        "target_value": "", "target_unit": "", "unit_ids": [str(units["BPS"].id)], "weight": "3",
        "csrf_token": csrf_from(edit)})
    assert response.status_code == 302
    db.session.expire_all()
    assert [u.code for u in sub_item.units] == ["BPS"] and sub_item.weight == Decimal(3)
    assert sub_item.target_value is None
    changes = db.session.scalar(select(AuditEvent.changes).where(AuditEvent.action == "sub_item.update"))
    assert changes["unit_ids"] == [sorted([units["BLA"].id, units["ICT"].id]), [units["BPS"].id]]
    response = client.post(f"/sub-items/{sub_item.id}/delete", data={"csrf_token": token(client)})
    assert response.status_code == 302 and count(SubItem) == 1 and audited("sub_item.delete") == 1


def test_with_more_units_than_a_list_can_show_a_sub_items_units_are_typed_as_codes(signed_in, plan, units,
                                                                                   monkeypatch):
    from app.plans import routes

    monkeypatch.setattr(routes, "UNIT_CHECKBOXES_MAX", 2)  # the plan's three units stand for 29,000 schools
    client = signed_in("secretariat")
    sub_item = plan.themes[0].sub_items[0]
    url = f"/sub-items/{sub_item.id}/edit"
    edit = client.get(url).get_data(as_text=True)
    assert 'type="checkbox"' not in edit and 'name="unit_codes"' in edit
    current = sorted(u.code for u in sub_item.units)
    assert re.search(r'<textarea[^>]*name="unit_codes"[^>]*>\s*' + r"\s+".join(current), edit)
    fields = {"number": str(sub_item.number), "title": sub_item.title, "outputs": "", "target": "",
              "target_value": "", "target_unit": "", "weight": "1", "csrf_token": csrf_from(edit)}
    refused = client.post(url, data={**fields, "unit_codes": "ict, XYZ9\nbps"})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "ไม่พบหน่วยงานรหัส XYZ9" in html
    assert "ict, XYZ9" in html  # what was typed is kept
    db.session.expire_all()
    assert sorted(u.code for u in sub_item.units) == current and changes_recorded() == 0
    saved = client.post(url, data={**fields, "unit_codes": "ict, bla;\n BPS "})
    assert saved.status_code == 302
    db.session.expire_all()
    assert sorted(u.code for u in sub_item.units) == ["BLA", "BPS", "ICT"] and audited("sub_item.update") == 1
    empty = client.post(url, data={**fields, "unit_codes": "  "})
    assert empty.status_code == 422 and "ต้องมีหน่วยงานรับผิดชอบอย่างน้อย 1 หน่วยงาน" in empty.get_data(as_text=True)


@pytest.mark.parametrize("values, field, message", [
    ({"unit_ids": []}, "unit_ids", "ต้องมีหน่วยงานรับผิดชอบอย่างน้อย 1 หน่วยงาน"),
    ({"unit_ids": ["999"]}, "unit_ids", "กรุณาเลือกจากรายการ"),
    ({"number": "1"}, "number", "ประเด็นย่อยที่ 1.1 มีอยู่แล้ว"),
    ({"target_value": "สามสิบ"}, "target_value", "ต้องเป็นตัวเลข"),
    ({"title": ""}, "title", "กรุณากรอกข้อมูลนี้"),
    ({"target_unit": "x" * 51}, "target_unit", "ยาวเกิน 50 ตัวอักษร"),
])
def test_bad_sub_item_input_is_refused_by_the_field(signed_in, plan, units, values, field, message):
    client = signed_in("secretariat")
    url = f"/themes/{plan.themes[0].id}/sub-items/new"
    data = {"number": "", "title": "ประเด็นย่อยใหม่", "unit_ids": [str(units["BPS"].id)],
            "csrf_token": token(client, url)}
    data.update(values)
    response = client.post(url, data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page
    near = page[page.index(f'name="{field}"'):]
    assert near.index(message) < near.index("</form>")
    assert count(SubItem) == 1 and changes_recorded() == 0


# --- rounds ---------------------------------------------------------------------------------------

def round_form(client, plan, **values) -> dict:
    data = {"round-fiscal_year_be": "2563", "round-months": "12", "round-due_date": "15/10/2563",
            "round-csrf_token": token(client, f"/plans/{plan.id}")}
    data.update({f"round-{key}": value for key, value in values.items()})
    return data


def test_staff_open_a_round_with_its_period(signed_in, plan):
    client = signed_in("secretariat")
    page = client.get(f"/plans/{plan.id}").get_data(as_text=True)
    years = page[page.index('name="round-fiscal_year_be"'):page.index('name="round-months"')]
    assert re.findall(r'value="(\d+)"', years) == ["2562", "2563", "2564"]
    response = client.post(f"/plans/{plan.id}/rounds", data=round_form(client, plan))
    assert response.status_code == 302
    round_ = db.session.scalar(select(ReportingRound))
    assert (round_.fiscal_year_be, round_.months, round_.period_start, round_.period_end, round_.due_date,
            round_.status) == (2563, 12, date(2019, 10, 1), date(2020, 9, 30), date(2020, 10, 15), "open")
    assert audited("round.open") == 1
    page = client.get(f"/plans/{plan.id}").get_data(as_text=True)
    assert "รอบ 12 เดือน ปีงบประมาณ พ.ศ. 2563" in page and "30 ก.ย. 2563" in page


@pytest.mark.parametrize("values, status, message", [
    ({"due_date": "01/09/2562"}, 422, "วันครบกำหนดต้องไม่ก่อนวันเริ่มรอบ (2019-10-01)"),
    ({"due_date": ""}, 422, "กรุณากรอกข้อมูลนี้"),
    ({"due_date": "15 ต.ค. 63"}, 422, "อ่านวันที่ไม่ได้"),
    ({"due_date": "15/10/2020"}, 422, "ปี 2020 ดูเหมือนปี ค.ศ. หมายถึง พ.ศ. 2563 ใช่หรือไม่"),
    ({"months": "9"}, 409, "รอบนี้มีอยู่แล้ว"),
    ({"months": "4"}, 422, "กรุณาเลือกจากรายการ"),
    ({"fiscal_year_be": "2570"}, 422, "กรุณาเลือกจากรายการ"),
])
def test_bad_round_input_is_refused_by_the_field(signed_in, plan, round_9, values, status, message):
    client = signed_in("secretariat")
    response = client.post(f"/plans/{plan.id}/rounds", data=round_form(client, plan, **values))
    assert response.status_code == status
    page = response.get_data(as_text=True)
    form = page[page.index('id="open-round"'):]
    assert message in form
    assert count(ReportingRound) == 1 and changes_recorded() == 0


def test_staff_close_reopen_and_move_the_due_date(signed_in, plan, round_9):
    client = signed_in("secretariat")
    url = f"/plans/{plan.id}/rounds/{round_9.id}"
    response = client.post(url, data={"status": "closed", "csrf_token": token(client)}, follow_redirects=True)
    assert "ปิดรอบการรายงานแล้ว" in response.get_data(as_text=True)
    db.session.expire_all()
    assert round_9.status == "closed"
    client.post(url, data={"status": "open", "csrf_token": token(client)})
    db.session.expire_all()
    assert round_9.status == "open"
    page = client.get(f"/plans/{plan.id}").get_data(as_text=True)
    response = client.post(url, data={f"round-{round_9.id}-due_date": "31/07/2563",
                                      f"round-{round_9.id}-csrf_token": csrf_from(page)})
    assert response.status_code == 302
    db.session.expire_all()
    assert round_9.due_date == date(2020, 7, 31)
    assert [audited(a) for a in ("round.close", "round.reopen", "round.update")] == [1, 1, 1]


@pytest.mark.parametrize("value, message", [("01/01/2562", "วันครบกำหนดต้องไม่ก่อนวันเริ่มรอบ"),
                                            ("พรุ่งนี้", "อ่านวันที่ไม่ได้"), ("", "กรุณากรอกข้อมูลนี้")])
def test_bad_due_date_is_shown_by_the_round(signed_in, plan, round_9, value, message):
    client = signed_in("secretariat")
    response = client.post(f"/plans/{plan.id}/rounds/{round_9.id}", data={
        f"round-{round_9.id}-due_date": value, f"round-{round_9.id}-csrf_token": token(client)})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page[page.index(f'id="round-{round_9.id}"'):page.index('id="open-round"')]
    db.session.expire_all()
    assert round_9.due_date == date(2020, 7, 15) and changes_recorded() == 0


def test_bad_round_status_is_refused(signed_in, plan, round_9):
    client = signed_in("secretariat")
    response = client.post(f"/plans/{plan.id}/rounds/{round_9.id}", data={"status": "archived",
                                                                           "csrf_token": token(client)},
                           follow_redirects=True)
    assert "สถานะรอบต้องเป็น open หรือ closed" in response.get_data(as_text=True)
    db.session.expire_all()
    assert round_9.status == "open"


# --- the spreadsheet ------------------------------------------------------------------------------

def structure(plan: Plan) -> list:
    return [(t.number, t.title, t.weight, [(s.number, s.title, s.outputs, s.target, s.target_value, s.target_unit,
                                            s.weight, sorted(u.code for u in s.units)) for s in t.sub_items])
            for t in plan.themes]


def upload(client, data: bytes, owner_body_id, name: str = "plan.xlsx"):
    return client.post("/plans/import", data={
        "file": (io.BytesIO(data), name), "owner_body_id": str(owner_body_id),
        "csrf_token": token(client, "/plans/import")}, content_type="multipart/form-data")


def test_export_then_import_gives_the_same_plan(signed_in, demo, make_body):
    original = db.session.scalar(select(Plan).where(Plan.title == DEMO_TITLE))
    client = signed_in("secretariat")
    response = client.get(f"/plans/{original.id}/export.xlsx")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert f"plan-{original.id}.xlsx" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.data))["แผน"]
    assert sheet["B1"].value == DEMO_TITLE and sheet["B2"].value == 2562

    owner = make_body("คณะทำงานชุดใหม่")
    events_before = changes_recorded()
    imported = upload(client, response.data, owner.id)
    assert imported.status_code == 302, imported.get_data(as_text=True)[:2000]
    copy = db.session.scalar(select(Plan).where(Plan.owner_body_id == owner.id))
    assert imported.headers["Location"] == f"/plans/{copy.id}"
    assert (copy.title, copy.start_year_be, copy.end_year_be) == (DEMO_TITLE, 2562, 2564)
    db.session.expire_all()
    assert structure(copy) == structure(db.session.get(Plan, original.id))
    assert len(copy.themes) == 3 and sum(len(t.sub_items) for t in copy.themes) == 13
    assert changes_recorded() - events_before == 1 + 3 + 13
    page = client.get(imported.headers["Location"]).get_data(as_text=True)
    assert "นำเข้าแผนแล้ว: 3 ประเด็นหลัก 13 ประเด็นย่อย" in page


def test_every_role_that_reads_plans_may_export(signed_in, plan):
    response = signed_in("member").get(f"/plans/{plan.id}/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data))["แผน"]
    assert [c.value for c in sheet[6]][:5] == [1, "การปรับกระบวนการ ขั้นตอนการทำงาน", 1, 1, "การลดขั้นตอนการให้บริการ"]
    assert sheet["K6"].value == "BPS, ICT"


def workbook(rows, title="แผนนำเข้า", start=2566, end=2568) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "แผน"
    sheet["A1"], sheet["B1"] = "ชื่อแผน", title
    sheet["A2"], sheet["B2"] = "ปี พ.ศ. เริ่มต้น", start
    sheet["A3"], sheet["B3"] = "ปี พ.ศ. สิ้นสุด", end
    for column, header in enumerate(PLAN_HEADERS, start=1):
        sheet.cell(5, column, header)
    for row, values in enumerate(rows, start=6):
        for column, value in enumerate(values, start=1):
            sheet.cell(row, column, value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


ROW = (1, "ประเด็นหลัก", 1, 1, "ประเด็นย่อย", None, None, None, None, 1, "BPS")


@pytest.mark.parametrize("data, messages", [
    (b"not a spreadsheet", ["ไม่สามารถอ่านไฟล์ได้: ต้องเป็นไฟล์ Excel (.xlsx)"]),
    (workbook([ROW[:10] + ("BPS, XYZ, QQQ",)]), ["ไม่พบหน่วยงานรหัส QQQ, XYZ"]),
    (workbook([ROW[:9] + (0,) + ROW[10:], ROW[:3] + (1,) + ROW[4:]]),
     ["แถว 6 คอลัมน์ น้ำหนัก: ต้องเป็นตัวเลขมากกว่า 0", "แถว 7 คอลัมน์ ประเด็นย่อย: ประเด็นย่อย 1.1 ซ้ำกับแถว 6"]),
    (workbook([ROW], title=None), ["แถว 1 คอลัมน์ ชื่อแผน: ต้องระบุ"]),
])
def test_bad_spreadsheet_shows_every_problem_and_creates_nothing(signed_in, plan, data, messages):
    client = signed_in("secretariat")
    response = upload(client, data, plan.owner_body_id)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    field = page[page.index('name="file"'):page.index('name="owner_body_id"')]
    for message in messages:
        assert message in field
    assert count(Plan) == 1 and count(Theme) == 1 and changes_recorded() == 0


def test_import_needs_a_file_and_an_owner(signed_in, plan):
    client = signed_in("secretariat")
    response = client.post("/plans/import", data={"owner_body_id": str(plan.owner_body_id),
                                                  "csrf_token": token(client, "/plans/import")})
    assert response.status_code == 422 and "กรุณาเลือกไฟล์" in response.get_data(as_text=True)
    response = upload(client, workbook([ROW]), "")
    assert response.status_code == 422 and "กรุณากรอกข้อมูลนี้" in response.get_data(as_text=True)
    assert count(Plan) == 1


def test_import_refused_by_the_plan_services_leaves_nothing_behind(signed_in, plan):
    client = signed_in("secretariat")
    sheet = workbook([ROW, (1000, "ประเด็นหลักที่พันหนึ่ง", 1, 1, "ประเด็นย่อย", None, None, None, None, 1, "ICT")])
    response = upload(client, sheet, plan.owner_body_id)
    assert response.status_code == 422
    assert "ประเด็นหลัก 1000: ต้องอยู่ระหว่าง 1 ถึง 999" in response.get_data(as_text=True)
    assert count(Plan) == 1 and count(Theme) == 1 and count(SubItem) == 1 and changes_recorded() == 0


def test_imported_plan_uses_unit_codes_case_insensitively(signed_in, plan):
    client = signed_in("secretariat")
    response = upload(client, workbook([ROW[:10] + ("bps ict",)]), plan.owner_body_id)
    assert response.status_code == 302
    new = db.session.scalar(select(Plan).where(Plan.title == "แผนนำเข้า"))
    assert [u.code for u in new.themes[0].sub_items[0].units] == ["BPS", "ICT"]
    assert db.session.scalar(select(func.count()).select_from(Unit)) == 3
