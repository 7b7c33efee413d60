"""The agency assessment pages: scores per fiscal year with the level of that year's bands; staff edits."""
from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import event, func, select

from app.audit.models import AuditEvent
from app.extensions import db
from app.reports import assessments
from app.reports.models import AssessmentBand, AssessmentScore
from tests.conftest import csrf_from

ROLES = ("admin", "secretariat", "reporter", "member", "viewer")
STAFF = ("admin", "secretariat")
SEED_TITLE = "การดำเนินการตามแผนปฏิรูปองค์การของส่วนราชการ"


@pytest.fixture
def signed_in(app, make_user, login):
    """signed_in(role or user) -> a test client of its own, signed in as a new user of that role (or that user)."""

    def sign_in(who):
        user = make_user(who) if isinstance(who, str) else who
        return login(user, c=app.test_client())

    return sign_in


def add_bands(year: int, basic: str, standard: str, advanced: str) -> None:
    for level, value in (("basic", basic), ("standard", standard), ("advanced", advanced)):
        db.session.add(AssessmentBand(fiscal_year_be=year, level=level, min_score=Decimal(value)))
    db.session.commit()


def add_score(year: int, score: str, component: int = 5, base: str = "potential",
              title: str = SEED_TITLE) -> AssessmentScore:
    row = AssessmentScore(fiscal_year_be=year, component=component, base=base, title=title, score=Decimal(score))
    db.session.add(row)
    db.session.commit()
    return row


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def changes_recorded() -> int:
    """Audit events other than sign-ins."""
    return db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action != "user.login"))


def token(client, url: str = "/assessment") -> str:
    return csrf_from(client.get(url).get_data(as_text=True))


def year_section(page: str, year: int) -> str:
    start = page.index(f'id="fy-{year}"')
    end = page.find("<section", start + 1)
    return page[start:end if end != -1 else len(page)]


def by_field(page: str, field: str) -> str:
    """The page from a field's input to the next named input: where its messages are shown."""
    start = page.index(f'name="{field}"')
    return page[start:page.index('name="', start + 1)]


def score_row(page: str, score_id: int) -> str:
    start = page.index(f'id="score-{score_id}"')
    return page[start:page.index("</tr>", start)]


# --- who may see what -------------------------------------------------------------------------

@pytest.mark.parametrize("url", ["/assessment", "/assessment/new", "/assessment/1/edit", "/assessment/bands"])
def test_pages_require_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


@pytest.mark.parametrize("role", ROLES)
def test_every_role_reads_the_assessment_but_only_staff_change_it(signed_in, role):
    score = add_score(2562, "85.00")
    client = signed_in(role)
    page = client.get("/assessment").get_data(as_text=True)
    assert SEED_TITLE in page
    expected = 200 if role in STAFF else 403
    for url in ("/assessment/new", f"/assessment/{score.id}/edit", "/assessment/bands?year=2562"):
        assert client.get(url).status_code == expected, url
    assert ("/assessment/new" in page) is (role in STAFF)
    assert (f"/assessment/{score.id}/delete" in page) is (role in STAFF)
    if role not in STAFF:
        csrf = token(client)
        for url, data in (
            ("/assessment/new", {"fiscal_year_be": "2563", "component": "1", "base": "performance",
                                 "title": "x", "score": "50"}),
            (f"/assessment/{score.id}/edit", {"fiscal_year_be": "2562", "component": "5", "base": "potential",
                                              "title": "x", "score": "10"}),
            (f"/assessment/{score.id}/delete", {}),
            ("/assessment/bands", {"fiscal_year_be": "2562", "basic": "1", "standard": "2", "advanced": "3"}),
        ):
            assert client.post(url, data={**data, "csrf_token": csrf}).status_code == 403, url
        db.session.expire_all()
        assert db.session.get(AssessmentScore, score.id).score == Decimal("85.00")
        assert count(AssessmentBand) == 0 and changes_recorded() == 0


def test_unknown_score_is_404(signed_in):
    client = signed_in("secretariat")
    assert client.get("/assessment/999/edit").status_code == 404
    assert client.post("/assessment/999/delete", data={"csrf_token": token(client)}).status_code == 404


# --- levels per fiscal year -------------------------------------------------------------------

def test_demo_seed_is_advanced_in_2562_and_the_same_score_is_standard_under_2567_bands(signed_in, demo):
    page = signed_in("member").get("/assessment").get_data(as_text=True)
    fy2562 = year_section(page, 2562)
    assert SEED_TITLE in fy2562 and "85.00" in fy2562 and "Potential Base" in fy2562
    assert "ระดับมาตรฐานขั้นสูง" in fy2562.split('class="level"')[1]
    assert "ระดับมาตรฐานขั้นสูง 80.00" in fy2562  # the sample bands are shown
    fy2567 = year_section(page, 2567)
    assert "ระดับมาตรฐานขั้นต้น 50.00" in fy2567 and "ระดับมาตรฐาน 70.00" in fy2567
    assert "ระดับมาตรฐานขั้นสูง 100.00" in fy2567

    client = signed_in("secretariat")
    response = client.post("/assessment/new", data={
        "fiscal_year_be": "2567", "component": "5", "base": "potential", "title": SEED_TITLE, "score": "85.00",
        "note": "", "csrf_token": token(client, "/assessment/new")})
    assert response.status_code == 302 and response.headers["Location"] == "/assessment#fy-2567"
    score = db.session.scalar(select(AssessmentScore).where(AssessmentScore.fiscal_year_be == 2567))
    page = client.get("/assessment").get_data(as_text=True)
    level = score_row(year_section(page, 2567), score.id).split('class="level"')[1]
    assert "ระดับมาตรฐาน<" in level and "ขั้นสูง" not in level


def test_levels_of_the_service_follow_each_years_bands(app, demo):
    years = {year.fiscal_year_be: year for year in assessments.assessment_years()}
    assert [line.level for line in years[2562].lines] == ["advanced"]
    assert years[2567].lines == [] and years[2567].bands["advanced"] == Decimal("100.00")
    add_score(2567, "85.00")
    add_score(2567, "49.99", component=1, base="performance", title="ตัวชี้วัดต่ำกว่าเกณฑ์")
    levels = {line.score.component: line.level for line in assessments.assessment_years(2567)[0].lines}
    assert levels == {5: "standard", 1: None}


def test_below_the_bands_and_without_bands(signed_in):
    add_bands(2566, "50", "70", "90")
    low = add_score(2566, "49.99")
    unbanded = add_score(2565, "99.00")
    page = signed_in("viewer").get("/assessment").get_data(as_text=True)
    assert "ต่ำกว่าเกณฑ์" in score_row(page, low.id)
    assert "ยังไม่กำหนดเกณฑ์" in score_row(page, unbanded.id)
    assert page.index('id="fy-2566"') < page.index('id="fy-2565"')  # newest year first


def test_the_page_costs_the_same_queries_for_one_year_or_many(app, signed_in):
    client = signed_in("viewer")
    client.get("/assessment")

    def queries() -> int:
        statements = []

        def count_select(conn, cursor, statement, *args):
            if statement.lstrip().upper().startswith("SELECT"):
                statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", count_select)
        try:
            assert client.get("/assessment").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", count_select)
        return len(statements)

    add_bands(2562, "50", "70", "80")
    add_score(2562, "85.00")
    few = queries()
    for year in range(2563, 2569):
        add_bands(year, "50", "70", "100")
        add_score(year, "75.50")
        add_score(year, "60.00", component=1, base="performance", title="ตัวชี้วัดที่ 1")
    assert queries() == few


# --- recording scores -------------------------------------------------------------------------

def score_form(client, url: str = "/assessment/new", **values) -> dict:
    data = {"fiscal_year_be": "2562", "component": "5", "base": "potential", "title": SEED_TITLE,
            "score": "85.00", "note": "", "csrf_token": token(client, url)}
    data.update(values)
    return data


def test_staff_record_edit_and_delete_a_score(signed_in):
    client = signed_in("secretariat")
    assert 'value="2562"' in client.get("/assessment/new?year=2562").get_data(as_text=True)
    response = client.post("/assessment/new", data=score_form(client, note="ผลจากสำนักงาน ก.พ.ร."))
    assert response.status_code == 302
    score = db.session.scalar(select(AssessmentScore))
    assert (score.fiscal_year_be, score.component, score.base, score.score, score.note) == (
        2562, 5, "potential", Decimal("85.00"), "ผลจากสำนักงาน ก.พ.ร.")
    url = f"/assessment/{score.id}/edit"
    assert 'value="85.00"' in client.get(url).get_data(as_text=True)
    response = client.post(url, data=score_form(client, url, score="87.5", base="performance"))
    assert response.status_code == 302
    db.session.expire_all()
    assert (score.score, score.base) == (Decimal("87.50"), "performance")
    changes = db.session.scalar(select(AuditEvent.changes).where(AuditEvent.action == "assessment_score.update"))
    assert changes["score"] == ["85.00", "87.50"]
    response = client.post(f"/assessment/{score.id}/delete", data={"csrf_token": token(client)},
                           follow_redirects=True)
    assert "ลบผลการประเมินแล้ว" in response.get_data(as_text=True)
    assert count(AssessmentScore) == 0
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"assessment_score.create", "assessment_score.update", "assessment_score.delete"} <= actions


@pytest.mark.parametrize("values, field, message", [
    ({"score": "100.01"}, "score", "คะแนนต้องอยู่ระหว่าง 0.00 ถึง 100.00"),
    ({"score": "-1"}, "score", "คะแนนต้องอยู่ระหว่าง 0.00 ถึง 100.00"),
    ({"score": "85.125"}, "score", "ทศนิยมได้ไม่เกิน 2 ตำแหน่ง"),
    ({"score": "แปดสิบห้า"}, "score", "ต้องเป็นตัวเลข"),
    ({"score": ""}, "score", "กรุณากรอกข้อมูลนี้"),
    ({"fiscal_year_be": "62"}, "fiscal_year_be", "ต้องอยู่ระหว่าง 2400 ถึง 2700"),
    ({"component": "ห้า"}, "component", "ต้องเป็นจำนวนเต็ม"),
    ({"title": " "}, "title", "กรุณากรอกข้อมูลนี้"),
    ({"base": "other"}, "base", "กรุณาเลือกจากรายการ"),
])
def test_bad_score_input_is_refused_by_the_field(signed_in, values, field, message):
    client = signed_in("secretariat")
    response = client.post("/assessment/new", data=score_form(client, **values))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in by_field(page, field)
    assert count(AssessmentScore) == 0 and changes_recorded() == 0


def test_a_second_score_for_the_same_year_and_component_is_refused(signed_in):
    existing = add_score(2562, "85.00")
    client = signed_in("secretariat")
    response = client.post("/assessment/new", data=score_form(client, score="50"))
    assert response.status_code == 409
    assert "องค์ประกอบนี้มีผลการประเมินของปีนี้แล้ว" in response.get_data(as_text=True)
    other = add_score(2563, "70.00")
    url = f"/assessment/{other.id}/edit"
    response = client.post(url, data=score_form(client, url, fiscal_year_be="2562"))
    assert response.status_code == 409
    db.session.expire_all()
    assert db.session.get(AssessmentScore, existing.id).score == Decimal("85.00")
    assert db.session.get(AssessmentScore, other.id).fiscal_year_be == 2563
    assert changes_recorded() == 0


# --- bands ------------------------------------------------------------------------------------

def bands_form(client, **values) -> dict:
    data = {"fiscal_year_be": "2567", "basic": "50", "standard": "70", "advanced": "100",
            "csrf_token": token(client, "/assessment/bands")}
    data.update(values)
    return data


def bands_of(year: int) -> dict[str, Decimal]:
    return assessments.year_bands([year]).get(year, {})


def test_staff_set_and_change_a_years_bands(signed_in):
    client = signed_in("secretariat")
    response = client.post("/assessment/bands", data=bands_form(client))
    assert response.status_code == 302 and response.headers["Location"] == "/assessment#fy-2567"
    assert bands_of(2567) == {"basic": Decimal(50), "standard": Decimal(70), "advanced": Decimal(100)}
    form = client.get("/assessment/bands?year=2567").get_data(as_text=True)
    assert 'value="50.00"' in form and 'value="100.00"' in form
    client.post("/assessment/bands", data=bands_form(client, advanced="95.5"))
    assert bands_of(2567)["advanced"] == Decimal("95.50") and count(AssessmentBand) == 3
    events = list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == "assessment_bands.update")
                                     .order_by(AuditEvent.id)))
    assert len(events) == 2 and events[1].changes == {"advanced": ["100.00", "95.50"]}
    assert events[1].object_id == 2567
    client.post("/assessment/bands", data=bands_form(client, advanced="95.50"))  # unchanged: no event
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action == "assessment_bands.update")) == 2


@pytest.mark.parametrize("values, field, message", [
    ({"standard": "50"}, "standard", "ต้องมากกว่าเกณฑ์ระดับมาตรฐานขั้นต้น"),
    ({"advanced": "60"}, "advanced", "ต้องมากกว่าเกณฑ์ระดับมาตรฐาน"),
    ({"advanced": "100.5"}, "advanced", "คะแนนต้องอยู่ระหว่าง 0.00 ถึง 100.00"),
    ({"basic": "50.001"}, "basic", "ทศนิยมได้ไม่เกิน 2 ตำแหน่ง"),
    ({"basic": ""}, "basic", "กรุณากรอกข้อมูลนี้"),
    ({"fiscal_year_be": "2024"}, "fiscal_year_be", "ต้องอยู่ระหว่าง 2400 ถึง 2700"),
])
def test_bad_bands_are_refused_by_the_field(signed_in, values, field, message):
    add_bands(2567, "40", "60", "80")
    client = signed_in("secretariat")
    response = client.post("/assessment/bands", data=bands_form(client, **values))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in by_field(page, field)
    assert bands_of(2567) == {"basic": Decimal(40), "standard": Decimal(60), "advanced": Decimal(80)}
    assert changes_recorded() == 0
